import { z } from 'zod';
import { Slug, Timestamp, WebUrl, Word } from './common.js';

/** A container image a workflow can run in (Docker Hub or another registry). */
export const Image = z
  .object({
    id: Slug,
    /** Repository name as `docker pull` takes it, e.g. "jupyter/scipy-notebook". */
    name: z.string().regex(/^[a-z0-9]+(?:[._-][a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*$/, 'must be an image repository name'),
    registry: z.string().min(1).max(255).describe('e.g. "docker.io"'),
    tags: z.array(Word),
    description: z.string().max(2000).nullable(),
    url: WebUrl,
    pulls: z.number().int().nonnegative().nullable(),
    stars: z.number().int().nonnegative().nullable(),
    languages: z.array(Word),
    updatedAt: Timestamp.nullable(),
  })
  .strict();
export type Image = z.infer<typeof Image>;
