import { readdirSync, readFileSync } from 'node:fs';

/** CPU seconds (user + system) a process, or one of its threads, has used so far, from /proc (Linux). */
export function cpuSeconds(pid: number, thread?: number): number {
  const fields = readFileSync(thread === undefined ? `/proc/${pid}/stat` : `/proc/${pid}/task/${thread}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
}

/**
 * CPU seconds used so far by every process of a name (e.g. all of PostgreSQL's backends). A
 * backend that exits between two readings takes its seconds with it: compare readings taken
 * while the same connections stay open.
 */
export function cpuSecondsOf(command: string): number {
  let total = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')) === command) total += cpuSeconds(Number(entry));
    } catch {
      // The process ended between listing and reading.
    }
  }
  return total;
}
