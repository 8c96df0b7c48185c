#!/usr/bin/env node
// The `folio` command runs the compiled CLI (dist/, built by `npm run build`, which `npm ci`
// runs through the root `prepare` script). In a checkout, `npm run folio --` runs the source.
import { main } from '../dist/main.js';

process.exitCode = await main(process.argv.slice(2));
