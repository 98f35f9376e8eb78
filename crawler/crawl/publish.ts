/**
 * Stage 4 of a crawl: writing the assembled catalog. Order: staged media, repositories.json (old and new
 * records together), workflows.json, staged previews, orphan previews removed, repositories.json (new
 * records only), the state, orphan media removed. Each step leaves a valid catalog (every reference
 * resolves), so a crawl killed between any two steps, or inside one, leaves a whole catalog; the state
 * comes last, so the next crawl redoes whatever this one did not record.
 */
import path from 'node:path';
import { CATALOG_DIRS, CATALOG_FILES, ImagesFile, RepositoriesFile, SCHEMA_VERSION, type Image, type Repository } from '../../catalog/contract/index.js';
import type { AssembledCatalog } from './assemble.js';
import { publishAll, removeOrphans, stableJson, writeAtomic } from './files.js';
import { STATE_FILE } from './state.js';
import { MEDIA_NAME } from './visit.js';

export type StagedFiles = { previews: string; media: string };

function byUrl(a: { url: string }, b: { url: string }): number {
  return a.url < b.url ? -1 : a.url > b.url ? 1 : 0;
}

export async function publishCatalog(out: string, staged: StagedFiles, catalog: AssembledCatalog, previousRepositories: Repository[]): Promise<void> {
  const previewsDir = path.join(out, CATALOG_DIRS.previews);
  const mediaDir = path.join(out, CATALOG_DIRS.media);
  const repositoriesPath = path.join(out, CATALOG_FILES.repositories);
  const repositoriesJson = (items: Repository[]) => stableJson(RepositoriesFile.parse({ schemaVersion: SCHEMA_VERSION, kind: 'repositories', items }));
  await publishAll(staged.media, mediaDir);
  // Old and new repository records together, until the workflows that need the old ones are gone.
  const finalUrls = new Set(catalog.repositories.map((r) => r.url));
  const union = [...catalog.repositories, ...previousRepositories.filter((r) => !finalUrls.has(r.url))].sort(byUrl);
  await writeAtomic(repositoriesPath, repositoriesJson(union));
  await writeAtomic(path.join(out, CATALOG_FILES.workflows), stableJson({ schemaVersion: SCHEMA_VERSION, kind: 'workflows', items: catalog.workflows }));
  await publishAll(staged.previews, previewsDir);
  await removeOrphans(previewsDir, new Set(catalog.workflows.map((w) => `${w.id}.json`)), /\.json$/);
  await writeAtomic(repositoriesPath, repositoriesJson(catalog.repositories));
  await writeAtomic(path.join(out, STATE_FILE), stableJson(catalog.state));
  const keepMedia = new Set(Object.values(catalog.state.repositories).flatMap((s) => s.media));
  for (const workflow of catalog.workflows) if (workflow.thumbnail) keepMedia.add(path.posix.basename(workflow.thumbnail));
  await removeOrphans(mediaDir, keepMedia, MEDIA_NAME);
}

/** images.json, sorted by id; it references nothing else in the catalog, so it is written on its own. */
export async function publishImages(out: string, images: Image[]): Promise<void> {
  const sorted = [...images].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  await writeAtomic(path.join(out, CATALOG_FILES.images), stableJson(ImagesFile.parse({ schemaVersion: SCHEMA_VERSION, kind: 'images', items: sorted })));
}
