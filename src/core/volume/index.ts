/** Volume geometry in the core: types, the NIfTI transform rules, orientation letters and geometry agreement. */
export * from './geometry';
export * from './niftiTransform';
export * from './orientation';
export * from './compare';
