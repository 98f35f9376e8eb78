/** The committed JSON Schema under catalog/schema/ must be what the contract generates today. */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { generateSchemas } from '../../catalog/schema/generate.js';
import { staleSchemaFiles } from '../../crawler/cli/schema.js';

const schemaDir = fileURLToPath(new URL('../../catalog/schema/', import.meta.url));

describe('catalog/schema', () => {
  it('is fresh: regenerate with `npm run schema` when the contract changes', async () => {
    expect(await staleSchemaFiles(schemaDir)).toEqual([]);
  });

  it('covers the facility list, every record type and the catalog files', () => {
    expect([...generateSchemas().keys()]).toEqual(
      expect.arrayContaining([
        'facilities.schema.json',
        'workflow.schema.json',
        'repository.schema.json',
        'image.schema.json',
        'dataset.schema.json',
        'notebook-preview.schema.json',
        'workflows-file.schema.json',
        'repositories-file.schema.json',
        'images-file.schema.json',
      ]),
    );
  });

  it('is stable and sorted: generating twice gives the same bytes, keys in order', async () => {
    expect([...generateSchemas()]).toEqual([...generateSchemas()]);
    const facilities = JSON.parse(await readFile(`${schemaDir}facilities.schema.json`, 'utf8'));
    expect(facilities.type).toBe('array');
    const item = facilities.items;
    expect(Object.keys(item.properties)).toEqual([...Object.keys(item.properties)].sort());
    expect(item.additionalProperties).toBe(false);
    expect(item.required).toEqual(expect.arrayContaining(['id', 'name', 'url', 'type', 'interfaces', 'defaultInterface', 'access']));
  });
});
