/**
 * The Docker Hub half of a crawl (I/O): list each dockerhub source's images (claimed in sources order, like
 * repositories), then per image its Hub record, its newest tags and the OCI labels of the newest tag. The
 * labels cost three or four registry requests, so they are read again only when the newest tag's digest
 * changed since the last crawl. What happened is returned for assembleImages (pure) to turn into records.
 */
import pLimit from 'p-limit';
import { MAX_IMAGE_TAGS, type DockerHubSource, type Image, type ImageLabels } from '../../catalog/contract/index.js';
import { createPoliteHttp, type PoliteOptions, type PoliteStats } from '../http/polite.js';
import { createHub, DOCKER_HUB_API } from './hub.js';
import { imageRecord, labelsOf, newestTags } from './records.js';
import { createRegistry, DOCKER_AUTH, DOCKER_REGISTRY } from './registry.js';

export type DockerHubOptions = PoliteOptions & {
  /** Docker Hub's API (default https://hub.docker.com). */
  apiUrl?: string;
  /** The registry (default https://registry-1.docker.io). */
  registryUrl?: string;
  /** The token service registry challenges may send us to (default https://auth.docker.io). */
  authUrl?: string;
  /** Images harvested at once (each is a few requests; the HTTP client bounds requests in flight). */
  concurrency?: number;
};

export type ImageListing = { id: string; failed: boolean; errors: string[] };

export type ImageOutcome = { kind: 'fresh'; image: Image } | { kind: 'missing' } | { kind: 'failed'; error: string };

export type ImageHarvest = { listings: ImageListing[]; visited: { name: string; sourceId: string; outcome: ImageOutcome }[]; stats: PoliteStats };

/** The image names a source names. */
async function namesOf(source: DockerHubSource, hub: ReturnType<typeof createHub>): Promise<string[]> {
  const target = source.dockerhub;
  return 'namespace' in target ? hub.listNamespace(target.namespace) : [target.repository];
}

export async function harvestImages(
  sources: { id: string; source: DockerHubSource }[],
  previousImages: readonly Image[],
  options: DockerHubOptions & { log: (line: string) => void; redact: (text: string) => string },
): Promise<ImageHarvest> {
  const http = createPoliteHttp('Docker Hub', options);
  const hub = createHub(http, options.apiUrl ?? DOCKER_HUB_API);
  const registry = createRegistry(http, { registryUrl: options.registryUrl ?? DOCKER_REGISTRY, authUrl: options.authUrl ?? DOCKER_AUTH });
  const message = (error: unknown) => options.redact(error instanceof Error ? error.message : String(error));

  const listed = await Promise.all(
    sources.map(({ id, source }) =>
      namesOf(source, hub).then(
        (names) => ({ listing: { id, failed: false, errors: [] as string[] }, names }),
        (error: unknown) => ({ listing: { id, failed: true, errors: [`listing failed: ${message(error)}`] }, names: [] as string[] }),
      ),
    ),
  );
  const claimed = new Map<string, string>();
  for (const { listing, names } of listed) for (const name of names) if (!claimed.has(name)) claimed.set(name, listing.id);

  const previousByName = new Map(previousImages.map((image) => [image.name, image]));
  const limit = pLimit(Math.max(1, options.concurrency ?? 4));
  const visited = await Promise.all(
    [...claimed].map(([name, sourceId]) =>
      limit(async () => {
        const outcome = await harvestImage(name, sourceId, previousByName.get(name)).catch((error: unknown): ImageOutcome => ({ kind: 'failed', error: message(error) }));
        options.log(`${name} ${outcome.kind === 'fresh' ? `(${outcome.image.tags.length} tags${outcome.image.labels ? ', labels' : ''})` : outcome.kind === 'missing' ? 'not found' : `failed: ${outcome.error}`}`);
        return { name, sourceId, outcome };
      }),
    ),
  );
  return { listings: listed.map(({ listing }) => listing), visited, stats: http.stats };

  async function harvestImage(name: string, sourceId: string, previous: Image | undefined): Promise<ImageOutcome> {
    const repository = await hub.repository(name);
    if (repository === null) return { kind: 'missing' };
    const tags = await hub.tags(name, 2 * MAX_IMAGE_TAGS);
    const newest = newestTags(tags.results)[0];
    const warnings: string[] = [];
    let labels: ImageLabels | null = null;
    if (newest) {
      const known = previous?.labels;
      if (known && known.tag === newest.name && known.digest !== null && known.digest === newest.digest) labels = known;
      else {
        try {
          const read = await registry.labels(name, newest.name);
          labels = labelsOf(newest.name, read.digest, read.labels);
        } catch (error) {
          warnings.push(`OCI labels of ${name}:${newest.name} not read: ${message(error)}`);
        }
      }
    }
    return { kind: 'fresh', image: imageRecord({ name, source: sourceId, repository, tags, labels, warnings }) };
  }
}
