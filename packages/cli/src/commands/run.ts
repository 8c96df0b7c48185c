import { writeFile } from 'node:fs/promises';
import { fileFromPath } from '@folio/sdk/node';
import type { FullResult, ParseResponse } from '@folio/sdk';
import { EXIT, UsageError } from '../exit-codes.ts';
import { clientFrom, intOption, printJson, REMOTE_HELP, REMOTE_OPTIONS, type Command } from '../command.ts';
import { PARSE_FLAGS, PARSE_FLAGS_HELP, parseOptionsFrom } from '../parse-options.ts';
import { watchJob } from '../job-watch.ts';
import { markdownOf } from '../markdown.ts';

/** Inputs the server resolves itself; anything else is a local file to upload first. */
const REMOTE_INPUT = /^(https?|reducto|jobid):\/\//i;

export const runParse: Command = {
  name: 'run parse',
  summary: 'Parse a file or URL on the server as a job (--wait for the result)',
  usage: `Usage: folio run parse FILE|URL [--wait] [options]

Uploads FILE (or passes a URL, reducto:// or jobid:// input through), starts an async parse
and prints the job id. With --wait it shows a progress bar driven by the job's progress and
prints the Markdown (or, with --json, the parse response) when the job completes.

Options:
      --wait             wait for the job and print its result
      --timeout S        with --wait: give up after S seconds (exit 4; the job keeps running)
  -o, --output FILE      with --wait: write the result to FILE instead of stdout
  -q, --quiet            no progress bar
${PARSE_FLAGS_HELP}
${REMOTE_HELP}

Exit codes: 0 completed, 1 failed, 2 bad usage, 3 cancelled, 4 timed out.`,
  options: {
    ...REMOTE_OPTIONS,
    ...PARSE_FLAGS,
    wait: { type: 'boolean', short: 'w' },
    timeout: { type: 'string' },
    output: { type: 'string', short: 'o' },
    quiet: { type: 'boolean', short: 'q' },
  },
  async run({ values, positionals, io }) {
    const [source, ...extra] = positionals;
    if (!source || extra.length) throw new UsageError('expected exactly one FILE or URL');
    const client = clientFrom(values);
    const options = parseOptionsFrom(values);
    const timeoutS = intOption(values, 'timeout');

    const input = REMOTE_INPUT.test(source) ? source : (await client.upload({ file: await fileFromPath(source) })).file_id;
    const { job_id } = await client.parse.runJob({ input, ...options });
    if (!values.wait) {
      if (values.json) printJson(io, { job_id });
      else io.stdout.write(`${job_id}\n`);
      return EXIT.ok;
    }
    if (!values.quiet) io.stderr.write(`job ${job_id}\n`);

    const outcome = await watchJob(client, job_id, io, { timeoutS, bar: !values.quiet });
    if (outcome.code !== EXIT.ok) {
      io.stderr.write(`error: ${outcome.message}\n`);
      if (values.json) printJson(io, outcome.job ?? { job_id });
      return outcome.code;
    }
    const response = await client.fetchUrlResult(outcome.job.result as ParseResponse);
    const text = values.json
      ? `${JSON.stringify(response, null, 2)}\n`
      : `${markdownOf(response.result as FullResult)}\n`;
    if (values.output) await writeFile(values.output as string, text);
    else io.stdout.write(text);
    return EXIT.ok;
  },
};
