/** Open data: the JSON Schema of everything the site publishes, generated from the contract's zod schemas. */
import type { APIRoute } from 'astro';
import { zodToJsonSchema } from 'zod-to-json-schema';
import { WorkflowsPage } from '../../../catalog/contract/index.js';
import { generateSchemas } from '../../../catalog/schema/generate.js';
import { jsonResponse } from '../../lib/workflows-api.js';

export const GET: APIRoute = async () => {
  const definitions = Object.fromEntries(
    [...generateSchemas()].map(([file, text]) => {
      const { $schema: _schema, ...schema } = JSON.parse(text) as Record<string, unknown>;
      return [file.replace(/\.schema\.json$/, ''), schema];
    }),
  );
  const { $schema: _schema, ...workflowsApi } = zodToJsonSchema(WorkflowsPage, { $refStrategy: 'none', target: 'jsonSchema7' }) as Record<string, unknown>;
  definitions['workflows-api'] ??= { ...workflowsApi, title: '/api/workflows.json', description: "The site's workflow API, in ESAP's paginated envelope." };
  return jsonResponse({
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'ida-catalog open data',
    description: 'Schemas of /api/workflows.json (workflows-api), /api/facilities.json (facilities-api) and every record they contain.',
    definitions,
  });
};
