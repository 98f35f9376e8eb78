/**
 * The staging "cell" for a kernel we cannot write code for: Markdown instructions — each data set as a
 * link and one copy-ready shell block. Titles are escaped Markdown text (no HTML, links or math), URLs are
 * percent-encoded so they can neither leave their link nor their shell word.
 */
import { markdownText, shellWord } from './literals.js';
import type { Staging, Step } from './steps.js';

/** The URL with every character outside the URL syntax (and `'()<>`) percent-encoded as UTF-8. */
export function displayUrl(url: string): string {
  return url.replace(/[^A-Za-z0-9\-._~:/?#[\]@!$&*+,;=%]/gu, (char) => encodeURIComponent(char).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`));
}

/** A Markdown link; `&` written as an entity so `&lt;` in a query cannot become `<`. */
function link(text: string, url: string): string {
  return `[${markdownText(text)}](${displayUrl(url).replace(/&/g, '&amp;')})`;
}

function item(step: Step, index: number): string {
  const number = `${index + 1}. `;
  switch (step.kind) {
    case 'download':
      return `${number}${link(step.title, step.url)} → \`${step.name}\``;
    case 'tap':
      return `${number}${link(step.title, step.url)} (TAP query) → \`${step.name}\``;
    case 'zenodo':
    case 'link':
      return `${number}${link(step.title, step.url)} (DOI ${markdownText(step.doi)}): open it and save the files you need in the folder`;
    case 'rucio':
      return `${number}${link(step.title, step.url)} (Rucio ${markdownText(step.did)}): needs the \`rucio\` client`;
  }
}

function command(step: Step): string | null {
  switch (step.kind) {
    case 'download':
    case 'tap':
      return `curl -fL --retry 3 -o ${shellWord(step.name)} ${shellWord(displayUrl(step.url))}`;
    case 'rucio':
      return `rucio download --no-subdir ${shellWord(step.did)}`;
    default:
      return null;
  }
}

/** A fence longer than any run of backticks inside, so nothing in the block can close it. */
function fenced(language: string, body: string): string {
  const longest = Math.max(0, ...(body.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}${language}\n${body}\n${fence}`;
}

export function markdownSource({ into, steps }: Staging): string {
  const folder = `~/${shellWord(into)}`;
  const commands = [`mkdir -p ${folder} && cd ${folder}`, ...steps.map(command).filter((line) => line !== null)];
  return [
    '## Data for this workflow',
    '',
    `This notebook's language has no automatic data staging. Fetch the data sets you chose into ~/${markdownText(into)} — the links:`,
    '',
    ...steps.map(item),
    '',
    'or, in a terminal (File → New → Terminal):',
    '',
    fenced('shell', commands.join('\n')),
  ].join('\n');
}
