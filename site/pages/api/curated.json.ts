/** Open data: the curated desktop tools and container images (catalog/curated.yaml), in the catalog files' envelope. */
import type { APIRoute } from 'astro';
import { CuratedFile, SCHEMA_VERSION } from '../../../catalog/contract/index.js';
import { siteCatalog } from '../../lib/catalog.js';
import { jsonResponse } from '../../lib/workflows-api.js';

export const GET: APIRoute = async () => jsonResponse(CuratedFile.parse({ schemaVersion: SCHEMA_VERSION, kind: 'curated', items: (await siteCatalog()).curated }));
