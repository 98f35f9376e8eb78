/**
 * Loopback Docker Hub (node:http on 127.0.0.1): the Hub's v2 API (namespace listing, repository, tags, with
 * Docker Hub's JSON shapes and `next`-URL paging), a registry speaking the distribution API (401 with a
 * `WWW-Authenticate: Bearer realm=…` challenge, OCI index or single manifest by Accept, config blobs
 * answered with a 307 to a separate "CDN" origin, as Docker Hub's registry does) and the token service.
 * Faults on demand: 429 with retry-after, 5xx, garbage JSON.
 */
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type FakePlatform = { os: string; architecture: string; variant?: string; size: number; labels?: Record<string, string> };
export type FakeTag = { name: string; pushed: string; platforms: FakePlatform[]; /** An OCI index (multi-platform) rather than one manifest. */ index?: boolean };
export type FakeImage = {
  namespace: string;
  name: string;
  description?: string;
  fullDescription?: string;
  pulls?: number;
  stars?: number;
  lastUpdated?: string;
  private?: boolean;
  tags: FakeTag[];
};

export type Fault = '429' | '500' | '503' | 'garbage';

export type DockerHubServerOptions = {
  images: FakeImage[];
  /** Most repositories per namespace page, whatever page_size asks (shows paging). Default 100. */
  listPageSize?: number;
  /** Most tags per page. Default 10. */
  tagPageSize?: number;
  /** Per request (server name and path, 0-based sequence per server): a fault to answer with, or null. */
  fault?: (server: 'hub' | 'registry' | 'auth', path: string, sequence: number) => Fault | null;
  retryAfter?: number;
  /** Rewrites the WWW-Authenticate realm (to test a challenge that points elsewhere). */
  realm?: (authUrl: string) => string;
  /** Delay before every Hub and registry answer (ms), so requests in flight are observable. */
  latencyMs?: number;
};

export type DockerHubServer = {
  hubUrl: string;
  registryUrl: string;
  authUrl: string;
  cdnUrl: string;
  options: DockerHubServerOptions;
  stats: {
    requests: Record<'hub' | 'registry' | 'auth' | 'cdn', number>;
    byPath: Record<string, number>;
    /** Authorization headers the CDN saw (a registry token must not travel to another origin). */
    cdnAuthorization: string[];
    tokensIssued: number;
    faults: number;
    /** Most Hub and registry requests being answered at once. */
    maxInFlight: number;
  };
  close(): Promise<void>;
};

const MEDIA = {
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  config: 'application/vnd.oci.image.config.v1+json',
};

const sha = (bytes: Buffer | string) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

type Blob = { body: Buffer; type: string };

/** Manifests and blobs of one tag, content-addressed as a registry stores them. */
function buildTag(repo: string, tag: FakeTag, store: Map<string, Blob>): { digest: string; manifests: Map<string, string> } {
  const manifests = new Map<string, string>(); // platform → manifest digest
  const entries: object[] = [];
  for (const platform of tag.platforms) {
    const config = Buffer.from(
      JSON.stringify({ architecture: platform.architecture, os: platform.os, ...(platform.variant ? { variant: platform.variant } : {}), config: { Labels: platform.labels ?? null, Env: ['PATH=/usr/bin'] }, rootfs: { type: 'layers', diff_ids: [] } }),
    );
    const configDigest = sha(config);
    store.set(`${repo}@${configDigest}`, { body: config, type: MEDIA.config });
    const manifest = Buffer.from(
      JSON.stringify({ schemaVersion: 2, mediaType: tag.index ? MEDIA.ociManifest : MEDIA.dockerManifest, config: { mediaType: MEDIA.config, digest: configDigest, size: config.length }, layers: [] }),
    );
    const digest = sha(manifest);
    store.set(`${repo}@${digest}`, { body: manifest, type: tag.index ? MEDIA.ociManifest : MEDIA.dockerManifest });
    manifests.set(`${platform.os}/${platform.architecture}${platform.variant ? `/${platform.variant}` : ''}`, digest);
    entries.push({ mediaType: MEDIA.ociManifest, digest, size: manifest.length, platform: { architecture: platform.architecture, os: platform.os, ...(platform.variant ? { variant: platform.variant } : {}) } });
  }
  if (!tag.index) {
    const only = [...manifests.values()][0]!;
    store.set(`${repo}:${tag.name}`, store.get(`${repo}@${only}`)!);
    return { digest: only, manifests };
  }
  // buildx adds an attestation manifest with platform unknown/unknown to every index.
  const attestation = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: MEDIA.ociManifest, config: { mediaType: 'application/vnd.oci.empty.v1+json', digest: sha('{}'), size: 2 }, layers: [] }));
  store.set(`${repo}@${sha(attestation)}`, { body: attestation, type: MEDIA.ociManifest });
  entries.unshift({ mediaType: MEDIA.ociManifest, digest: sha(attestation), size: attestation.length, platform: { architecture: 'unknown', os: 'unknown' } });
  const index = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: MEDIA.ociIndex, manifests: entries }));
  const digest = sha(index);
  store.set(`${repo}@${digest}`, { body: index, type: MEDIA.ociIndex });
  store.set(`${repo}:${tag.name}`, store.get(`${repo}@${digest}`)!);
  return { digest, manifests };
}

function send(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(text);
}

async function listen(handler: http.RequestListener): Promise<{ server: http.Server; url: string }> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

export async function startDockerHubServer(options: DockerHubServerOptions): Promise<DockerHubServer> {
  const stats: DockerHubServer['stats'] = { requests: { hub: 0, registry: 0, auth: 0, cdn: 0 }, byPath: {}, cdnAuthorization: [], tokensIssued: 0, faults: 0, maxInFlight: 0 };
  let inFlight = 0;
  /** Counts the request in flight until its answer ends, after the configured latency. */
  const delayed = (handler: http.RequestListener): http.RequestListener => (req, res) => {
    inFlight += 1;
    stats.maxInFlight = Math.max(stats.maxInFlight, inFlight);
    res.on('close', () => (inFlight -= 1));
    setTimeout(() => handler(req, res), options.latencyMs ?? 0);
  };
  const sequence = { hub: 0, registry: 0, auth: 0 };
  const tokens = new Map<string, string>(); // token → scope
  const urls = { hub: '', registry: '', auth: '', cdn: '' };

  const faulted = (server: 'hub' | 'registry' | 'auth', path: string, res: http.ServerResponse): boolean => {
    const fault = options.fault?.(server, path, sequence[server]++) ?? null;
    if (!fault) return false;
    stats.faults += 1;
    if (fault === '429') send(res, 429, { message: 'Too Many Requests' }, { 'retry-after': String(options.retryAfter ?? 1) });
    else if (fault === 'garbage') send(res, 200, '{"results": [ {"name": "trunc');
    else send(res, Number(fault), { message: 'server error' });
    return true;
  };

  const imageBy = (namespace: string, name: string) => options.images.find((image) => image.namespace === namespace && image.name === name && !image.private);
  // Built lazily so tests may change options.images between crawls.
  const registryState = () => {
    const store = new Map<string, Blob>();
    const tagDigests = new Map<string, { digest: string; manifests: Map<string, string> }>();
    for (const image of options.images) {
      const repo = `${image.namespace}/${image.name}`;
      for (const tag of image.tags) tagDigests.set(`${repo}:${tag.name}`, buildTag(repo, tag, store));
    }
    return { store, tagDigests };
  };

  const hub = await listen(delayed((req, res) => {
    stats.requests.hub += 1;
    const url = new URL(req.url ?? '/', urls.hub);
    stats.byPath[`hub ${url.pathname}`] = (stats.byPath[`hub ${url.pathname}`] ?? 0) + 1;
    if (faulted('hub', url.pathname, res)) return;
    const page = Math.max(1, Number(url.searchParams.get('page') ?? 1));
    const paged = <T>(items: T[], cap: number, toJson: (item: T) => object) => {
      const size = Math.min(cap, Math.max(1, Number(url.searchParams.get('page_size') ?? 10)));
      const slice = items.slice((page - 1) * size, page * size);
      const next = page * size < items.length ? new URL(url.href) : null;
      next?.searchParams.set('page', String(page + 1));
      const previous = page > 1 ? new URL(url.href) : null;
      previous?.searchParams.set('page', String(page - 1));
      return { count: items.length, next: next?.href ?? null, previous: previous?.href ?? null, results: slice.map(toJson) };
    };
    let match = /^\/v2\/namespaces\/([^/]+)\/repositories\/?$/.exec(url.pathname);
    if (match) {
      const namespace = decodeURIComponent(match[1]!);
      const images = options.images.filter((image) => image.namespace === namespace).sort((a, b) => (a.name < b.name ? -1 : 1));
      if (images.length === 0) return send(res, 404, { message: `namespace ${namespace} not found`, errinfo: {} });
      return send(
        res,
        200,
        paged(images, options.listPageSize ?? 100, (image) => ({
          name: image.name,
          namespace: image.namespace,
          repository_type: 'image',
          status: 1,
          status_description: 'active',
          description: image.description ?? '',
          is_private: image.private ?? false,
          star_count: image.stars ?? 0,
          pull_count: image.pulls ?? 0,
          last_updated: image.lastUpdated ?? null,
          date_registered: '2019-01-01T00:00:00.000000Z',
          affiliation: '',
          media_types: ['application/vnd.oci.image.index.v1+json'],
          content_types: ['image'],
          categories: [],
          storage_size: 123456,
        })),
      );
    }
    match = /^\/v2\/repositories\/([^/]+)\/([^/]+)\/tags\/?$/.exec(url.pathname);
    if (match) {
      const image = imageBy(decodeURIComponent(match[1]!), decodeURIComponent(match[2]!));
      if (!image) return send(res, 404, { message: 'object not found', errinfo: {} });
      const { tagDigests } = registryState();
      const repo = `${image.namespace}/${image.name}`;
      const tags = [...image.tags].sort((a, b) => (a.pushed < b.pushed ? 1 : -1));
      return send(
        res,
        200,
        paged(tags, options.tagPageSize ?? 10, (tag) => ({
          creator: 1,
          id: 1,
          images: tag.platforms.map((platform) => ({
            architecture: platform.architecture,
            features: '',
            variant: platform.variant ?? null,
            digest: tagDigests.get(`${repo}:${tag.name}`)!.manifests.get(`${platform.os}/${platform.architecture}${platform.variant ? `/${platform.variant}` : ''}`),
            os: platform.os,
            os_features: '',
            os_version: null,
            size: platform.size,
            status: 'active',
            last_pulled: null,
            last_pushed: tag.pushed,
          })),
          last_updated: tag.pushed,
          last_updater: 1,
          last_updater_username: image.namespace,
          name: tag.name,
          repository: 1,
          full_size: tag.platforms[0]?.size ?? 0,
          v2: true,
          tag_status: 'active',
          tag_last_pulled: null,
          tag_last_pushed: tag.pushed,
          media_type: tag.index ? MEDIA.ociIndex : MEDIA.dockerManifest,
          content_type: 'image',
          digest: tagDigests.get(`${repo}:${tag.name}`)!.digest,
        })),
      );
    }
    match = /^\/v2\/repositories\/([^/]+)\/([^/]+)\/?$/.exec(url.pathname);
    if (match) {
      const image = imageBy(decodeURIComponent(match[1]!), decodeURIComponent(match[2]!));
      if (!image) return send(res, 404, { message: 'object not found', errinfo: {} });
      return send(res, 200, {
        user: image.namespace,
        name: image.name,
        namespace: image.namespace,
        repository_type: 'image',
        status: 1,
        status_description: 'active',
        description: image.description ?? '',
        is_private: false,
        is_automated: false,
        star_count: image.stars ?? 0,
        pull_count: image.pulls ?? 0,
        last_updated: image.lastUpdated ?? null,
        last_modified: image.lastUpdated ?? null,
        date_registered: '2019-01-01T00:00:00.000000Z',
        collaborator_count: 0,
        affiliation: null,
        hub_user: image.namespace,
        has_starred: false,
        full_description: image.fullDescription ?? null,
        permissions: { read: true, write: false, admin: false },
        media_types: [],
        content_types: ['image'],
        categories: [],
        immutable_tags_settings: { enabled: false, rules: [] },
        storage_size: 123456,
      });
    }
    send(res, 404, { message: 'page not found' });
  }));

  const auth = await listen((req, res) => {
    stats.requests.auth += 1;
    const url = new URL(req.url ?? '/', urls.auth);
    if (faulted('auth', url.pathname, res)) return;
    const scope = url.searchParams.get('scope') ?? '';
    if (url.pathname !== '/token' || url.searchParams.get('service') !== 'registry.docker.io' || !/^repository:[a-z0-9._/-]+:pull$/.test(scope)) return send(res, 400, { details: 'bad token request' });
    const token = `anon-${createHash('sha256').update(`${scope}${stats.tokensIssued}`).digest('hex').slice(0, 24)}`;
    stats.tokensIssued += 1;
    tokens.set(token, scope);
    send(res, 200, { token, access_token: token, expires_in: 300, issued_at: new Date().toISOString() });
  });

  const cdn = await listen((req, res) => {
    stats.requests.cdn += 1;
    if (req.headers.authorization) stats.cdnAuthorization.push(req.headers.authorization);
    const url = new URL(req.url ?? '/', urls.cdn);
    const key = url.searchParams.get('key') ?? '';
    const blob = registryState().store.get(key);
    if (!blob) return send(res, 404, 'not found');
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(blob.body.length) });
    res.end(blob.body);
  });

  const registry = await listen(delayed((req, res) => {
    stats.requests.registry += 1;
    const url = new URL(req.url ?? '/', urls.registry);
    stats.byPath[`registry ${url.pathname}`] = (stats.byPath[`registry ${url.pathname}`] ?? 0) + 1;
    if (faulted('registry', url.pathname, res)) return;
    const match = /^\/v2\/([a-z0-9._-]+\/[a-z0-9._-]+)\/(manifests|blobs)\/([^/]+)$/.exec(url.pathname);
    if (!match) return send(res, 404, { errors: [{ code: 'NAME_UNKNOWN', message: 'repository name not known to registry' }] });
    const [, repo, kind, reference] = match as unknown as [string, string, string, string];
    const scope = `repository:${repo}:pull`;
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (!bearer || tokens.get(bearer) !== scope) {
      const realm = options.realm ? options.realm(`${urls.auth}/token`) : `${urls.auth}/token`;
      return send(res, 401, { errors: [{ code: 'UNAUTHORIZED', message: 'authentication required', detail: [{ Type: 'repository', Name: repo, Action: 'pull' }] }] }, {
        'www-authenticate': `Bearer realm="${realm}",service="registry.docker.io",scope="${scope}",error="insufficient_scope"`,
      });
    }
    const { store } = registryState();
    const key = reference.startsWith('sha256:') ? `${repo}@${reference}` : `${repo}:${reference}`;
    const blob = store.get(key);
    if (!blob) return send(res, 404, { errors: [{ code: kind === 'blobs' ? 'BLOB_UNKNOWN' : 'MANIFEST_UNKNOWN', message: 'unknown' }] });
    if (kind === 'blobs') {
      res.writeHead(307, { location: `${urls.cdn}/blob?key=${encodeURIComponent(key)}` });
      return res.end();
    }
    const accept = req.headers.accept ?? '';
    if (!accept.includes(blob.type)) return send(res, 404, { errors: [{ code: 'MANIFEST_UNKNOWN', message: `OCI index found, but accept header does not support OCI indexes` }] });
    res.writeHead(200, { 'content-type': blob.type, 'docker-content-digest': sha(blob.body), 'content-length': String(blob.body.length) });
    res.end(blob.body);
  }));

  urls.hub = hub.url;
  urls.registry = registry.url;
  urls.auth = auth.url;
  urls.cdn = cdn.url;
  const servers = [hub.server, registry.server, auth.server, cdn.server];
  return {
    hubUrl: hub.url,
    registryUrl: registry.url,
    authUrl: auth.url,
    cdnUrl: cdn.url,
    options,
    stats,
    close: async () => {
      await Promise.all(
        servers.map(
          (server) =>
            new Promise<void>((resolve) => {
              server.closeAllConnections();
              server.close(() => resolve());
            }),
        ),
      );
    },
  };
}
