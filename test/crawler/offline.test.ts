/**
 * The offline catalog (`npm run catalog:offline`): pinned mirrors, the real crawler over them, and the one
 * mapping from mirror commits to the pinned upstream commits. Small corpora of our own, built per test.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Repository, Workflow } from '../../catalog/contract/index.js';
import { MirrorError, buildMirrors } from '../../crawler/corpus/mirror.js';
import { PinCatalogError, pinRecords } from '../../crawler/corpus/pin-catalog.js';
import { type CorpusPin, parsePins } from '../../crawler/corpus/pins.js';
import { emptyState } from '../../crawler/crawl/state.js';
import { buildOfflineCatalog, corpusClock } from '../../crawler/offline.js';

const temps: string[] = [];
const temp = (prefix: string) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  temps.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

const UPSTREAM_A = '1111111111111111111111111111111111111111';
const UPSTREAM_B = '2222222222222222222222222222222222222222';
const PINS = `acme/alpha\t${UPSTREAM_A}\tmain\t2021-03-04T05:06:07+02:00\nacme/beta\t${UPSTREAM_B}\tmaster\t2019-12-31T23:00:00-05:00\n`;

function notebook(title: string): string {
  return JSON.stringify({
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' } },
    cells: [
      { id: 'a', cell_type: 'markdown', metadata: {}, source: `# ${title}\n\nWhat it does.` },
      { id: 'b', cell_type: 'code', metadata: {}, execution_count: null, outputs: [], source: 'import numpy' },
    ],
  });
}

/** A corpus of two pinned repositories (one on master) and a sources.yaml naming both. */
function fixtureCorpus(): { corpus: string; config: string } {
  const corpus = temp('ida-offline-corpus-');
  writeFileSync(path.join(corpus, 'SOURCES.tsv'), PINS);
  mkdirSync(path.join(corpus, 'acme__alpha', 'docs'), { recursive: true });
  writeFileSync(path.join(corpus, 'acme__alpha', 'docs', 'intro.ipynb'), notebook('Alpha intro'));
  // An ignore rule of the repository's own must not drop corpus files from the mirror.
  writeFileSync(path.join(corpus, 'acme__alpha', '.gitignore'), '*.ipynb\n');
  mkdirSync(path.join(corpus, 'acme__beta'), { recursive: true });
  writeFileSync(path.join(corpus, 'acme__beta', 'beta.ipynb'), notebook('Beta'));
  const config = path.join(corpus, 'sources.yaml');
  writeFileSync(config, 'sources:\n  - github: {repo: acme/alpha}\n  - github: {repo: acme/beta}\n');
  return { corpus, config };
}

function catalogFiles(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true }) as import('node:fs').Dirent[]) {
    if (entry.isFile()) {
      const full = path.join(entry.parentPath, entry.name);
      files.set(path.relative(dir, full), readFileSync(full).toString('latin1'));
    }
  }
  return files;
}

describe('offline catalog over a pinned corpus', () => {
  it('records the pinned commit, branch and date, nothing of the mirror, and is the same byte for byte when run again', async () => {
    const { corpus, config } = fixtureCorpus();
    const out = temp('ida-offline-out-');
    const built = await buildOfflineCatalog({ corpus, out, config, log: () => {} });
    expect(built.exitCode).toBe(0);

    const repositories = (JSON.parse(readFileSync(path.join(out, 'repositories.json'), 'utf8')) as { items: Repository[] }).items;
    const workflows = (JSON.parse(readFileSync(path.join(out, 'workflows.json'), 'utf8')) as { items: Workflow[] }).items;
    expect(repositories.map((r) => [r.fullName, r.commit, r.ref, r.committedAt])).toEqual([
      ['acme/alpha', UPSTREAM_A, 'main', '2021-03-04T03:06:07Z'],
      ['acme/beta', UPSTREAM_B, 'master', '2020-01-01T04:00:00Z'],
    ]);
    expect(workflows.map((w) => [w.path, w.title, w.repository.commit, w.repository.ref, w.updatedAt])).toEqual([
      ['docs/intro.ipynb', 'Alpha intro', UPSTREAM_A, 'main', '2021-03-04T03:06:07Z'],
      ['beta.ipynb', 'Beta', UPSTREAM_B, 'master', '2020-01-01T04:00:00Z'],
    ]);
    const state = JSON.parse(readFileSync(path.join(out, 'state.json'), 'utf8')) as { repositories: Record<string, { commit: string; seenAt: string }> };
    expect(Object.values(state.repositories).map((entry) => entry.commit)).toEqual([UPSTREAM_A, UPSTREAM_B]);
    // The crawl's clock is the newest pin: seenAt is the same whenever the catalog is rebuilt.
    expect(Object.values(state.repositories).map((entry) => entry.seenAt)).toEqual(['2021-03-04T03:06:07Z', '2021-03-04T03:06:07Z']);

    // Nothing of the mirrors' own making: neither their commit ids nor their identity.
    const mirrorCommits = built.mirrored.map((mirror) => mirror.mirrorCommit);
    expect(mirrorCommits).toHaveLength(2);
    expect(mirrorCommits).not.toContain(UPSTREAM_A);
    const first = catalogFiles(out);
    for (const [file, text] of first) {
      expect(text, file).not.toMatch(/corpus-mirror|ida-catalog\.invalid|mirror/i);
      for (const id of mirrorCommits) expect(text, file).not.toContain(id);
    }

    // Twice → identical: in the same folder (every repository extracted again) and in a fresh one.
    expect((await buildOfflineCatalog({ corpus, out, config, log: () => {} })).exitCode).toBe(0);
    expect(catalogFiles(out)).toEqual(first);
    const fresh = temp('ida-offline-fresh-');
    expect((await buildOfflineCatalog({ corpus, out: fresh, config, log: () => {} })).exitCode).toBe(0);
    expect(catalogFiles(fresh)).toEqual(first);

    // A source taken out of sources.yaml leaves with its records, previews and state; other files stay.
    writeFileSync(path.join(out, 'sources.yaml'), 'kept: yes\n');
    const alphaOnly = path.join(corpus, 'alpha-only.yaml');
    writeFileSync(alphaOnly, 'sources:\n  - github: {repo: acme/alpha}\n');
    expect((await buildOfflineCatalog({ corpus, out, config: alphaOnly, log: () => {} })).exitCode).toBe(0);
    const after = catalogFiles(out);
    expect([...after.keys()].filter((file) => /beta/.test(file) || /acme\/beta/.test(after.get(file)!))).toEqual([]);
    expect(JSON.parse(after.get('workflows.json')!).items.map((w: Workflow) => w.path)).toEqual(['docs/intro.ipynb']);
    expect(after.get('sources.yaml')).toBe('kept: yes\n');
  }, 60_000);

  it('refuses a corpus whose folders and pins disagree, naming each', () => {
    const { corpus } = fixtureCorpus();
    mkdirSync(path.join(corpus, 'acme__gamma'));
    const pins = parsePins(`${PINS}acme/delta\t${'3'.repeat(40)}\tmain\t2020-01-01T00:00:00Z\n`, 'SOURCES.tsv');
    expect(() => buildMirrors(corpus, pins, temp('ida-offline-mirrors-'))).toThrow(MirrorError);
    expect(() => buildMirrors(corpus, pins, temp('ida-offline-mirrors-'))).toThrow(/acme__gamma has no line in SOURCES\.tsv[\s\S]*acme\/delta is pinned but/);
  });

  it('mirrors carry the pinned branch and date, by no person', () => {
    const { corpus } = fixtureCorpus();
    const mirrors = temp('ida-offline-mirrors-');
    const built = buildMirrors(corpus, parsePins(PINS, 'SOURCES.tsv'), mirrors);
    const beta = path.join(mirrors, 'acme', 'beta');
    const show = (format: string) => execFileSync('git', ['--git-dir', beta, 'log', '-1', `--format=${format}`, 'master'], { encoding: 'utf8' }).trim();
    expect(show('%H')).toBe(built[1]!.mirrorCommit);
    expect(show('%aI %cI')).toBe('2019-12-31T23:00:00-05:00 2019-12-31T23:00:00-05:00');
    expect(show('%an <%ae>')).toBe('ida-catalog corpus mirror <corpus-mirror@ida-catalog.invalid>');
    expect(execFileSync('git', ['--git-dir', beta, 'symbolic-ref', 'HEAD'], { encoding: 'utf8' }).trim()).toBe('refs/heads/master');
    const alphaFiles = execFileSync('git', ['--git-dir', path.join(mirrors, 'acme', 'alpha'), 'ls-tree', '-r', '--name-only', 'HEAD'], { encoding: 'utf8' }).trim().split('\n');
    expect(alphaFiles).toEqual(['.gitignore', 'docs/intro.ipynb']);
  });

  it('corpusClock is the newest pin', () => {
    expect(corpusClock(parsePins(PINS, 'SOURCES.tsv')).toISOString()).toBe('2021-03-04T03:06:07.000Z');
  });
});

describe('pinRecords: mirror commits → pinned upstream commits', () => {
  const pin: CorpusPin = { fullName: 'acme/alpha', folder: 'acme__alpha', commit: UPSTREAM_A, branch: 'main', committedAt: '2021-03-04T05:06:07+02:00' };
  const MIRROR = 'f'.repeat(40);
  const repository = (over: Partial<Repository> = {}) => ({ url: 'https://github.com/acme/alpha', ref: 'main', commit: MIRROR, committedAt: '2021-03-04T03:06:07Z', ...over }) as Repository;
  const workflow = (over: Partial<Workflow['repository']> = {}, updatedAt = '2021-03-04T03:06:07Z') =>
    ({ id: 'w', repository: { url: 'https://github.com/acme/alpha', provider: 'github', ref: 'main', commit: MIRROR, ...over }, updatedAt }) as Workflow;
  const state = () => ({ ...emptyState(), repositories: { 'https://github.com/acme/alpha': { source: 's', ref: 'main', commit: MIRROR, options: 'o', seenAt: '2021-03-04T03:06:07Z', workflows: ['w'], media: [], forge: null } } });

  it('replaces the mirror commit everywhere (records already pinned stay as they are)', () => {
    const pinned = pinRecords({ repositories: [repository(), repository({ commit: UPSTREAM_A })], workflows: [workflow()], state: state() }, [{ pin, mirrorCommit: MIRROR }]);
    expect(pinned.repositories.map((r) => r.commit)).toEqual([UPSTREAM_A, UPSTREAM_A]);
    expect(pinned.workflows[0]!.repository.commit).toBe(UPSTREAM_A);
    expect(pinned.state.repositories['https://github.com/acme/alpha']!.commit).toBe(UPSTREAM_A);
  });

  it('reports every record that disagrees with its pin, and unpinned repositories', () => {
    let message = '';
    try {
      pinRecords(
        {
          repositories: [repository({ ref: 'develop' }), repository({ url: 'https://github.com/acme/other' })],
          workflows: [workflow({ commit: 'e'.repeat(40) }), workflow({}, '2021-03-04T05:06:07Z')],
          state: state(),
        },
        [{ pin, mirrorCommit: MIRROR }],
      );
    } catch (error) {
      expect(error).toBeInstanceOf(PinCatalogError);
      message = (error as Error).message;
    }
    expect(message).toContain('repository https://github.com/acme/alpha: ref "develop" is not the pinned branch "main"');
    expect(message).toContain('repository https://github.com/acme/other: https://github.com/acme/other is not a pinned corpus repository');
    expect(message).toContain(`workflow w: commit ${'e'.repeat(40)} is neither the mirror's`);
    expect(message).toContain("workflow w: date 2021-03-04T05:06:07Z is not the pinned commit's date 2021-03-04T05:06:07+02:00");
  });
});
