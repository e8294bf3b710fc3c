import { cpus } from 'node:os';

/** One line naming the runtime and CPU, printed above results so they are read in context. */
export function machineLine(): string {
  const cpu = cpus()[0]?.model.trim() ?? 'unknown CPU';
  return `node ${process.version}, ${process.arch}, ${cpus().length} × ${cpu}`;
}
