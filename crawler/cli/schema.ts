/** `ida-catalog schema [--out DIR] [--check]`: writes (or checks) JSON Schema generated from the contract. */
import { mkdir, readdir, readFile, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { generateSchemas } from '../../catalog/schema/generate.js';
import { parseCommandArgs, type Command } from './args.js';

export const DEFAULT_SCHEMA_DIR = 'catalog/schema';

const usage = `usage: ida-catalog schema [--out DIR] [--check]

Writes one <name>.schema.json per contract schema (facilities, workflow, repository, image, dataset,
notebook-preview, the catalog files, the facilities API) into DIR (default: ${DEFAULT_SCHEMA_DIR}).
Files there that the contract no longer produces are removed.

  --out DIR   where to write (default: ${DEFAULT_SCHEMA_DIR})
  --check     write nothing; exit 1 if DIR differs from what the contract generates
  -h, --help  show this help

Exit status: 0 done (or up to date), 1 stale (--check), 2 usage error.`;

async function existing(dir: string): Promise<Map<string, string>> {
  const names = (await readdir(dir).catch(() => [] as string[])).filter((name) => name.endsWith('.schema.json'));
  return new Map(await Promise.all(names.map(async (name) => [name, await readFile(path.join(dir, name), 'utf8')] as const)));
}

/** Names of files that would change (added, changed or removed) to bring `dir` up to date. */
export async function staleSchemaFiles(dir: string): Promise<string[]> {
  const wanted = generateSchemas();
  const present = await existing(dir);
  const names = new Set([...wanted.keys(), ...present.keys()]);
  return [...names].filter((name) => wanted.get(name) !== present.get(name)).sort();
}

export const schemaCommand: Command = {
  summary: 'write JSON Schema generated from the contract',
  async run(args) {
    const values = parseCommandArgs('schema', args, { out: { type: 'string' }, check: { type: 'boolean' } }, usage);
    if (typeof values === 'number') return values;
    const dir = values.out ?? DEFAULT_SCHEMA_DIR;
    const stale = await staleSchemaFiles(dir);
    if (values.check) {
      if (stale.length === 0) {
        console.log(`${dir}: JSON Schema is up to date`);
        return 0;
      }
      console.error(`${dir}: stale JSON Schema: ${stale.join(', ')}\nRun \`npm run schema\` and commit the result.`);
      return 1;
    }
    const wanted = generateSchemas();
    await mkdir(dir, { recursive: true });
    for (const name of stale) {
      const content = wanted.get(name);
      if (content === undefined) await unlink(path.join(dir, name));
      else await writeFile(path.join(dir, name), content);
    }
    console.log(`${dir}: ${wanted.size} schema files, ${stale.length} updated`);
    return 0;
  },
};
