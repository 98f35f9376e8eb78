/**
 * The home page's search, in the browser. Nothing heavy loads until the user shows intent (focus,
 * keystroke, a filter click) or arrives with a search in the URL; then flexsearch, the exported index
 * and the card payload load once, and every change re-runs the search synchronously.
 * The URL always holds the state (query, filters, sort), so searches are shareable and Back works.
 */
import { decodePayload, FACETS, type SearchPayload, type SortKey, type WirePayload } from '../lib/search/config.js';
import { queryTerms, SearchEngine } from '../lib/search/engine.js';
import { PAGE_SIZE, resultsHeading } from '../lib/search/page.js';
import { emptyFilters, isEmptyState, parseState, stateToQuery, type SearchState } from '../lib/search/state.js';
import { cardHtml, facetsHtml } from '../lib/search/view.js';

type Loaded = { engine: SearchEngine; payload: SearchPayload; prepare: (query: string) => Promise<void> };

const root = document.querySelector<HTMLElement>('[data-search]');
if (root) start(root);

function start(root: HTMLElement): void {
  const base = root.dataset.base ?? '/';
  const input = root.querySelector<HTMLInputElement>('#q')!;
  const form = root.querySelector<HTMLFormElement>('#search-form')!;
  const sortSelect = root.querySelector<HTMLSelectElement>('#sort')!;
  const facetsBox = root.querySelector<HTMLElement>('#facets')!;
  const results = root.querySelector<HTMLOListElement>('#results')!;
  const heading = root.querySelector<HTMLElement>('#results-heading')!;
  const noResults = root.querySelector<HTMLElement>('#no-results')!;
  const more = root.querySelector<HTMLButtonElement>('#more-results')!;
  const clear = root.querySelector<HTMLButtonElement>('#clear-filters')!;
  const toggle = root.querySelector<HTMLButtonElement>('#filters-toggle')!;
  const aside = root.querySelector<HTMLElement>('.facets')!;

  let state: SearchState = parseState(location.search);
  let shown = PAGE_SIZE;
  const expanded = new Set<string>();
  let loading: Promise<Loaded> | null = null;

  function load(): Promise<Loaded> {
    loading ??= (async () => {
      const [{ ShardedIndex }, wire] = await Promise.all([import('../lib/search/shards.js'), fetchJson<WirePayload>(root.dataset.docs!)]);
      const payload = decodePayload(wire);
      const index = new ShardedIndex(payload.shards);
      const pending = new Map<string, Promise<void>>();
      // Fetches the index shards a query's words need (once each); the search itself then runs synchronously.
      const prepare = async (query: string) => {
        await Promise.all(
          index.missing(queryTerms(query)).map((key) => {
            let request = pending.get(key);
            if (!request) {
              request = fetchJson<Record<string, string>>(`${root.dataset.shards}/${key}.json`).then((data) => index.add(key, data));
              pending.set(key, request);
            }
            return request;
          }),
        );
      };
      const engine = new SearchEngine(payload, index.lookup);
      // A stable hook for scripts and the benchmark: load what a query needs, run it without touching the page.
      (window as unknown as { idaCatalogSearch: unknown }).idaCatalogSearch = {
        prepare,
        run: (q: string) => engine.run({ q, sort: null, filters: emptyFilters() }).hits.length,
      };
      return { engine, payload, prepare };
    })();
    loading.catch(() => {
      heading.textContent = 'The search index could not be loaded. Reload the page to try again.';
      loading = null;
    });
    return loading;
  }

  let generation = 0;
  async function render(): Promise<void> {
    const { engine, payload, prepare } = await load();
    const mine = ++generation;
    await prepare(state.q);
    // A newer keystroke may have rendered while this one waited for its shards.
    if (mine !== generation) return;
    const result = engine.run(state);
    const cards = result.hits.slice(0, shown).map((index) => `<li>${cardHtml(payload.docs[index]!, payload, base, base)}</li>`);
    results.innerHTML = cards.join('');
    heading.textContent = resultsHeading(result.hits.length, state.q);
    noResults.hidden = result.hits.length > 0;
    more.hidden = result.hits.length <= shown;
    facetsBox.innerHTML = facetsHtml(result.facets, payload, expanded);
    sortSelect.value = result.sort;
    clear.hidden = FACETS.every(({ key }) => state.filters[key].length === 0);
    root.dataset.ready = 'true';
  }

  function commit(mode: 'push' | 'replace'): void {
    const url = `${location.pathname}${stateToQuery(state)}${location.hash}`;
    if (url !== `${location.pathname}${location.search}${location.hash}`) history[mode === 'push' ? 'pushState' : 'replaceState'](null, '', url);
    shown = PAGE_SIZE;
    void render();
  }

  input.value = state.q;
  if (state.sort) sortSelect.value = state.sort;
  if (!isEmptyState(state)) void render();

  input.addEventListener('focus', () => void load(), { once: true });
  let typing: number | undefined;
  let typingPushed = false;
  input.addEventListener('input', () => {
    state = { ...state, q: input.value };
    // The first keystroke of a new query makes a history entry; the rest of the word refines it.
    commit(typingPushed ? 'replace' : 'push');
    typingPushed = true;
    window.clearTimeout(typing);
    typing = window.setTimeout(() => (typingPushed = false), 1500);
  });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    state = { ...state, q: input.value };
    commit('push');
    results.querySelector<HTMLAnchorElement>('.card-title a')?.focus();
  });
  sortSelect.addEventListener('change', () => {
    state = { ...state, sort: sortSelect.value as SortKey };
    commit('push');
  });
  facetsBox.addEventListener('change', (event) => {
    const box = event.target as HTMLInputElement;
    if (box.type !== 'checkbox') return;
    const key = box.name as keyof SearchState['filters'];
    const values = state.filters[key].filter((value) => value !== box.value);
    state = { ...state, filters: { ...state.filters, [key]: box.checked ? [...values, box.value] : values } };
    commit('push');
  });
  facetsBox.addEventListener('click', (event) => {
    const button = (event.target as HTMLElement).closest<HTMLButtonElement>('.facet-more');
    if (!button?.dataset.facet) return;
    const key = button.dataset.facet;
    if (expanded.has(key)) expanded.delete(key);
    else expanded.add(key);
    void render().then(() => facetsBox.querySelector<HTMLButtonElement>(`.facet-more[data-facet="${key}"]`)?.focus());
  });
  clear.addEventListener('click', () => {
    state = { ...state, filters: emptyFilters() };
    commit('push');
    input.focus();
  });
  more.addEventListener('click', () => {
    const first = shown;
    shown += PAGE_SIZE;
    void render().then(() => results.querySelectorAll<HTMLAnchorElement>('.card-title a')[first]?.focus());
  });
  toggle.addEventListener('click', () => {
    const open = aside.dataset.collapsed === 'true';
    aside.dataset.collapsed = open ? 'false' : 'true';
    toggle.setAttribute('aria-expanded', String(open));
    toggle.textContent = open ? 'Hide filters' : 'Show filters';
  });
  window.addEventListener('popstate', () => {
    state = parseState(location.search);
    input.value = state.q;
    shown = PAGE_SIZE;
    void render();
  });

  // Keyboard: ↓ from the box enters the results; ↑/↓ move between them; Esc goes back to the box.
  root.addEventListener('keydown', (event) => {
    const links = [...results.querySelectorAll<HTMLAnchorElement>('.card-title a')];
    const at = links.indexOf(document.activeElement as HTMLAnchorElement);
    if (event.key === 'ArrowDown' && (document.activeElement === input || at >= 0)) {
      links[Math.min(at + 1, links.length - 1)]?.focus();
      event.preventDefault();
    } else if (event.key === 'ArrowUp' && at >= 0) {
      (at === 0 ? input : links[at - 1]!).focus();
      event.preventDefault();
    } else if (event.key === 'Escape' && at >= 0) {
      input.focus();
    }
  });
  results.addEventListener('focusin', (event) => {
    for (const item of results.children) item.removeAttribute('data-active');
    (event.target as HTMLElement).closest('li')?.setAttribute('data-active', 'true');
  });
}

async function fetchJson<T>(url: string): Promise<T> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return (await response.json()) as T;
}
