/** `ida-catalog merge PART… --out DIR`: joins the catalog folders of `crawl --shard 1/N … N/N` into one catalog. */
import { mergeShards } from '../crawl/merge-files.js';
import { parseCommandArgs, type Command } from './args.js';
import { formatSummary } from './crawl.js';

const HELP = `usage: ida-catalog merge PART… [--out DIR]

Joins the catalog folders written by \`ida-catalog crawl --shard I/N\` (I = 1..N, each started from a copy
of the same catalog) into the catalog a single crawl writes: the same workflows.json, repositories.json,
previews/ and media/, byte for byte, and the same state.json entries. Every part must be there, once, and
crawled from the same sources file with the same --only; otherwise nothing is written (exit 2).

options:
  --out DIR              catalog folder to write (default catalog)

example (two runners):
  cp -r catalog part-1 && ida-catalog crawl --shard 1/2 --out part-1     # runner 1
  cp -r catalog part-2 && ida-catalog crawl --shard 2/2 --out part-2     # runner 2
  ida-catalog merge part-1 part-2 --out catalog                         # one job, both parts`;

export const mergeCommand: Command = {
  summary: 'join the catalogs of `crawl --shard I/N` runs into one',
  async run(args) {
    // The parts are positional; the shared parser takes options only.
    const parts: string[] = [];
    const options: string[] = [];
    for (let i = 0; i < args.length; i += 1) {
      const arg = args[i]!;
      if (!arg.startsWith('-')) parts.push(arg);
      else if (arg === '--out' && i + 1 < args.length) options.push(arg, args[(i += 1)]!);
      else options.push(arg);
    }
    const values = parseCommandArgs('merge', options, { out: { type: 'string', default: 'catalog' } }, HELP);
    if (typeof values === 'number') return values;
    if (parts.length === 0) {
      console.error(`ida-catalog merge: name the catalog folder of every shard\n\n${HELP}`);
      return 2;
    }
    const started = Date.now();
    const result = await mergeShards(parts, values.out!);
    for (const problem of result.problems) console.error(`ida-catalog merge: ${problem}`);
    if (result.exitCode !== 0) return result.exitCode;
    for (const warning of result.warnings) console.error(`warning: ${warning}`);
    for (const line of formatSummary(result.summaries)) console.log(line);
    const { counts } = result;
    console.log(
      `merged ${counts.parts} parts into ${values.out}: ${counts.repositories} repositories, ${counts.workflows} workflows (${counts.previews} previews, ${counts.media} media files copied); ${((Date.now() - started) / 1000).toFixed(1)}s`,
    );
    return 0;
  },
};
