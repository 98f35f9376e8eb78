/** What an import parser found in one piece of source: imported top-level packages and packages installed inline. */
export type Found = { imports: Set<string>; installs: Set<string> };

export function emptyFound(): Found {
  return { imports: new Set(), installs: new Set() };
}

/** Sorted, unique, trimmed, bounded list (the contract's SortedUniqueStrings). */
export function sortedUnique(values: Iterable<string>): string[] {
  const set = new Set<string>();
  for (const value of values) {
    const trimmed = value.trim();
    if (trimmed && trimmed.length <= 200) set.add(trimmed);
  }
  return [...set].sort();
}
