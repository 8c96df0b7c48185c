import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { bundleStudio } from './bundle.ts';

const here = (name: string) => fileURLToPath(new URL(name, import.meta.url));

/**
 * The Studio: a browser page at `/` that drives the API through @folio/sdk. Its script is
 * bundled with esbuild on first request (and cached), so there is no build step to forget.
 * Routes are public: the page itself holds no data; the API key is typed into the page and
 * sent by the SDK like any client's.
 */
export function registerStudio(app: FastifyInstance): void {
  // Mounted by the server's app and by `folio serve`; whichever runs second does nothing.
  if (app.hasRoute({ method: 'GET', url: '/studio/app.js' })) return;
  const publicRoute = { config: { public: true }, schema: { hide: true } } as const;
  let html: Promise<string> | null = null;
  let css: Promise<string> | null = null;

  app.get('/', publicRoute, async (_request, reply) => {
    html ??= readFile(here('./app/page.html'), 'utf8');
    reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache');
    return html;
  });
  app.get('/studio/style.css', publicRoute, async (_request, reply) => {
    css ??= readFile(here('./app/style.css'), 'utf8');
    reply.type('text/css; charset=utf-8');
    return css;
  });
  app.get('/studio/app.js', publicRoute, async (_request, reply) => {
    reply.type('text/javascript; charset=utf-8').header('cache-control', 'no-cache');
    return bundleStudio();
  });
  // pdf.js renders pages in a worker of its own; serve the file the package ships.
  app.get('/studio/pdf.worker.mjs', publicRoute, async (_request, reply) => {
    reply.type('text/javascript; charset=utf-8').header('cache-control', 'public, max-age=86400');
    return readFile(fileURLToPath(import.meta.resolve('pdfjs-dist/build/pdf.worker.min.mjs')));
  });
}
