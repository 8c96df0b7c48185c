import { readFileSync } from 'node:fs';

/**
 * This process's peak resident memory in MB. On Linux, from /proc/self/status (VmHWM, the
 * high-water mark of this program's own memory): getrusage's maxRSS outlives exec, so a child
 * spawned by a large parent reports the parent's size at the fork when its own is smaller.
 */
export function ownPeakRssMb(): number {
  try {
    const hwm = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (hwm) return Number(hwm[1]) / 1024;
  } catch { /* not Linux */ }
  return process.resourceUsage().maxRSS / 1024;
}
