import type { JobGetResponse, JobListItem } from '@folio/sdk';
import { EXIT, UsageError } from '../exit-codes.ts';
import { clientFrom, intOption, printJson, REMOTE_HELP, REMOTE_OPTIONS, type Command, type Io } from '../command.ts';
import { watchJob } from '../job-watch.ts';

function oneId(positionals: string[]): string {
  const [id, ...extra] = positionals;
  if (!id || extra.length) throw new UsageError('expected exactly one JOB_ID');
  return id;
}

function printJobs(io: Io, jobs: JobListItem[]): void {
  const rows = jobs.map((j) => [j.job_id, j.type, j.status, j.total_pages === null ? '-' : String(j.total_pages), j.created_at]);
  const header = ['JOB ID', 'TYPE', 'STATUS', 'PAGES', 'CREATED'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  for (const row of [header, ...rows]) io.stdout.write(`${row.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd()}\n`);
}

function describeJob(io: Io, id: string, job: JobGetResponse): void {
  const lines = [
    ['job', id],
    ['type', job.type ?? '-'],
    ['status', job.status],
    ['progress', job.progress === null || job.progress === undefined ? '-' : `${Math.round(job.progress)}%`],
    ['pages', job.total_pages ? `${job.num_pages ?? 0}/${job.total_pages}` : '-'],
    ['created', job.created_at ?? '-'],
    ['duration', job.duration === null || job.duration === undefined ? '-' : `${job.duration.toFixed(2)} s`],
  ];
  if (job.reason) lines.push(['reason', job.reason]);
  for (const [k, v] of lines) io.stdout.write(`${k.padEnd(9)} ${v}\n`);
}

export const jobsList: Command = {
  name: 'jobs list',
  summary: 'List jobs, newest first',
  usage: `Usage: folio jobs list [--limit N] [--cursor C] [--all]

Options:
      --limit N      jobs per page (1–500, default 20)
      --cursor C     continue from a previous page's next cursor
      --all          follow cursors through every page
${REMOTE_HELP}`,
  options: { ...REMOTE_OPTIONS, limit: { type: 'string' }, cursor: { type: 'string' }, all: { type: 'boolean' } },
  async run({ values, positionals, io }) {
    if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"`);
    const client = clientFrom(values);
    const limit = intOption(values, 'limit') ?? 20;
    const cursor = values.cursor as string | undefined;
    if (values.all) {
      const jobs: JobListItem[] = [];
      for await (const job of client.job.iterate({ limit, cursor })) jobs.push(job);
      if (values.json) printJson(io, { jobs, next_cursor: null });
      else printJobs(io, jobs);
      return EXIT.ok;
    }
    const page = await client.job.getAll({ limit, cursor });
    if (values.json) printJson(io, page);
    else {
      printJobs(io, page.jobs);
      if (page.next_cursor) io.stderr.write(`more: folio jobs list --cursor ${page.next_cursor}\n`);
    }
    return EXIT.ok;
  },
};

export const jobsGet: Command = {
  name: 'jobs get',
  summary: 'Show a job: status, progress, reason (--json for the result too)',
  usage: `Usage: folio jobs get JOB_ID\n${REMOTE_HELP}`,
  options: { ...REMOTE_OPTIONS },
  async run({ values, positionals, io }) {
    const id = oneId(positionals);
    const job = await clientFrom(values).job.get(id);
    if (values.json) printJson(io, job);
    else describeJob(io, id, job);
    return EXIT.ok;
  },
};

export const jobsCancel: Command = {
  name: 'jobs cancel',
  summary: 'Cancel a queued or running job',
  usage: `Usage: folio jobs cancel JOB_ID\n${REMOTE_HELP}`,
  options: { ...REMOTE_OPTIONS },
  async run({ values, positionals, io }) {
    const id = oneId(positionals);
    const client = clientFrom(values);
    const response = await client.job.cancel(id);
    if (values.json) printJson(io, response);
    else io.stdout.write(`${id} ${(response as { status?: string } | null)?.status ?? 'cancel requested'}\n`);
    return EXIT.ok;
  },
};

export const jobsWait: Command = {
  name: 'jobs wait',
  summary: 'Wait for a job to finish, with a progress bar',
  usage: `Usage: folio jobs wait JOB_ID [--timeout SECONDS] [--quiet]

Exits 0 when the job completes, 1 when it fails, 3 when it is cancelled, 4 on timeout.
${REMOTE_HELP}`,
  options: { ...REMOTE_OPTIONS, timeout: { type: 'string' }, quiet: { type: 'boolean', short: 'q' } },
  async run({ values, positionals, io }) {
    const id = oneId(positionals);
    const outcome = await watchJob(clientFrom(values), id, io, { timeoutS: intOption(values, 'timeout'), bar: !values.quiet });
    if (values.json) printJson(io, outcome.job ?? null);
    else if (outcome.job) describeJob(io, id, outcome.job);
    if (outcome.code !== EXIT.ok) io.stderr.write(`error: ${outcome.message}\n`);
    return outcome.code;
  },
};

export const jobsDelete: Command = {
  name: 'jobs delete',
  summary: 'Delete a job and its stored result',
  usage: `Usage: folio jobs delete JOB_ID [--include-persisted]\n${REMOTE_HELP}`,
  options: { ...REMOTE_OPTIONS, 'include-persisted': { type: 'boolean' } },
  async run({ values, positionals, io }) {
    const id = oneId(positionals);
    const response = await clientFrom(values).job.delete(id, { include_persisted: values['include-persisted'] ? true : undefined });
    if (values.json) printJson(io, response);
    else io.stdout.write(`deleted ${id}\n`);
    return EXIT.ok;
  },
};
