/** ESAP's envelope for /api/facilities.json, and the keyword filter the /facilities/ page runs. */
import { describe, expect, it } from 'vitest';
import { FacilitiesPage, type Facility } from '../../catalog/contract/index.js';
import { facilitiesPage } from '../../site/lib/facilities-api.js';
import { matchesKeyword, searchText, sortFacilities } from '../../site/lib/facilities-search.js';

function facility(id: string, name: string, extra: Partial<Facility> = {}): Facility {
  return { id, name, url: `https://${id}.example.org/`, type: 'jupyterhub', interfaces: ['lab'], defaultInterface: 'lab', access: 'public', ...extra };
}

const many = Array.from({ length: 120 }, (_, index) => facility(`hub-${String(index).padStart(3, '0')}`, `Hub ${String(index).padStart(3, '0')}`));

describe('facilitiesPage (ESAP envelope)', () => {
  it('has every field of ESAP\'s envelope, and validates against the contract', () => {
    const page = facilitiesPage(many);
    expect(Object.keys(page)).toEqual([
      'description',
      'version',
      'requested_page',
      'requested_page_size',
      'default_page_size',
      'max_page_size',
      'count',
      'pages',
      'results',
    ]);
    expect(page).toMatchObject({ requested_page: 1, requested_page_size: 50, default_page_size: 50, max_page_size: 500, count: 120, pages: 3 });
    expect(page.results).toHaveLength(50);
    expect(FacilitiesPage.safeParse(page).success).toBe(true);
  });

  it('pages through, clamps sizes to 1…500 and gives an empty page past the end', () => {
    expect(facilitiesPage(many, { page: 3 }).results.map((f) => f.id)).toEqual(many.slice(100).map((f) => f.id));
    expect(facilitiesPage(many, { page: 9 })).toMatchObject({ requested_page: 9, results: [] });
    expect(facilitiesPage(many, { pageSize: 10_000 })).toMatchObject({ requested_page_size: 500, pages: 1 });
    expect(facilitiesPage(many, { pageSize: 0, page: -4 })).toMatchObject({ requested_page_size: 1, requested_page: 1, pages: 120 });
    expect(facilitiesPage([])).toMatchObject({ count: 0, pages: 0, results: [] });
  });

  it('orders results by name, case-insensitively, then id', () => {
    const list = [facility('b', 'beta'), facility('a2', 'Alpha'), facility('a1', 'alpha')];
    expect(facilitiesPage(list).results.map((f) => f.id)).toEqual(['a1', 'a2', 'b']);
    expect(sortFacilities(list).map((f) => f.id)).toEqual(['a1', 'a2', 'b']);
  });
});

describe('keyword filter', () => {
  const roe = searchText(facility('roe', 'ROE Edinburgh JupyterHub', { description: 'Royal Observatory', url: 'https://jupyterhub.roe.ac.uk/' }));

  it.each([
    ['edinburgh', true],
    ['EDINBURGH', true],
    ['observatory', true],
    ['roe.ac.uk', true],
    ['  ', true],
    ['', true],
    ['edinburgh royal', true],
    ['edinburgh binder', false],
    ['binder', false],
  ])('"%s" matches: %s', (keyword, expected) => {
    expect(matchesKeyword(roe, keyword)).toBe(expected);
  });

  it('does not match across field boundaries', () => {
    expect(matchesKeyword(searchText(facility('x', 'Alpha', { description: 'Beta' })), 'alphabeta')).toBe(false);
  });
});
