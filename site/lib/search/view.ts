/**
 * HTML for result cards and facet lists, as strings. The same code draws the first, pre-rendered
 * results at build time and every later result in the browser. Every interpolated value is escaped:
 * titles and keywords come from crawled repositories.
 */
import { FACETS, WORKFLOW_TYPE_LABELS, docPath, type CompactDoc, type FacetKey, type SearchPayload } from './config.js';
import type { FacetCount } from './engine.js';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (char) => ESCAPES[char]!);
}

function join(base: string, path: string): string {
  return `${base.replace(/\/?$/, '/')}${path}`;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "2024-05-02" → "2 May 2024", the same in every locale and time zone. */
export function formatDay(day: string): string {
  const [year, month, date] = day.split('-');
  return `${Number(date)} ${MONTHS[Number(month) - 1] ?? ''} ${year}`;
}

/** The display label of a facet value. `value` comes from the URL (`?facility=constructor`): only own keys count. */
export function facetLabel(payload: Pick<SearchPayload, 'labels'>, key: FacetKey, value: string): string {
  const labels = payload.labels[key];
  return labels && Object.hasOwn(labels, value) && typeof labels[value] === 'string' ? labels[value] : value;
}

const CARD_KEYWORDS = 4;

export function cardHtml(doc: CompactDoc, payload: SearchPayload, base: string, searchPath: string): string {
  const languageFacet = FACETS.findIndex((facet) => facet.key === 'language');
  const language = doc.f[languageFacet]?.map((index) => payload.dict.language[index]).join(', ') ?? '';
  const keywordFacet = FACETS.findIndex((facet) => facet.key === 'keyword');
  const keywords = (doc.f[keywordFacet] ?? [])
    .slice(0, CARD_KEYWORDS)
    .map((index) => payload.dict.keyword[index]!)
    .map((keyword) => `<li><a href="${escapeHtml(`${searchPath}?keyword=${encodeURIComponent(keyword)}`)}">${escapeHtml(keyword)}</a></li>`)
    .join('');
  const typeFacet = FACETS.findIndex((facet) => facet.key === 'type');
  // A curated entry (desktop tool, container image) says what it is where a notebook names its repository.
  const type = (doc.f[typeFacet] ?? []).map((index) => payload.dict.type[index]!).find((value) => value !== WORKFLOW_TYPE_LABELS.notebook);
  const thumb = doc.m
    ? `<img class="card-thumb" src="${escapeHtml(join(base, `workflows/${doc.id}/thumbnail.${doc.m}`))}" alt="" width="96" height="72" loading="lazy" decoding="async">`
    : `<span class="card-thumb card-thumb-empty" aria-hidden="true">${escapeHtml(type ? type.slice(0, 2).toLowerCase() : language.slice(0, 2) || 'nb')}</span>`;
  const stars = doc.s >= 0 ? `<span class="card-stars" title="Repository stars"><span aria-hidden="true">★</span> ${doc.s}<span class="visually-hidden"> stars</span></span>` : '';
  const updated = doc.u ? `<span>Updated <time datetime="${escapeHtml(doc.u)}">${escapeHtml(formatDay(doc.u))}</time></span>` : '';
  return `<article class="card">${thumb}<div class="card-body"><h3 class="card-title"><a href="${escapeHtml(join(base, docPath(doc, payload)))}">${escapeHtml(doc.t)}</a></h3>
<p class="card-meta"><span class="card-repo">${escapeHtml(type ?? payload.dict.repository[doc.r] ?? '')}</span>${language ? `<span class="badge">${escapeHtml(language)}</span>` : ''}${updated}${stars}</p>
${keywords ? `<ul class="card-keywords" aria-label="Keywords">${keywords}</ul>` : ''}</div></article>`;
}

/** Values shown per facet before "show all". */
export const FACET_VISIBLE = 8;

export function facetsHtml(facets: Record<FacetKey, FacetCount[]>, payload: Pick<SearchPayload, 'labels'>, expanded: ReadonlySet<string>): string {
  return FACETS.filter(({ key }) => facets[key].length > 0)
    .map(({ key, label }) => {
      const all = facets[key];
      const shown = expanded.has(key) ? all : all.slice(0, FACET_VISIBLE);
      const items = shown
        .map(
          (item) =>
            `<li><label><input type="checkbox" name="${key}" value="${escapeHtml(item.value)}"${item.selected ? ' checked' : ''}><span class="facet-value">${escapeHtml(facetLabel(payload, key, item.value))}</span><span class="facet-count">${item.count}</span></label></li>`,
        )
        .join('');
      const more =
        all.length > FACET_VISIBLE
          ? `<button type="button" class="facet-more" data-facet="${key}" aria-expanded="${expanded.has(key)}">${expanded.has(key) ? 'Show fewer' : `Show all ${all.length}`}</button>`
          : '';
      return `<fieldset class="facet" data-facet="${key}"><legend>${escapeHtml(label)}</legend><ul>${items}</ul>${more}</fieldset>`;
    })
    .join('');
}
