/**
 * Issue #21, data loss: a previous catalog or state file that does not parse or validate stops the crawl
 * (exit 2, a message naming the file and what to do, nothing written) instead of being taken for empty;
 * --force rebuilds from scratch on purpose.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { WorkflowsFile } from '../../catalog/contract/index.js';
import { validateCatalog } from '../../catalog/validate/index.js';
import { commitFiles } from '../support/github-server/git.js';
import { makeWorld, readCatalog, snapshot, type World } from './world.js';

let world: World | null = null;
afterEach(async () => {
  await world?.close();
  world = null;
});

/** A 1×1 PNG, so the notebook has an image output and the catalog a media file. */
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';

function notebookWithImage(title: string): string {
  return JSON.stringify({
    cells: [
      { cell_type: 'markdown', metadata: {}, source: `# ${title}` },
      { cell_type: 'code', execution_count: 1, metadata: {}, source: 'plot()', outputs: [{ output_type: 'display_data', metadata: {}, data: { 'image/png': PNG, 'text/plain': '<Figure>' } }] },
    ],
    metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' }, language_info: { name: 'python' } },
    nbformat: 4,
    nbformat_minor: 5,
  });
}

function truncate(file: string): void {
  const text = readFileSync(file, 'utf8');
  writeFileSync(file, text.slice(0, Math.floor(text.length / 2)));
}

async function expectStopped(w: World, result: Awaited<ReturnType<World['run']>>, before: Record<string, string>, file: string) {
  expect(result.exitCode).toBe(2);
  const message = result.problems.join('\n');
  expect(message).toContain(path.join(w.out, file));
  expect(message).toMatch(new RegExp(`${file.replace('.', '\\.')}:\\d+:\\d+: `));
  expect(message).toMatch(/stopped and wrote nothing/);
  expect(message).toMatch(/--force/);
  expect(snapshot(w.out)).toEqual(before);
}

describe('an unreadable previous catalog stops the crawl, nothing written', () => {
  it('a truncated workflows.json: exit 2, every file untouched; --force rebuilds it whole', async () => {
    world = await makeWorld();
    await world.run();
    const good = WorkflowsFile.parse(readCatalog(world.out, 'workflows.json')).items;
    expect(good.length).toBeGreaterThan(0);
    truncate(path.join(world.out, 'workflows.json'));
    const before = snapshot(world.out);
    await expectStopped(world, await world.run(), before, 'workflows.json');
    const forced = await world.run({ force: true });
    expect(forced.exitCode).toBe(0);
    expect(world.logs.join('\n')).toMatch(/workflows\.json is not valid; --force rebuilds it from scratch/);
    expect(WorkflowsFile.parse(readCatalog(world.out, 'workflows.json')).items).toEqual(good);
    expect((await validateCatalog(world.out)).problems).toEqual([]);
  });

  it('a workflows.json that parses but breaks the contract is named with the field at fault', async () => {
    world = await makeWorld();
    await world.run();
    const file = path.join(world.out, 'workflows.json');
    writeFileSync(file, JSON.stringify({ schemaVersion: 1, kind: 'workflows', items: [{ id: 'only-an-id' }] }, null, 2));
    const before = snapshot(world.out);
    const result = await world.run();
    await expectStopped(world, result, before, 'workflows.json');
    expect(result.problems.join('\n')).toMatch(/items\[0\]\.\w+: missing required field/);
  });

  it('a corrupt repositories.json with a failing source: the source keeps its records (nothing written)', async () => {
    world = await makeWorld();
    await world.run();
    writeFileSync(path.join(world.out, 'repositories.json'), '{"schemaVersion": 1, "kind": "repositories", "items": [');
    const before = snapshot(world.out);
    await world.server.close();
    await world.daemon.close();
    await expectStopped(world, await world.run({ github: { retryAfterBaseValue: 1, retries: 0 } }), before, 'repositories.json');
  });

  it('a corrupt state.json with a failing repository: its media is not deleted (nothing written)', async () => {
    world = await makeWorld();
    commitFiles(path.join(world.daemonBase, 'group', 'project'), { 'plot.ipynb': notebookWithImage('Plot') }, 'a plot');
    await world.run();
    const media = readdirSync(path.join(world.out, 'media'));
    expect(media.length).toBeGreaterThan(0);
    writeFileSync(path.join(world.out, 'state.json'), '{"stateVersion": 2}\n');
    const before = snapshot(world.out);
    await world.daemon.close();
    await expectStopped(world, await world.run(), before, 'state.json');
    expect(readdirSync(path.join(world.out, 'media'))).toEqual(media);
  });
});
