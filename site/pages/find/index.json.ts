/** The /find/ resolver's index: per repository URL, each workflow's path → its id. */
import type { APIRoute } from 'astro';
import { siteCatalog } from '../../lib/catalog.js';
import { findIndex } from '../../lib/find.js';
import { jsonResponse } from '../../lib/workflows-api.js';

export const GET: APIRoute = async () => jsonResponse(findIndex((await siteCatalog()).workflows));
