/**
 * JSON Schema generated from the contract's zod schemas, for editors (yaml-language-server), other
 * languages and API consumers. Output is deterministic: keys sorted, two-space indent, trailing newline,
 * so the committed files change only when the contract does (a test checks they are fresh).
 */
import { zodToJsonSchema } from 'zod-to-json-schema';
import type { z } from 'zod';
import {
  Cart,
  CuratedList,
  CuratedWorkflow,
  Dataset,
  EsapFacilitiesPage,
  EsapWorkflowsPage,
  FacilitiesPage,
  Facility,
  FacilityStatusFile,
  FacilityList,
  Image,
  ImagesFile,
  NotebookPreview,
  RepositoriesFile,
  Repository,
  SourcesFile,
  StagerConfig,
  Workflow,
  WorkflowsFile,
} from '../contract/index.js';

type Entry = { schema: z.ZodTypeAny; title: string; description: string };

/** File stem → schema. `<stem>.schema.json` is written for each. */
export const SCHEMAS: Record<string, Entry> = {
  curated: { schema: CuratedList, title: 'catalog/curated.yaml', description: 'The curated workflows that are not notebooks in git: desktop tools and container images.' },
  'curated-workflow': { schema: CuratedWorkflow, title: 'CuratedWorkflow', description: 'A desktop tool or container image listed by hand in catalog/curated.yaml.' },
  facilities: { schema: FacilityList, title: 'facilities.yaml', description: 'The curated list of compute facilities.' },
  facility: { schema: Facility, title: 'Facility', description: 'A compute facility (JupyterHub, BinderHub, …) a workflow can be launched on.' },
  'facilities-api': { schema: FacilitiesPage, title: '/api/facilities.json', description: "The site's facility API, in ESAP's paginated envelope." },
  workflow: { schema: Workflow, title: 'Workflow', description: 'One notebook in a public repository, as the crawler catalogued it.' },
  repository: { schema: Repository, title: 'Repository', description: 'One crawled repository.' },
  image: { schema: Image, title: 'Image', description: 'A container image a workflow can run in.' },
  dataset: { schema: Dataset, title: 'Dataset', description: 'A data set in the cart, to be staged beside a workflow.' },
  cart: { schema: Cart, title: 'Cart', description: "The cart's JSON export (/cart/ → Export): workflows and data sets, importable again." },
  'notebook-preview': { schema: NotebookPreview, title: 'NotebookPreview', description: 'catalog/previews/<workflow id>.json' },
  'workflows-file': { schema: WorkflowsFile, title: 'catalog/workflows.json', description: 'The catalog of workflows.' },
  'repositories-file': { schema: RepositoriesFile, title: 'catalog/repositories.json', description: 'The catalog of repositories.' },
  'facility-status-file': {
    schema: FacilityStatusFile,
    title: 'catalog/facility-status.json',
    description: 'What the facility probe (ida-catalog probe) last saw of each facility: up, degraded or down, version, kernels, when.',
  },
  'images-file': { schema: ImagesFile, title: 'catalog/images.json', description: 'The catalog of container images.' },
  'esap-facilities-api': {
    schema: EsapFacilitiesPage,
    title: '/api/esap/facilities.json',
    description: "Facilities with ESAP IDA's field names (name, description, url, facilitytype), in ESAP's paginated envelope.",
  },
  'esap-workflows-api': {
    schema: EsapWorkflowsPage,
    title: '/api/esap/workflows.json',
    description: "Workflows with ESAP IDA's field names (name, description, url, ref, filepath, workflowtype, keywords, author, runtimePlatform), in ESAP's paginated envelope; page N at /api/esap/workflows/N.json.",
  },
  sources: { schema: SourcesFile, title: 'catalog/sources.yaml', description: 'What the crawler harvests.' },
  stager: { schema: StagerConfig, title: 'stager.yaml', description: "The staging service's configuration (ida-catalog stager --config)." },
};

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]),
    );
  }
  return value;
}

/** File name → file content, in file-name order. */
export function generateSchemas(): Map<string, string> {
  const files = new Map<string, string>();
  for (const stem of Object.keys(SCHEMAS).sort()) {
    const { schema, title, description } = SCHEMAS[stem]!;
    // $refStrategy none: every field is spelled out where it is used, which is what a reader of one file wants.
    const json = zodToJsonSchema(schema, { $refStrategy: 'none', target: 'jsonSchema7' }) as Record<string, unknown>;
    files.set(`${stem}.schema.json`, `${JSON.stringify(sortKeys({ ...json, title, description }), null, 2)}\n`);
  }
  return files;
}
