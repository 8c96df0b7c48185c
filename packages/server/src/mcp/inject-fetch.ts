import type { FastifyInstance } from 'fastify';

/**
 * A `fetch` answered by the Fastify app in this process (`app.inject`), for @folio/sdk
 * clients that talk to their own server without a socket: the MCP tools of `/mcp` and of
 * `folio mcp`'s built-in server. Only the path and query of a URL matter.
 */
export function injectFetch(app: FastifyInstance): typeof fetch {
  return async (input, init) => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    const payload = request.body ? Buffer.from(await request.arrayBuffer()) : undefined;
    const reply = await app.inject({
      method: request.method as 'GET',
      url: `${url.pathname}${url.search}`,
      headers: Object.fromEntries(request.headers),
      payload,
    });
    const headers = new Headers();
    for (const [name, value] of Object.entries(reply.headers)) {
      if (value === undefined) continue;
      for (const v of Array.isArray(value) ? value : [value]) headers.append(name, String(v));
    }
    const empty = reply.statusCode === 204 || reply.statusCode === 304 || request.method === 'HEAD';
    return new Response(empty ? null : new Uint8Array(reply.rawPayload), { status: reply.statusCode, headers });
  };
}
