/**
 * A catalog the build cannot render fails the build with the file and the problem named, whether the
 * page bodies render in the build's worker threads or not: nothing half-built is left to deploy.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CATALOG_DIRS, CATALOG_FILES } from '../../catalog/contract/index.js';
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

describe('site build with an invalid workflow record', () => {
  // Pages render from the content collections: the content layer must fail the build on a record the
  // contract rejects, before any page is written.
  it('fails in the content layer, naming the record and the field, before any page is built', async () => {
    const catalogDir = await writeCatalog(path.join(work, 'invalid-record'), basicWorkflows, basicPreviews);
    const file = path.join(catalogDir, CATALOG_FILES.workflows);
    const envelope = JSON.parse(await readFile(file, 'utf8')) as { items: Array<Record<string, unknown>> };
    const bad = envelope.items[1]!;
    bad.keywords = '<script>alert(1)</script>';
    await writeFile(file, JSON.stringify(envelope));
    const failure = await buildSite({ catalogDir }).then(
      () => null,
      // Astro colours its message where it thinks a terminal may show colour (CI=true does).
      (error: Error) => error.message.replace(/\u001b\[[0-9;]*m/g, ''),
    );
    expect(failure).toMatch(new RegExp(`workflows → ${String(bad.id)} data does not match collection schema`));
    expect(failure).toMatch(/keywords: Expected type `"array"`, received `"string"`/);
    expect(failure).toMatch(/Syncing content/);
    expect(failure).not.toMatch(/generating static routes/);
  }, 180_000);
});

describe('site build with a bad curated.yaml', () => {
  it("fails at the line of a curated id that is a crawled workflow's, and at the line of a bad field", async () => {
    const catalogDir = await writeCatalog(path.join(work, 'curated-clash'), basicWorkflows, basicPreviews);
    const taken = basicWorkflows[0]!.id;
    const curated = path.join(catalogDir, 'curated.yaml');
    await writeFile(curated, `- id: ${taken}\n  title: Clash\n  workflowType: desktop\n  description: d\n  homepage: https://a.example.org/\n`);
    const clash = await buildSite({ catalogDir }).then(
      () => null,
      (error: Error) => error.message.replace(/\u001b\[[0-9;]*m/g, ''),
    );
    expect(clash).toContain(`${curated}:1:7: [0].id: id "${taken}" is already a crawled workflow's id in ${path.join(catalogDir, CATALOG_FILES.workflows)}; choose another id`);
    await writeFile(curated, `- id: fine\n  title: Fine\n  workflowType: desktop\n  description: d\n  homepage: javascript:alert(1)\n`);
    const bad = await buildSite({ catalogDir }).then(
      () => null,
      (error: Error) => error.message.replace(/\u001b\[[0-9;]*m/g, ''),
    );
    expect(bad).toContain(`${curated}:5:13: [0].homepage: URL scheme "javascript:" is not allowed`);
    expect(bad).toMatch(/npx ida-catalog validate/);
  }, 240_000);
});
