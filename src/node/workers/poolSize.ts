/**
 * How many worker threads the pool may start. A setting wins; otherwise one less than the CPU count, but at least
 * two, so the image, mask and probability map of a sample decode side by side even on a two-core machine (the
 * threads only run while a load or an analysis is in flight), and at most four, since more threads than that only
 * add memory for the sizes a panel shows.
 */
export function poolSize(cpuCount: number, configured = 0): number {
  if (Number.isInteger(configured) && configured > 0) return configured;
  return Math.min(4, Math.max(2, Math.floor(cpuCount) - 1));
}
