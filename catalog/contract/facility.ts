import { z } from 'zod';
import { HttpsUrl, Slug, WebUrl, Word } from './common.js';
import { HOST_CLASS_LABELS, classifyHost } from './host.js';
import { checkWebUrl, unicodeHostname } from './web-url.js';

export const FacilityType = z.enum(['jupyterhub', 'binderhub', 'other']);
export type FacilityType = z.infer<typeof FacilityType>;

/** User interfaces a facility can open a notebook in (drives the nbgitpuller/BinderHub `urlpath`). */
export const Interface = z.enum(['lab', 'notebook', 'retro', 'rstudio', 'shiny', 'vscode', 'desktop']);
export type Interface = z.infer<typeof Interface>;

/**
 * How a Launch link opens a workflow on a facility:
 * - `nbgitpuller`: `{hub}/hub/user-redirect/git-pull?…` (the default for a JupyterHub; the hub must have nbgitpuller);
 * - `binderhub`: `{binder}/v2/…` (the default, and the only one, for a BinderHub);
 * - `swan`: CERN SWAN's "Open in SWAN" link, `https://cern.ch/swanserver/cgi-bin/go?projurl=<git URL>` (clones the
 *   repository into the user's CERNBox);
 * - `none`: no Launch link (a JupyterHub without nbgitpuller, a facility of type other): the site offers the
 *   facility's own link and how to clone the repository there.
 */
export const Launcher = z.enum(['nbgitpuller', 'binderhub', 'swan', 'none']);
export type Launcher = z.infer<typeof Launcher>;

/** The launchers each facility type may state, its default first. */
export const LAUNCHERS_BY_TYPE: Record<FacilityType, readonly Launcher[]> = {
  jupyterhub: ['nbgitpuller', 'swan', 'none'],
  binderhub: ['binderhub'],
  other: ['none'],
};

/** The launcher a facility uses: the one it states, else its type's default. */
export function effectiveLauncher(facility: { type: FacilityType; launcher?: Launcher }): Launcher {
  return facility.launcher ?? LAUNCHERS_BY_TYPE[facility.type][0]!;
}

export const Access = z.enum(['public', 'institutional', 'restricted']);
export type Access = z.infer<typeof Access>;

const Email = z.string().email();

/** The fields of a facility that hold a URL users' browsers open, each judged by the entry's network rules. */
const URL_FIELDS = ['url', 'staging', 'docs', 'contact'] as const;

/**
 * The entry-wide rules of a facility's URLs (each one already passed the one web URL rule, WebUrl): plain http
 * only with `plainHttp: true`, loopback/private/link-local/reserved hosts only with `privateNetwork: true`,
 * and internationalised names written in the Unicode form they stand for (a reviewer cannot read `xn--`).
 * `privateNetwork: true` on an entry whose every URL is public is refused too: the facility page would say
 * something untrue.
 */
function checkNetwork(facility: { plainHttp?: true; privateNetwork?: true } & Partial<Record<(typeof URL_FIELDS)[number], string>>, ctx: z.RefinementCtx) {
  let privateHosts = 0;
  for (const field of URL_FIELDS) {
    const value = facility[field];
    if (value === undefined) continue;
    const verdict = checkWebUrl(value);
    if (!verdict.ok) continue; // reported by the field's own schema (or an e-mail contact)
    const { url } = verdict;
    if (url.protocol === 'http:' && !facility.plainHttp && field !== 'contact') {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: [field],
        message: 'must be an https:// URL; if the facility really only serves plain http, add `plainHttp: true`',
      });
    }
    const place = classifyHost(url.hostname);
    if (place !== 'public') {
      privateHosts += 1;
      if (!facility.privateNetwork) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: [field],
          message: `host "${url.hostname}" is ${HOST_CLASS_LABELS[place]}: a user's browser would not reach it from the internet. Give the facility's public address; if it really is an intranet or test facility, add \`privateNetwork: true\` (its page then says so)`,
        });
      }
    }
    const punycodeLabel = url.hostname.split('.').find((label) => label.startsWith('xn--'));
    const written = value.slice(value.indexOf('//') + 2).split(/[/?#:]/, 1)[0]!.toLowerCase();
    if (punycodeLabel && written.split('.').includes(punycodeLabel)) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: [field],
        message: `host label "${punycodeLabel}" is punycode for "${unicodeHostname(punycodeLabel)}"; write the host as it reads ("${unicodeHostname(url.hostname)}") so reviewers see the name users will`,
      });
    }
  }
  if (facility.privateNetwork && privateHosts === 0) {
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      path: ['privateNetwork'],
      message: 'every URL of this facility is public; remove `privateNetwork: true` (the facility page would warn users for nothing)',
    });
  }
}

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
      .describe('State this only for an intranet or test facility whose URLs (any of url, staging, docs, contact) are on a loopback, private or link-local network; it is refused when every URL is public. The facility page says so.'),
    type: FacilityType,
    launcher: Launcher.optional().describe(
      'How Launch links open a workflow here: nbgitpuller (default for a jupyterhub), binderhub (a binderhub), swan (CERN SWAN\'s "Open in SWAN" link) or none (no Launch link: a JupyterHub without nbgitpuller; the site shows the hub\'s link and how to clone the repository).',
    ),
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
    if (facility.launcher && !LAUNCHERS_BY_TYPE[facility.type].includes(facility.launcher)) {
      const allowed = LAUNCHERS_BY_TYPE[facility.type];
      const needs = (Object.keys(LAUNCHERS_BY_TYPE) as FacilityType[]).filter((type) => LAUNCHERS_BY_TYPE[type].includes(facility.launcher!));
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['launcher'],
        message: `launcher "${facility.launcher}" does not work on a facility of type "${facility.type}" (it needs type ${needs.map((type) => `"${type}"`).join(' or ')}); a ${facility.type} facility takes ${allowed.map((item) => `"${item}"`).join(', ')}${allowed.length > 1 ? ` (default "${allowed[0]}")` : ''}`,
      });
    }
    checkNetwork(facility, ctx);
  });
export type Facility = z.infer<typeof Facility>;

/** facilities.yaml: a list of facilities. Uniqueness of ids and URLs is checked by the validator, with positions. */
export const FacilityList = z.array(Facility);
