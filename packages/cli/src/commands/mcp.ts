import { resolve } from 'node:path';
import { Writable } from 'node:stream';
import { Folio } from '@folio/sdk';
import { EXIT, UsageError } from '../exit-codes.ts';
import { intOption, type Command } from '../command.ts';

/**
 * `folio mcp`: the Folio tools for AI agents, as an MCP server over stdio. With no server
 * named, Folio runs in this process (API and worker threads, no socket); with --server or
 * FOLIO_BASE_URL the tools call that server.
 */
export const mcpCommand: Command = {
  name: 'mcp',
  summary: 'Serve Folio\'s tools (parse, extract, split, classify, job_status) to AI agents over MCP (stdio)',
  usage: `Usage: folio mcp [--server URL [--api-key KEY]] [--workers N] [--data-dir DIR]

Speaks the Model Context Protocol on stdin/stdout, for agents and MCP clients
(Claude Desktop, IDEs). Tools: parse, extract, split, classify, job_status; their
"input" is a local path, a URL, reducto://<upload> or jobid://<parse job>.

Without a server, documents are read in this process by Folio's own engine.

Options:
  -s, --server URL     use this Folio server (default: $FOLIO_BASE_URL; unset = in-process)
      --api-key KEY    its API key (default: $FOLIO_API_KEY)
      --workers N      in-process: worker threads (default 1)
      --data-dir DIR   in-process: keep jobs and uploads here (default: a temporary
                       directory removed on exit)`,
  options: {
    server: { type: 'string', short: 's' },
    'api-key': { type: 'string' },
    workers: { type: 'string' },
    'data-dir': { type: 'string' },
  },
  async run({ values, positionals }) {
    if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"`);
    // The protocol owns stdout: anything else printed (logs, a library's console.log, a
    // worker thread's output) goes to stderr instead of corrupting the JSON-RPC stream.
    const protocolOut = stdoutForProtocol();

    const serverUrl = (values.server as string | undefined) ?? (process.env.FOLIO_BASE_URL?.trim() || undefined);
    let client: Folio;
    let close = async (): Promise<void> => undefined;
    if (serverUrl) {
      client = new Folio({ baseURL: serverUrl, apiKey: (values['api-key'] as string | undefined) ?? undefined });
    } else {
      const { startEmbeddedFolio } = await import('@folio/server/mcp');
      const embedded = await startEmbeddedFolio({
        ...(values.workers !== undefined ? { workers: Math.max(1, intOption(values, 'workers')!) } : {}),
        ...(values['data-dir'] ? { dataDir: resolve(values['data-dir'] as string) } : {}),
      });
      client = embedded.client;
      close = () => embedded.close();
    }

    const [{ createFolioMcpServer }, { StdioServerTransport }] = await Promise.all([
      import('@folio/server/mcp'),
      import('@modelcontextprotocol/sdk/server/stdio.js'),
    ]);
    const server = createFolioMcpServer({ client, localPaths: true });
    await server.connect(new StdioServerTransport(process.stdin, protocolOut));
    await untilInputEnds();
    await server.close();
    await close();
    return EXIT.ok;
  },
};

/** A stream onto the real stdout, after which `process.stdout` writes to stderr. */
function stdoutForProtocol(): Writable {
  const stdout = process.stdout;
  const write = stdout.write.bind(stdout);
  const out = new Writable({ write: (chunk, encoding, done) => void write(chunk, encoding, done) });
  stdout.write = process.stderr.write.bind(process.stderr) as typeof stdout.write;
  return out;
}

/** The client closes stdin to stop the server (the MCP stdio transport's shutdown); signals too. */
function untilInputEnds(): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      process.stdin.off('end', done).off('close', done);
      process.off('SIGINT', done).off('SIGTERM', done);
      resolve();
    };
    process.stdin.once('end', done).once('close', done);
    process.once('SIGINT', done).once('SIGTERM', done);
  });
}
