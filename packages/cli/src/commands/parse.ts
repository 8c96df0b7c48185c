import { readFile, writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { ParseOptions as EngineParseOptions } from '@folio/engine';
import { EXIT, UsageError } from '../exit-codes.ts';
import { ProgressBar } from '../progress-bar.ts';
import { PARSE_FLAGS, PARSE_FLAGS_HELP, parseOptionsFrom } from '../parse-options.ts';
import type { Command } from '../command.ts';
import { markdownOf } from '../markdown.ts';

/** `folio parse FILE`: the engine in-process, no server needed. */
export const parseCommand: Command = {
  name: 'parse',
  summary: 'Parse a local file with the built-in engine (no server)',
  usage: `Usage: folio parse FILE [options]

Parses FILE in this process and prints Markdown (or the full result with --format json).

Options:
      --format F         md (default) or json (Reducto's parse result: chunks, blocks, boxes)
  -o, --output FILE      write to FILE instead of stdout
${PARSE_FLAGS_HELP}`,
  options: {
    format: { type: 'string', default: 'md' },
    output: { type: 'string', short: 'o' },
    ...PARSE_FLAGS,
  },
  async run({ values, positionals, io }) {
    const [file, ...extra] = positionals;
    if (!file || extra.length) throw new UsageError('expected exactly one FILE');
    const format = values.format as string;
    if (format !== 'md' && format !== 'json') throw new UsageError(`--format must be md or json; got "${format}"`);
    const options = parseOptionsFrom(values) as EngineParseOptions;
    const data = await readFile(file);
    // The file's own memory, no copy; handed over to the engine below (nothing reads it after).
    const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    // The engine loads only for this command, keeping every other command quick to start.
    const { parse, shutdownOcr, PageCollector } = await import('@folio/engine');

    const bar = io.stderr.isTTY ? new ProgressBar(io.stderr) : null;
    // Full collections as the server's worker threads make them (see PageCollector).
    const collector = new PageCollector();
    const out = await parse(bytes, options, {
      filename: basename(file),
      handOver: true,
      onProgress: (done, total) => {
        bar?.update((done / Math.max(total, 1)) * 100, `page ${done}/${total}`);
        collector.page();
      },
    }).finally(() => shutdownOcr()); // OCR workers would otherwise keep the process alive until idle
    bar?.done();
    collector.finish();

    const text = format === 'json'
      ? `${JSON.stringify({ result: out.result, usage: out.usage, document_properties: out.document_properties }, null, 2)}\n`
      : `${markdownOf(out.result)}\n`;
    if (values.output) await writeFile(values.output as string, text);
    else io.stdout.write(text);
    return EXIT.ok;
  },
};
