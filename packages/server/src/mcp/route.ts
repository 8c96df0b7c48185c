import type { FastifyInstance } from 'fastify';
import { Folio } from '@folio/sdk';
import type { RouteContext } from '../routes/context.ts';
import { injectFetch } from './inject-fetch.ts';

/**
 * `/mcp`: the MCP tools over Streamable HTTP, stateless (a fresh MCP server per request, as
 * the MCP SDK's stateless example does). Behind the same API keys as the rest of the API:
 * the tools call this server's routes in-process with the caller's own Authorization, so
 * they see that caller's uploads and jobs and no one else's.
 */
export function registerMcpRoutes(app: FastifyInstance, _ctx: RouteContext): void {
  const fetch = injectFetch(app);
  app.post('/mcp', { schema: { hide: true } as object }, async (request, reply) => {
    const authorization = request.headers.authorization;
    const client = new Folio({
      baseURL: 'http://folio.internal',
      apiKey: null,
      fetch,
      maxRetries: 0,
      defaultHeaders: authorization ? { authorization } : {},
    });
    // Loaded on first use: a server nobody reaches over MCP never loads the MCP SDK.
    const [{ StreamableHTTPServerTransport }, { createFolioMcpServer }] = await Promise.all([
      import('@modelcontextprotocol/sdk/server/streamableHttp.js'),
      import('./tools.ts'),
    ]);
    const server = createFolioMcpServer({ client, localPaths: false });
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
    reply.raw.on('close', () => {
      void transport.close();
      void server.close();
    });
    await server.connect(transport);
    reply.hijack();
    await transport.handleRequest(request.raw, reply.raw, request.body);
  });
  // Stateless: no session to open a standalone event stream on, or to end.
  const notAllowed = { jsonrpc: '2.0', error: { code: -32000, message: 'Method not allowed: POST JSON-RPC requests to /mcp' }, id: null };
  app.get('/mcp', { schema: { hide: true } as object }, async (_request, reply) => reply.code(405).header('allow', 'POST').send(notAllowed));
  app.delete('/mcp', { schema: { hide: true } as object }, async (_request, reply) => reply.code(405).header('allow', 'POST').send(notAllowed));
}
