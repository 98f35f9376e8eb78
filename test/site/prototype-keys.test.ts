/**
 * Untrusted keys never reach Object.prototype: a facet value from the URL (`/?facility=constructor`), a
 * notebook's language, a remembered preference. Each lookup of such a key in a table answers as for any
 * unknown key.
 */
import { describe, expect, it } from 'vitest';
import { buildSearchData } from '../../site/lib/search/build.js';
import { decodePayload, encodePayload } from '../../site/lib/search/config.js';
import { SearchEngine } from '../../site/lib/search/engine.js';
import { parseState } from '../../site/lib/search/state.js';
import { facetLabel, facetsHtml } from '../../site/lib/search/view.js';
import { initialChoice } from '../../site/lib/launch/choices.js';
import { languageLabel } from '../../site/lib/launch/compatibility.js';
import { prismLanguage } from '../../site/lib/highlight.js';
import { basicWorkflows } from '../fixtures/site/catalogs.js';
import type { Facility } from '../../catalog/contract/index.js';

const PROTOTYPE_KEYS = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__'];

const facilities: Facility[] = [
  { id: 'mybinder', name: 'MyBinder', url: 'https://mybinder.org/', type: 'binderhub', interfaces: ['lab'], defaultInterface: 'lab', access: 'public' },
];

describe('lookups of untrusted keys', () => {
  it.each(PROTOTYPE_KEYS)('a facet value %j from the URL is labelled as itself', (key) => {
    // As the browser has it: the payload through JSON, labels a plain object.
    const payload = decodePayload(JSON.parse(JSON.stringify(encodePayload(buildSearchData(basicWorkflows, [], facilities).payload))));
    expect(facetLabel(payload, 'facility', 'mybinder')).toBe('MyBinder');
    expect(facetLabel(payload, 'facility', key)).toBe(key);
    expect(facetLabel(payload, 'language', key)).toBe(key);
    const engine = new SearchEngine(payload, () => []);
    const result = engine.run(parseState(`?facility=${encodeURIComponent(key)}`));
    expect(result.hits).toEqual([]);
    const html = facetsHtml(result.facets, payload, new Set());
    expect(html).toContain(`<span class="facet-value">${key}</span><span class="facet-count">0</span>`);
    expect(html).not.toMatch(/function|native code|\[object/);
  });

  it.each(PROTOTYPE_KEYS)('a notebook language %j gets a label made from its name', (key) => {
    const lower = key.toLowerCase();
    expect(languageLabel(key)).toBe(lower.charAt(0).toUpperCase() + lower.slice(1));
  });

  it.each(PROTOTYPE_KEYS)('a highlighter language %j is not renamed', (key) => {
    expect(prismLanguage(key)).toBe(key);
  });

  it('a remembered interface is read from the preference\'s own keys only', () => {
    const choices = [{ id: 'constructor', interfaces: [{ ui: 'lab' as const }, { ui: 'notebook' as const }] }];
    expect(initialChoice(choices, { facility: 'constructor', interfaces: {} })?.ui.ui).toBe('lab');
    expect(initialChoice(choices, { facility: 'constructor', interfaces: { constructor: 'notebook' } })?.ui.ui).toBe('notebook');
  });
});
