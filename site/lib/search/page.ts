/** Small pieces of the search page shared by its build-time render and its browser script. */
export const PAGE_SIZE = 30;

export function resultsHeading(count: number, query: string): string {
  const noun = count === 1 ? 'workflow' : 'workflows';
  const trimmed = query.trim();
  return trimmed ? `${count.toLocaleString('en')} ${noun} for “${trimmed}”` : `${count.toLocaleString('en')} ${noun}`;
}
