/**
 * The staging cell: one notebook cell, in the kernel's language, that fetches the data sets a user chose
 * into a folder of their home. Pure: the staging service decides where it goes and whether it runs.
 *
 *     const cell = stagingCell(kernelspec.language, { into: 'repo/data', datasets });
 *     const notebook2 = withStagingCell(notebook, cell);   // top, or in place of the previous one
 *     cellText(cell)                                        // the exact code the confirmation page shows
 *
 * Throws (with the problem named) for a target folder outside the home, a non-http(s) URL, a NUL or
 * broken Unicode in a value, a missing DOI or a malformed Rucio DID.
 */
import type { ICodeCell, IMarkdownCell } from '@jupyterlab/nbformat';
import { juliaSource } from './julia.js';
import { markdownSource } from './markdown.js';
import { STAGING_TAG } from './notebook.js';
import { pythonSource } from './python.js';
import { rSource } from './r.js';
import { stagingSteps, type StagingPlan } from './steps.js';

export { STAGING_TAG, cellText, isStagingCell, withStagingCell } from './notebook.js';
export { checkInto, safeFileName, stagingSteps, type Staging, type StagingPlan, type Step } from './steps.js';

export type StagingLanguage = 'python' | 'r' | 'julia';

/** language: the kernelspec's `language`, compared case-insensitively; null → markdown instructions. */
export function stagingLanguage(language: string): StagingLanguage | null {
  const name = String(language ?? '').trim().toLowerCase();
  if (/^(?:i?python)[23]?$/.test(name)) return 'python';
  if (name === 'r') return 'r';
  if (name === 'julia') return 'julia';
  return null;
}

const SOURCES = { python: pythonSource, r: rSource, julia: juliaSource };

export function stagingCell(language: string, plan: StagingPlan): ICodeCell | IMarkdownCell {
  const staging = stagingSteps(plan);
  const metadata = { tags: [STAGING_TAG] };
  const code = stagingLanguage(language);
  if (code === null) return { cell_type: 'markdown', metadata, source: markdownSource(staging) };
  return { cell_type: 'code', metadata, execution_count: null, outputs: [], source: SOURCES[code](staging) };
}
