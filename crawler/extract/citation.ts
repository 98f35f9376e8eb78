/** Repository metadata from `codemeta.json` and `CITATION.cff`: authors, licence, keywords, description, homepage. */
import { parseBoundedYaml } from './yaml.js';
import { checkWebUrl } from '../../catalog/contract/web-url.js';
import { normaliseLicense } from './license.js';
import { type Json, asString, isObject } from './notebook.js';
import { htmlToText } from './text.js';

export type CitationMeta = {
  description: string | null;
  license: string | null;
  authors: string[];
  keywords: string[];
  homepage: string | null;
};

/** codemeta.json (already parsed): author/creator entries are Person or Organization objects, or strings. */
export function fromCodemeta(document: unknown): CitationMeta {
  const doc: Json = isObject(document) ? document : {};
  return {
    description: text(doc.description),
    license: normaliseLicense(isObject(doc.license) ? (doc.license.identifier ?? doc.license.url ?? doc.license['@id']) : doc.license),
    authors: people(doc.author ?? doc.creator, (person) => [person.givenName, person.familyName], (person) => person.name),
    keywords: keywordList(doc.keywords),
    homepage: webUrl(doc.url) ?? webUrl(doc.codeRepository) ?? webUrl(doc.readme),
  };
}

/** CITATION.cff (YAML text): `authors` are persons (given-names/family-names) or entities (name). */
export function fromCitationCff(yamlText: string): CitationMeta {
  const parsed: unknown = parseBoundedYaml(yamlText);
  const doc: Json = isObject(parsed) ? parsed : {};
  return {
    description: text(doc.abstract),
    license: normaliseLicense(doc.license),
    authors: people(doc.authors, (person) => [person['given-names'], person['name-particle'], person['family-names'], person['name-suffix']], (person) => person.name),
    keywords: keywordList(doc.keywords),
    homepage: webUrl(doc.url) ?? webUrl(doc['repository-code']),
  };
}

function text(value: unknown): string | null {
  const plain = typeof value === 'string' ? htmlToText(value) : '';
  return plain ? plain.slice(0, 2000) : null;
}

function people(value: unknown, parts: (person: Json) => unknown[], name: (person: Json) => unknown): string[] {
  const list = Array.isArray(value) ? value : value === undefined ? [] : [value];
  const names: string[] = [];
  for (const person of list) {
    let full: string | null = null;
    if (typeof person === 'string') full = person;
    else if (isObject(person)) {
      const joined = parts(person)
        .filter((part): part is string => typeof part === 'string' && part.trim() !== '')
        .join(' ');
      full = joined || asString(name(person));
    }
    const clean = full ? full.replace(/\s+/g, ' ').trim().slice(0, 200) : '';
    if (clean && !names.includes(clean)) names.push(clean);
  }
  return names;
}

/** Keywords as a list, or one comma-separated string (ESAP and some codemeta files write that). */
export function keywordList(value: unknown): string[] {
  const items = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : [];
  return items.filter((item): item is string => typeof item === 'string').map((item) => item.trim()).filter((item) => item && item.length <= 200);
}

/** A homepage as the catalog may keep it: the contract's one web URL rule (no look-alike hosts, controls or credentials). */
export function webUrl(value: unknown): string | null {
  const verdict = checkWebUrl(typeof value === 'string' ? value.trim() : value);
  return verdict.ok ? verdict.url.href : null;
}
