#!/usr/bin/env node
// `npm run bench [-- NAME…]`: runs every benchmark under bench/<name>/index.ts (or only those named),
// one after another so they do not compete for the two cores. Benchmarks print their own ratios.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const available = readdirSync(here, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && existsSync(path.join(here, entry.name, 'index.ts')))
  .map((entry) => entry.name)
  .sort();
const requested = process.argv.slice(2).filter((arg) => !arg.startsWith('-'));
const unknown = requested.filter((name) => !available.includes(name));
if (unknown.length > 0) {
  console.error(`unknown benchmark(s): ${unknown.join(', ')}; available: ${available.join(', ')}`);
  process.exit(2);
}
let failed = 0;
for (const name of requested.length > 0 ? requested : available) {
  console.log(`\n=== bench/${name}`);
  const result = spawnSync(process.execPath, ['--import', 'tsx', path.join(here, name, 'index.ts')], { stdio: 'inherit' });
  if (result.status !== 0) failed += 1;
}
process.exit(failed > 0 ? 1 : 0);
