/**
 * The flexsearch index, split into shards by the first two characters of each word (see shardOf).
 * The build exports one flexsearch Document per shard; the browser imports only the shards its
 * query words need. Same options on both sides (documentOptions), so an import always matches.
 */
import { Document } from 'flexsearch';
import { FIELDS, documentOptions, shardOf, words, type FieldName, type IndexedDoc } from './config.js';
import type { FieldLookup } from './engine.js';

type FlexDocument = {
  add(doc: unknown): void;
  search(query: string, options: { limit: number }): Array<{ field: string; result: number[] }>;
  export(handler: (key: string | number, data: string) => void): Promise<void> | void;
  import(key: string, data: string): Promise<void> | void;
};

function newDocument(): FlexDocument {
  return new Document(documentOptions() as never) as unknown as FlexDocument;
}

/** Build time: each doc's fields cut into per-shard pieces holding only that shard's words. */
export function splitByShard(docs: readonly IndexedDoc[]): Map<string, IndexedDoc[]> {
  const shards = new Map<string, IndexedDoc[]>();
  for (const doc of docs) {
    const pieces = new Map<string, IndexedDoc>();
    for (const { field } of FIELDS) {
      for (const word of words(doc[field])) {
        const key = shardOf(word);
        let piece = pieces.get(key);
        if (!piece) {
          piece = { i: doc.i, ...(Object.fromEntries(FIELDS.map(({ field: name }) => [name, ''])) as Record<FieldName, string>) };
          pieces.set(key, piece);
        }
        piece[field] = piece[field] ? `${piece[field]} ${word}` : word;
      }
    }
    for (const [key, piece] of pieces) {
      const list = shards.get(key);
      if (list) list.push(piece);
      else shards.set(key, [piece]);
    }
  }
  return new Map([...shards.entries()].sort(([a], [b]) => (a < b ? -1 : 1)));
}

/** Build time: one shard's flexsearch export, `{ key: data }`. */
export async function exportShard(docs: readonly IndexedDoc[]): Promise<Record<string, string>> {
  const index = newDocument();
  for (const doc of docs) index.add(doc);
  const files: Record<string, string> = {};
  await index.export((key, data) => {
    files[String(key)] = data;
  });
  return files;
}

/** Browser (and tests): the shards loaded so far, and the lookup the search engine runs on. */
export class ShardedIndex {
  private readonly loaded = new Map<string, FlexDocument>();
  private readonly available: ReadonlySet<string>;

  constructor(available: Iterable<string>) {
    this.available = new Set(available);
  }

  /** Shards the given query words need that exist and are not loaded yet. */
  missing(terms: readonly string[]): string[] {
    return [...new Set(terms.map(shardOf))].filter((key) => this.available.has(key) && !this.loaded.has(key));
  }

  async add(key: string, exported: Record<string, string>): Promise<void> {
    const index = newDocument();
    for (const [name, data] of Object.entries(exported)) await index.import(name, data);
    this.loaded.set(key, index);
  }

  readonly lookup: FieldLookup = (term, limit) => this.loaded.get(shardOf(term))?.search(term, { limit }) ?? [];
}
