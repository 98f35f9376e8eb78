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
import { DESCRIPTION_LENGTH, cutAtWord, firstParagraph, headingAt, htmlToText, inlineText, lex, markdownToText, squash } from './text.js';

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
  const fromContent = unquote(fromMetadata || found.heading || '');
  const title = sidecar?.title || (fromContent ? withVariant(fromContent, path) : titleFromPath(path));
  const description = sidecar?.description ?? found.paragraph ?? '';
  return { title: cutAtWord(title, TITLE_LENGTH), description: cutAtWord(description, DESCRIPTION_LENGTH), keywords: found.keywords, authors: found.authors };
}

/** "\"Title\"" → "Title": quotes around a whole heading are decoration. */
function unquote(title: string): string {
  const quoted = /^["“'‘](.+)["”'’]$/.exec(title);
  // "Catalog __ First steps": a file-name separator copied into the heading reads as a dash.
  return (quoted ? quoted[1]!.trim() : title).replace(/\s+_{2,}\s+/g, ' – ');
}

/** A solution notebook by its file name: "2. NumPy Exercises - Solutions.ipynb", "Classification_SOLUTIONS.ipynb". */
const SOLUTION_FILE = /(?:^|[^a-z])(?:solutions?|soln|answers?)(?:[^a-z]|$)/i;

/**
 * Exercise and solution notebooks usually share their title (the solution is the exercise, filled in): the
 * solution's title says so when its file name does and its heading does not.
 */
function withVariant(title: string, path: string): string {
  const name = basename(path).replace(/\.[^.]+$/, '');
  return SOLUTION_FILE.test(name) && !/solution|answer/i.test(title) ? `${title} (solution)` : title;
}

/**
 * Front-matter sections a tutorial puts under its title (astropy's "Authors", "Learning Goals", "Keywords"…): not
 * the description. "Keywords" and "Authors" sections are read as such.
 */
const META_NAMES = /(authors?|contributors?|keywords?|tags|learning (goals|objectives)|objectives|goals|companion content|(table of )?contents|toc|requirements|prerequisites?|dependencies|imports?|setup|set up|installation|install|license|licence|credits|acknowledge?ments?|references|citation|how to cite|outline|agenda)/.source;
const META_SECTION = new RegExp(`^${META_NAMES}\\b`, 'i');
/** A heading that names a front-matter section whole ("Table of Contents", "0. Setup", "Notebook setup (run me first!)"): never a title. */
const META_HEADING = new RegExp(`^(?:notebook\\s+)?${META_NAMES}(?:\\s*\\(.*\\))?\\s*:?$`, 'i');
/** "0. Setup", "1.2 Imports" → "Setup", "Imports": section numbers do not change what a section is. */
function sectionName(heading: string): string {
  return heading.replace(/^\d+(?:\.\d+)*\.?\s+/, '');
}
/** How many markdown cells after the title may still hold front matter. */
const FRONT_MATTER_CELLS = 6;

type Scan = { heading: string | null; paragraph: string | null; keywords: string[]; authors: string[] };

/** Only the start of a long markdown cell is lexed: titles and front matter sit at the top (and some cells embed megabytes of base64). */
const LEX_LIMIT = 16_384;
/** Cheap pre-checks that spare the lexer cells that cannot hold what is still being looked for. */
const MAYBE_HEADING = /^ {0,3}#|^ {0,3}(=+|-+)\s*$|<h[1-6]/im;
const MAYBE_FRONT_MATTER = /^ {0,3}#{1,6}\s*(keywords?|tags|authors?|contributors?)\b/im;

/** Lexes markdown cells in order, only as far as needed: the title heading, the prose after it, front-matter sections. */
function scanMarkdown(cells: NbCell[]): Scan {
  const scan: Scan = { heading: null, paragraph: null, keywords: [], authors: [] };
  let firstProse: string | null = null;
  let section: string | null = null;
  /** Depth of the shallowest front-matter heading seen before any title ("Table of Contents" as an <h1>). */
  let metaDepth: number | null = null;
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
      let found = -1;
      let firstMeta = -1;
      for (let index = 0; index < tokens.length && found === -1; index++) {
        const heading = headingAt(tokens[index]!);
        if (!heading) continue;
        if (META_HEADING.test(sectionName(heading.text))) {
          // Front matter before any title: its content is not the description, and headings at its level are sections.
          metaDepth = Math.min(metaDepth ?? heading.depth, heading.depth);
          section = sectionName(heading.text);
          if (firstMeta === -1) firstMeta = index;
        } else found = index;
      }
      if (firstProse === null) firstProse = firstParagraph(firstMeta === -1 ? tokens.slice(0, found === -1 ? tokens.length : found) : tokens.slice(0, firstMeta));
      if (found === -1) continue;
      const heading = headingAt(tokens[found]!)!;
      if (metaDepth !== null && heading.depth >= metaDepth) {
        // A section at the level of the front matter ("# Basics" after "# Table of Contents"): the notebook has no title heading.
        scan.heading = '';
        start = found;
      } else {
        scan.heading = heading.text;
        section = null;
        start = found + 1;
      }
    }
    for (let index = start; index < tokens.length; index++) {
      const token = tokens[index]!;
      const heading = token.type === 'heading' ? squash(inlineText(token.tokens)) : null;
      if (heading !== null) {
        section = sectionName(heading);
        continue;
      }
      const meta = section !== null && META_SECTION.test(section);
      if (!meta) {
        if (scan.paragraph === null) {
          const paragraph = firstParagraph(tokens.slice(index, index + 1));
          const byline = paragraph === null ? null : bylineNames(paragraph);
          if (byline) scan.authors.push(...byline);
          else if (paragraph !== null && isNotDescription(paragraph)) continue;
          else scan.paragraph = withList(paragraph, tokens.slice(index + 1).find((next) => next.type !== 'space'));
        }
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

/** A description says what a notebook does: a fragment ("so that", "Example:") under the title does not; a short sentence may. */
const MIN_DESCRIPTION_WORDS = 4;

/** Where to find the notebook, or whose work it builds on: true, but not what the notebook does. */
const POINTER = /^(?:the )?(?:latest|current|most recent|newest|original) version of this \w+ (?:is|can be) (?:available|found)\b/i;
const CREDIT = /^\(?\s*(?:(?:this )?(?:notebook|tutorial|lesson|material)\s+)?(?:(?:widely|largely|heavily|partly)\s+)?(?:inspired|adapted|based|taken|stolen|modified|derived)\b.*\b(?:from|by|on)\b/i;

function isNotDescription(paragraph: string): boolean {
  if (paragraph.split(' ').length < MIN_DESCRIPTION_WORDS && !/[.!?]$/.test(paragraph)) return true;
  return paragraph.length < 200 && (POINTER.test(paragraph) || CREDIT.test(paragraph));
}

const BYLINE_LABEL = /^(?:(?:main|lead|original)\s+)?(?:tutors?|authors?|written by|instructors?|lecturers?|speakers?|presenters?|contributors?|maintainers?|prepared by|contact)\s*:\s*/i;
/** A person's name: capitalised words or initials, with the usual lower-case particles. */
const NAME_WORD = String.raw`(?:\p{Lu}\.\s?)*\p{Lu}[\p{L}'’-]*\.?`;
const PERSON = new RegExp(String.raw`^${NAME_WORD}(?:\s+(?:(?:de|da|del|der|di|du|la|le|van|von|den|dos|y)\s+)*${NAME_WORD}){0,4}$`, 'u');

/**
 * The names of a byline under a title ("Tutors: Axel Donath", "Tamás Gál (tamas.gal@fau.de)", "Katarina A. Lutz¹,
 * Manon Marchand¹", "Manon Marchand$^1$"): who wrote the notebook, not what it does. Null when the paragraph is prose.
 */
export function bylineNames(paragraph: string): string[] | null {
  if (paragraph.length > 400) return null;
  const labelled = BYLINE_LABEL.test(paragraph);
  const marked = /@|[¹²³⁴⁵⁶⁷⁸⁹⁰]|\$\^/.test(paragraph);
  const names = paragraph
    .replace(BYLINE_LABEL, '')
    .replace(/<[^>]*>|\([^)]*\)|\S+@\S+/g, ' ')
    .replace(/\$\^\{?[^$]*\}?\$|[¹²³⁴⁵⁶⁷⁸⁹⁰⁺*†‡]+/g, ' ')
    .split(/\s*(?:[,;&]|\band\b)\s*/)
    // A full stop ends the byline, unless it ends an initial ("Jane Q.").
    .map((name) => squash(squash(name).replace(/(?<!(?:^|\s)\p{Lu})[.:]$/u, '')))
    .filter(Boolean);
  if (names.length === 0 || names.length > 30 || !names.every((name) => PERSON.test(name))) return null;
  // Unlabelled and unmarked, only a list of several names reads as a byline ("Jane Doe, John Roe").
  return labelled || marked || names.length > 1 ? names : null;
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
