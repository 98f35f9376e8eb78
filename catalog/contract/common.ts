import { z } from 'zod';

/** Lower-case, hyphen-separated identifier: safe in a URL path segment and a file name. */
export const Slug = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be a slug: lower-case letters, digits and single hyphens, e.g. "roe-edinburgh"');

const WEB_SCHEMES = new Set(['http:', 'https:']);

function parsedUrl(value: string): URL | null {
  try {
    return new URL(value);
  } catch {
    return null;
  }
}

/** An absolute http(s) URL. Anything else (javascript:, data:, file:, relative) is refused. */
export const WebUrl = z
  .string()
  .max(2048)
  .superRefine((value, ctx) => {
    const url = parsedUrl(value);
    if (!url) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: `"${value}" is not an absolute URL; write it in full, e.g. "https://example.org/"` });
      return;
    }
    if (!WEB_SCHEMES.has(url.protocol)) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        message: `URL scheme "${url.protocol}" is not allowed; only https (or http where stated) URLs are accepted`,
      });
      return;
    }
    if (url.username || url.password) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'URL must not carry credentials (user:password@)' });
    }
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
