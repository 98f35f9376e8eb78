/**
 * Images and what they are linked to, computed in this one place from the catalog records (pure):
 * an image whose OCI source label is a catalogued repository → that repository's workflows; a workflow →
 * the images its environment builds on (Dockerfile FROM) and the images built from its repository; a
 * facility → the catalogued images among its `images:` list. Also the /images/ page's facets and search text.
 */
import { parseImageReference, pullName, repositoryKey, type Facility, type Image, type Repository, type Workflow } from '../../catalog/contract/index.js';

/** An image reference (a Dockerfile FROM, a facility's `images:` entry) and the catalogued image it names, if any. */
export type ImageMention = { ref: string; image: Image | null };

export type ImageLinks = {
  images: Image[];
  byId: Map<string, Image>;
  /** Workflows of the repository an image's source label names. */
  workflowsOf(image: Image): Workflow[];
  /** Images whose source label is this repository. */
  builtFrom(repositoryUrl: string): Image[];
  /** The images a workflow's environment (or its repository's) builds on. */
  baseImagesOf(workflow: Workflow, repository: Repository | undefined): ImageMention[];
  /** A facility's `images:` list, each linked where catalogued. */
  facilityImages(facility: Facility): ImageMention[];
  /** The catalogued image a reference names (registry and repository path; the tag does not matter). */
  lookup(ref: string): Image | null;
};

export function imageLinks(images: readonly Image[], workflows: readonly Workflow[]): ImageLinks {
  const sorted = sortImages(images);
  const byName = new Map(sorted.map((image) => [`${image.registry}/${image.name}`, image]));
  const workflowsByRepo = new Map<string, Workflow[]>();
  for (const workflow of workflows) {
    const key = repositoryKey(workflow.repository.url);
    workflowsByRepo.set(key, [...(workflowsByRepo.get(key) ?? []), workflow]);
  }
  const imagesByRepo = new Map<string, Image[]>();
  for (const image of sorted) {
    if (!image.labels?.source) continue;
    const key = repositoryKey(image.labels.source);
    imagesByRepo.set(key, [...(imagesByRepo.get(key) ?? []), image]);
  }
  const lookup = (ref: string): Image | null => {
    const parsed = parseImageReference(ref.trim());
    return parsed ? (byName.get(`${parsed.registry}/${parsed.name}`) ?? null) : null;
  };
  return {
    images: sorted,
    byId: new Map(sorted.map((image) => [image.id, image])),
    workflowsOf: (image) => (image.labels?.source ? (workflowsByRepo.get(repositoryKey(image.labels.source)) ?? []) : []),
    builtFrom: (url) => imagesByRepo.get(repositoryKey(url)) ?? [],
    baseImagesOf: (workflow, repository) => {
      const refs = [...(workflow.environment?.baseImages ?? []), ...(repository?.environment?.baseImages ?? [])].map((base) => base.ref);
      return [...new Set(refs)].map((ref) => ({ ref, image: lookup(ref) }));
    },
    facilityImages: (facility) => (facility.images ?? []).map((ref) => ({ ref, image: lookup(ref) })),
    lookup,
  };
}

/** Most pulled first, then by name: the order of the /images/ list. */
export function sortImages(images: readonly Image[]): Image[] {
  return [...images].sort((a, b) => (b.pulls ?? -1) - (a.pulls ?? -1) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** The /images/ facets, in display order; `key` is the URL parameter. */
export const IMAGE_FACETS = [
  { key: 'namespace', label: 'Namespace' },
  { key: 'platform', label: 'Platform' },
  { key: 'license', label: 'Licence' },
  { key: 'workflows', label: 'Workflows' },
] as const;
export type ImageFacetKey = (typeof IMAGE_FACETS)[number]['key'];

export function imageFacetValues(image: Image, linkedWorkflows: number): Record<ImageFacetKey, string[]> {
  return {
    namespace: [pullName(image).includes('/') ? image.name.split('/')[0]! : 'official'],
    platform: [...new Set(image.tags.flatMap((tag) => tag.platforms))].sort(),
    license: image.labels?.licenses ? [image.labels.licenses] : [],
    workflows: [linkedWorkflows > 0 ? 'linked to workflows' : 'no catalogued workflow'],
  };
}

/** The text the keyword box matches: name, descriptions and labels, lower-cased once. */
export function imageSearchText(image: Image): string {
  return [image.name, image.description ?? '', image.labels?.description ?? '', image.labels?.source ?? ''].join('\n').toLocaleLowerCase('en');
}

/** Per facet, each value with the number of images that have it: most common first, then by value. */
export function facetCounts(values: readonly Record<ImageFacetKey, string[]>[]): Record<ImageFacetKey, { value: string; count: number }[]> {
  const out = {} as Record<ImageFacetKey, { value: string; count: number }[]>;
  for (const { key } of IMAGE_FACETS) {
    const counts = new Map<string, number>();
    for (const entry of values) for (const value of entry[key]) counts.set(value, (counts.get(value) ?? 0) + 1);
    out[key] = [...counts].map(([value, count]) => ({ value, count })).sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
  }
  return out;
}

/** Whether an image with these facet values passes the selected filters (any value within a facet, every facet). */
export function matchesFilters(values: Record<ImageFacetKey, string[]>, filters: Partial<Record<ImageFacetKey, readonly string[]>>): boolean {
  return IMAGE_FACETS.every(({ key }) => {
    const wanted = filters[key] ?? [];
    return wanted.length === 0 || wanted.some((value) => values[key].includes(value));
  });
}
