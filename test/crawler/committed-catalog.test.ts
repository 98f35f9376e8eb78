/**
 * The committed catalog (catalog/*.json, made by `npm run catalog:offline`) against ../shared/corpus/SOURCES.tsv:
 * every record names the pinned upstream commit, branch and date, so its Launch, download and "view at commit"
 * links point at real upstream objects; and every corpus repository but nbformat's test data is in it.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { RepositoriesFile, WorkflowsFile } from '../../catalog/contract/index.js';
import { type CorpusPin, readPins } from '../../crawler/corpus/pins.js';
import { sharedCorpus } from '../support/debian.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const read = (file: string) => JSON.parse(readFileSync(path.join(root, 'catalog', file), 'utf8')) as unknown;
const corpus = sharedCorpus('test/crawler/committed-catalog');
/** Test data, not workflows: in the corpus for the extractor's tests, out of the public sources. */
const NOT_PUBLISHED = ['jupyter/nbformat'];

describe.skipIf(!corpus)('the committed catalog follows SOURCES.tsv', () => {
  let pins: CorpusPin[] = [];
  const repositories = RepositoriesFile.parse(read('repositories.json')).items;
  const workflows = WorkflowsFile.parse(read('workflows.json')).items;
  const state = read('state.json') as { repositories: Record<string, { commit: string; ref: string }> };
  const pinOf = (url: string) => pins.find((pin) => `https://github.com/${pin.fullName}` === url);
  const sameInstant = (a: string, b: string) => Date.parse(a) === Date.parse(b);

  beforeAll(async () => {
    pins = await readPins(path.join(corpus!, 'SOURCES.tsv'));
  });

  it('every repository record names its pinned commit, branch and date', () => {
    expect(repositories.length).toBeGreaterThan(0);
    for (const repository of repositories) {
      const pin = pinOf(repository.url);
      expect(pin, `${repository.url} is pinned in SOURCES.tsv`).toBeDefined();
      expect([repository.commit, repository.ref], repository.url).toEqual([pin!.commit, pin!.branch]);
      expect(sameInstant(repository.committedAt, pin!.committedAt), `${repository.url}: ${repository.committedAt} is ${pin!.committedAt}`).toBe(true);
    }
  });

  it('every workflow record names its repository’s pinned commit, branch and date', () => {
    expect(workflows.length).toBeGreaterThan(0);
    for (const workflow of workflows) {
      const pin = pinOf(workflow.repository.url);
      expect(pin, `${workflow.id}: ${workflow.repository.url} is pinned`).toBeDefined();
      expect([workflow.repository.commit, workflow.repository.ref], workflow.id).toEqual([pin!.commit, pin!.branch]);
      expect(sameInstant(workflow.updatedAt, pin!.committedAt), `${workflow.id}: updatedAt ${workflow.updatedAt} is ${pin!.committedAt}`).toBe(true);
    }
    for (const [url, entry] of Object.entries(state.repositories)) expect([url, entry.commit, entry.ref]).toEqual([url, pinOf(url)?.commit, pinOf(url)?.branch]);
  });

  it('holds every corpus repository but nbformat’s test data, each with its workflows', () => {
    const published = pins.filter((pin) => !NOT_PUBLISHED.includes(pin.fullName)).map((pin) => `https://github.com/${pin.fullName}`);
    expect(Object.keys(state.repositories).sort()).toEqual([...published].sort());
    expect(repositories.map((repository) => repository.url).sort()).toEqual([...published].sort());
    for (const repository of repositories) expect(workflows.filter((workflow) => workflow.repository.url === repository.url).length, repository.url).toBe(repository.notebooks);
    // NASA NAVO's workshop is MyST text notebooks only.
    const navo = workflows.filter((workflow) => workflow.repository.url === 'https://github.com/NASA-NAVO/navo-workshop');
    expect([navo.length, new Set(navo.map((workflow) => workflow.format))]).toEqual([12, new Set(['myst'])]);
    expect(workflows.filter((workflow) => NOT_PUBLISHED.some((name) => workflow.repository.url.endsWith(`/${name}`)))).toEqual([]);
  });
});
