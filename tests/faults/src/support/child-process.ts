import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { bundleChild } from '@cqrs/test-fixtures';

/** Bundles `fixtures/<name>.ts` from the sources into `dir`, so a child process needs no build. */
export function bundleFixture(name: string, dir: string): string {
  return bundleChild(join(__dirname, '../fixtures', `${name}.ts`), join(dir, `${name}.cjs`));
}

/** A child process whose `handled <id>` stdout lines are collected as they come. */
export interface ReportingChild {
  readonly process: ChildProcess;
  readonly handled: string[];
  stderr(): string;
}

/** Runs `script` with `args`, collecting its `handled <id>` lines. */
export function spawnReporting(script: string, args: readonly string[]): ReportingChild {
  const child = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const handled: string[] = [];
  let stderr = '';
  let buffered = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdout?.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines) if (line.startsWith('handled ')) handled.push(line.slice('handled '.length));
  });
  return { process: child, handled, stderr: () => stderr };
}

/** SIGKILLs `child` and waits until it is gone. */
export async function sigkill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  child.kill('SIGKILL');
  await exited;
}
