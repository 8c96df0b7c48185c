import { fileFromPath } from '@folio/sdk/node';
import { EXIT, UsageError } from '../exit-codes.ts';
import { clientFrom, printJson, REMOTE_HELP, REMOTE_OPTIONS, type Command } from '../command.ts';

export const uploadCommand: Command = {
  name: 'upload',
  summary: 'Upload a file to the server; prints its reducto:// id',
  usage: `Usage: folio upload FILE [options]

Uploads FILE and prints the file id to use as a job's input.
${REMOTE_HELP}`,
  options: { ...REMOTE_OPTIONS },
  async run({ values, positionals, io }) {
    const [file, ...extra] = positionals;
    if (!file || extra.length) throw new UsageError('expected exactly one FILE');
    const upload = await clientFrom(values).upload({ file: await fileFromPath(file) });
    if (values.json) printJson(io, upload);
    else io.stdout.write(`${upload.file_id}\n`);
    return EXIT.ok;
  },
};
