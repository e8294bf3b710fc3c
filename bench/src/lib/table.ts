import type { Measurement } from './measure';

/** A cell of a printed table. */
export type Cell = string | number;

/** Nanoseconds for humans: `35.2 ns`, `1.84 µs`, `12.3 ms`. */
export function formatNs(ns: number): string {
  if (ns < 1_000) return `${ns.toFixed(1)} ns`;
  if (ns < 1_000_000) return `${(ns / 1_000).toFixed(2)} µs`;
  return `${(ns / 1_000_000).toFixed(2)} ms`;
}

/** `value / baseline` as `3.52×`. */
export function formatRatio(value: number, baseline: number): string {
  return `${(value / baseline).toFixed(2)}×`;
}

/**
 * Renders rows as an aligned plain-text table with a header and a rule; numbers are aligned
 * right, text left. Columns are taken from the first row unless given.
 */
export function renderTable(rows: readonly Readonly<Record<string, Cell>>[], columns: readonly string[] = Object.keys(rows[0] ?? {})): string {
  const text = (cell: Cell | undefined): string => (cell === undefined ? '' : String(cell));
  const widths = columns.map((column) => Math.max(column.length, ...rows.map((row) => text(row[column]).length)));
  const numeric = columns.map((column) => rows.every((row) => typeof row[column] === 'number' || /^[\d.,]+ ?(ns|µs|ms|s|×|%)?$/.test(text(row[column]))));
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, i) => (numeric[i] === true ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(columns), line(widths.map((width) => '-'.repeat(width))), ...rows.map((row) => line(columns.map((column) => text(row[column]))))].join('\n');
}

/** Prints `renderTable(rows, columns)` to stdout. */
export function printTable(rows: readonly Readonly<Record<string, Cell>>[], columns?: readonly string[]): void {
  console.log(renderTable(rows, columns));
}

/**
 * The usual benchmark table: each measurement's median and spread, and its ratio to each
 * baseline (looked up by name among `measurements`).
 */
export function ratioRows(measurements: readonly Measurement[], baselines: readonly string[]): Record<string, Cell>[] {
  const byName = new Map(measurements.map((m) => [m.name, m]));
  return measurements.map((m) => {
    const row: Record<string, Cell> = { case: m.name, median: formatNs(m.medianNs), 'min..max': `${formatNs(m.minNs)}..${formatNs(m.maxNs)}` };
    for (const name of baselines) {
      const baseline = byName.get(name);
      if (baseline === undefined) throw new Error(`baseline ${name} was not measured`);
      row[`vs ${name}`] = formatRatio(m.medianNs, baseline.medianNs);
    }
    return row;
  });
}
