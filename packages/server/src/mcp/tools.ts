/**
 * Folio as Model Context Protocol tools (parse, extract, split, classify, job_status), on the
 * official MCP SDK. Every tool drives a Folio API through @folio/sdk: a remote server, the
 * in-process one of `folio mcp`, or this server itself for `/mcp`. Long jobs report progress
 * to clients that ask for it (a `progressToken`), as the MCP spec describes.
 */
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult, ServerNotification, ServerRequest } from '@modelcontextprotocol/sdk/types.js';
import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import { z } from 'zod';
import { FolioError, type Folio, type FullResult, type JobGetResponse, type ParseResponse, type RunAndWaitOptions } from '@folio/sdk';
import { documentInput, isRemoteReference } from '@folio/sdk/node';
import { FOLIO_VERSION } from '../routes/meta.ts';

type Extra = RequestHandlerExtra<ServerRequest, ServerNotification>;

export interface FolioToolsOptions {
  /** The Folio API the tools call. */
  client: Folio;
  /**
   * Whether `input` may name a file on this machine. Only for a server run by the user
   * on their machine (stdio); over HTTP a path would read the server's disk.
   */
  localPaths: boolean;
}

const INPUT = z.string().min(1).describe(
  'The document: a local file path, an http(s) URL, an upload reference reducto://<id>, or jobid://<id> to reuse a finished parse',
);

const PARSE_OPTIONS = z.record(z.string(), z.unknown()).optional().describe(
  'Reducto parse options: retrieval (chunking), formatting, settings (page_range, extraction_mode), enhance, spreadsheet',
);

/** The tools on a fresh MCP server. */
export function createFolioMcpServer(options: FolioToolsOptions): McpServer {
  const server = new McpServer({ name: 'folio', version: FOLIO_VERSION });
  const { client } = options;

  const inputOf = async (source: string): Promise<string> => {
    if (!options.localPaths && !isRemoteReference(source)) {
      throw new FolioError(`"${source}" is not a URL, reducto:// or jobid:// reference; this server cannot read local files (upload it and pass reducto://<id>)`);
    }
    return documentInput(client, source);
  };

  server.registerTool('parse', {
    title: 'Parse a document',
    description: 'Read a document (PDF, scan, image, Office file, web page, email) into layout-aware Markdown. '
      + 'The structured result lists every block with its type, page and bounding box (0-1, page-relative).',
    inputSchema: { input: INPUT, options: PARSE_OPTIONS },
    annotations: { readOnlyHint: true, openWorldHint: true },
  }, (args, extra) => answer(async () => {
    const parsed = await client.parse.runAndWait({ ...args.options, input: await inputOf(args.input) }, waitOptions(extra));
    return parseResult(parsed);
  }));

  server.registerTool('extract', {
    title: 'Extract structured data',
    description: 'Extract JSON matching a JSON Schema from a document (with the configured language model, else the deterministic extractor).',
    inputSchema: {
      input: INPUT,
      schema: z.record(z.string(), z.unknown()).describe('JSON Schema of the answer'),
      system_prompt: z.string().optional().describe('Instructions for the extractor'),
      citations: z.boolean().optional().describe('Cite the page and box each value came from'),
      parsing: PARSE_OPTIONS,
    },
    annotations: { readOnlyHint: true, openWorldHint: true },
  }, (args, extra) => answer(async () => {
    const response = await client.extract.runAndWait({
      input: await inputOf(args.input),
      instructions: { schema: args.schema, ...(args.system_prompt ? { system_prompt: args.system_prompt } : {}) },
      ...(args.citations ? { settings: { citations: { enabled: true } } } : {}),
      ...(args.parsing ? { parsing: args.parsing } : {}),
    }, waitOptions(extra));
    const structured = { job_id: response.job_id ?? null, result: response.result, citations: response.citations ?? null, usage: response.usage };
    return { content: [{ type: 'text', text: JSON.stringify(response.result, null, 2) }], structuredContent: structured };
  }));

  server.registerTool('split', {
    title: 'Split a document into sections',
    description: 'Find which pages of a document belong to each described section (e.g. "invoice", "contract").',
    inputSchema: {
      input: INPUT,
      split_description: z.array(z.object({
        name: z.string().min(1),
        description: z.string(),
        partition_key: z.string().optional().describe('Split this section further by this key (e.g. "account number")'),
      })).min(1).describe('The sections to find'),
      split_rules: z.string().optional().describe('Extra rules for the split'),
    },
    annotations: { readOnlyHint: true, openWorldHint: true },
  }, (args, extra) => answer(async () => {
    const response = await client.split.runAndWait({
      input: await inputOf(args.input),
      split_description: args.split_description,
      ...(args.split_rules ? { split_rules: args.split_rules } : {}),
    }, waitOptions(extra));
    const result = response.result as Extract<typeof response.result, { splits: unknown }>;
    const lines = result.splits.map((s) => `- ${s.name}: pages ${s.pages.length ? s.pages.join(', ') : 'none'}`);
    return { content: [{ type: 'text', text: lines.join('\n') }], structuredContent: { job_id: response.job_id ?? null, ...result } };
  }));

  server.registerTool('classify', {
    title: 'Classify a document',
    description: 'Put a document into one of the given categories, judged on its first pages.',
    inputSchema: {
      input: INPUT,
      categories: z.array(z.object({
        category: z.string().min(1),
        criteria: z.array(z.string()).describe('What a document of this category looks like'),
      })).min(1),
    },
    annotations: { readOnlyHint: true, openWorldHint: true },
  }, (args) => answer(async () => {
    const response = await client.classify.run({ input: await inputOf(args.input), classification_schema: args.categories });
    const result = response.result as { category: string };
    return { content: [{ type: 'text', text: result.category }], structuredContent: { job_id: response.job_id, category: result.category } };
  }));

  server.registerTool('job_status', {
    title: 'Status of a Folio job',
    description: 'Status, progress and failure reason of a job; a finished parse can be reused as input jobid://<id>.',
    inputSchema: { job_id: z.string().min(1).describe('The job id (or jobid://<id>)') },
    annotations: { readOnlyHint: true },
  }, (args) => answer(async () => {
    const id = args.job_id.replace(/^jobid:\/\//i, '');
    const job: JobGetResponse = await client.job.get(id);
    const status = { job_id: id, status: job.status, type: job.type ?? null, progress: job.progress ?? null, reason: job.reason ?? null, num_pages: job.num_pages ?? null };
    const text = `Job ${id}: ${job.status}${job.progress != null && job.status !== 'Completed' ? ` (${Math.round(job.progress)}%)` : ''}${job.reason ? ` — ${job.reason}` : ''}`;
    return { content: [{ type: 'text', text }], structuredContent: status };
  }));

  return server;
}

/** A parse as Markdown (the chunks in order) and as blocks with their page and box. */
function parseResult(parsed: ParseResponse): CallToolResult {
  // runAndWait has fetched a `{type: "url"}` result, so the result is the full one.
  const { chunks } = parsed.result as FullResult;
  const blocks = chunks.flatMap((chunk, index) => chunk.blocks.map((block) => ({
    chunk: index,
    type: block.type,
    content: block.content,
    page: block.bbox.page,
    bbox: { left: block.bbox.left, top: block.bbox.top, width: block.bbox.width, height: block.bbox.height },
  })));
  return {
    content: [{ type: 'text', text: chunks.map((chunk) => chunk.content).join('\n\n') }],
    structuredContent: { job_id: parsed.job_id, num_pages: parsed.usage.num_pages, blocks },
  };
}

/** Waiting for a job: cancelled with the MCP request, progress sent when the client asked. */
function waitOptions(extra: Extra): RunAndWaitOptions {
  const progressToken = extra._meta?.progressToken;
  return {
    signal: extra.signal,
    maxPollInterval: 1000,
    onProgress: progressToken === undefined ? undefined : (percent, job) => {
      void extra.sendNotification({
        method: 'notifications/progress',
        params: { progressToken, progress: percent, total: 100, message: `${job.status}${job.num_pages ? `, ${job.num_pages} pages` : ''}` },
      }).catch(() => undefined); // a client gone away must not fail the job's wait
    },
  };
}

/** Failures the caller can act on (bad input, failed job) come back as tool errors, not protocol errors. */
async function answer(run: () => Promise<CallToolResult>): Promise<CallToolResult> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof FolioError || (err as { code?: string }).code === 'ENOENT' || (err as { code?: string }).code === 'EISDIR') {
      return { isError: true, content: [{ type: 'text', text: (err as Error).message }] };
    }
    throw err;
  }
}
