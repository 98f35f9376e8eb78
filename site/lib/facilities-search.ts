/**
 * The facility keyword filter, shared by the /facilities/ page script (in the browser) and the tests.
 * Like ESAP's facility search, a keyword matches case-insensitively anywhere in name, description or url;
 * a keyword of several words matches when every word does.
 */
import type { Facility } from '../../catalog/contract/index.js';

export type Searchable = Pick<Facility, 'name' | 'url'> & { description?: string | undefined };

/** The text a keyword is matched against, lower-cased once. */
export function searchText(facility: Searchable): string {
  return [facility.name, facility.description ?? '', facility.url].join('\n').toLocaleLowerCase('en');
}

export function keywordTerms(keyword: string): string[] {
  return keyword.toLocaleLowerCase('en').split(/\s+/).filter(Boolean);
}

export function matchesKeyword(text: string, keyword: string): boolean {
  return keywordTerms(keyword).every((term) => text.includes(term));
}

/** Listing order: by name, case-insensitively, then by id, so the page and the API agree. */
export function sortFacilities<T extends Pick<Facility, 'name' | 'id'>>(facilities: readonly T[]): T[] {
  return [...facilities].sort((a, b) => a.name.localeCompare(b.name, 'en', { sensitivity: 'base' }) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
