import { z } from 'zod';
import { Doi, WebUrl } from './common.js';
import { SCHEMA_VERSION } from './envelope.js';
import { Workflow } from './workflow.js';

/**
 * What kind of data reference a cart item is; decides how a staging service fetches it:
 * `url` a plain download, `doi` a DOI (resolved through https://doi.org/), `tap` an IVOA TAP query URL
 * (sync/async endpoint with an ADQL query), `rucio` a Rucio data identifier (scope:name) with the URL of
 * the Rucio server that knows it.
 */
export const DatasetKind = z.enum(['url', 'doi', 'tap', 'rucio']);
export type DatasetKind = z.infer<typeof DatasetKind>;

/** A Rucio data identifier, "scope:name", e.g. "user.jdoe:run42.raw". */
export const RucioDid = z
  .string()
  .max(500)
  .regex(/^(?!-)[A-Za-z0-9_.-]{1,30}:[A-Za-z0-9_.\-/+=]{1,250}$/, 'must be a Rucio DID "scope:name", e.g. "user.jdoe:run42.raw"');

/** A cart item: a data set a user wants staged beside a workflow. */
export const Dataset = z
  .object({
    url: WebUrl.describe('http(s) URL; a DOI is kept as https://doi.org/…, a Rucio DID as the URL of its Rucio server page.'),
    kind: DatasetKind,
    title: z.string().trim().min(1).max(300),
    /** The DOI (kind `doi`) or the Rucio DID (kind `rucio`); absent for the other kinds. */
    id: z.string().max(500).optional(),
  })
  .strict()
  .superRefine((dataset, ctx) => {
    const problem = (message: string) => ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['id'], message });
    if (dataset.kind === 'doi') {
      if (dataset.id === undefined) problem('a "doi" data set needs its DOI in `id`');
      else if (!Doi.safeParse(dataset.id).success) problem(`"${dataset.id}" is not a DOI such as "10.5281/zenodo.1234567"`);
    } else if (dataset.kind === 'rucio') {
      if (dataset.id === undefined) problem('a "rucio" data set needs its DID ("scope:name") in `id`');
      else if (!RucioDid.safeParse(dataset.id).success) problem(`"${dataset.id}" is not a Rucio DID "scope:name"`);
    } else if (dataset.id !== undefined) {
      problem(`a "${dataset.kind}" data set has no \`id\`; only "doi" and "rucio" do`);
    }
  });
export type Dataset = z.infer<typeof Dataset>;

/** What the cart keeps of a workflow: enough to show it and to build its Launch link offline. */
export const CartWorkflow = Workflow.pick({ id: true, title: true, repository: true, path: true, language: true })
  // Optional so carts saved before text notebooks existed still load; absent means an .ipynb.
  .extend({ format: Workflow.shape.format.optional() })
  .strict();
export type CartWorkflow = z.infer<typeof CartWorkflow>;

/** The cart as kept in localStorage and exported/imported as JSON (`ida-cart.json`). */
export const Cart = z
  .object({
    schemaVersion: z.literal(SCHEMA_VERSION),
    kind: z.literal('cart'),
    workflows: z.array(CartWorkflow).max(200),
    datasets: z.array(Dataset).max(500),
  })
  .strict();
export type Cart = z.infer<typeof Cart>;
