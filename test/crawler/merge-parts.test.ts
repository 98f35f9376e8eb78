/** mergeParts, pure: which parts can be merged, and how the API caches of the shards combine. */
import { describe, expect, it } from 'vitest';
import { mergeParts, type Part } from '../../crawler/crawl/merge.js';
import { shardOf, type ShardMarker } from '../../crawler/crawl/shard.js';
import { emptyState } from '../../crawler/crawl/state.js';

const marker = (index: number, count: number, extra: Partial<ShardMarker> = {}): ShardMarker => ({
  shardVersion: 1,
  index,
  count,
  sources: 'abcdef0123456789',
  only: [],
  startedAt: '2026-05-01T00:00:00Z',
  summaries: [],
  ...extra,
});
const part = (index: number, count: number, extra: Partial<ShardMarker> = {}): Part => ({
  name: `part-${index}`,
  marker: marker(index, count, extra),
  catalog: { repositories: [], workflows: [], state: emptyState() },
});
const problemsOf = (parts: Part[]) => {
  const result = mergeParts(parts);
  return 'problems' in result ? result.problems : [];
};

describe('mergeParts', () => {
  it('refuses parts of different N or --only, and no parts at all', () => {
    expect(problemsOf([part(1, 2), part(2, 3)])).toEqual([expect.stringMatching(/part-2 \(shard 2\/3, .*\) is not a shard of the same crawl as part-1 \(shard 1\/2/)]);
    expect(problemsOf([part(1, 2), part(2, 2, { only: ['a'] })])).toEqual([expect.stringMatching(/--only a\) is not a shard of the same crawl/)]);
    expect(problemsOf([])).toEqual([expect.stringMatching(/no parts to merge/)]);
    expect(problemsOf([part(1, 3), part(3, 3)])).toEqual([expect.stringMatching(/^shard 2\/3 missing/)]);
  });

  it('keeps listing pages the shards agree on and leaves out one they saw differently', () => {
    const [one, two] = [part(1, 2), part(2, 2)];
    const page = (etag: string) => ({ etag, next: null, repos: [] });
    one.catalog.state.api = { '/orgs/a/repos': page('W/"1"'), '/orgs/b/repos': page('W/"b"') };
    two.catalog.state.api = { '/orgs/a/repos': page('W/"2"'), '/orgs/b/repos': page('W/"b"') };
    const result = mergeParts([two, one]);
    if ('problems' in result) throw new Error(result.problems.join('\n'));
    expect(result.catalog.state.api).toEqual({ '/orgs/b/repos': page('W/"b"') });
    expect(result.warnings).toEqual([expect.stringMatching(/API listing \/orgs\/a\/repos differed between shards .* the next crawl lists it afresh/)]);
  });

  it('stops on a workflow id two shards both harvested', () => {
    const urls = Array.from({ length: 20 }, (_, i) => `https://github.com/x/r${i}`);
    const [inOne, inTwo] = [urls.find((u) => shardOf(u, 2) === 1)!, urls.find((u) => shardOf(u, 2) === 2)!];
    const [one, two] = [part(1, 2), part(2, 2)];
    const workflow = (url: string) => ({ id: 'same-id', path: 'nb.ipynb', repository: { url } }) as unknown as Part['catalog']['workflows'][number];
    one.catalog.workflows = [workflow(inOne)];
    two.catalog.workflows = [workflow(inTwo)];
    expect(problemsOf([one, two])).toEqual([expect.stringMatching(/duplicate workflow id "same-id": .* nb\.ipynb and .* nb\.ipynb; the merge stopped and wrote nothing/)]);
  });
});
