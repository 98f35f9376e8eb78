/**
 * Docker Hub's JSON → contract records, pure. Every value is remote data: numbers must be whole and
 * non-negative, strings are capped, timestamps must parse, tags that break the tag rule are dropped,
 * URLs pass the contract's web URL rule. What cannot be used becomes null rather than failing the image.
 */
import {
  checkWebUrl,
  dockerHubPageUrl,
  Image,
  imageId,
  ImageTag,
  MAX_FULL_DESCRIPTION,
  MAX_IMAGE_TAGS,
  MAX_LABEL,
  type ImageLabels,
  type ImageTag as ImageTagType,
} from '../../catalog/contract/index.js';

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function count(value: unknown): number | null {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : null;
}

/** Text without control characters (newlines kept where asked), capped at `max` characters. */
function text(value: unknown, max: number, keepNewlines = false): string | null {
  if (typeof value !== 'string') return null;
  const cleaned = (keepNewlines ? value.replace(/\r\n?/g, '\n').replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '') : value.replace(/[\u0000-\u001f\u007f]+/g, ' ')).trim();
  if (!cleaned) return null;
  return cleaned.length > max ? cleaned.slice(0, max) : cleaned;
}

/** An ISO timestamp at seconds precision, or null. */
function timestamp(value: unknown): string | null {
  if (typeof value !== 'string' || value.length > 64) return null;
  const ms = Date.parse(value);
  if (Number.isNaN(ms) || !/^\d{4}-\d{2}-\d{2}T/.test(value)) return null;
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function platformOf(image: Record<string, unknown>): string | null {
  const part = (value: unknown) => (typeof value === 'string' && /^[a-z0-9]{1,32}$/.test(value) ? value : null);
  const os = part(image.os);
  const architecture = part(image.architecture);
  if (!os || !architecture || os === 'unknown') return null;
  const variant = part(image.variant);
  return variant ? `${os}/${architecture}/${variant}` : `${os}/${architecture}`;
}

/** One tag of Docker Hub's `/tags` answer, or null when it is not a usable tag. */
export function tagOf(raw: unknown): ImageTagType | null {
  if (!isObject(raw)) return null;
  const images = Array.isArray(raw.images) ? raw.images.filter(isObject) : [];
  const platforms = [...new Set(images.map(platformOf).filter((p): p is string => p !== null))].sort().slice(0, 32);
  const sizes = images.map((image) => count(image.size)).filter((size): size is number => size !== null);
  const candidate = {
    name: raw.name,
    digest: typeof raw.digest === 'string' ? raw.digest : (images.length === 1 && typeof images[0]!.digest === 'string' ? images[0]!.digest : null),
    size: sizes.length ? Math.max(...sizes) : count(raw.full_size),
    platforms,
    pushedAt: timestamp(raw.tag_last_pushed) ?? timestamp(raw.last_updated),
  };
  const parsed = ImageTag.safeParse(candidate);
  if (parsed.success) return parsed.data;
  // A digest in an unexpected form is dropped, not the tag.
  const withoutDigest = ImageTag.safeParse({ ...candidate, digest: null });
  return withoutDigest.success ? withoutDigest.data : null;
}

/** Newest push first; tags never pushed last; ties by name, so the order is stable. */
export function newestTags(raw: unknown[]): ImageTagType[] {
  const tags = raw.map(tagOf).filter((tag): tag is ImageTagType => tag !== null);
  const unique = [...new Map(tags.map((tag) => [tag.name, tag])).values()];
  return unique
    .sort((a, b) => {
      if (a.pushedAt !== b.pushedAt) return a.pushedAt === null ? 1 : b.pushedAt === null ? -1 : a.pushedAt < b.pushedAt ? 1 : -1;
      return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
    })
    .slice(0, MAX_IMAGE_TAGS);
}

export const OCI = {
  source: 'org.opencontainers.image.source',
  description: 'org.opencontainers.image.description',
  licenses: 'org.opencontainers.image.licenses',
  version: 'org.opencontainers.image.version',
} as const;

/** The OCI labels we keep, from an image config's `Labels`. The source must be a web URL (a git+ or ssh one is dropped). */
export function labelsOf(tag: string, digest: string | null, labels: Record<string, string>): ImageLabels {
  const source = text(labels[OCI.source], 2000);
  const verdict = source ? checkWebUrl(source.replace(/\.git$/, '')) : null;
  return {
    tag,
    digest,
    source: verdict?.ok ? verdict.url.href.replace(/\/$/, '') : null,
    description: text(labels[OCI.description], MAX_LABEL),
    licenses: text(labels[OCI.licenses], MAX_LABEL),
    version: text(labels[OCI.version], MAX_LABEL),
  };
}

export type ImageParts = {
  name: string;
  source: string;
  repository: unknown;
  tags: { results: unknown[]; count: number | null };
  labels: ImageLabels | null;
  warnings: string[];
};

/** The image record, checked against the contract; throws (naming the field) when Docker Hub's answer cannot make one. */
export function imageRecord(parts: ImageParts): Image {
  const repo = isObject(parts.repository) ? parts.repository : {};
  const tags = newestTags(parts.tags.results);
  const record = {
    id: imageId(parts.name),
    name: parts.name,
    registry: 'docker.io',
    url: dockerHubPageUrl(parts.name),
    source: parts.source,
    description: text(repo.description, 2000),
    fullDescription: text(repo.full_description, MAX_FULL_DESCRIPTION, true),
    pulls: count(repo.pull_count),
    stars: count(repo.star_count),
    updatedAt: timestamp(repo.last_updated),
    tags,
    tagCount: Math.max(count(parts.tags.count) ?? 0, tags.length),
    labels: parts.labels,
    warnings: parts.warnings.map((warning) => warning.slice(0, 1000)).slice(0, 50),
  };
  const parsed = Image.safeParse(record);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`${parts.name}: the image record is invalid: ${issue.path.join('.')}: ${issue.message}`);
  }
  return parsed.data;
}
