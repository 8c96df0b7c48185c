import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** Records every webhook POST it receives (the body parsed as JSON). */
export class WebhookReceiver {
  readonly received: Array<{ status: string; job_id: string; metadata: unknown }> = [];
  #server!: http.Server;
  url = '';

  static async start(): Promise<WebhookReceiver> {
    const r = new WebhookReceiver();
    r.#server = http.createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      try {
        r.received.push(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      } catch {
        // not JSON: ignore
      }
      res.writeHead(204).end();
    });
    await new Promise<void>((ok) => r.#server.listen(0, '127.0.0.1', ok));
    r.url = `http://127.0.0.1:${(r.#server.address() as AddressInfo).port}/hook`;
    return r;
  }

  for(jobId: string): string[] {
    return this.received.filter((w) => w.job_id === jobId).map((w) => w.status);
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise((ok) => this.#server.close(ok));
  }
}
