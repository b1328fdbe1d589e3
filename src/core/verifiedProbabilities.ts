/**
 * Probability arrays already checked, value by value, when they were made: every value a finite number in [0, 1]
 * and none of them −0 (the decoders' bit-pattern ranking would put −0 above 1). A loader that has read and checked
 * a map marks its array; the metrics and the decoders then skip their own range pass over it, which on a dataset
 * run was three passes over every map for one fact (issue 12 speed).
 *
 * Only a function that creates the array and checks it before anyone else holds it may mark it, and nothing may
 * write into a marked array afterwards (no code in SegLens writes into a loaded probability map). The set holds
 * the arrays weakly, so marking never keeps a map alive.
 */
const verified = new WeakSet<Float32Array | Float64Array>();

/** Records that every value of `data` is a finite number in [0, 1] other than −0 (the caller checked it). */
export function markVerifiedProbabilities(data: Float32Array | Float64Array): void {
  verified.add(data);
}

/** Whether `data` was marked by markVerifiedProbabilities. */
export function isVerifiedProbabilities(data: ArrayLike<number>): boolean {
  return (data instanceof Float32Array || data instanceof Float64Array) && verified.has(data);
}
