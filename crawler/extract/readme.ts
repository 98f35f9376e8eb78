/** A README's first paragraph of prose, as plain text: the repository's description when no better one exists. */
import { DESCRIPTION_LENGTH, cutAtWord, firstParagraph, isProse, lex, squash } from './text.js';

/** Order in which README variants are preferred when a repository has several. */
export const README_PATTERN = /^readme(\.(md|markdown|rst|txt))?$/i;

export function readmeRank(name: string): number {
  const ext = /\.(\w+)$/.exec(name)?.[1]?.toLowerCase() ?? '';
  return ['md', 'markdown', 'rst', 'txt', ''].indexOf(ext);
}

export function readmeDescription(name: string, text: string): string | null {
  const paragraph = /\.rst$/i.test(name) ? rstParagraph(text) : /\.(md|markdown)$/i.test(name) ? firstParagraph(lex(text)) : plainParagraph(text);
  return paragraph ? cutAtWord(paragraph, DESCRIPTION_LENGTH) : null;
}

/** reStructuredText: the first block that is not a title, an adornment, a directive, a field list or a substitution. */
function rstParagraph(text: string): string | null {
  for (const block of text.split(/\r?\n\s*\r?\n/)) {
    const lines = block.split(/\r?\n/).filter((line) => line.trim());
    if (lines.length === 0) continue;
    if (lines.some((line) => /^([=\-~^"'`#*+:._])\1{2,}\s*$/.test(line.trim()))) continue;
    if (/^\s*(\.\.|:\w|\||[-*+]\s|\d+\.\s)/.test(lines[0]!)) continue;
    if (/^\s/.test(lines[0]!)) continue; // indented: a directive's body or a quote
    const plain = squash(lines.join(' ').replace(/`([^`<]*?)\s*<[^>]*>`_+/g, '$1').replace(/[`*]+/g, '').replace(/\s_\b/g, ' '));
    if (isProse(plain)) return plain;
  }
  return null;
}

function plainParagraph(text: string): string | null {
  for (const block of text.split(/\r?\n\s*\r?\n/)) {
    const plain = squash(block);
    if (isProse(plain)) return plain;
  }
  return null;
}
