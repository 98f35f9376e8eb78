/**
 * An image's OCI labels through the registry API (the distribution spec), anonymously: ask for the
 * manifest; on 401 take the `WWW-Authenticate: Bearer realm=…` challenge to the token service (only the
 * configured one: a challenge is remote data) for an anonymous pull token; from an index or manifest list
 * pick linux/amd64 (else the first image), then read the image config blob and its `config.Labels`.
 * The config blob is checked against its digest. Tokens stay in memory: never logged, never stored.
 */
import { createHash } from 'node:crypto';
import { HttpError, jsonOf, shortUrl, type PoliteHttp, type PoliteResponse } from '../http/polite.js';

export const DOCKER_REGISTRY = 'https://registry-1.docker.io';
export const DOCKER_AUTH = 'https://auth.docker.io';

const MEDIA = {
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  dockerList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
} as const;
const ACCEPT = [MEDIA.ociIndex, MEDIA.dockerList, MEDIA.ociManifest, MEDIA.dockerManifest].join(', ');

const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
const MAX_CONFIG_BYTES = 8 * 1024 * 1024;
const MAX_TOKEN_BYTES = 64 * 1024;

export type RegistryOptions = { registryUrl?: string; authUrl?: string };

export type ReadLabels = { digest: string | null; labels: Record<string, string> };

export type Registry = {
  /** `config.Labels` of `name:reference` (a tag or digest); the digest is the tag's manifest (or index) digest. */
  labels(name: string, reference: string): Promise<ReadLabels>;
};

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `Bearer realm="…",service="…",scope="…"` → its parameters; null for any other scheme. */
export function parseBearerChallenge(header: string | null): Record<string, string> | null {
  if (!header) return null;
  const match = /^\s*Bearer\s+(.*)$/is.exec(header);
  if (!match) return null;
  const params: Record<string, string> = {};
  for (const part of match[1]!.matchAll(/([A-Za-z]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^,\s]+))/g)) params[part[1]!.toLowerCase()] = (part[2] ?? part[3] ?? '').replace(/\\(.)/g, '$1');
  return params;
}

const DIGEST = /^sha256:[0-9a-f]{64}$/;

export function createRegistry(http: PoliteHttp, options: RegistryOptions = {}): Registry {
  const registry = (options.registryUrl ?? DOCKER_REGISTRY).replace(/\/+$/, '');
  const authOrigin = new URL(options.authUrl ?? DOCKER_AUTH).origin;
  const tokens = new Map<string, Promise<string>>();

  async function token(name: string, challenge: Record<string, string>): Promise<string> {
    const scope = `repository:${name}:pull`;
    let cached = tokens.get(scope);
    if (!cached) {
      cached = (async () => {
        let realm: URL;
        try {
          realm = new URL(challenge.realm ?? '');
        } catch {
          throw new HttpError(`registry: the 401 challenge for ${name} names no token service`, 401);
        }
        if (realm.origin !== authOrigin) throw new HttpError(`registry: the 401 challenge for ${name} sends us to ${realm.origin}, not the configured token service ${authOrigin}`, 401);
        if (challenge.service) realm.searchParams.set('service', challenge.service);
        realm.searchParams.set('scope', scope);
        const response = await http.get(realm.href, { headers: { accept: 'application/json' }, maxBytes: MAX_TOKEN_BYTES });
        if (response.status !== 200) throw new HttpError(`registry token for ${name}: HTTP ${response.status}`, response.status);
        const data = jsonOf(response);
        const value = isObject(data) ? (data.token ?? data.access_token) : undefined;
        if (typeof value !== 'string' || !value || value.length > 16_384) throw new HttpError(`registry token for ${name}: the answer holds no token`, response.status);
        return value;
      })();
      tokens.set(scope, cached);
      cached.catch(() => tokens.delete(scope));
    }
    return cached;
  }

  /** GET on the registry, answering one Bearer challenge with an anonymous pull token. */
  async function get(name: string, path: string, accept: string, maxBytes: number): Promise<PoliteResponse> {
    const url = `${registry}/v2/${name.split('/').map(encodeURIComponent).join('/')}/${path}`;
    const scope = `repository:${name}:pull`;
    const known = tokens.get(scope);
    const auth = (value: string) => ({ accept, authorization: `Bearer ${value}` });
    let response = await http.get(url, { headers: known ? auth(await known) : { accept }, maxBytes });
    if (response.status === 401) {
      const challenge = parseBearerChallenge(response.headers.get('www-authenticate'));
      if (!challenge) throw new HttpError(`registry ${shortUrl(url)}: 401 without a Bearer challenge`, 401);
      if (known) tokens.delete(scope); // expired: ask once more
      response = await http.get(url, { headers: auth(await token(name, challenge)), maxBytes });
    }
    if (response.status !== 200) throw new HttpError(`registry ${shortUrl(url)}: HTTP ${response.status}`, response.status);
    return response;
  }

  function mediaTypeOf(response: PoliteResponse, data: Record<string, unknown>): string {
    const declared = typeof data.mediaType === 'string' ? data.mediaType : '';
    return declared || (response.headers.get('content-type') ?? '').split(';')[0]!.trim();
  }

  return {
    async labels(name, reference) {
      const first = await get(name, `manifests/${encodeURIComponent(reference)}`, ACCEPT, MAX_MANIFEST_BYTES);
      const headerDigest = first.headers.get('docker-content-digest');
      const digest = headerDigest && DIGEST.test(headerDigest) ? headerDigest : `sha256:${createHash('sha256').update(first.body).digest('hex')}`;
      let manifest = jsonOf(first);
      if (!isObject(manifest)) throw new HttpError(`registry ${name}:${reference}: the manifest is not a JSON object`, 200);
      const type = mediaTypeOf(first, manifest);
      if (type === MEDIA.ociIndex || type === MEDIA.dockerList || Array.isArray(manifest.manifests)) {
        const entries = (Array.isArray(manifest.manifests) ? manifest.manifests : []).filter(isObject);
        // Attestations and other non-images carry platform unknown/unknown.
        const images = entries.filter((entry) => typeof entry.digest === 'string' && DIGEST.test(entry.digest) && (!isObject(entry.platform) || entry.platform.os !== 'unknown'));
        const chosen = images.find((entry) => isObject(entry.platform) && entry.platform.os === 'linux' && entry.platform.architecture === 'amd64') ?? images[0];
        if (!chosen) throw new HttpError(`registry ${name}:${reference}: the index lists no image`, 200);
        const response = await get(name, `manifests/${chosen.digest as string}`, [MEDIA.ociManifest, MEDIA.dockerManifest].join(', '), MAX_MANIFEST_BYTES);
        manifest = jsonOf(response);
        if (!isObject(manifest)) throw new HttpError(`registry ${name}@${String(chosen.digest)}: the manifest is not a JSON object`, 200);
      }
      const config = isObject(manifest.config) ? manifest.config.digest : undefined;
      if (typeof config !== 'string' || !DIGEST.test(config)) throw new HttpError(`registry ${name}:${reference}: the manifest names no sha256 config blob`, 200);
      const blob = await get(name, `blobs/${config}`, 'application/json, */*', MAX_CONFIG_BYTES);
      if (`sha256:${createHash('sha256').update(blob.body).digest('hex')}` !== config) throw new HttpError(`registry ${name}: the config blob does not match its digest ${config}`, 200);
      const parsed = jsonOf(blob);
      const labels = isObject(parsed) && isObject(parsed.config) && isObject(parsed.config.Labels) ? parsed.config.Labels : {};
      const strings = Object.fromEntries(Object.entries(labels).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
      return { digest, labels: strings };
    },
  };
}
