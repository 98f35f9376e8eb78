/** Which facilities a curated workflow can run on, and the links the Launch panel gets; the search sees the same. */
import { describe, expect, it } from 'vitest';
import { CuratedWorkflow, type Facility } from '../../catalog/contract/index.js';
import { curatedLaunchChoices, hubPageUrl, offersImage } from '../../site/lib/launch/index.js';
import { buildSearchData } from '../../site/lib/search/build.js';
import { decodePayload, docPath, encodePayload, FACETS } from '../../site/lib/search/config.js';
import { SearchEngine } from '../../site/lib/search/engine.js';
import { ShardedIndex, exportShard } from '../../site/lib/search/shards.js';
import { emptyFilters } from '../../site/lib/search/state.js';
import { cardHtml } from '../../site/lib/search/view.js';
import { basicWorkflows } from '../fixtures/site/catalogs.js';
import { facility } from './fixtures.js';

const desktopTool = CuratedWorkflow.parse({ id: 'topcat', title: 'TOPCAT', workflowType: 'desktop', description: 'Tables.', homepage: 'https://topcat.example.org/', keywords: ['tables'] });
const image = (reference: string) =>
  CuratedWorkflow.parse({ id: 'img', title: 'Image', workflowType: 'container', image: reference, description: 'An image.', homepage: 'https://img.example.org/', languages: ['python'] });

const facilities: Facility[] = [
  facility({ id: 'desk', name: 'Desk', url: 'https://desk.example.org/hub/', interfaces: ['lab', 'desktop'] }),
  facility({ id: 'desk-restricted', name: 'Aardvark', url: 'https://a.example.org/', interfaces: ['desktop'], defaultInterface: 'desktop', access: 'restricted' }),
  facility({ id: 'plain', name: 'Plain', url: 'https://plain.example.org/', images: ['jupyter/scipy-notebook:2023-10-20'] }),
  facility({ id: 'binder', name: 'Binder', type: 'binderhub', url: 'https://binder.example.org/', interfaces: ['lab', 'desktop'], images: ['jupyter/scipy-notebook'] }),
  facility({ id: 'rosetta', name: 'Rosetta', type: 'other', url: 'https://rosetta.example.org/', interfaces: ['notebook', 'desktop'], defaultInterface: 'notebook', images: ['jupyter/scipy-notebook'] }),
];

describe('curatedLaunchChoices', () => {
  it('a desktop tool: JupyterHubs with a desktop, public first, linked to the user-redirect desktop; other platforms named without a link', () => {
    const { launchable, others, caveat } = curatedLaunchChoices(desktopTool, facilities);
    expect(launchable.map((choice) => [choice.id, choice.interfaces.map((item) => `${item.ui} ${item.label} ${item.href}`)])).toEqual([
      ['desk', ['desktop Remote desktop https://desk.example.org/hub/user-redirect/desktop/']],
      ['desk-restricted', ['desktop Remote desktop https://a.example.org/hub/user-redirect/desktop/']],
    ]);
    expect(others).toEqual([{ id: 'rosetta', name: 'Rosetta', notes: ['no Launch link: open its remote desktop there yourself'] }]);
    expect(caveat).toContain('start TOPCAT there');
  });

  it('a container image: facilities listing it (a tag must agree when both name one), at the hub\'s start page; never a BinderHub', () => {
    const tagged = curatedLaunchChoices(image('jupyter/scipy-notebook:2023-10-20'), facilities);
    expect(tagged.launchable.map((choice) => [choice.id, choice.interfaces.map((item) => `${item.ui} ${item.href}`)])).toEqual([['plain', ['lab https://plain.example.org/hub/spawn']]]);
    expect(tagged.others.map((other) => other.id)).toEqual(['rosetta']);
    expect(curatedLaunchChoices(image('jupyter/scipy-notebook:2024-01-01'), facilities).launchable).toEqual([]);
    expect(curatedLaunchChoices(image('jupyter/scipy-notebook'), facilities).launchable.map((choice) => choice.id)).toEqual(['plain']);
    const nobody = curatedLaunchChoices(image('example/other'), facilities);
    expect([nobody.launchable, nobody.others]).toEqual([[], []]);
  });

  it('offersImage compares names without docker.io/ and tags', () => {
    expect(offersImage({ images: ['docker.io/jupyter/scipy-notebook'] }, 'jupyter/scipy-notebook:x')).toBe(true);
    expect(offersImage({ images: ['jupyter/scipy-notebook-extra'] }, 'jupyter/scipy-notebook')).toBe(false);
    expect(offersImage({}, 'jupyter/scipy-notebook')).toBe(false);
  });

  it('hubPageUrl drops a pasted /hub/ suffix and refuses paths that leave the user server', () => {
    expect(hubPageUrl('https://hub.example.org/prefix/hub/home', { spawn: true })).toBe('https://hub.example.org/prefix/hub/spawn');
    expect(hubPageUrl('https://hub.example.org/', { userPath: 'desktop/' })).toBe('https://hub.example.org/hub/user-redirect/desktop/');
    expect(hubPageUrl('https://hub.example.org/', { userPath: '../admin' })).toBeNull();
    expect(hubPageUrl('javascript:alert(1)', { spawn: true })).toBeNull();
  });
});

describe('curated entries in the search', () => {
  it('come after the notebooks, with a type facet, no date or repository, and survive the wire format', async () => {
    const built = buildSearchData(basicWorkflows, [], facilities, [desktopTool, image('jupyter/scipy-notebook')]);
    const payload = decodePayload(JSON.parse(JSON.stringify(encodePayload(built.payload))));
    expect(payload).toEqual(built.payload);
    const [tool, container] = payload.docs.slice(-2);
    expect([tool!.id, tool!.u, tool!.r, container!.id]).toEqual(['topcat', '', -1, 'img']);
    expect(docPath(tool!, payload)).toBe('curated/topcat/');
    expect(docPath(payload.docs[0]!, payload)).toBe(`workflows/${payload.docs[0]!.id}/`);
    const facet = (key: string, doc = tool!) => doc.f[FACETS.findIndex((item) => item.key === key)]!.map((index) => payload.dict[key as 'type'][index]);
    expect(facet('type')).toEqual(['Desktop tool']);
    expect(facet('facility')).toEqual(['desk', 'desk-restricted', 'rosetta']);
    expect(facet('interface')).toEqual(['Remote desktop']);
    expect(facet('type', container)).toEqual(['Container image']);
    expect(facet('language', container)).toEqual(['Python']);
    expect(facet('type', payload.docs[0])).toEqual(['Notebook']);

    const index = new ShardedIndex(payload.shards);
    for (const [key, docs] of built.shards) await index.add(key, JSON.parse(JSON.stringify(await exportShard(docs))));
    const engine = new SearchEngine(payload, index.lookup);
    const titles = (q: string, filters = emptyFilters()) => engine.run({ q, sort: null, filters }).hits.map((hit) => payload.docs[hit]!.t);
    expect(titles('topcat')).toEqual(['TOPCAT']);
    expect(titles('scipy')).toContain('Image');
    expect(titles('', { ...emptyFilters(), type: ['Desktop tool'] })).toEqual(['TOPCAT']);

    const card = cardHtml(tool!, payload, '/base/', '/base/');
    expect(card).toContain('href="/base/curated/topcat/"');
    expect(card).toContain('<span class="card-repo">Desktop tool</span>');
    expect(card).not.toContain('Updated');
  });
});
