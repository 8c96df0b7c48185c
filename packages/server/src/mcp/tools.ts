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
import { FolioError, type AsyncJobResponse, type ExtractResponse, type Folio, type FullResult, type JobGetResponse, type ParseResponse, type SplitResponse, type WaitOptions } from '@folio/sdk';
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

const INSTRUCTIONS = 'Folio reads documents (PDF, scans, Office files, web pages, email). Call parse for their text as Markdown '
  + 'with each block\'s page and box; extract to answer a JSON Schema; split to find which pages hold which section; classify '
  + 'to sort a document. A finished parse can be reused as input "jobid://<job_id>" instead of reading the file again.';

/** An input this server will not read; reported to the caller as a tool error. */
class InputRefused extends Error {}

/** The `input` argument; a path only where the server reads this machine's files. */
const inputArgument = (localPaths: boolean) => z.string().min(1).describe(
  `The document: ${localPaths ? 'a local file path, ' : ''}an http(s) URL, an upload reference reducto://<id>, or jobid://<id> to reuse a finished parse`,
);

const PARSE_OPTIONS = z.record(z.string(), z.unknown()).optional().describe(
  'Reducto parse options: retrieval (chunking), formatting, settings (page_range, extraction_mode), enhance, spreadsheet',
);

/** The tools on a fresh MCP server. */
export function createFolioMcpServer(options: FolioToolsOptions): McpServer {
  const server = new McpServer({ name: 'folio', version: FOLIO_VERSION }, { instructions: INSTRUCTIONS });
  const { client } = options;
  const INPUT = inputArgument(options.localPaths);

  const inputOf = async (source: string): Promise<string> => {
    if (!options.localPaths && !isRemoteReference(source)) {
      throw new InputRefused(`"${source}" is not a URL, reducto:// or jobid:// reference; this server cannot read local files (upload it and pass reducto://<id>)`);
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
    const input = await inputOf(args.input);
    const parsed = await runJob<ParseResponse>(client, extra, () => client.parse.runJob({ ...args.options, input }));
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
    const input = await inputOf(args.input);
    const response = await runJob<ExtractResponse>(client, extra, () => client.extract.runJob({
      input,
      instructions: { schema: args.schema, ...(args.system_prompt ? { system_prompt: args.system_prompt } : {}) },
      ...(args.citations ? { settings: { citations: { enabled: true } } } : {}),
      ...(args.parsing ? { parsing: args.parsing } : {}),
    }));
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
    const input = await inputOf(args.input);
    const response = await runJob<SplitResponse>(client, extra, () => client.split.runJob({
      input,
      split_description: args.split_description,
      ...(args.split_rules ? { split_rules: args.split_rules } : {}),
    }));
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
  }, (args, extra) => answer(async () => {
    const response = await client.classify.run({ input: await inputOf(args.input), classification_schema: args.categories }, { signal: extra.signal });
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
  const reuse = `Folio parse job ${parsed.job_id}, ${parsed.usage.num_pages} page(s): pass "jobid://${parsed.job_id}" as input to extract, split or parse it again without re-reading the file.`;
  return {
    content: [{ type: 'text', text: chunks.map((chunk) => chunk.content).join('\n\n') }, { type: 'text', text: reuse }],
    structuredContent: { job_id: parsed.job_id, num_pages: parsed.usage.num_pages, blocks },
  };
}

/**
 * Submit a job and wait for its response (a URL result fetched). Progress goes to clients that
 * asked for it (a `progressToken`); a request the client cancels cancels the job too.
 */
async function runJob<R>(client: Folio, extra: Extra, submit: () => Promise<AsyncJobResponse>): Promise<R> {
  const { job_id } = await submit();
  const progressToken = extra._meta?.progressToken;
  // Sent before the result: a client stops listening for a request's progress once it is answered.
  const notifications: Promise<void>[] = [];
  const options: WaitOptions = {
    signal: extra.signal,
    maxPollInterval: 1000,
    onProgress: progressToken === undefined ? undefined : (percent, job) => {
      notifications.push(extra.sendNotification({
        method: 'notifications/progress',
        params: { progressToken, progress: percent, total: 100, message: `Job ${job_id}: ${job.status}${job.num_pages ? `, ${job.num_pages} pages` : ''}` },
      }).catch(() => undefined)); // a client gone away must not fail the wait
    },
  };
  try {
    const job = await client.job.wait(job_id, options);
    const result = await client.fetchUrlResult(job.result as R);
    await Promise.all(notifications);
    return result;
  } catch (err) {
    if (extra.signal.aborted) await client.job.cancel(job_id).catch(() => undefined);
    throw err;
  }
}

/** Failures the caller can act on (bad input, failed job) come back as tool errors, not protocol errors. */
async function answer(run: () => Promise<CallToolResult>): Promise<CallToolResult> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof FolioError || err instanceof InputRefused || (err as { code?: string }).code === 'ENOENT' || (err as { code?: string }).code === 'EISDIR') {
      return { isError: true, content: [{ type: 'text', text: (err as Error).message }] };
    }
    throw err;
  }
}
