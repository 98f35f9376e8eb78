/**
 * The images of the next catalog, pure: previous records plus what the harvest found. Like repositories
 * (crawl/assemble.ts): a source that could not be listed keeps every image it had, marked stale; an image
 * that failed keeps its previous record, stale; and removal needs evidence: an image Docker Hub answers 404
 * for, or that a successful listing no longer names, is kept (stale) the first time and removed only when the
 * next crawl finds it missing again (`missingSince`, keyed by the image's page URL in the crawl state).
 * Sorted by id; two names with the same id keep the first by name.
 */
import type { Image } from '../../catalog/contract/index.js';
import type { SourceSummary } from '../crawl/assemble.js';
import type { ImageHarvest } from './harvest.js';

export type AssembledImages = {
  images: Image[];
  summaries: SourceSummary[];
  /** When each image still kept was first found missing (for the crawl state's `missingSince`). */
  missingSince: Record<string, string>;
};

function summary(id: string, failed: boolean, errors: string[]): SourceSummary {
  return { id, status: failed ? 'stale' : errors.length ? 'partial' : 'ok', repositories: 0, changed: 0, unchanged: 0, removed: 0, stale: 0, workflows: 0, images: 0, errors: [...errors], warnings: [] };
}

export function assembleImages(
  previous: readonly Image[],
  harvest: Pick<ImageHarvest, 'listings' | 'visited'>,
  startedAt: string,
  missingBefore: Readonly<Record<string, string>> = {},
): AssembledImages {
  const selected = new Set(harvest.listings.map((listing) => listing.id));
  const summaries = new Map(harvest.listings.map((listing) => [listing.id, summary(listing.id, listing.failed, listing.errors)]));
  const previousByName = new Map(previous.map((image) => [image.name, image]));
  const visitedNames = new Set(harvest.visited.map((visit) => visit.name));
  // Images of sources not crawled this run are kept, unless a crawled source claimed them now.
  const images: Image[] = previous.filter((image) => !selected.has(image.source) && !visitedNames.has(image.name));
  const missingSince: Record<string, string> = {};
  for (const image of images) if (missingBefore[image.url]) missingSince[image.url] = missingBefore[image.url]!;
  const stale = (image: Image, into: SourceSummary) => {
    images.push({ ...image, staleSince: image.staleSince ?? startedAt });
    into.stale += 1;
    into.images! += 1;
  };
  const missing = (image: Image, into: SourceSummary, why: string) => {
    into.status = into.status === 'stale' ? 'stale' : 'partial';
    const since = missingBefore[image.url];
    if (since) {
      into.removed += 1;
      into.errors.push(`${image.name} ${why}, as it was on the crawl of ${since}: its record is removed`);
      return;
    }
    stale(image, into);
    missingSince[image.url] = startedAt;
    into.errors.push(`${image.name} ${why}: its record is kept (stale) and removed if the next crawl finds it missing too`);
  };

  const seen = new Set<string>();
  for (const { name, sourceId, outcome } of harvest.visited) {
    const into = summaries.get(sourceId)!;
    seen.add(name);
    into.repositories += 1;
    const before = previousByName.get(name);
    if (outcome.kind === 'fresh') {
      const { staleSince: _s, ...image } = outcome.image;
      images.push(image);
      into.images! += 1;
      if (before && JSON.stringify({ ...before, staleSince: undefined }) === JSON.stringify({ ...image, staleSince: undefined })) into.unchanged += 1;
      else into.changed += 1;
      for (const warning of image.warnings) into.warnings.push(warning);
    } else if (outcome.kind === 'missing') {
      if (before) missing(before, into, 'was not found on Docker Hub (deleted or private)');
      else {
        into.errors.push(`${name} was not found on Docker Hub (deleted or private)`);
        into.status = into.status === 'stale' ? 'stale' : 'partial';
      }
    } else {
      into.errors.push(`${name}: ${outcome.error}`);
      into.status = into.status === 'stale' ? 'stale' : 'partial';
      if (before) stale(before, into);
    }
  }
  for (const image of previous) {
    const into = summaries.get(image.source);
    if (!into || seen.has(image.name)) continue;
    const listing = harvest.listings.find((l) => l.id === image.source)!;
    if (listing.failed) {
      stale(image, into);
      if (missingBefore[image.url]) missingSince[image.url] = missingBefore[image.url]!;
    } else missing(image, into, `is no longer listed by source ${image.source}`);
  }

  images.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const unique: Image[] = [];
  for (const image of images) {
    const last = unique[unique.length - 1];
    if (last && last.id === image.id) {
      const into = summaries.get(image.source);
      into?.warnings.push(`${image.name} has the same id "${image.id}" as ${last.name}: only ${last.name} is catalogued`);
      if (into?.images) into.images -= 1;
      continue;
    }
    unique.push(image);
  }
  for (const url of Object.keys(missingSince)) if (!unique.some((image) => image.url === url)) delete missingSince[url];
  return { images: unique, summaries: [...summaries.values()], missingSince };
}
