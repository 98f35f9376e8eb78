/** Search finds people and what runs where: authors indexed and a facet; an Interface facet. */
import { describe, expect, it } from 'vitest';
import type { Facility } from '../../catalog/contract/index.js';
import { buildSearchData } from '../../site/lib/search/build.js';
import { decodePayload, encodePayload } from '../../site/lib/search/config.js';
import { SearchEngine } from '../../site/lib/search/engine.js';
import { facetValuesOf } from '../../site/lib/search/facets.js';
import { ShardedIndex, exportShard } from '../../site/lib/search/shards.js';
import { parseState } from '../../site/lib/search/state.js';
import { makeWorkflow } from '../support/records.js';

const facilities: Facility[] = [
  { id: 'lab-hub', name: 'Lab hub', url: 'https://hub.example.org/', type: 'jupyterhub', interfaces: ['lab', 'rstudio'], defaultInterface: 'lab', access: 'public', languages: ['python', 'r'] },
  { id: 'desk', name: 'Desktop hub', url: 'https://desk.example.org/', type: 'jupyterhub', interfaces: ['desktop', 'lab'], defaultInterface: 'desktop', access: 'public', languages: ['python'], jupytext: true },
];
const python = makeWorkflow({ id: 'py', title: 'Galaxy spectra', authors: ['Tamás Gál', 'Axel Donath'], language: 'python' });
const r = makeWorkflow({ id: 'r', title: 'Plots in R', authors: ['Manon Marchand'], language: 'r', path: 'plots.ipynb' });
const myst = makeWorkflow({ id: 'md', title: 'Catalog queries', authors: [], language: 'python', path: 'q.md', format: 'myst', nbformat: '4' });

async function engineFor() {
  const built = buildSearchData([python, r, myst], [], facilities);
  const payload = decodePayload(JSON.parse(JSON.stringify(encodePayload(built.payload))));
  const index = new ShardedIndex(payload.shards);
  for (const [key, docs] of built.shards) await index.add(key, JSON.parse(JSON.stringify(await exportShard(docs))));
  const engine = new SearchEngine(payload, index.lookup);
  const ids = (query: string) => engine.run(parseState(query)).hits.map((hit) => payload.docs[hit]!.id);
  return { engine, ids };
}

describe('authors and interfaces in search', () => {
  it('a person’s name finds their workflows, also by prefix and with its accents', async () => {
    const { ids } = await engineFor();
    expect(ids('?q=donath')).toEqual(['py']);
    expect(ids('?q=marchand')).toEqual(['r']);
    expect(ids('?q=gál')).toEqual(['py']);
    expect(ids('?q=don')).toEqual(['py']);
  });

  it('the Authors facet lists each person with a count and filters by them', async () => {
    const { engine, ids } = await engineFor();
    const authors = Object.fromEntries(engine.run(parseState('')).facets.author.map((item) => [item.value, item.count]));
    expect(authors).toEqual({ 'Tamás Gál': 1, 'Axel Donath': 1, 'Manon Marchand': 1 });
    expect(ids(`?author=${encodeURIComponent('Manon Marchand')}`)).toEqual(['r']);
  });

  it('the Interface facet: interfaces of the facilities a workflow runs on; RStudio only for R; a text notebook only where Jupytext is', () => {
    expect(facetValuesOf(python, undefined, facilities).interface).toEqual(['JupyterLab', 'Remote desktop']);
    expect(facetValuesOf(r, undefined, facilities).interface).toEqual(['JupyterLab', 'RStudio']);
    expect(facetValuesOf(myst, undefined, facilities)).toMatchObject({ facility: ['desk'], interface: ['JupyterLab', 'Remote desktop'] });
  });

  it('filters by interface', async () => {
    const { ids } = await engineFor();
    expect(ids('?interface=RStudio')).toEqual(['r']);
    expect(ids(`?interface=${encodeURIComponent('Remote desktop')}`).sort()).toEqual(['md', 'py']);
  });
});
