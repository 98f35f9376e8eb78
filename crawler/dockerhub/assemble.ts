/**
 * The images of the next catalog, pure: previous records plus what the harvest found. Like repositories
 * (crawl/assemble.ts): a source that could not be listed keeps every image it had, marked stale; an image
 * that failed keeps its previous record, stale; Docker Hub's 404, or a successful listing that no longer
 * names an image, removes it. Sorted by id; two names with the same id keep the first by name.
 */
import type { Image } from '../../catalog/contract/index.js';
import type { SourceSummary } from '../crawl/assemble.js';
import type { ImageHarvest } from './harvest.js';

export type AssembledImages = { images: Image[]; summaries: SourceSummary[] };

function summary(id: string, failed: boolean, errors: string[]): SourceSummary {
  return { id, status: failed ? 'stale' : errors.length ? 'partial' : 'ok', repositories: 0, changed: 0, unchanged: 0, removed: 0, stale: 0, workflows: 0, images: 0, errors: [...errors], warnings: [] };
}

export function assembleImages(previous: readonly Image[], harvest: Pick<ImageHarvest, 'listings' | 'visited'>, startedAt: string): AssembledImages {
  const selected = new Set(harvest.listings.map((listing) => listing.id));
  const summaries = new Map(harvest.listings.map((listing) => [listing.id, summary(listing.id, listing.failed, listing.errors)]));
  const previousByName = new Map(previous.map((image) => [image.name, image]));
  const visitedNames = new Set(harvest.visited.map((visit) => visit.name));
  // Images of sources not crawled this run are kept, unless a crawled source claimed them now.
  const images: Image[] = previous.filter((image) => !selected.has(image.source) && !visitedNames.has(image.name));
  const stale = (image: Image, into: SourceSummary) => {
    images.push({ ...image, staleSince: image.staleSince ?? startedAt });
    into.stale += 1;
    into.images! += 1;
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
      if (before) into.removed += 1;
      into.errors.push(`${name} not found on Docker Hub (deleted or private)${before ? ': its record is removed' : ''}`);
      into.status = into.status === 'stale' ? 'stale' : 'partial';
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
    if (listing.failed) stale(image, into);
    else {
      into.removed += 1;
      into.errors.push(`${image.name} is no longer listed by source ${image.source}: its record is removed`);
    }
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
  return { images: unique, summaries: [...summaries.values()] };
}
