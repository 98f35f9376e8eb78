#!/usr/bin/env node
// Entry point for `npx ida-catalog`: runs the TypeScript CLI through tsx, so there is no build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../crawler/cli/index.ts');
process.exitCode = await main(process.argv.slice(2));
