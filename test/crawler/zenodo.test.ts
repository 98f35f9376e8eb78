/**
 * Issue 17, the ESCAPE OSSR on Zenodo: a `zenodo: {community, keywords}` source against a loopback Zenodo
 * speaking its records API (paging through links.next, 429 with retry-after, a 502, a malformed record, an
 * oversized codemeta.json) and real git repositories the records name. A repository a GitHub source and a
 * Zenodo record both name is one record with both provenances and the DOI.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RepositoriesFile, WorkflowsFile, type Repository, type Workflow } from '../../catalog/contract/index.js';
import { validateCatalog } from '../../catalog/validate/index.js';
import { mergeShards } from '../../crawler/crawl/merge-files.js';
import { commitFiles, notebook } from '../support/github-server/git.js';
import { startZenodoServer, type FakeZenodoRecord, type ZenodoFault, type ZenodoServer } from '../support/zenodo-server/index.js';
import { makeWorld, readCatalog, snapshot, type World } from './world.js';

const ZENODO = 'zenodo-escape2020-jupyter-notebook';
const SOURCES = `sources:
  - github: {org: astro-org}
  - zenodo: {community: escape2020, keywords: [jupyter-notebook]}
`;

/** The community as the tests see it: every kind of record the crawler meets. */
export const RECORDS: FakeZenodoRecord[] = [
  {
    id: 1001,
    title: 'Alpha analysis (archived release)',
    communities: ['escape2020'],
    keywords: ['jupyter-notebook', 'gamma-ray'],
    creators: [{ name: 'Curie, Marie', orcid: '0000-0002-1825-0097', affiliation: 'Sorbonne' }],
    license: 'mit',
    files: {
      // The repository the GitHub source lists as astro-org/alpha, spelled as people write it.
      'codemeta.json': { '@context': 'https://doi.org/10.5063/schema/codemeta-2.0', codeRepository: 'https://github.com/Astro-Org/Alpha.git', author: [{ '@type': 'Person', givenName: 'Marie', familyName: 'Curie' }], keywords: ['vo-tools'], license: 'https://spdx.org/licenses/MIT' },
      'alpha-v1.0.zip': Buffer.from('PK\u0003\u0004 not really a zip'),
    },
  },
  {
    id: 1003,
    title: 'OSSR tutorial',
    communities: ['escape2020', 'other-community'],
    keywords: ['jupyter-notebook'],
    creators: [{ name: 'Doe, Jane' }],
    license: 'cc-by-4.0',
    description: '<p>Learn <em>gamma-ray</em> analysis.</p><script>alert("x")</script>',
    supplementTo: ['https://github.com/ossr/tutorial/tree/v1.2'],
    files: { 'tutorial-v1.2.zip': 'zip bytes' },
  },
  {
    id: 1005,
    title: 'Archived on another host',
    communities: ['escape2020'],
    keywords: ['jupyter-notebook', 'radio'],
    creators: [{ name: 'Someone Else' }],
    files: { 'codemeta.json': { codeRepository: 'https://git.example.org/group/archived', author: [{ '@type': 'Person', givenName: 'Ada', familyName: 'Lovelace' }], license: 'https://spdx.org/licenses/Apache-2.0' } },
  },
  { id: 1007, title: 'Slides only', communities: ['escape2020'], keywords: ['jupyter-notebook'], files: { 'slides.pdf': '%PDF-1.4' } },
  {
    id: 1009,
    title: 'Oversized codemeta',
    communities: ['escape2020'],
    keywords: ['jupyter-notebook'],
    creators: [{ name: 'Big, Meta' }],
    supplementTo: ['https://github.com/ossr/second'],
    // files[].size says 2 kB; the content is 300 kB: the cap applies to what arrives.
    files: { 'codemeta.json': JSON.stringify({ codeRepository: 'https://github.com/ossr/elsewhere', description: 'x'.repeat(300_000) }) },
    declaredSizes: { 'codemeta.json': 2048 },
  },
  { id: 1011, title: 'Private host', communities: ['escape2020'], keywords: ['jupyter-notebook'], files: { 'codemeta.json': { codeRepository: 'https://127.0.0.1:9/evil/repo' } } },
  { id: 1013, title: 'Another community', communities: ['other-community'], keywords: ['jupyter-notebook'], supplementTo: ['https://github.com/ossr/not-ours'] },
  { id: 1015, title: 'Without the keyword', communities: ['escape2020'], keywords: ['python'], supplementTo: ['https://github.com/ossr/not-ours'] },
  { id: 1017, title: 'Tutorial again', communities: ['escape2020'], keywords: ['jupyter-notebook'], supplementTo: ['https://github.com/ossr/tutorial'] },
];

let world: World | null = null;
let zenodo: ZenodoServer | null = null;
afterEach(async () => {
  await world?.close();
  await zenodo?.close();
  world = null;
  zenodo = null;
});

const repositories = (out: string) => RepositoriesFile.parse(readCatalog(out, 'repositories.json')).items;
const workflows = (out: string) => WorkflowsFile.parse(readCatalog(out, 'workflows.json')).items;
const byUrl = (items: Repository[]) => new Map(items.map((r) => [r.url, r]));
const workflowsOf = (items: Workflow[], url: string) => items.filter((w) => w.repository.url === url);

/** Faults once each: the first search of page 1 is rate limited, the first of page 2 meets a 502. */
function firstTimeFaults(): (url: string) => ZenodoFault | null {
  const fired = new Set<string>();
  return (url) => {
    if (!url.startsWith('/api/records?')) return null;
    const page = new URLSearchParams(url.split('?')[1]).get('page');
    const fault: ZenodoFault | null = page === '1' ? '429' : page === '2' ? '502' : null;
    if (!fault || fired.has(fault)) return null;
    fired.add(fault);
    return fault;
  };
}

async function zenodoWorld(sources = SOURCES, fault: ((url: string, sequence: number) => ZenodoFault | null) | undefined = firstTimeFaults()) {
  zenodo = await startZenodoServer({ records: RECORDS, maxPageSize: 3, retryAfter: 2, fault, extraHits: [{ id: 'x', metadata: 'not an object' }] });
  world = await makeWorld({}, sources);
  commitFiles(path.join(world.mirrors, 'ossr', 'tutorial'), { 'tutorial.ipynb': notebook('Gamma-ray tutorial', 'import gammapy') });
  commitFiles(path.join(world.mirrors, 'ossr', 'second'), { 'second.ipynb': notebook('Second study') });
  commitFiles(path.join(world.daemonBase, 'group', 'archived'), { 'archived.ipynb': notebook('Archived elsewhere', 'import pandas') });
  const api = zenodo.api;
  const run = (extra: Parameters<World['run']>[0] = {}) => world!.run({ zenodoApiUrl: api, zenodo: { retryAfterBaseValue: 5, maxWaitSeconds: 30 }, ...extra });
  return { world, zenodo, run };
}

describe('zenodo source', () => {
  it('harvests the repositories a community\'s records name, with their DOI; one record for a repository GitHub also lists', async () => {
    const { world, zenodo, run } = await zenodoWorld();
    const result = await run();
    expect(result.problems).toEqual([]);
    expect(result.exitCode).toBe(0);

    // Paging: three pages of three (zenodo caps size), each asked for the community and the keyword; a 429
    // (retry-after honoured) and a 502 retried.
    expect(zenodo.stats.faults).toEqual({ '429': 1, '502': 1 });
    expect(zenodo.stats.byPath['/api/records']).toBe(5);
    expect(zenodo.stats.searches).toHaveLength(3);
    for (const search of zenodo.stats.searches) {
      const params = new URLSearchParams(search);
      expect(params.get('communities')).toBe('escape2020');
      expect(params.get('q')).toBe('keywords:"jupyter-notebook"');
    }
    expect(world.logs.join('\n')).toMatch(/Zenodo .*: rate limited \(429\); retrying in 2s/);
    expect(new Set(zenodo.stats.searches.map((s) => new URLSearchParams(s).get('page')))).toEqual(new Set(['1', '2', '3']));

    const repos = byUrl(repositories(world.out));
    expect([...repos.keys()]).toEqual([
      'https://git.example.org/group/archived',
      'https://github.com/astro-org/alpha',
      'https://github.com/astro-org/beta',
      'https://github.com/ossr/second',
      'https://github.com/ossr/tutorial',
    ]);
    // Dedupe: GitHub's listing and record 1001's codemeta (https://github.com/Astro-Org/Alpha.git) are one repository.
    const alpha = repos.get('https://github.com/astro-org/alpha')!;
    expect(alpha).toMatchObject({ source: 'github-org-astro-org', alsoFoundBy: [ZENODO], doi: '10.5281/zenodo.1000', stars: 5, license: 'MIT' });
    expect(repos.get('https://github.com/astro-org/beta')).not.toHaveProperty('doi');
    expect(repos.get('https://github.com/astro-org/beta')).not.toHaveProperty('alsoFoundBy');
    const all = workflows(world.out);
    const [alphaWorkflow] = workflowsOf(all, alpha.url);
    expect(alphaWorkflow).toMatchObject({ doi: '10.5281/zenodo.1000', authors: ['Marie Curie'] });
    expect(alphaWorkflow!.keywords).toEqual(expect.arrayContaining(['gamma-ray', 'vo-tools', 'astronomy']));

    // A record with only Zenodo's GitHub-integration link: its repository, with the record's facts.
    const tutorial = repos.get('https://github.com/ossr/tutorial')!;
    expect(tutorial).toMatchObject({ source: ZENODO, doi: '10.5281/zenodo.1002', license: 'CC-BY-4.0', authors: ['Doe, Jane'], description: 'Learn gamma-ray analysis.', stars: null });
    expect(tutorial).not.toHaveProperty('alsoFoundBy');
    const [tutorialWorkflow] = workflowsOf(all, tutorial.url);
    expect(tutorialWorkflow).toMatchObject({ doi: '10.5281/zenodo.1002', authors: ['Doe, Jane'], license: 'CC-BY-4.0', path: 'tutorial.ipynb', imports: ['gammapy'] });
    expect(tutorialWorkflow!.keywords).toContain('jupyter-notebook');

    // Another git host, named by codemeta.json: authors and licence from the codemeta.
    const archived = repos.get('https://git.example.org/group/archived')!;
    expect(archived).toMatchObject({ provider: 'git', source: ZENODO, doi: '10.5281/zenodo.1004' });
    expect(workflowsOf(all, archived.url)[0]).toMatchObject({ authors: ['Ada Lovelace'], license: 'Apache-2.0', doi: '10.5281/zenodo.1004' });

    // The oversized codemeta.json is not used; the record's own link still names its repository.
    expect(repos.get('https://github.com/ossr/second')).toMatchObject({ doi: '10.5281/zenodo.1008', authors: ['Big, Meta'] });

    const summary = result.summaries.find((s) => s.id === ZENODO)!;
    expect(summary).toMatchObject({ status: 'partial', repositories: 3, changed: 3, workflows: 3 });
    expect(summary.errors.join('\n')).toMatch(/record x: not a Zenodo record/);
    expect(summary.errors.join('\n')).toMatch(/record 1009 .*codemeta\.json is not used: .*over the 262144-byte cap/);
    const warnings = summary.warnings.join('\n');
    expect(warnings).toMatch(/record 1007 \(10\.5281\/zenodo\.1006\) "Slides only" names no code repository git can reach \(no codemeta\.json codeRepository and no isSupplementTo link\); not catalogued/);
    expect(warnings).toMatch(/record 1011 .*127\.0\.0\.1:9 is not a public host/);
    expect(warnings).toMatch(/record 1001 \(10\.5281\/zenodo\.1000\) names https:\/\/github\.com\/astro-org\/alpha, which source github-org-astro-org harvests: one record, with both provenances and this DOI/);
    expect(warnings).toMatch(/record 1017 .*names https:\/\/github\.com\/ossr\/tutorial, as record 1003 does: catalogued once, with 10\.5281\/zenodo\.1002/);
    const text = JSON.stringify(all);
    for (const word of ['alert', '<script', 'not-ours', 'ossr/elsewhere']) expect(text.includes(word), word).toBe(false);

    const { problems } = await validateCatalog(world.out);
    expect(problems.map((p) => p.text)).toEqual([]);

    // Incremental: nothing changed, nothing rewritten, the DOIs and provenance still there.
    const before = snapshot(world.out);
    const again = await run();
    expect(again.git.clones).toBe(0);
    expect(snapshot(world.out)).toEqual(before);
  });

  it('Zenodo unreadable (garbage JSON): the source keeps its records, stale, and the DOI it gave a GitHub repository stands', async () => {
    const { world, zenodo, run } = await zenodoWorld();
    await run({ now: () => new Date('2026-05-01T00:00:00Z') });
    zenodo.options.fault = (url) => (url.startsWith('/api/records?') ? 'garbage' : null);
    const result = await run({ now: () => new Date('2026-05-02T00:00:00Z') });
    const summary = result.summaries.find((s) => s.id === ZENODO)!;
    expect(summary).toMatchObject({ status: 'stale', stale: 3 });
    expect(summary.errors.join('\n')).toMatch(/not JSON/);
    const repos = byUrl(repositories(world.out));
    expect(repos.get('https://github.com/ossr/tutorial')).toMatchObject({ doi: '10.5281/zenodo.1002', staleSince: '2026-05-02T00:00:00Z' });
    const alpha = repos.get('https://github.com/astro-org/alpha')!;
    expect(alpha).toMatchObject({ doi: '10.5281/zenodo.1000', alsoFoundBy: [ZENODO] });
    expect(alpha).not.toHaveProperty('staleSince');
    expect(workflowsOf(workflows(world.out), alpha.url)[0]).toMatchObject({ doi: '10.5281/zenodo.1000', authors: ['Marie Curie'] });
  });

  it('a links.next off the API host is refused, and nothing is decided from the partial listing', async () => {
    const { world, run } = await zenodoWorld(SOURCES, (url) => (url.includes('page=1') ? 'foreign-next' : null));
    const result = await run();
    const summary = result.summaries.find((s) => s.id === ZENODO)!;
    expect(summary.status).toBe('stale');
    expect(summary.errors.join('\n')).toMatch(/refusing .*not under the Zenodo API/);
    expect(repositories(world.out).map((r) => r.url)).toEqual(['https://github.com/astro-org/alpha', 'https://github.com/astro-org/beta']);
  });

  it('--no-api: no request to Zenodo, the source says why', async () => {
    const { zenodo, run } = await zenodoWorld();
    const result = await run({ noApi: true });
    const summary = result.summaries.find((s) => s.id === ZENODO)!;
    expect(summary.status).toBe('stale');
    expect(summary.errors.join('\n')).toMatch(/needs the Zenodo API \(it is disabled by --no-api\)/);
    expect(zenodo.stats.requests).toBe(0);
  });

  it('Zenodo listed first: it harvests the repository, and the GitHub source is the second provenance', async () => {
    const { world, run } = await zenodoWorld(`sources:
  - zenodo: {community: escape2020, keywords: [jupyter-notebook]}
  - github: {repo: ossr/tutorial}
`);
    await world.server.put({ owner: 'ossr', name: 'tutorial', stars: 7 });
    const result = await run();
    expect(result.problems).toEqual([]);
    const tutorial = repositories(world.out).filter((r) => r.url.toLowerCase() === 'https://github.com/ossr/tutorial');
    expect(tutorial).toHaveLength(1);
    expect(tutorial[0]).toMatchObject({ source: ZENODO, alsoFoundBy: ['github-repo-ossr-tutorial'], doi: '10.5281/zenodo.1002' });
    expect(result.summaries.find((s) => s.id === 'github-repo-ossr-tutorial')).toMatchObject({ status: 'ok', repositories: 0 });
  });

  it('two shards and a merge give the catalog one crawl gives: provenance and DOIs included', async () => {
    const { world, run } = await zenodoWorld(SOURCES, undefined);
    const now = () => new Date('2026-05-01T00:00:00Z');
    expect((await run({ now })).problems).toEqual([]);
    const parts: string[] = [];
    for (const index of [1, 2]) {
      const part = path.join(world.root, `part-${index}`);
      mkdirSync(part);
      expect((await run({ out: part, shard: { index, count: 2 }, now })).problems).toEqual([]);
      parts.push(part);
    }
    const merged = path.join(world.root, 'merged');
    expect((await mergeShards(parts, merged)).problems).toEqual([]);
    const [a, b] = [snapshot(merged), snapshot(world.out)];
    expect(Object.keys(a)).toEqual(Object.keys(b));
    for (const file of Object.keys(b)) expect({ file, bytes: a[file] }).toEqual({ file, bytes: b[file] });
    expect(byUrl(repositories(merged)).get('https://github.com/astro-org/alpha')).toMatchObject({ alsoFoundBy: [ZENODO], doi: '10.5281/zenodo.1000' });
  });
});
