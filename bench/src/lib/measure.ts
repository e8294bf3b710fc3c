/** How to measure: calls per round, calls before timing starts, and timed rounds. */
export interface MeasureOptions {
  /** Calls per timed round; default 100 000. Pick enough for a round to last 10 ms or more. */
  readonly iterations?: number;
  /** Untimed calls first, so the JIT has compiled the code being measured; default 20 000. */
  readonly warmup?: number;
  /** Timed rounds; the median of their ns/op is reported. Default 15. */
  readonly rounds?: number;
}

/** The outcome of a measurement. */
export interface Measurement {
  /** The label it was measured under (empty for `measure`). */
  readonly name: string;
  /** Median over the rounds of the nanoseconds per call. */
  readonly medianNs: number;
  /** Fastest and slowest round, ns per call: how noisy the run was. */
  readonly minNs: number;
  readonly maxNs: number;
  /** ns per call of each round, in order. */
  readonly roundsNs: readonly number[];
  readonly iterations: number;
}

/** One thing to measure in a `compare`. */
export interface BenchCase {
  readonly name: string;
  /** Awaited when it returns a promise. */
  readonly fn: () => unknown;
}

const DEFAULTS = { iterations: 100_000, warmup: 20_000, rounds: 15 } as const;

function settings(options: MeasureOptions): Required<MeasureOptions> {
  const resolved = { ...DEFAULTS, ...options };
  for (const [key, value] of Object.entries(resolved)) {
    if (!Number.isInteger(value) || value < (key === 'warmup' ? 0 : 1)) throw new RangeError(`${key} must be a positive integer, got ${value}`);
  }
  return resolved;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

/** Runs `fn` `count` times, awaiting each call that returns a promise; returns ns per call. */
async function timeRound(fn: () => unknown, count: number): Promise<number> {
  const started = process.hrtime.bigint();
  for (let i = 0; i < count; i += 1) {
    const result = fn();
    if (isThenable(result)) await result;
  }
  return Number(process.hrtime.bigint() - started) / count;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

function summarize(name: string, roundsNs: readonly number[], iterations: number): Measurement {
  return { name, medianNs: median(roundsNs), minNs: Math.min(...roundsNs), maxNs: Math.max(...roundsNs), roundsNs, iterations };
}

/**
 * Measures `fn` (sync or async): warm-up calls, then `rounds` timed rounds of `iterations`
 * calls each; reports the median ns per call, which shrugs off rounds disturbed by GC or
 * by another process on a shared machine.
 */
export async function measure(fn: () => unknown, options: MeasureOptions = {}): Promise<Measurement> {
  const [result] = await compare([{ name: '', fn }], options);
  return result as Measurement;
}

/**
 * Measures several cases in the same run with interleaved rounds (round 1 of every case, then
 * round 2, ...), so a slow phase of the machine hits every case alike and their ratios stay
 * meaningful. Cases are measured in the order given; results come back in that order.
 */
export async function compare(cases: readonly BenchCase[], options: MeasureOptions = {}): Promise<Measurement[]> {
  const { iterations, warmup, rounds } = settings(options);
  for (const benchCase of cases) await timeRound(benchCase.fn, warmup);
  const perCase: number[][] = cases.map(() => []);
  for (let round = 0; round < rounds; round += 1) {
    for (const [index, benchCase] of cases.entries()) perCase[index]?.push(await timeRound(benchCase.fn, iterations));
  }
  return cases.map((benchCase, index) => summarize(benchCase.name, perCase[index] ?? [], iterations));
}
