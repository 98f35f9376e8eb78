/**
 * A catalog the build cannot render fails the build with the file and the problem named, whether the
 * page bodies render in the build's worker threads or not: nothing half-built is left to deploy.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CATALOG_DIRS } from '../../catalog/contract/index.js';
import { buildSite, projectRoot } from '../support/build-site.js';
import { basicPreviews, basicWorkflows, writeCatalog } from '../fixtures/site/catalogs.js';

await mkdir(path.join(projectRoot, '.cache'), { recursive: true });
const work = await mkdtemp(path.join(projectRoot, '.cache', 'ida-build-errors-'));

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('site build with a broken preview', () => {
  it('fails, naming the preview file and what is wrong with it', async () => {
    const catalogDir = await writeCatalog(path.join(work, 'catalog'), basicWorkflows, basicPreviews);
    const broken = basicPreviews[0]!.id;
    await writeFile(path.join(catalogDir, CATALOG_DIRS.previews, `${broken}.json`), JSON.stringify({ ...basicPreviews[0], cells: 'not a list' }));
    const failure = await buildSite({ catalogDir }).then(
      () => null,
      (error: Error) => error.message,
    );
    expect(failure).toMatch(new RegExp(`previews/${broken}\\.json: cells: Expected array, received string`));
    expect(failure).toMatch(/npx ida-catalog validate/);
  }, 180_000);
});
