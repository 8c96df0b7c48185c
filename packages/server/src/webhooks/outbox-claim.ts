import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';

/** Longest one webhook POST may take (the sender's timeout) plus slack: the length of a claim. */
export const WEBHOOK_ATTEMPT_MS = 20_000;

/**
 * Who holds an outbox claim: host, pid and a per-start token. The token tells this run apart
 * from an earlier one that had the same pid (a container's pid 1 restarted).
 */
export const THIS_PROCESS = `${hostname()}/${process.pid}/${randomUUID().slice(0, 8)}`;

/**
 * Claims held by processes on this host that no longer run: their deliveries are abandoned
 * now, not when the claim times out (the embedded server restarted after a crash).
 * Claims of other hosts are never judged here — they lapse with their `claimed_until`.
 */
export function deadClaimers(claimers: Array<string | null>): string[] {
  const host = hostname();
  return claimers.filter((c): c is string => {
    if (!c || c === THIS_PROCESS) return false;
    const [h, pidText] = c.split('/');
    const pid = Number(pidText);
    if (h !== host || !Number.isInteger(pid) || pid <= 0) return false;
    if (pid === process.pid) return true; // our pid, another token: an earlier run of this process
    try {
      process.kill(pid, 0);
      return false;
    } catch (err) {
      return (err as NodeJS.ErrnoException).code === 'ESRCH';
    }
  });
}
