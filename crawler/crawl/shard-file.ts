/** Reading and writing `shard.json`, the marker `crawl --shard I/N` leaves in its catalog folder. */
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { stableJson, writeAtomic } from './files.js';
import { SHARD_FILE, ShardMarker } from './shard.js';

/** Writes the marker of a shard crawl, or removes a stale one after a plain crawl (`null`). */
export async function writeShardMarker(out: string, marker: ShardMarker | null): Promise<void> {
  const file = path.join(out, SHARD_FILE);
  if (marker) await writeAtomic(file, stableJson(ShardMarker.parse(marker)));
  else await rm(file, { force: true });
}

/** The marker in `dir`, or what is wrong with it (absent, not JSON, not a marker). */
export async function readShardMarker(dir: string): Promise<ShardMarker | { error: string }> {
  const file = path.join(dir, SHARD_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { error: `${dir} has no ${SHARD_FILE}, so it is not the output of \`ida-catalog crawl --shard I/N\` (or that crawl did not finish): run the shard's crawl into it` };
    return { error: `${file}: cannot be read (${code ?? String(error)})` };
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    return { error: `${file}: not valid JSON (${(error as Error).message.split('\n')[0]}): re-run the shard's crawl into ${dir}` };
  }
  const parsed = ShardMarker.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { error: `${file}: not a shard marker (${issue.path.join('.') || '(root)'}: ${issue.message}): re-run the shard's crawl into ${dir}` };
  }
  return parsed.data;
}
