/**
 * Curated workflows: what the catalog lists that is not a notebook in git, maintained by hand in
 * catalog/curated.yaml. A desktop tool (TOPCAT, DS9, …) opens in a facility's remote desktop; a container image
 * runs on a facility that offers it. Validated like facilities.yaml (catalog/validate/curated.ts).
 */
import { z } from 'zod';
import { Slug, SpdxId, WebUrl, Word } from './common.js';
import { HOST_CLASS_LABELS, classifyHost } from './host.js';
import { checkWebUrl } from './web-url.js';

export const CuratedType = z.enum(['desktop', 'container']);
export type CuratedType = z.infer<typeof CuratedType>;

const NAME_PART = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
/**
 * A Docker Hub image as `docker pull` takes it: `NAMESPACE/NAME` or `NAMESPACE/NAME:TAG` (Docker's own grammar for
 * each part). The namespace is required so the reference says whose image it is (`library/…` for official ones).
 */
export const ImageReference = z
  .string()
  .max(300)
  .regex(
    new RegExp(`^${NAME_PART}/${NAME_PART}(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?$`),
    'must be a Docker Hub image as NAMESPACE/NAME or NAMESPACE/NAME:TAG, e.g. "jupyter/scipy-notebook" or "jupyter/scipy-notebook:2023-10-20"',
  );

const URL_FIELDS = ['homepage', 'docs', 'source'] as const;

/**
 * The ending every crawled workflow's id has (a hash of its source: crawler/extract/id.ts). Refused here, so no
 * later crawl can produce an id a curated entry already uses; the validator also checks the catalog's actual ids.
 */
const CRAWLED_ID = /-[0-9a-f]{16}$/;

export const CuratedWorkflow = z
  .object({
    id: Slug.refine((id) => !CRAWLED_ID.test(id), {
      message: 'ids ending in a hyphen and 16 hex digits are the form of crawled workflows\' ids; choose one without that ending',
    }).describe('Unique, stable identifier; the page is /curated/<id>/. Must not be (or look like) the id of a crawled workflow.'),
    title: z.string().trim().min(1).max(300),
    workflowType: CuratedType.describe('desktop: a desktop application, opened in a facility\'s remote desktop; container: a container image.'),
    description: z.string().trim().min(1).max(2000),
    image: ImageReference.optional().describe('Required for workflowType: container, refused otherwise: the Docker Hub image, NAMESPACE/NAME[:TAG].'),
    keywords: z.array(Word).default([]),
    authors: z.array(Word).default([]).describe('People who wrote the software, as they are credited.'),
    organisation: z.string().trim().min(1).max(200).optional().describe('Who develops or maintains it.'),
    license: SpdxId.optional().describe('SPDX licence identifier or expression; leave it out when the licence is not clearly stated.'),
    homepage: WebUrl.describe('The project\'s own page (https).'),
    docs: WebUrl.optional().describe('Documentation (https).'),
    source: WebUrl.optional().describe('Source code repository (https).'),
    languages: z
      .array(z.string().regex(/^[a-z][a-z0-9+#-]*$/, 'must be a lower-case language name such as "python", "r", "julia"'))
      .optional()
      .describe('Languages a user works in with it (a container image\'s kernels); not the language the tool is written in.'),
  })
  .strict()
  .superRefine((entry, ctx) => {
    if (entry.workflowType === 'container' && entry.image === undefined) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['image'], message: 'a container entry needs `image: NAMESPACE/NAME[:TAG]`' });
    }
    if (entry.workflowType !== 'container' && entry.image !== undefined) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['image'], message: `only a container entry has an image; remove it or set \`workflowType: container\`` });
    }
    // Every link on the page is for a reader on the internet: https, and never an intranet or loopback address
    // (a dead link for everyone else). Checked here rather than with HttpsUrl, so a refused URL gets one message.
    for (const field of URL_FIELDS) {
      const verdict = checkWebUrl(entry[field]);
      if (!verdict.ok) continue; // reported by the field's own schema
      if (verdict.url.protocol !== 'https:') {
        ctx.addIssue({ code: z.ZodIssueCode.custom, path: [field], message: 'must be an https:// URL' });
      }
      const place = classifyHost(verdict.url.hostname);
      if (place !== 'public') {
        ctx.addIssue({ code: z.ZodIssueCode.custom, path: [field], message: `host "${verdict.url.hostname}" is ${HOST_CLASS_LABELS[place]}; give a public address` });
      }
    }
  });
export type CuratedWorkflow = z.infer<typeof CuratedWorkflow>;

/** catalog/curated.yaml: a list of curated workflows. Unique ids (and no clash with crawled ones) are checked by the validator. */
export const CuratedList = z.array(CuratedWorkflow);

/** Where curated.yaml lives inside the catalog directory. */
export const CURATED_FILE = 'curated.yaml';
