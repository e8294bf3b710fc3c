// Cold import cost of each package: a fresh node process per import (CommonJS `require` and
// ESM `import()`), the median of BENCH_IMPORT_RUNS (default 5) runs, against importing the
// package's own dependencies alone in the same way. Goal: @cqrs/protobuf at most 1.3x
// @bufbuild/protobuf + zod alone. Run: pnpm bench:import
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { formatRatio, machineLine, printTable, type Cell } from './lib';

const RUNS = Number(process.env.BENCH_IMPORT_RUNS ?? 5);
const here = join(__dirname, '..');

/** A package and what it imports that is not ours: the baseline. */
const CASES: readonly { readonly name: string; readonly baseline: readonly string[] }[] = [
  { name: '@cqrs/core', baseline: ['reflect-metadata', 'tsyringe', 'zod'] },
  { name: '@cqrs/protobuf', baseline: ['@bufbuild/protobuf', 'zod'] },
  // What @cqrs/protobuf's own code costs: @cqrs/core brings tsyringe and reflect-metadata too.
  { name: '@cqrs/protobuf', baseline: ['@bufbuild/protobuf', '@cqrs/core'] },
  { name: '@cqrs/kafka', baseline: ['@cqrs/core', 'kafkajs'] },
  { name: '@cqrs/rabbitmq', baseline: ['@cqrs/core', 'amqplib'] },
];

type System = 'cjs' | 'esm';

/** Milliseconds one fresh process spends importing `modules`, measured inside it. */
function importMs(system: System, modules: readonly string[]): number {
  const list = JSON.stringify(modules);
  // reflect-metadata first where tsyringe is loaded, as apps do.
  const script =
    system === 'cjs'
      ? `const t = performance.now(); for (const m of ${list}) require(m); console.log(performance.now() - t);`
      : `const t = performance.now(); for (const m of ${list}) await import(m); console.log(performance.now() - t);`;
  const args = system === 'cjs' ? ['-e', script] : ['--input-type=module', '-e', script];
  return Number(execFileSync(process.execPath, args, { cwd: here, encoding: 'utf8' }).trim());
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function main(): void {
  console.log(machineLine());
  console.log(`cold import, median of ${RUNS} fresh processes each; runs alternate between the package and its baseline\n`);
  const rows: Record<string, Cell>[] = [];
  for (const { name, baseline } of CASES) {
    const withReflect = name === '@cqrs/core' || baseline.includes('@cqrs/core') ? ['reflect-metadata'] : [];
    for (const system of ['cjs', 'esm'] as const) {
      const ours: number[] = [];
      const theirs: number[] = [];
      for (let run = 0; run < RUNS; run += 1) {
        theirs.push(importMs(system, [...new Set([...withReflect, ...baseline])]));
        ours.push(importMs(system, [...withReflect, name]));
      }
      const oursMs = median(ours);
      const baselineMs = median(theirs);
      rows.push({ package: name, system, import: `${oursMs.toFixed(1)} ms`, baseline: baseline.join(' + '), 'baseline import': `${baselineMs.toFixed(1)} ms`, ratio: formatRatio(oursMs, baselineMs) });
    }
  }
  printTable(rows);
}

main();
