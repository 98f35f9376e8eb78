import { z } from 'zod';
import { Slug } from './common.js';
import { SCHEMA_VERSION } from './envelope.js';
import { MediaPath } from './workflow.js';

/**
 * A size-capped, render-ready digest of a notebook, written by the crawler to
 * `catalog/previews/<workflow id>.json` and rendered on the workflow page. Every string in it is
 * untrusted repository content: the site escapes text and sanitises markdown/HTML before display.
 */
export const PreviewOutput = z.discriminatedUnion('type', [
  z
    .object({
      type: z.literal('text'),
      /** stream name for stream outputs; null for text/plain results. */
      stream: z.enum(['stdout', 'stderr']).nullable(),
      text: z.string(),
      truncated: z.boolean(),
    })
    .strict(),
  z.object({ type: z.literal('image'), src: MediaPath, width: z.number().int().positive(), height: z.number().int().positive() }).strict(),
  /** text/html output, raw; the site must sanitise it. */
  z.object({ type: z.literal('html'), html: z.string(), truncated: z.boolean() }).strict(),
  z.object({ type: z.literal('error'), ename: z.string(), evalue: z.string(), traceback: z.string() }).strict(),
  /** An output we do not show (too large, SVG, JavaScript, widget…), with the reason. */
  z.object({ type: z.literal('omitted'), mime: z.string(), reason: z.string() }).strict(),
]);
export type PreviewOutput = z.infer<typeof PreviewOutput>;

export const PreviewCell = z
  .object({
    type: z.enum(['markdown', 'code', 'raw']),
    source: z.string(),
    executionCount: z.number().int().nullable(),
    outputs: z.array(PreviewOutput),
  })
  .strict();
export type PreviewCell = z.infer<typeof PreviewCell>;

export const NotebookPreview = z
  .object({
    schemaVersion: z.literal(SCHEMA_VERSION),
    id: Slug,
    /** Language for code highlighting, e.g. "python", "r", "julia"; null when unknown. */
    language: z.string().nullable(),
    cells: z.array(PreviewCell),
    /** True when cells or outputs were dropped to keep the preview within its size cap. */
    truncated: z.boolean(),
  })
  .strict();
export type NotebookPreview = z.infer<typeof NotebookPreview>;
