import { z } from 'zod';
import { HttpsUrl, Slug } from './common.js';

/** A GitHub account or repository name as GitHub allows it (letters, digits, `-`, `_`, `.`). */
const GitHubName = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'must be a GitHub name such as "ESAP-WP5" (letters, digits, ".", "_", "-")');

const GitRef = z
  .string()
  .min(1)
  .max(255)
  .regex(/^(?!-)(?!.*\.\.)[^\s~^:?*[\\\u0000-\u001f\u007f]+$/, 'must be a git branch or tag name such as "main"');

/** Path globs (picomatch syntax, relative to the repository root) that narrow which notebooks are read. */
const Globs = z.array(z.string().min(1).max(300)).max(100);

/** Most notebooks catalogued per repository unless a source says otherwise. */
export const DEFAULT_MAX_NOTEBOOKS = 1_000;

const common = {
  id: Slug.optional().describe('Stable id of the source; derived from the source when absent, e.g. "github-org-esap-wp5".'),
  include: Globs.optional().describe('Only notebooks matching one of these globs are catalogued.'),
  exclude: Globs.optional().describe('Notebooks matching one of these globs are left out.'),
  maxNotebooks: z
    .number()
    .int()
    .min(1)
    .max(100_000)
    .optional()
    .describe('Most notebooks catalogued per repository of this source (default 1,000): the first by path are kept, the crawl summary names the rest.'),
};

const GitHubTarget = z.union([
  z.object({ org: GitHubName }).strict(),
  z.object({ user: GitHubName }).strict(),
  z
    .object({
      repo: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*\/[A-Za-z0-9._-]+$/, 'must be "owner/name", e.g. "astropy/astropy-tutorials"'),
    })
    .strict(),
  z
    .object({
      topic: z
        .string()
        .min(1)
        .max(50)
        .regex(/^[a-z0-9][a-z0-9-]*$/, 'must be a GitHub topic: lower-case letters, digits and hyphens'),
    })
    .strict(),
]);

/** A GitHub source: an organisation, a user, one repository, or a topic (through the search API). */
export const GitHubSource = z
  .object({
    github: GitHubTarget,
    ...common,
    forks: z.boolean().optional().describe('Include forks (org/user/topic sources); default false.'),
    archived: z.boolean().optional().describe('Include archived repositories; default false.'),
  })
  .strict();
export type GitHubSource = z.infer<typeof GitHubSource>;

/** Any git host (GitLab, git.astron.nl, …), read with git alone. */
export const GitSource = z
  .object({
    git: HttpsUrl.describe('Canonical https clone URL, e.g. "https://git.astron.nl/astron-sdc/escape-wp5/workflows/muon-hunter".'),
    ref: GitRef.optional().describe("Branch or tag to follow; the remote's default branch when absent."),
    ...common,
  })
  .strict();
export type GitSource = z.infer<typeof GitSource>;

/** A Docker Hub namespace or repository name part: lower-case letters, digits and `.`, `_`, `-`. */
const DockerHubName = z
  .string()
  .min(1)
  .max(255)
  .regex(/^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/, 'must be a Docker Hub name such as "jupyter" (lower-case letters, digits, ".", "_", "-")');

/** A Docker Hub source: every image of a namespace, or one image repository. */
export const DockerHubSource = z
  .object({
    dockerhub: z.union([
      z.object({ namespace: DockerHubName }).strict(),
      z
        .object({
          repository: z
            .string()
            .max(255)
            .regex(/^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/, 'must be "namespace/name", e.g. "jupyter/scipy-notebook" (official images: "library/python")'),
        })
        .strict(),
    ]),
    id: common.id,
  })
  .strict();
export type DockerHubSource = z.infer<typeof DockerHubSource>;


/** A Zenodo keyword as the search query quotes it: no quotes, backslashes or control characters. */
const ZenodoKeyword = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[^"\\\u0000-\u001f\u007f]+$/, 'must be a keyword without quotes, backslashes or control characters, e.g. "jupyter-notebook"');

/**
 * Records of a Zenodo community (the ESCAPE OSSR is `escape2020`), optionally only those with one of the
 * keywords: each record's code repository (its codemeta.json `codeRepository`, else an `isSupplementTo` link)
 * is harvested with git like any other, and its records carry the record's DOI.
 */
export const ZenodoSource = z
  .object({
    zenodo: z
      .object({
        community: z
          .string()
          .min(1)
          .max(100)
          .regex(/^[A-Za-z0-9][A-Za-z0-9_-]*$/, 'must be a Zenodo community id such as "escape2020" (letters, digits, "_", "-")'),
        keywords: z.array(ZenodoKeyword).min(1).max(20).optional().describe('Only records with at least one of these keywords; every record of the community when absent.'),
      })
      .strict(),
    ...common,
  })
  .strict();
export type ZenodoSource = z.infer<typeof ZenodoSource>;


export const Source = z.union([GitHubSource, GitSource, DockerHubSource, ZenodoSource]);
export type Source = z.infer<typeof Source>;
/** The sources whose harvest is git repositories (notebooks; a Zenodo record names one); Docker Hub's are images. */
export type RepositorySource = GitHubSource | GitSource | ZenodoSource;

export function isRepositorySource(source: Source): source is RepositorySource {
  return 'github' in source || 'git' in source || 'zenodo' in source;
}

/** `catalog/sources.yaml`: what the crawler harvests. */
export const SourcesFile = z
  .object({
    sources: z.array(Source).min(1),
  })
  .strict()
  .superRefine((file, ctx) => {
    const seen = new Map<string, number>();
    file.sources.forEach((source, index) => {
      const id = sourceId(source);
      const first = seen.get(id);
      if (first !== undefined) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: ['sources', index],
          message: `source id "${id}" is already used by source #${first + 1}; give one of them a distinct "id"`,
        });
      } else seen.set(id, index);
    });
  });
export type SourcesFile = z.infer<typeof SourcesFile>;

function slugify(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 200);
}

/** The id a source is known by in the catalog (`Repository.source`) and in `--only`. */
export function sourceId(source: Source): string {
  if (source.id) return source.id;
  if ('dockerhub' in source) {
    const [kind, value] = Object.entries(source.dockerhub)[0] as [string, string];
    return slugify(`dockerhub-${kind}-${value}`);
  }
  if ('github' in source) {
    const [kind, value] = Object.entries(source.github)[0] as [string, string];
    return slugify(`github-${kind}-${value}`);
  }
  if ('zenodo' in source) return slugify(['zenodo', source.zenodo.community, ...(source.zenodo.keywords ?? [])].join('-'));
  const url = new URL(source.git);
  return slugify(`git-${url.hostname}-${url.pathname.replace(/\.git$/, '')}`);
}
