/** Small helpers the conformance suites share for driving a reductoai-shaped client. */

/* eslint-disable @typescript-eslint/no-explicit-any -- the suites accept any reductoai-shaped client */

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** The error a call rejects with (fails the test when it resolves). */
export async function rejection(p: PromiseLike<unknown>): Promise<{ status?: number; name: string; error?: any }> {
  try {
    await p;
  } catch (err) {
    return { status: (err as { status?: number }).status, name: (err as Error).constructor.name, error: (err as { error?: unknown }).error };
  }
  throw new Error('expected the call to fail');
}

/** The docs' polling loop: poll until Completed or Failed. */
export async function pollUntilDone(client: { job: { get(jobId: string): PromiseLike<any> } }, jobId: string, timeoutMs = 300_000): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job = await client.job.get(jobId);
    if (job.status === 'Completed' || job.status === 'Failed') return job;
    if (Date.now() > deadline) throw new Error(`job ${jobId} still ${job.status} after ${timeoutMs} ms`);
    await sleep(50);
  }
}
