import { describe, expect, it } from 'vitest';
import { imageId, type Image } from '../../catalog/contract/index.js';
import { assembleImages } from '../../crawler/dockerhub/assemble.js';

const image = (name: string, source: string, extra: Partial<Image> = {}): Image => ({
  id: imageId(name),
  name,
  registry: 'docker.io',
  url: `https://hub.docker.com/r/${name}`,
  source,
  description: null,
  fullDescription: null,
  pulls: 1,
  stars: null,
  updatedAt: null,
  tags: [],
  tagCount: 0,
  labels: null,
  warnings: [],
  ...extra,
});
const NOW = '2026-03-01T00:00:00Z';
const LATER = '2026-03-02T00:00:00Z';

describe('assembleImages', () => {
  it('keeps images of sources not crawled, unless a crawled source claims them now', () => {
    const previous = [image('a/one', 'src-a'), image('b/two', 'src-b')];
    const result = assembleImages(previous, { listings: [{ id: 'src-c', failed: false, errors: [] }], visited: [{ name: 'b/two', sourceId: 'src-c', outcome: { kind: 'fresh', image: image('b/two', 'src-c', { pulls: 2 }) } }] }, NOW);
    expect(result.images.map((i) => [i.name, i.source, i.pulls])).toEqual([
      ['a/one', 'src-a', 1],
      ['b/two', 'src-c', 2],
    ]);
    expect(result.summaries).toEqual([expect.objectContaining({ id: 'src-c', status: 'ok', images: 1, changed: 1 })]);
  });

  it('removes what a good listing no longer names, keeps what a failed one had (stale), and one of two names sharing an id', () => {
    const previous = [image('a/gone', 'ns'), image('a/kept', 'ns'), image('x/old', 'failing')];
    const result = assembleImages(
      previous,
      {
        listings: [
          { id: 'ns', failed: false, errors: [] },
          { id: 'failing', failed: true, errors: ['listing failed: HTTP 500'] },
        ],
        visited: [
          { name: 'a/kept', sourceId: 'ns', outcome: { kind: 'fresh', image: image('a/kept', 'ns') } },
          { name: 'a-b/c', sourceId: 'ns', outcome: { kind: 'fresh', image: image('a-b/c', 'ns') } },
          { name: 'a/b-c', sourceId: 'ns', outcome: { kind: 'fresh', image: image('a/b-c', 'ns') } },
        ],
      },
      NOW,
    );
    // The first crawl that misses a/gone keeps it (stale) and records when; the next one removes it.
    expect(result.images.map((i) => [i.name, i.staleSince ?? null])).toEqual([
      ['a-b/c', null],
      ['a/gone', NOW],
      ['a/kept', null],
      ['x/old', NOW],
    ]);
    const ns = result.summaries.find((s) => s.id === 'ns')!;
    expect(ns.errors).toEqual(['a/gone is no longer listed by source ns: its record is kept (stale) and removed if the next crawl finds it missing too']);
    expect(ns.images).toBe(3);
    expect(result.missingSince).toEqual({ [image('a/gone', 'ns').url]: NOW });
    const again = assembleImages(result.images, { listings: [{ id: 'ns', failed: false, errors: [] }], visited: [] }, LATER, result.missingSince);
    expect(again.images.map((i) => i.name)).toEqual(['a-b/c', 'a/kept', 'x/old']);
    expect(again.summaries[0]!.errors).toEqual([
      'a-b/c is no longer listed by source ns: its record is kept (stale) and removed if the next crawl finds it missing too',
      `a/gone is no longer listed by source ns, as it was on the crawl of ${NOW}: its record is removed`,
      'a/kept is no longer listed by source ns: its record is kept (stale) and removed if the next crawl finds it missing too',
    ]);
    expect(ns.warnings).toEqual(['a/b-c has the same id "a-b-c" as a-b/c: only a-b/c is catalogued']);
    expect(result.summaries.find((s) => s.id === 'failing')).toMatchObject({ status: 'stale', stale: 1, images: 1 });
  });
});
