/**
 * Markdown and HTML → plain text, for titles, descriptions and README summaries. Markdown is tokenised by
 * `marked`'s lexer, HTML by sanitize-html's parser (htmlparser2); entities are decoded by `entities`.
 * Output is plain text only: nothing here is ever trusted as markup.
 */
import { decodeHTML } from 'entities';
import { Lexer, type Token, type Tokens } from 'marked';
import sanitizeHtml from 'sanitize-html';

const NON_TEXT_TAGS = ['script', 'style', 'textarea', 'option', 'noscript', 'title', 'svg', 'math', 'iframe', 'object'];

/** Collapses runs of whitespace (including non-breaking spaces) to single spaces and trims. */
export function squash(text: string): string {
  return text.replace(/[\s\u00a0\u200b]+/g, ' ').trim();
}

/** HTML fragment → plain text: tags dropped (the content of script/style and the like with them), entities decoded. */
export function htmlToText(html: string): string {
  if (!/[<&]/.test(html)) return squash(html);
  // A space before every tag keeps words of adjacent blocks apart ("<p>a</p><p>b</p>" → "a b").
  const stripped = sanitizeHtml(html.replace(/</g, ' <'), { allowedTags: [], allowedAttributes: {}, nonTextTags: NON_TEXT_TAGS });
  return squash(decodeHTML(stripped));
}

/** Inline markdown tokens → plain text: links and emphasis reduced to their text, images to their alt text. */
export function inlineText(tokens: Token[] | undefined): string {
  if (!tokens) return '';
  let out = '';
  for (const token of tokens) {
    switch (token.type) {
      case 'text':
        out += 'tokens' in token && token.tokens ? inlineText(token.tokens) : decodeHTML(token.text);
        break;
      case 'escape':
      case 'codespan':
        out += decodeHTML((token as Tokens.Codespan).text);
        break;
      case 'br':
        out += ' ';
        break;
      case 'html':
        out += ' ' + htmlToText(token.text) + ' ';
        break;
      case 'image':
        out += (token as Tokens.Image).text;
        break;
      default:
        if ('tokens' in token && Array.isArray(token.tokens)) out += inlineText(token.tokens);
        else if ('text' in token && typeof token.text === 'string') out += decodeHTML(token.text);
    }
  }
  return out;
}

/** Markdown (or HTML inside markdown) → plain text. */
export function markdownToText(markdown: string): string {
  return squash(blockText(lex(markdown)));
}

function blockText(tokens: Token[]): string {
  const parts: string[] = [];
  for (const token of tokens) {
    if (token.type === 'html') parts.push(htmlToText(token.text));
    else if (token.type === 'code') parts.push(token.text);
    else if (token.type === 'list') parts.push((token as Tokens.List).items.map((item) => blockText(item.tokens)).join(' '));
    else if (token.type === 'heading' || token.type === 'paragraph') parts.push(inlineText(token.tokens));
    else if ('tokens' in token && Array.isArray(token.tokens)) parts.push(blockText(token.tokens));
    else if ('text' in token && typeof token.text === 'string') parts.push(decodeHTML(token.text));
  }
  return parts.join(' ');
}

/** The marked lexer, never throwing: malformed markdown degrades to no tokens. */
export function lex(markdown: string): Token[] {
  try {
    return Lexer.lex(markdown, { gfm: true });
  } catch {
    return [];
  }
}

/** Cuts text at `max` characters on a word boundary, adding an ellipsis when something was cut. */
export function cutAtWord(text: string, max: number): string {
  if (text.length <= max) return text;
  const slice = text.slice(0, max - 1);
  const sentenceEnd = Math.max(slice.lastIndexOf('. '), slice.lastIndexOf('? '), slice.lastIndexOf('! '));
  if (sentenceEnd > max * 0.4) return slice.slice(0, sentenceEnd + 1);
  const space = slice.lastIndexOf(' ');
  return `${(space > max * 0.5 ? slice.slice(0, space) : slice).replace(/[\s,;:.–—-]+$/, '')}…`;
}

export type Heading = { text: string; depth: number };

/** The first heading of a markdown document: ATX, setext, or an HTML `<h1>`–`<h6>` (as plain text). */
export function firstHeading(tokens: Token[]): { heading: Heading; index: number } | null {
  for (let index = 0; index < tokens.length; index++) {
    const token = tokens[index]!;
    if (token.type === 'heading') {
      const text = squash(inlineText(token.tokens));
      if (text) return { heading: { text, depth: (token as Tokens.Heading).depth }, index };
    } else if (token.type === 'html') {
      const heading = htmlHeading(token.text);
      if (heading) return { heading, index };
    }
  }
  return null;
}

function htmlHeading(html: string): Heading | null {
  if (!/<h[1-6]/i.test(html)) return null;
  // The sanitiser normalises the markup (lower-case tags, no attributes), so a simple match is exact here.
  const normal = sanitizeHtml(html, { allowedTags: ['h1', 'h2', 'h3', 'h4', 'h5', 'h6'], allowedAttributes: {}, nonTextTags: NON_TEXT_TAGS });
  const match = /<h([1-6])>([\s\S]*?)<\/h\1>/.exec(normal);
  if (!match) return null;
  const text = htmlToText(match[2]!);
  return text ? { text, depth: Number(match[1]) } : null;
}

/** Longest description we keep, in characters (cut on a word boundary). */
export const DESCRIPTION_LENGTH = 300;

/** Whether a paragraph is prose rather than a badge row, an image, a lone link or a rule of symbols. */
export function isProse(text: string): boolean {
  // Two letters, later a space, later two letters: three linear searches. (The one-regex form,
  // /\p{L}{2,}.*\s.*\p{L}{2,}/u, backtracks cubically: 4 kB of letters without a space took 56 s.)
  const first = /\p{L}{2}/u.exec(text);
  if (!first) return false;
  const afterWord = first.index + 2;
  const space = text.slice(afterWord).search(/\s/);
  return space !== -1 && /\p{L}{2}/u.test(text.slice(afterWord + space + 1));
}

/** The first paragraph of prose in tokens[from…], as plain text. */
export function firstParagraph(tokens: Token[], from = 0): string | null {
  for (let index = from; index < tokens.length; index++) {
    const token = tokens[index]!;
    let text = '';
    if (token.type === 'paragraph') {
      const inline = token.tokens ?? [];
      // Badge rows: paragraphs made only of images and links to images.
      if (inline.every((t) => t.type === 'image' || (t.type === 'link' && (t.tokens ?? []).every((u) => u.type === 'image')) || (t.type === 'text' && !t.text.trim()))) continue;
      text = squash(inlineText(inline));
    } else if (token.type === 'html' && !/^\s*<(h[1-6]|img|a|div[^>]*align|center|hr|br|!--)/i.test(token.text)) {
      text = htmlToText(token.text);
    } else if (token.type === 'blockquote') {
      text = squash(blockText((token as Tokens.Blockquote).tokens));
    }
    if (text && isProse(text)) return text;
  }
  return null;
}
