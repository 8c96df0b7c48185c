import { readFile, writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { fileFromPath } from '@folio/sdk/node';
import { EXIT, UsageError } from '../exit-codes.ts';
import { clientFrom, printJson, REMOTE_HELP, REMOTE_OPTIONS, type Command, type Values } from '../command.ts';
import { watchJob } from '../job-watch.ts';

const REMOTE_INPUT = /^(https?|reducto|jobid):\/\//i;

const EXTRACT_HELP = `
Extract options:
      --schema FILE|JSON   JSON Schema of the answer (a file path or inline JSON; required)
      --prompt TEXT        system prompt for a configured language model
      --citations          cite the page and box each value came from
  -o, --output FILE        write the JSON to FILE instead of stdout`;

const EXTRACT_FLAGS = {
  schema: { type: 'string' },
  prompt: { type: 'string' },
  citations: { type: 'boolean' },
  output: { type: 'string', short: 'o' },
} as const;

/** `--schema` is a path to a JSON file or the JSON itself. */
async function schemaFrom(values: Values): Promise<unknown> {
  const raw = values.schema as string | undefined;
  if (!raw) throw new UsageError('--schema is required (a JSON Schema file or inline JSON)');
  const text = raw.trimStart().startsWith('{') ? raw : await readFile(raw, 'utf8');
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new UsageError(`--schema is not valid JSON: ${(err as Error).message}`);
  }
}

async function write(values: Values, value: unknown, stdout: NodeJS.WriteStream): Promise<void> {
  const text = `${JSON.stringify(value, null, 2)}\n`;
  if (values.output) await writeFile(values.output as string, text);
  else stdout.write(text);
}

/** `folio extract FILE --schema S`: the engine in-process (deterministic, or the model in FOLIO_LLM_*). */
export const extractCommand: Command = {
  name: 'extract',
  summary: 'Extract JSON from a local file against a schema (no server)',
  usage: `Usage: folio extract FILE --schema SCHEMA [options]

Reads FILE in this process and prints Reducto's extract response (result and usage).
Without FOLIO_LLM_BASE_URL the deterministic extractor answers; with it, that
OpenAI-compatible model does, falling back to the deterministic one.
${EXTRACT_HELP}`,
  options: { ...EXTRACT_FLAGS },
  async run({ values, positionals, io }) {
    const [file, ...extra] = positionals;
    if (!file || extra.length) throw new UsageError('expected exactly one FILE');
    const schema = await schemaFrom(values);
    const bytes = new Uint8Array(await readFile(file));
    const { readDocument, extract, llmConfigFromEnv, shutdownOcr } = await import('@folio/engine');
    const doc = await readDocument(bytes, {}, { filename: basename(file) }).finally(() => shutdownOcr());
    const body = await extract(
      doc,
      { schema, system_prompt: values.prompt as string | undefined },
      { citations: values.citations ? { enabled: true } : undefined },
      { llm: llmConfigFromEnv() },
    );
    await write(values, body, io.stdout);
    return EXIT.ok;
  },
};

/** `folio run extract FILE|URL --schema S [--wait]`: an extract job on the server. */
export const runExtract: Command = {
  name: 'run extract',
  summary: 'Extract JSON from a file or URL on the server as a job (--wait for the result)',
  usage: `Usage: folio run extract FILE|URL --schema SCHEMA [--wait] [options]

Uploads FILE (or passes a URL, reducto:// or jobid:// input through), starts an async
extract and prints the job id; with --wait, follows its progress and prints the result.

Options:
      --wait               wait for the job and print its result
      --timeout S          with --wait: give up after S seconds (exit 4)
  -q, --quiet              no progress bar
${EXTRACT_HELP}
${REMOTE_HELP}`,
  options: {
    ...REMOTE_OPTIONS,
    ...EXTRACT_FLAGS,
    wait: { type: 'boolean', short: 'w' },
    timeout: { type: 'string' },
    quiet: { type: 'boolean', short: 'q' },
  },
  async run({ values, positionals, io }) {
    const [source, ...extra] = positionals;
    if (!source || extra.length) throw new UsageError('expected exactly one FILE or URL');
    const schema = await schemaFrom(values);
    const client = clientFrom(values);
    const input = REMOTE_INPUT.test(source) ? source : (await client.upload({ file: await fileFromPath(source) })).file_id;
    const { job_id } = await client.extract.runJob({
      input,
      instructions: { schema, ...(values.prompt ? { system_prompt: values.prompt as string } : {}) },
      ...(values.citations ? { settings: { citations: { enabled: true } } } : {}),
    });
    if (!values.wait) {
      if (values.json) printJson(io, { job_id });
      else io.stdout.write(`${job_id}\n`);
      return EXIT.ok;
    }
    const timeout = values.timeout === undefined ? undefined : Number(values.timeout);
    if (timeout !== undefined && !(timeout > 0)) throw new UsageError('--timeout must be a positive number of seconds');
    const outcome = await watchJob(client, job_id, io, { timeoutS: timeout, bar: !values.quiet });
    if (outcome.code !== EXIT.ok) {
      io.stderr.write(`error: ${outcome.message}\n`);
      return outcome.code;
    }
    await write(values, await client.fetchUrlResult(outcome.job.result), io.stdout);
    return EXIT.ok;
  },
};
