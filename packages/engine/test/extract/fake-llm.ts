import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * An OpenAI-compatible chat endpoint on 127.0.0.1 that answers with recorded responses
 * (test/extract/recorded/<model>.json, chosen by the request's model). Recorded block ids
 * are written as "{{text}}" and resolved to the id of the prompt block containing that
 * text — the part a real model does by reading the prompt.
 */
export interface FakeLlm {
  baseURL: string;
  /** Answer every request with this recording (name without "recorded-") instead of the model's. */
  answerWith(name: string | null): void;
  requests: Array<{ model: string; messages: Array<{ role: string; content: string }>; response_format?: { type: string; json_schema?: { schema: unknown } } }>;
  close(): Promise<void>;
}

function recording(model: string): Record<string, unknown> {
  const name = model.replace(/^recorded-/, '');
  return JSON.parse(readFileSync(new URL(`./recorded/${name}.json`, import.meta.url), 'utf8')) as Record<string, unknown>;
}

function resolveIds(content: string, prompt: string): string {
  return content.replace(/\\?"\{\{([^}]+)\}\}\\?"/g, (_m, text: string) => {
    const blocks = prompt.split(/\n(?=\[\d+\] \()/);
    const hit = blocks.find((b) => b.includes(text));
    return hit ? /^\[(\d+)\]/.exec(hit)![1] : '-1';
  });
}

export async function startFakeLlm(): Promise<FakeLlm> {
  const requests: FakeLlm['requests'] = [];
  let override: string | null = null;
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      const parsed = JSON.parse(body) as FakeLlm['requests'][number];
      requests.push(parsed);
      const rec = recording(override ?? parsed.model);
      if (typeof rec.status === 'number') {
        res.writeHead(rec.status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(rec.body));
        return;
      }
      const prompt = parsed.messages.map((m) => m.content).join('\n');
      const choices = (rec.choices as Array<{ message: { content: string } }>).map((c) => ({ ...c, message: { ...c.message, content: resolveIds(c.message.content, prompt) } }));
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ...rec, choices }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    answerWith: (name) => { override = name; },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
