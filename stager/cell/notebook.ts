/**
 * Putting the staging cell into a notebook: at the top, or in place of the cell a previous launch put
 * there (found by its tag), so launches never stack cells. Every other cell is kept as it was.
 */
import type { ICell, INotebookContent, MultilineString } from '@jupyterlab/nbformat';

export const STAGING_TAG = 'ida-staging';

function tags(cell: ICell): unknown[] {
  const value = (cell.metadata as { tags?: unknown } | undefined)?.tags;
  return Array.isArray(value) ? value : [];
}

export function isStagingCell(cell: ICell): boolean {
  return tags(cell).includes(STAGING_TAG);
}

/** Cell ids exist from nbformat 4.5 on (and are then required). */
function hasCellIds(notebook: INotebookContent): boolean {
  return notebook.nbformat > 4 || (notebook.nbformat === 4 && notebook.nbformat_minor >= 5);
}

const CELL_ID = /^[a-zA-Z0-9_-]{1,64}$/;

/** A valid id no other cell has: the replaced cell's, else `ida-staging`, `ida-staging-2`… (deterministic). */
function cellId(others: readonly ICell[], previous: unknown): string {
  const used = new Set(others.map((cell) => cell.id));
  if (typeof previous === 'string' && CELL_ID.test(previous) && !used.has(previous)) return previous;
  let id = STAGING_TAG;
  for (let n = 2; used.has(id); n++) id = `${STAGING_TAG}-${n}`;
  return id;
}

/** A new notebook with `cell` (tagged `ida-staging`) first or in place of the earlier staging cell(s). */
export function withStagingCell(notebook: INotebookContent, cell: ICell): INotebookContent {
  if (!Array.isArray(notebook.cells)) throw new Error('the notebook has no cell list (nbformat 4 expected)');
  const at = notebook.cells.findIndex(isStagingCell);
  const others = notebook.cells.filter((existing) => !isStagingCell(existing));
  const { id: _dropped, ...content } = cell;
  const staging = {
    ...content,
    metadata: { ...cell.metadata, tags: [...new Set([...tags(cell).filter((tag): tag is string => typeof tag === 'string'), STAGING_TAG])] },
  } as ICell;
  if (hasCellIds(notebook)) staging.id = cellId(others, at >= 0 ? notebook.cells[at]!.id : cell.id);
  // Earlier staging cells before `at` do not exist (it is the first), so `at` is also its place among `others`.
  const cells = at >= 0 ? [...others.slice(0, at), staging, ...others.slice(at)] : [staging, ...others];
  return { ...notebook, cells };
}

/** A cell's source as one string: what the confirmation page shows, exactly as the notebook will hold it. */
export function cellText(cell: ICell): string {
  const source: MultilineString = cell.source;
  return Array.isArray(source) ? source.join('') : source;
}
