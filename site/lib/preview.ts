/** Pure helpers for the notebook preview. */

/** Languages we highlight (site/lib/highlight.ts); anything else is shown as plain text rather than failing the build. */
export const HIGHLIGHTED_LANGUAGES: ReadonlySet<string> = new Set(['python', 'r', 'julia', 'bash', 'shell', 'javascript', 'typescript', 'c', 'cpp', 'java', 'scala', 'sql', 'matlab', 'fortran', 'octave', 'ruby', 'rust', 'go']);

export function highlightLanguage(language: string | null): string {
  const lower = (language ?? '').toLowerCase();
  if (/^python\d*$/.test(lower)) return 'python';
  if (lower === 'c++') return 'cpp';
  return HIGHLIGHTED_LANGUAGES.has(lower) ? lower : 'plaintext';
}

/** The outputs a preview shows: an omitted output of mime "none" is an empty output, not worth a line. */
export function shownOutputs<T extends { type: string; mime?: string }>(outputs: readonly T[]): T[] {
  return outputs.filter((output) => !(output.type === 'omitted' && output.mime === 'none'));
}

/** Lines of a text output shown before the rest folds away. */
export const VISIBLE_LINES = 20;

export function foldText(text: string, visible = VISIBLE_LINES): { head: string; rest: string | null; hiddenLines: number } {
  const lines = text.split('\n');
  if (lines.length <= visible + 5) return { head: text, rest: null, hiddenLines: 0 };
  return { head: lines.slice(0, visible).join('\n'), rest: lines.slice(visible).join('\n'), hiddenLines: lines.length - visible };
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
  return `${Math.max(1, Math.round(bytes / 1024))} KiB`;
}
