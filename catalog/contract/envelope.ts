import { z } from 'zod';

/** Bumped on any incompatible change to a record schema; consumers check it before reading. */
export const SCHEMA_VERSION = 1 as const;

/**
 * A catalog data file (`catalog/workflows.json`, `repositories.json`, `images.json`): a versioned, sorted list.
 * No timestamps of its own, so an unchanged crawl writes a byte-identical file.
 */
export function catalogFile<T extends z.ZodTypeAny>(kind: string, item: T) {
  return z
    .object({
      schemaVersion: z.literal(SCHEMA_VERSION),
      kind: z.literal(kind),
      items: z.array(item),
    })
    .strict();
}
