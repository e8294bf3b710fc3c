import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { bundleChild } from '@cqrs/test-fixtures';
import { databaseUrl } from './pg';

/** A process running `fixtures/<name>.ts`, with the lines it printed so far and its stderr. */
export interface Child {
  readonly process: ChildProcess;
  readonly lines: string[];
  stderr(): string;
  /** SIGKILLs it; resolves with the signal it died of once it is gone. */
  kill(): Promise<NodeJS.Signals | null>;
}

/** Bundles `fixtures/<name>.ts` into `dir` (no build needed) and runs it with the test database and `env`. */
export function startChild(dir: string, name: string, env: Readonly<Record<string, string>>): Child {
  const script = bundleChild(join(__dirname, '..', 'fixtures', `${name}.ts`), join(dir, `${name}.cjs`));
  const child = spawn(process.execPath, [script], { env: { ...process.env, DATABASE_URL: databaseUrl, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  let partial = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    // A line may arrive in two chunks: keep the unfinished end for the next one.
    const parts = (partial + chunk.toString('utf8')).split('\n');
    partial = parts.pop() ?? '';
    lines.push(...parts);
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const exited = new Promise<NodeJS.Signals | null>((resolveExit) => child.on('exit', (_code, signal) => resolveExit(signal)));
  return {
    process: child,
    lines,
    stderr: () => stderr,
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      return exited;
    },
  };
}
