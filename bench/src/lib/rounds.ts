/** The median of `values` (the mean of the middle two for an even count). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? Number.NaN) : ((sorted[middle - 1] ?? Number.NaN) + (sorted[middle] ?? Number.NaN)) / 2;
}

/**
 * `measured / baseline` round by round, as `median (lowest–highest)`: a case and its baseline
 * measured in the same round share the machine's state, which drifts between rounds.
 * Values are rates (higher is faster); pass seconds the other way round.
 */
export function roundRatio(baseline: readonly number[], measured: readonly number[]): string {
  const ratios = measured.map((value, round) => value / (baseline[round] ?? Number.NaN));
  const middle = median(ratios).toFixed(2);
  return ratios.length > 1 ? `${middle} (${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)})` : middle;
}
