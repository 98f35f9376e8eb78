/** Issue #21, deceptive input: workflow ids carry 64 bits of hash, and a duplicate id stops the crawl. */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { WorkflowsFile } from '../../catalog/contract/index.js';
import { makeWorld, readCatalog, snapshot, type World } from './world.js';

let world: World | null = null;
afterEach(async () => {
  await world?.close();
  world = null;
});

describe('workflow ids', () => {
  it('end in 16 hex digits (64 bits) of hash', async () => {
    world = await makeWorld();
    await world.run();
    const ids = WorkflowsFile.parse(readCatalog(world.out, 'workflows.json')).items.map((w) => w.id);
    expect(ids.length).toBeGreaterThan(0);
    for (const id of ids) expect(id).toMatch(/-[0-9a-f]{16}$/);
  });

  it('a duplicate id stops the crawl (exit 1, both notebooks and sources named, nothing written) instead of dropping one', async () => {
    world = await makeWorld();
    await world.run();
    // Give beta's notebook the id of alpha's, as a crafted collision would.
    const file = path.join(world.out, 'workflows.json');
    const catalog = JSON.parse(readFileSync(file, 'utf8')) as { items: { id: string; repository: { url: string } }[] };
    const alpha = catalog.items.find((w) => w.repository.url.endsWith('/alpha'))!;
    catalog.items.find((w) => w.repository.url.endsWith('/beta'))!.id = alpha.id;
    writeFileSync(file, `${JSON.stringify(catalog, null, 2)}\n`);
    const before = snapshot(world.out);
    const result = await world.run();
    expect(result.exitCode).toBe(1);
    const message = result.problems.join('\n');
    expect(message).toContain(`duplicate workflow id "${alpha.id}"`);
    expect(message).toContain('https://github.com/astro-org/alpha analysis.ipynb (source github-org-astro-org)');
    expect(message).toContain('https://github.com/astro-org/beta nb/beta.ipynb (source github-org-astro-org)');
    expect(snapshot(world.out)).toEqual(before);
  });
});
