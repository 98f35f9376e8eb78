/** Open data: every container image of the catalog, in the catalog files' envelope (as catalog/images.json). */
import type { APIRoute } from 'astro';
import { ImagesFile, SCHEMA_VERSION } from '../../../catalog/contract/index.js';
import { siteImages } from '../../lib/image-catalog.js';
import { jsonResponse } from '../../lib/workflows-api.js';

export const GET: APIRoute = async () => jsonResponse(ImagesFile.parse({ schemaVersion: SCHEMA_VERSION, kind: 'images', items: (await siteImages()).images }));
