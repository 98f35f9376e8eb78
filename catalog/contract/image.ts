import { z } from 'zod';
import { Slug, Timestamp, WebUrl } from './common.js';

/**
 * A container image repository as Docker Hub (or another registry) describes it. Everything here comes from a
 * remote API and is untrusted: strings and lists are capped here, URLs pass the one web URL rule.
 */

/** Tags kept per image, newest first: enough to choose a recent one, small enough for a page. */
export const MAX_IMAGE_TAGS = 25;
/** Docker Hub's own limit for a repository's full description (its README). */
export const MAX_FULL_DESCRIPTION = 25_000;
/** Longest OCI label value kept. */
export const MAX_LABEL = 500;

/** A repository path as `docker pull` takes it, e.g. "jupyter/scipy-notebook" ("library/python" for official images). */
export const ImageName = z
  .string()
  .max(255)
  .regex(/^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/, 'must be an image repository name such as "jupyter/scipy-notebook"');

/** A tag as the OCI distribution spec allows it. */
export const ImageTagName = z.string().regex(/^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/, 'must be an image tag such as "2024-05-01" or "latest"');

/** A content digest, e.g. "sha256:…". */
export const Digest = z.string().regex(/^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]{32,256}$/, 'must be a digest such as "sha256:<64 hex digits>"');

export const ImageTag = z
  .object({
    name: ImageTagName,
    /** Digest of the tag's manifest or index; null when the registry did not report one. */
    digest: Digest.nullable(),
    /** Compressed size in bytes (largest platform image); null when unknown. */
    size: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER).nullable(),
    /** Platforms the tag is built for, "os/architecture[/variant]", sorted, unique. */
    platforms: z.array(z.string().regex(/^[a-z0-9]{1,32}\/[a-z0-9]{1,32}(?:\/[a-z0-9]{1,32})?$/)).max(32),
    pushedAt: Timestamp.nullable(),
  })
  .strict();
export type ImageTag = z.infer<typeof ImageTag>;

const Label = z.string().max(MAX_LABEL).nullable();

/** The standard OCI annotations read from the newest tag's image config (`config.Labels`). */
export const ImageLabels = z
  .object({
    /** The tag and manifest digest the labels were read from. */
    tag: ImageTagName,
    digest: Digest.nullable(),
    /** `org.opencontainers.image.source`, when it is a web URL. */
    source: WebUrl.nullable(),
    description: Label,
    licenses: Label,
    version: Label,
  })
  .strict();
export type ImageLabels = z.infer<typeof ImageLabels>;

/** A container image repository a workflow can run in. */
export const Image = z
  .object({
    id: Slug.describe('Stable id, used in page URLs (/images/<id>/): the name with "/" as "-", e.g. "jupyter-scipy-notebook".'),
    name: ImageName,
    registry: z.string().min(1).max(255).describe('e.g. "docker.io"'),
    /** The image's page on its registry's web site. */
    url: WebUrl,
    /** Id of the source in sources.yaml that found this image. */
    source: z.string().min(1).max(200),
    description: z.string().max(2000).nullable(),
    /** The repository's full description (markdown, shown sanitised), capped at MAX_FULL_DESCRIPTION characters. */
    fullDescription: z.string().max(MAX_FULL_DESCRIPTION).nullable(),
    pulls: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER).nullable(),
    stars: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER).nullable(),
    updatedAt: Timestamp.nullable(),
    /** The newest tags (by push time), at most MAX_IMAGE_TAGS. */
    tags: z.array(ImageTag).max(MAX_IMAGE_TAGS),
    /** How many tags the registry lists in all. */
    tagCount: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
    /** OCI labels of the newest tag; null when it has none we could read. */
    labels: ImageLabels.nullable(),
    warnings: z.array(z.string().max(1000)).max(50),
    /** Set when the last crawl could not refresh the record: the time it started failing. */
    staleSince: Timestamp.optional(),
  })
  .strict();
export type Image = z.infer<typeof Image>;

/**
 * A base image a Dockerfile builds on (`FROM`), as written once build arguments are substituted. Registry and
 * name are normalised the way `docker pull` reads a reference, so "python:3.11" is docker.io "library/python".
 */
export const BaseImage = z
  .object({
    /** The reference as written (after ARG substitution), e.g. "jupyter/scipy-notebook:2024-05-01". */
    ref: z.string().min(1).max(300),
    registry: z.string().min(1).max(255),
    name: ImageName,
    tag: ImageTagName.nullable(),
    digest: Digest.nullable(),
  })
  .strict();
export type BaseImage = z.infer<typeof BaseImage>;

/** The id an image of `name` gets: its path with "/" (and any other separator run) as one "-". */
export function imageId(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 200);
}

/** The web page of a Docker Hub repository (official images live under "_"). */
export function dockerHubPageUrl(name: string): string {
  return name.startsWith('library/') ? `https://hub.docker.com/_/${name.slice('library/'.length)}` : `https://hub.docker.com/r/${name}`;
}

/** What `docker pull` is given for this image: official images without "library/", other registries with their host. */
export function pullName(image: Pick<Image, 'registry' | 'name'>): string {
  if (image.registry !== 'docker.io') return `${image.registry}/${image.name}`;
  return image.name.startsWith('library/') ? image.name.slice('library/'.length) : image.name;
}

/**
 * A reference as `docker pull` reads it: registry (docker.io by default, "library/" for official images),
 * repository path, tag, digest; null when it is not a valid reference.
 */
export function parseImageReference(ref: string): Omit<BaseImage, 'ref'> | null {
  let rest = ref;
  let digest: string | null = null;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let tag: string | null = null;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  const parts = rest.split('/');
  let registry = 'docker.io';
  if (parts.length > 1 && (/[.:]/.test(parts[0]!) || parts[0] === 'localhost')) registry = parts.shift()!.toLowerCase();
  if (registry === 'index.docker.io' || registry === 'registry-1.docker.io') registry = 'docker.io';
  if (registry === 'docker.io' && parts.length === 1) parts.unshift('library');
  const candidate = { registry, name: parts.join('/'), tag, digest };
  const checked = BaseImage.omit({ ref: true }).safeParse(candidate);
  return checked.success ? checked.data : null;
}


/**
 * Whether two references name the same image as `docker pull` reads them (registry and repository path, so
 * "python" is "docker.io/library/python"); a tag or digest matters only when both give one. False when either is
 * not a valid reference.
 */
export function sameImage(a: string, b: string): boolean {
  const left = parseImageReference(a.trim());
  const right = parseImageReference(b.trim());
  if (!left || !right || left.registry !== right.registry || left.name !== right.name) return false;
  if (left.digest && right.digest) return left.digest === right.digest;
  return left.tag === null || right.tag === null || left.tag === right.tag;
}
