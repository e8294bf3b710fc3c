import { readdirSync, readFileSync } from 'node:fs';

/** CPU milliseconds used so far: this process, and the local PostgreSQL and Kafka servers. */
export interface CpuSample {
  readonly node: number;
  readonly postgres: number;
  readonly kafka: number;
}

/** Clock ticks per second of `/proc/<pid>/stat` (USER_HZ, 100 on Linux). */
const TICKS_PER_MS = 100 / 1000;

/** User and system ticks of a process and its waited-for children, from `/proc/<pid>/stat`. */
function ticksOf(stat: string): number {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
}

/**
 * CPU time of the servers on this machine (read from `/proc`: PostgreSQL's processes by name,
 * Kafka by its main class), and of this process. Servers elsewhere, or no `/proc`, read 0.
 */
export function sampleCpu(): CpuSample {
  let postgres = 0;
  let kafka = 0;
  let pids: string[] = [];
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    // not Linux
  }
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      if (stat.includes('(postgres)')) postgres += ticksOf(stat);
      else if (stat.includes('(java)') && readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('kafka.Kafka')) kafka += ticksOf(stat);
    } catch {
      // the process ended meanwhile
    }
  }
  const own = process.cpuUsage();
  return { node: (own.user + own.system) / 1000, postgres: postgres / TICKS_PER_MS, kafka: kafka / TICKS_PER_MS };
}

/** CPU microseconds per event between two samples. */
export function cpuPerEvent(before: CpuSample, after: CpuSample, events: number): CpuSample {
  const per = (key: keyof CpuSample): number => ((after[key] - before[key]) * 1000) / events;
  return { node: per('node'), postgres: per('postgres'), kafka: per('kafka') };
}
