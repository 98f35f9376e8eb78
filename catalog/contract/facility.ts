import { z } from 'zod';
import { HttpsUrl, Slug, WebUrl, Word } from './common.js';

export const FacilityType = z.enum(['jupyterhub', 'binderhub', 'other']);
export type FacilityType = z.infer<typeof FacilityType>;

/** User interfaces a facility can open a notebook in (drives the nbgitpuller/BinderHub `urlpath`). */
export const Interface = z.enum(['lab', 'notebook', 'retro', 'rstudio', 'shiny', 'vscode', 'desktop']);
export type Interface = z.infer<typeof Interface>;

export const Access = z.enum(['public', 'institutional', 'restricted']);
export type Access = z.infer<typeof Access>;

const Email = z.string().email();

export const Facility = z
  .object({
    id: Slug.describe('Unique, stable identifier; used in page URLs (/facilities/<id>/).'),
    name: z.string().trim().min(1).max(120),
    description: z.string().trim().min(1).max(2000).optional(),
    url: WebUrl.describe('Base URL of the hub. https is required unless `plainHttp: true` is stated.'),
    plainHttp: z
      .literal(true)
      .optional()
      .describe('State this only for a facility that is really served over plain http; its url, staging and docs may then be http://.'),
    privateNetwork: z
      .literal(true)
      .optional()
      .describe('State this only for an intranet or test facility whose URLs are on a loopback or private network; the facility page says so.'),
    type: FacilityType,
    interfaces: z.array(Interface).min(1),
    defaultInterface: Interface,
    access: Access,
    auth: z.string().trim().min(1).max(300).optional().describe('How users sign in, e.g. "GitHub account", "EduGAIN", "none".'),
    organisation: z.string().trim().min(1).max(200).optional(),
    country: z
      .string()
      .regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code such as "GB" or "NL"')
      .optional(),
    contact: z.union([Email, HttpsUrl]).optional().describe('An e-mail address or an https page.'),
    docs: WebUrl.optional().describe('Documentation page; https unless `plainHttp: true` is stated.'),
    languages: z
      .array(z.string().regex(/^[a-z][a-z0-9+#-]*$/, 'must be a lower-case language name such as "python", "r", "julia"'))
      .optional(),
    images: z.array(Word).optional().describe('Container images the facility offers, e.g. "jupyter/scipy-notebook".'),
    jupytext: z
      .literal(true)
      .optional()
      .describe("State this only when the facility's default environment has Jupytext, so text notebooks (MyST, Jupytext markdown, percent scripts) open as notebooks."),
    staging: WebUrl.optional().describe('URL of a data staging service in front of this facility; https unless `plainHttp: true` is stated.'),
    tags: z.array(Word).optional(),
  })
  .strict()
  .superRefine((facility, ctx) => {
    if (!facility.interfaces.includes(facility.defaultInterface)) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['defaultInterface'],
        message: `"${facility.defaultInterface}" is not one of this facility's interfaces (${facility.interfaces.join(', ')})`,
      });
    }
    const seen = new Set<string>();
    facility.interfaces.forEach((item, index) => {
      if (seen.has(item)) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['interfaces', index], message: `interface "${item}" is listed twice` });
      }
      seen.add(item);
    });
    for (const field of ['url', 'staging', 'docs'] as const) {
      const value = facility[field];
      if (value !== undefined && /^http:/i.test(value) && !facility.plainHttp) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: [field],
          message: 'must be an https:// URL; if the facility really only serves plain http, add `plainHttp: true`',
        });
      }
    }
  });
export type Facility = z.infer<typeof Facility>;

/** facilities.yaml: a list of facilities. Uniqueness of ids and URLs is checked by the validator, with positions. */
export const FacilityList = z.array(Facility);
