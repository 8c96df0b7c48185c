/**
 * `folio` — the command line. Local commands use the engine; remote ones use @folio/sdk.
 * Arguments are read with node:util parseArgs, one option table per command.
 */
import { parseArgs } from 'node:util';
import { APIConnectionError, APIConnectionTimeoutError, APIError, FolioError } from '@folio/sdk';
import { EXIT, UsageError } from './exit-codes.ts';
import { clientFrom, type Command, type Io, type Values } from './command.ts';
import { parseCommand } from './commands/parse.ts';
import { uploadCommand } from './commands/upload.ts';
import { jobsCancel, jobsDelete, jobsGet, jobsList, jobsWait } from './commands/jobs.ts';
import { runParse } from './commands/run.ts';
import { extractCommand, runExtract } from './commands/extract.ts';
import { serveCommand, workerCommand } from './commands/serve.ts';
import { mcpCommand } from './commands/mcp.ts';

const COMMANDS: Command[] = [serveCommand, workerCommand, parseCommand, extractCommand, uploadCommand, runParse, runExtract, jobsList, jobsGet, jobsCancel, jobsWait, jobsDelete, mcpCommand];

function overview(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return `Usage: folio COMMAND [options]

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n')}

Run "folio COMMAND --help" for a command's options.
`;
}

/** Longest match first, so "jobs list" wins over a group name "jobs". */
function findCommand(argv: string[]): { command: Command; rest: string[] } | { group: string } | null {
  const two = argv.slice(0, 2).join(' ');
  const byTwo = COMMANDS.find((c) => c.name === two);
  if (byTwo) return { command: byTwo, rest: argv.slice(2) };
  const byOne = COMMANDS.find((c) => c.name === argv[0]);
  if (byOne) return { command: byOne, rest: argv.slice(1) };
  if (COMMANDS.some((c) => c.name.startsWith(`${argv[0]} `))) return { group: argv[0] };
  return null;
}

function groupHelp(group: string): string {
  const members = COMMANDS.filter((c) => c.name.startsWith(`${group} `));
  const width = Math.max(...members.map((c) => c.name.length));
  return `Usage: folio ${group} SUBCOMMAND [options]\n\n${members.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n')}\n`;
}

export async function main(argv: string[], io: Io = { stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    (argv.length === 0 ? io.stderr : io.stdout).write(overview());
    return argv.length === 0 ? EXIT.usage : EXIT.ok;
  }
  const found = findCommand(argv);
  if (!found) {
    io.stderr.write(`folio: unknown command "${argv[0]}"\n\n${overview()}`);
    return EXIT.usage;
  }
  if ('group' in found) {
    const asksHelp = argv.includes('--help') || argv.includes('-h');
    (asksHelp ? io.stdout : io.stderr).write(groupHelp(found.group));
    return asksHelp ? EXIT.ok : EXIT.usage;
  }
  const { command, rest } = found;
  let values: Values = {};
  try {
    const parsed = parseArgs({
      args: rest,
      options: { ...command.options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
    values = parsed.values;
    const { positionals } = parsed;
    if (values.help) {
      io.stdout.write(`${command.usage}\n`);
      return EXIT.ok;
    }
    return await command.run({ values, positionals, io });
  } catch (err) {
    return report(err, command, io, values);
  }
}

function report(err: unknown, command: Command, io: Io, values: Values): number {
  const code = (err as { code?: string }).code;
  if (err instanceof UsageError || (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS'))) {
    io.stderr.write(`folio ${command.name}: ${(err as Error).message}\n\n${command.usage}\n`);
    return EXIT.usage;
  }
  if (err instanceof APIConnectionError) {
    // The SDK's message ("Connection error.") names neither the server nor the cause.
    const server = clientFrom(values).baseURL;
    const why = err instanceof APIConnectionTimeoutError ? 'timed out' : causeOf(err);
    io.stderr.write(`folio ${command.name}: Connection error: no answer from the Folio server at ${server}${why ? ` (${why})` : ''}. Is it running? Point --server or FOLIO_BASE_URL at it.\n`);
    return EXIT.failed;
  }
  if (err instanceof APIError || err instanceof FolioError) {
    io.stderr.write(`folio ${command.name}: ${err.message}\n`);
    return EXIT.failed;
  }
  if (code === 'ENOENT' || code === 'EISDIR' || code === 'EACCES') {
    io.stderr.write(`folio ${command.name}: ${(err as Error).message}\n`);
    return EXIT.failed;
  }
  // Engine errors carry a Reducto error name and a user-facing message.
  if (err instanceof Error && err.name === 'EngineError') {
    io.stderr.write(`folio ${command.name}: ${code}: ${err.message}\n`);
    return EXIT.failed;
  }
  io.stderr.write(`folio ${command.name}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  return EXIT.failed;
}

/** The innermost cause's code or message: fetch wraps ECONNREFUSED in "fetch failed". */
function causeOf(err: Error): string {
  let cause: unknown = err.cause;
  while (cause instanceof Error && cause.cause instanceof Error) cause = cause.cause;
  if (!(cause instanceof Error)) return '';
  return (cause as { code?: string }).code ?? cause.message;
}

// Run when executed (npm start, the bin, node --import tsx main.ts), not when imported by tests.
if (process.argv[1]?.endsWith('main.ts')) {
  main(process.argv.slice(2)).then(
    (exitCode) => {
      process.exitCode = exitCode;
    },
    (err) => {
      console.error(err);
      process.exitCode = EXIT.failed;
    },
  );
}
