import { z } from 'zod';
import { MAX_WEB_URL, checkWebUrl } from './web-url.js';

/** Lower-case, hyphen-separated identifier: safe in a URL path segment and a file name. */
export const Slug = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be a slug: lower-case letters, digits and single hyphens, e.g. "roe-edinburgh"');

function parsedUrl(value: string): URL | null {
  try {
    return new URL(value);
  } catch {
    return null;
  }
}

/**
 * An absolute http(s) URL under the one web URL rule (web-url.ts, which the site's `safeWebUrl` applies too):
 * written out in full, no credentials, no invisible or bidi characters, a host written as browsers read it,
 * no look-alike internationalised names. Anything else (javascript:, data:, file:, relative) is refused.
 */
export const WebUrl = z
  .string()
  .max(MAX_WEB_URL)
  .superRefine((value, ctx) => {
    const verdict = checkWebUrl(value);
    if (!verdict.ok) ctx.addIssue({ code: z.ZodIssueCode.custom, message: verdict.message });
  });

/** An absolute https URL. */
export const HttpsUrl = WebUrl.refine((value) => parsedUrl(value)?.protocol === 'https:', {
  message: 'must be an https:// URL',
});

/** ISO 8601 date-time with offset, as GitHub and git report them. */
export const Timestamp = z.string().datetime({ offset: true });

/** Package / keyword style strings: trimmed, non-empty, bounded. */
export const Word = z.string().trim().min(1).max(200);

/** A sorted, duplicate-free list of strings. */
export const SortedUniqueStrings = z.array(Word).refine(
  (list) => list.every((item, index) => index === 0 || list[index - 1]! < item),
  { message: 'must be sorted and contain no duplicates' },
);

/** SPDX licence identifier (or expression) such as "MIT", "BSD-3-Clause", "Apache-2.0 OR MIT". */
export const SpdxId = z.string().regex(/^[A-Za-z0-9.+\-() ]{1,100}$/, 'must be an SPDX licence identifier');

export const Provider = z.enum(['github', 'gitlab', 'git']);
export type Provider = z.infer<typeof Provider>;

/** A DOI without its resolver, e.g. "10.5281/zenodo.1234567" (a data set's, or a repository's archived releases'). */
export const Doi = z
  .string()
  .max(500)
  .regex(/^10\.\d{4,9}\/[^\s\u0000-\u001f\u007f]+$/, 'must be a DOI such as "10.5281/zenodo.1234567"');
