#!/usr/bin/env node
// The CLI is TypeScript run by tsx. `serve` and `worker` start worker threads, which inherit
// `--import` from execArgv, so those run in a node started with it; every other command
// registers tsx in this process and starts faster.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const main = new URL('../src/main.ts', import.meta.url);

if (args[0] === 'serve' || args[0] === 'worker') {
  const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), fileURLToPath(main), ...args], { stdio: 'inherit' });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => {
    process.exitCode = code ?? (signal === 'SIGINT' ? 130 : 143);
  });
} else {
  const { register } = await import('tsx/esm/api');
  register();
  const cli = await import(main.href);
  process.exitCode = await cli.main(args);
}
