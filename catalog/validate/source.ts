/**
 * A parsed YAML (or JSON) document that can say where a field is: a zod issue path maps to the node's
 * line:column through the `yaml` library's LineCounter. JSON sources parse lazily, only when a problem
 * needs a position, so a valid catalog file never pays for a second parse.
 */
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import type { FieldPath, Position } from './problem.js';

export type Located = {
  /** The node the path names, or the deepest existing collection on the way to it. */
  position: Position;
  /** False when the path runs past what the document holds (a missing field: points at its mapping). */
  found: boolean;
};

export type ParseOptions = {
  /** Aliases expand to any size when read; most hand-written files never need them. Default: refused. */
  aliases?: boolean;
  /** With aliases allowed: the most alias expansions a document may make (yaml's own guard). */
  maxAliasCount?: number;
};

export class DocumentSource {
  readonly file: string;
  readonly text: string;
  private parsed: { doc: Document.Parsed; lines: LineCounter } | null = null;

  constructor(file: string, text: string, parsed?: { doc: Document.Parsed; lines: LineCounter }) {
    this.file = file;
    this.text = text;
    this.parsed = parsed ?? null;
  }

  static parse(file: string, text: string): DocumentSource {
    const lines = new LineCounter();
    // uniqueKeys: a repeated key is an error with its position, not a silent overwrite.
    const doc = parseDocument(text, { lineCounter: lines, prettyErrors: true, uniqueKeys: true, keepSourceTokens: false });
    return new DocumentSource(file, text, { doc, lines });
  }

  get document(): Document.Parsed {
    return this.ensure().doc;
  }

  positionOf(offset: number): Position {
    const { line, col } = this.ensure().lines.linePos(offset);
    return { line, col };
  }

  /** Where the value at `path` is; with `key: true`, where its key is (for an unknown key). */
  locate(path: FieldPath, options: { key?: boolean } = {}): Located {
    const { doc } = this.ensure();
    let node: unknown = doc.contents;
    let keyNode: Node | null = null;
    for (const segment of path) {
      const next = childOf(node, segment);
      if (!next) return { position: this.start(node), found: false };
      node = next.value ?? next.key;
      keyNode = next.key;
    }
    return { position: this.start(options.key && keyNode ? keyNode : node), found: true };
  }

  private start(node: unknown): Position {
    const range = (node as Node | null)?.range;
    return this.positionOf(range ? range[0] : 0);
  }

  private ensure(): { doc: Document.Parsed; lines: LineCounter } {
    if (!this.parsed) {
      const lines = new LineCounter();
      this.parsed = { doc: parseDocument(this.text, { lineCounter: lines, uniqueKeys: false }), lines };
    }
    return this.parsed;
  }
}

function childOf(node: unknown, segment: string | number): { key: Node | null; value: Node | null } | null {
  if (isMap(node)) {
    for (const pair of node.items) {
      if (isPair(pair) && isScalar(pair.key) && String(pair.key.value) === String(segment)) {
        return { key: pair.key as Node, value: (pair.value as Node | null) ?? null };
      }
    }
    return null;
  }
  if (isSeq(node) && typeof segment === 'number') {
    const item = node.items[segment] as Node | undefined;
    return item ? { key: null, value: item } : null;
  }
  return null;
}
