import type { ParseArgsConfig } from 'node:util';
import { Folio } from '@folio/sdk';
import { UsageError } from './exit-codes.ts';

type OptionSpec = NonNullable<ParseArgsConfig['options']>;
export type Values = Record<string, string | boolean | string[] | boolean[] | undefined>;

/** One `folio …` command: its options for node:util parseArgs, its help text and its action. */
export interface Command {
  name: string;
  summary: string;
  usage: string;
  options: OptionSpec;
  /** Returns the exit code. */
  run(args: { values: Values; positionals: string[]; io: Io }): Promise<number>;
}

/** Options every remote command takes. */
export const REMOTE_OPTIONS: OptionSpec = {
  server: { type: 'string', short: 's' },
  'api-key': { type: 'string' },
  json: { type: 'boolean' },
};

export const REMOTE_HELP = `
Server options:
  -s, --server URL     Folio server (default: $FOLIO_BASE_URL or http://127.0.0.1:8080)
      --api-key KEY    API key (default: $FOLIO_API_KEY)
      --json           Print machine-readable JSON on stdout`;

/** Where commands write: stdout for results, stderr for progress and errors. */
export interface Io {
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
}

export function clientFrom(values: Values): Folio {
  return new Folio({
    baseURL: (values.server as string | undefined) ?? undefined,
    apiKey: (values['api-key'] as string | undefined) ?? undefined,
  });
}

export function printJson(io: Io, value: unknown): void {
  io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** Read an integer option, rejecting junk like `--limit ten`. */
export function intOption(values: Values, name: string): number | undefined {
  const raw = values[name];
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`--${name} must be a non-negative integer, got "${String(raw)}"`);
  return n;
}
