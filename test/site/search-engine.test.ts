/** The search engine end to end in Node: build data, export the flexsearch index, import it, query. */
import { describe, expect, it } from 'vitest';
import { buildSearchData } from '../../site/lib/search/build.js';
import { decodePayload, encodePayload } from '../../site/lib/search/config.js';
import { SearchEngine } from '../../site/lib/search/engine.js';
import { ShardedIndex, exportShard } from '../../site/lib/search/shards.js';
import { emptyFilters, isEmptyState, parseState, stateToQuery } from '../../site/lib/search/state.js';
import { cardHtml } from '../../site/lib/search/view.js';
import { basicWorkflows, xssWorkflows } from '../fixtures/site/catalogs.js';
import type { Facility } from '../../catalog/contract/index.js';

const facilities: Facility[] = [
  { id: 'mybinder', name: 'MyBinder', url: 'https://mybinder.org/', type: 'binderhub', interfaces: ['lab'], defaultInterface: 'lab', access: 'public' },
  { id: 'py-hub', name: 'Python Hub', url: 'https://hub.example.org/', type: 'jupyterhub', interfaces: ['lab'], defaultInterface: 'lab', access: 'public', languages: ['python'] },
];

async function engineFor(workflows = basicWorkflows) {
  const built = buildSearchData(workflows, [], facilities);
  // Through the wire formats, as the browser gets them.
  const payload = decodePayload(JSON.parse(JSON.stringify(encodePayload(built.payload))));
  expect(payload).toEqual(built.payload);
  const index = new ShardedIndex(payload.shards);
  for (const [key, docs] of built.shards) await index.add(key, JSON.parse(JSON.stringify(await exportShard(docs))));
  const engine = new SearchEngine(payload, index.lookup);
  const titles = (q: string, filters = emptyFilters()) => engine.run({ q, sort: null, filters }).hits.map((hit) => payload.docs[hit]!.t);
  return { engine, payload, titles };
}

describe('search engine', () => {
  it('finds the astropy coordinates tutorials for "coordinates", title matches first', async () => {
    const { titles } = await engineFor();
    const found = titles('coordinates');
    expect(found.slice(0, 4).every((title) => title.startsWith('Astronomical Coordinates'))).toBe(true);
    expect(found).toHaveLength(4);
  });

  it('matches word prefixes: "coord" finds coordinates, "crossm" the cross-match tutorial', async () => {
    const { titles } = await engineFor();
    expect(titles('coord')).toHaveLength(4);
    expect(titles('crossm')).toEqual(['Astronomical Coordinates 4: Cross-matching Catalogs Using astropy.coordinates and astroquery']);
  });

  it('requires every query word to match some field (across fields)', async () => {
    const { titles } = await engineFor();
    expect(titles('seaborn binder')).toEqual(['Welcome to an example Binder']);
    expect(titles('seaborn coordinates')).toEqual([]);
  });

  it('weights fields: a title match outranks an imports-only match', async () => {
    const { titles } = await engineFor();
    // "pyvo" is the title-less ESAP workflow's import; "fits" is in two titles and in keywords.
    const found = titles('fits');
    expect(found.slice(0, 2).sort()).toEqual(['Viewing and manipulating FITS images', 'Viewing and manipulating data from FITS tables']);
  });

  it('counts facets disjunctively and narrows with each selection', async () => {
    const { engine } = await engineFor();
    const all = engine.run(parseState(''));
    expect(all.hits).toHaveLength(basicWorkflows.length);
    const languages = Object.fromEntries(all.facets.language.map((item) => [item.value, item.count]));
    expect(languages).toEqual({ Python: 9, R: 1, Julia: 1 });
    const onlyR = engine.run(parseState('?language=R'));
    expect(onlyR.hits).toHaveLength(1);
    // The language facet still shows what widening would give; other facets count within R only.
    expect(onlyR.facets.language.find((item) => item.value === 'Python')?.count).toBe(9);
    expect(onlyR.facets.repository.map((item) => item.value)).toEqual(['binder-examples/r']);
    const two = engine.run(parseState('?language=R&language=Julia'));
    expect(two.hits).toHaveLength(2);
  });

  it('"runs on" facet follows the launch compatibility rules', async () => {
    const { engine } = await engineFor();
    const runsOn = Object.fromEntries(engine.run(parseState('')).facets.facility.map((item) => [item.value, item.count]));
    expect(runsOn).toEqual({ mybinder: 11, 'py-hub': 9 });
  });

  it('loads only the shards a query needs', async () => {
    const { payload, indexDocs } = { ...buildSearchData(basicWorkflows, [], facilities) };
    const index = new ShardedIndex(payload.shards);
    expect(indexDocs).toHaveLength(basicWorkflows.length);
    expect(index.missing(['coord', 'coordinates', 'fits', 'zzzz'])).toEqual(['co', 'fi']);
    expect(index.missing(['r'])).toEqual(['r_']);
  });

  it('sorts by stars or update date on request', async () => {
    const { engine, payload } = await engineFor();
    const updated = engine.run(parseState('?sort=updated')).hits.map((hit) => payload.docs[hit]!.u);
    expect(updated).toEqual([...updated].sort().reverse());
  });

  it('keeps state in the URL and reads it back', () => {
    const state = parseState('?q=coord&language=Python&keyword=fits&keyword=gaia&sort=stars&bogus=1');
    expect(state.q).toBe('coord');
    expect(state.filters.keyword).toEqual(['fits', 'gaia']);
    expect(stateToQuery(state)).toBe('?q=coord&language=Python&keyword=fits&keyword=gaia&sort=stars');
    expect(parseState(stateToQuery(state))).toEqual(state);
    expect(isEmptyState(parseState('?sort=nonsense'))).toBe(true);
  });

  it('escapes untrusted titles and keywords in cards', async () => {
    const { payload } = await engineFor(xssWorkflows);
    const html = cardHtml(payload.docs[0]!, payload, '/', '/');
    expect(html).not.toMatch(/<script|<img src=x|<[^>]*\son\w+=/i);
    expect(html).toContain('&lt;script&gt;');
  });
});
