/**
 * Where the site reads its inputs from. Defaults are the committed files; tests and benchmarks point a
 * build elsewhere with environment variables.
 */
import path from 'node:path';

const root = process.cwd();

export const facilitiesPath = path.resolve(root, process.env.IDA_FACILITIES || 'facilities.yaml');
export const catalogDir = path.resolve(root, process.env.IDA_CATALOG_DIR || 'catalog');
/** IDA_CURATED: the curated workflows file; by default the catalog directory's curated.yaml (optional: absent means none). */
export const curatedPath = path.resolve(root, process.env.IDA_CURATED || path.join(catalogDir, 'curated.yaml'));
/** IDA_PRIVATE_DATA_HOSTS: loopback/private hosts (`host` or `host:port`, comma-separated) the cart accepts in data set URLs. */
export const privateDataHostsSetting = process.env.IDA_PRIVATE_DATA_HOSTS ?? '';
