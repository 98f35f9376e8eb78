/**
 * Listing an account without the forge API: when `https://github.com/` is rewritten to a local mirror
 * (`url.file:///mirrors/.insteadOf https://github.com/`), the mirror's folders are the account's
 * repositories. This is how the offline catalog lists the ESAP-WP5 organisation.
 */
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { UrlRewrite } from './remote.js';

async function isRepository(dir: string): Promise<boolean> {
  for (const marker of ['.git', 'HEAD']) {
    try {
      await stat(path.join(dir, marker));
      return true;
    } catch {
      // not this layout
    }
  }
  return false;
}

/** Repository names under `https://github.com/<account>/` in a file:// mirror, or null when there is no such mirror. */
export async function listMirrorAccount(account: string, rewrites: UrlRewrite[]): Promise<string[] | null> {
  const prefix = `https://github.com/${account}/`;
  const rewrite = rewrites
    .filter((r) => prefix.startsWith(r.insteadOf) && r.base.startsWith('file://'))
    .sort((a, b) => b.insteadOf.length - a.insteadOf.length)[0];
  if (!rewrite) return null;
  const dir = fileURLToPath(rewrite.base + prefix.slice(rewrite.insteadOf.length));
  let names: string[];
  try {
    names = (await readdir(dir, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name);
  } catch {
    return [];
  }
  const repos: string[] = [];
  for (const name of names.sort()) if (await isRepository(path.join(dir, name))) repos.push(name.replace(/\.git$/, ''));
  return repos;
}
