/**
 * Title and description of a notebook. Title: the sidecar metadata.json's, then notebook `metadata.title`, then the
 * first heading of the markdown cells (ATX, setext or HTML <h1>–<h6>) as plain text, then the file name.
 * Description: the sidecar's, else the first paragraph of prose after the title — plain text, cut on a word.
 */
import type { Token, Tokens } from 'marked';
import { keywordList } from './citation.js';
import type { NbCell } from './notebook.js';
import { isObject } from './notebook.js';
import { basename } from './select.js';
import { DESCRIPTION_LENGTH, cutAtWord, firstHeading, firstParagraph, htmlToText, inlineText, lex, markdownToText, squash } from './text.js';

export const TITLE_LENGTH = 200;

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
    .replace(/\.(ipynb|md|markdown|myst|mystnb|py|r|jl)$/i, '')
    .replace(/[_-]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return name || basename(path) || 'Untitled notebook';
}

export type Described = { title: string; description: string; keywords: string[]; authors: string[] };

export function describeNotebook(path: string, metadata: Record<string, unknown>, cells: NbCell[], sidecar: Sidecar | null): Described {
  const fromMetadata = typeof metadata.title === 'string' ? markdownToText(metadata.title) : '';
  const found = scanMarkdown(cells);
  const title = sidecar?.title || fromMetadata || found.heading || titleFromPath(path);
  const description = sidecar?.description ?? found.paragraph ?? '';
  return { title: cutAtWord(title, TITLE_LENGTH), description: cutAtWord(description, DESCRIPTION_LENGTH), keywords: found.keywords, authors: found.authors };
}

/**
 * Front-matter sections a tutorial puts under its title (astropy's "Authors", "Learning Goals", "Keywords"…): not
 * the description. "Keywords" and "Authors" sections are read as such.
 */
const META_SECTION = /^(authors?|contributors?|keywords?|tags|learning (goals|objectives)|objectives|goals|companion content|(table of )?contents|toc|requirements|prerequisites?|dependencies|imports?|setup|set up|installation|install|license|licence|credits|acknowledge?ments?|references|citation|how to cite|outline|agenda)\b/i;
/** How many markdown cells after the title may still hold front matter. */
const FRONT_MATTER_CELLS = 6;

type Scan = { heading: string | null; paragraph: string | null; keywords: string[]; authors: string[] };

/** Only the start of a long markdown cell is lexed: titles and front matter sit at the top (and some cells embed megabytes of base64). */
const LEX_LIMIT = 16_384;
/** Cheap pre-checks that spare the lexer cells that cannot hold what is still being looked for. */
const MAYBE_HEADING = /^ {0,3}#|^ {0,3}(=+|-+)\s*$|<h[1-6]/im;
const MAYBE_FRONT_MATTER = /^ {0,3}#{1,6}\s*(keywords?|tags|authors?|contributors?)\b/im;

/** Lexes markdown cells in order, only as far as needed: the first heading, the prose after it, front-matter sections. */
function scanMarkdown(cells: NbCell[]): Scan {
  const scan: Scan = { heading: null, paragraph: null, keywords: [], authors: [] };
  let firstProse: string | null = null;
  let section: string | null = null;
  let cellsAfterTitle = 0;
  for (const cell of cells) {
    if (cell.type !== 'markdown' || !cell.source.trim()) continue;
    const source = cell.source.length > LEX_LIMIT ? cell.source.slice(0, LEX_LIMIT) : cell.source;
    if (scan.heading === null) {
      if (firstProse !== null && !MAYBE_HEADING.test(source)) continue;
    } else {
      if (++cellsAfterTitle > FRONT_MATTER_CELLS) break;
      if (scan.paragraph !== null && !MAYBE_FRONT_MATTER.test(source)) continue;
    }
    const tokens = lex(source);
    let start = 0;
    if (scan.heading === null) {
      const first = firstHeading(tokens);
      if (!first) {
        firstProse ??= firstParagraph(tokens);
        continue;
      }
      scan.heading = first.heading.text;
      start = first.index + 1;
    }
    for (let index = start; index < tokens.length; index++) {
      const token = tokens[index]!;
      if (token.type === 'heading') {
        section = squash(inlineText(token.tokens));
        continue;
      }
      const meta = section !== null && META_SECTION.test(section);
      if (!meta) {
        if (scan.paragraph === null) scan.paragraph = withList(firstParagraph(tokens.slice(index, index + 1)), tokens.slice(index + 1).find((next) => next.type !== 'space'));
        continue;
      }
      if (token.type !== 'paragraph') continue;
      const text = squash(inlineText(token.tokens));
      if (/^keywords?|^tags/i.test(section!)) scan.keywords.push(...splitList(text));
      else if (/^(authors?|contributors?)/i.test(section!)) scan.authors.push(...splitList(text.replace(/\s*\([^)]*\)/g, '')));
    }
  }
  if (scan.paragraph === null) scan.paragraph = firstProse;
  return scan;
}

/** "In this tutorial, we will:" reads on into the list that follows it. */
function withList(paragraph: string | null, next: Token | undefined): string | null {
  if (!paragraph || !paragraph.endsWith(':') || next?.type !== 'list') return paragraph;
  const items = (next as Tokens.List).items.map((item) => squash(item.text.replace(/[\s.;]+$/, ''))).filter(Boolean);
  return items.length ? `${paragraph} ${items.join('; ')}.` : paragraph;
}

/** "a, b and c" → ["a", "b", "c"], bounded. */
function splitList(text: string): string[] {
  return text
    .split(/\s*(?:[,;]|\band\b|&)\s*/)
    .map((item) => item.replace(/[.]$/, '').trim())
    .filter((item) => item.length > 0 && item.length <= 100)
    .slice(0, 30);
}
