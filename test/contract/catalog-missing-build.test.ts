/**
 * A site build whose catalog lacks workflows.json (or repositories.json) stops with the file named and what to
 * do, instead of publishing an empty site (issue #21: a lost file must never deploy as an empty catalog).
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CATALOG_FILES } from '../../catalog/contract/index.js';
import { buildSite, projectRoot } from '../support/build-site.js';
import { basicPreviews, basicWorkflows, writeCatalog } from '../fixtures/site/catalogs.js';

await mkdir(path.join(projectRoot, '.cache'), { recursive: true });
const work = await mkdtemp(path.join(projectRoot, '.cache', 'ida-missing-catalog-'));

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('site build with a catalog file missing', () => {
  it.each([CATALOG_FILES.workflows, CATALOG_FILES.repositories])('without %s fails, naming the file and what to do', async (name) => {
    const catalogDir = await writeCatalog(path.join(work, name), basicWorkflows, basicPreviews);
    await rm(path.join(catalogDir, name));
    const failure = await buildSite({ catalogDir }).then(
      () => null,
      (error: Error) => error.message.replace(/\u001b\[[0-9;]*m/g, ''),
    );
    expect(failure).not.toBeNull();
    expect(failure).toContain(`${path.join(catalogDir, name)}: missing; the catalog has no ${name}: create the catalog with \`npx ida-catalog crawl\``);
    expect(failure).toContain('IDA_CATALOG_DIR');
  }, 180_000);
});
