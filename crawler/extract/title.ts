/**
 * Title and description of a notebook. Title: the sidecar metadata.json's, then notebook `metadata.title`, then the
 * first heading of the markdown cells (ATX, setext or HTML <h1>–<h6>) as plain text, then the file name.
 * Description: the sidecar's, else the first paragraph of prose after the title — plain text, cut on a word.
 */
import { keywordList } from './citation.js';
import type { NbCell } from './notebook.js';
import { asString, isObject } from './notebook.js';
import { basename } from './select.js';
import { cutAtWord, firstHeading, firstParagraph, htmlToText, lex, markdownToText } from './text.js';

export const TITLE_LENGTH = 200;
export const DESCRIPTION_LENGTH = 300;

/** ESAP's metadata.json beside a notebook: `keywords`, `description`, maybe `title`/`name`, `author(s)`. */
export type Sidecar = { title: string | null; description: string | null; keywords: string[]; authors: string[] };

export function sidecarOf(value: unknown): Sidecar | null {
  if (!isObject(value)) return null;
  const plain = (field: unknown) => {
    const text = typeof field === 'string' ? htmlToText(field) : '';
    return text || null;
  };
  return {
    title: plain(value.title) ?? plain(value.name),
    description: plain(value.description),
    keywords: keywordList(value.keywords),
    authors: [...keywordList(value.authors), ...keywordList(value.author)],
  };
}

export function titleFromPath(path: string): string {
  const name = basename(path)
    .replace(/\.ipynb$/i, '')
    .replace(/[_-]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return name || basename(path) || 'Untitled notebook';
}

export type Described = { title: string; description: string };

export function describeNotebook(path: string, metadata: Record<string, unknown>, cells: NbCell[], sidecar: Sidecar | null): Described {
  const fromMetadata = typeof metadata.title === 'string' ? markdownToText(metadata.title) : '';
  const needHeading = !sidecar?.title && !fromMetadata;
  const needParagraph = !sidecar?.description;
  const found = needHeading || needParagraph ? scanMarkdown(cells, needParagraph) : { heading: null, paragraph: null };
  const title = sidecar?.title || fromMetadata || found.heading || titleFromPath(path);
  const description = sidecar?.description ?? found.paragraph ?? (asString(metadata.description) ? markdownToText(metadata.description as string) : '');
  return { title: cutAtWord(title, TITLE_LENGTH), description: cutAtWord(description, DESCRIPTION_LENGTH) };
}

/** Lexes markdown cells in order, only as far as needed to find the first heading and the prose after it. */
function scanMarkdown(cells: NbCell[], wantParagraph: boolean): { heading: string | null; paragraph: string | null } {
  let heading: string | null = null;
  let paragraph: string | null = null;
  let firstProse: string | null = null;
  for (const cell of cells) {
    if (cell.type !== 'markdown' || !cell.source.trim()) continue;
    const tokens = lex(cell.source);
    if (heading === null) {
      const first = firstHeading(tokens);
      if (first) {
        heading = first.heading.text;
        if (!wantParagraph) break;
        paragraph = firstParagraph(tokens, first.index + 1);
      } else if (wantParagraph && firstProse === null) {
        firstProse = firstParagraph(tokens);
      }
    } else {
      paragraph = firstParagraph(tokens);
    }
    if (heading !== null && (paragraph !== null || !wantParagraph)) break;
  }
  return { heading, paragraph: paragraph ?? firstProse };
}
