import { z } from 'zod';
import { WebUrl } from './common.js';

/** What kind of data reference a cart item is; decides how a staging service fetches it. */
export const DatasetKind = z.enum(['url', 'doi', 'tap', 'rucio']);
export type DatasetKind = z.infer<typeof DatasetKind>;

/** A cart item: a data set a user wants staged beside a workflow. */
export const Dataset = z
  .object({
    url: WebUrl.describe('http(s) URL; a DOI is kept as https://doi.org/…, a Rucio DID as the resolver URL.'),
    kind: DatasetKind,
    title: z.string().trim().min(1).max(300),
  })
  .strict();
export type Dataset = z.infer<typeof Dataset>;
