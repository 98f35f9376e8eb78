/** The previous catalog and state a crawl starts from (absent on the first crawl). */
import path from 'node:path';
import { CATALOG_FILES, type Repository, type Workflow } from '../../catalog/contract/index.js';
import type { PreviousCatalog } from './assemble.js';
import { readJson } from './files.js';
import { parseState, STATE_FILE } from './state.js';

export async function readPrevious(out: string): Promise<PreviousCatalog> {
  const state = parseState(await readJson(path.join(out, STATE_FILE)).catch(() => null));
  const repositories = ((await readJson(path.join(out, CATALOG_FILES.repositories)).catch(() => null)) as { items?: Repository[] } | null)?.items ?? [];
  const workflows = ((await readJson(path.join(out, CATALOG_FILES.workflows)).catch(() => null)) as { items?: Workflow[] } | null)?.items ?? [];
  return { repositories, workflows, state };
}
