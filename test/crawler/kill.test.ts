import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { validateCatalog } from '../../catalog/validate/index.js';
import { removeLeftovers } from '../../crawler/crawl/files.js';
import { commitFiles, notebook } from '../support/github-server/git.js';
import { makeWorld, snapshot, type World } from './world.js';

const root = path.resolve(import.meta.dirname, '..', '..');
let world: World | null = null;
afterEach(async () => {
  await world?.close();
  world = null;
});

function startChild(args: string[]) {
  return spawn(process.execPath, ['--import', 'tsx', ...args], { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] });
}

const exited = (child: ReturnType<typeof startChild>) => new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

describe('a crawl killed at any moment leaves the previous catalog whole', () => {
  it('an atomic write killed mid-write leaves the old file, and its temporary file is cleaned up', async () => {
    world = await makeWorld();
    const target = path.join(world.out, 'workflows.json');
    writeFileSync(target, 'old content\n');
    const script = `import { writeAtomic } from ${JSON.stringify(path.join(root, 'crawler/crawl/files.ts'))};
      await writeAtomic(${JSON.stringify(target)}, Buffer.alloc(400 * 1024 * 1024, 120));`;
    const child = startChild(['--input-type=module', '-e', script]);
    const done = exited(child);
    // kill as soon as the temporary file is being written (bounded wait)
    let sawTemp = false;
    for (let i = 0; i < 3000 && !sawTemp; i += 1) {
      sawTemp = readdirSync(world.out).some((name) => name.startsWith('.ida-tmp-'));
      if (!sawTemp) await new Promise((r) => setTimeout(r, 10));
    }
    child.kill('SIGKILL');
    await done;
    expect(sawTemp).toBe(true);
    expect(readFileSync(target, 'utf8')).toBe('old content\n');
    await removeLeftovers(world.out);
    expect(readdirSync(world.out).filter((name) => name.startsWith('.ida-tmp-'))).toEqual([]);
  });

  it('killed at many points of a real crawl: every state is a valid catalog, and the next crawl finishes the job', async () => {
    world = await makeWorld();
    await world.run();
    const { log: _log, now: _now, ...plain } = world.options();
    // a change to harvest and a repository to remove, so the killed crawls have writing to do
    commitFiles(path.join(world.mirrors, 'astro-org', 'beta'), { 'nb/extra.ipynb': notebook('Extra'), 'nb/beta.ipynb': null }, 'rework');
    world.server.remove('solo/one');
    const delays = [50, 250, 500, 800, 1100, 1500, 2000, 2600, 3300, 4200];
    let finishedEarly = 0;
    for (const delay of delays) {
      const child = startChild([path.join(root, 'test/crawler/fixtures/crawl-child.ts'), JSON.stringify(plain)]);
      const done = exited(child);
      const timer = setTimeout(() => child.kill('SIGKILL'), delay);
      const code = await done;
      clearTimeout(timer);
      if (code === 0) finishedEarly += 1;
      const { problems } = await validateCatalog(world.out);
      expect(problems.map((p) => `after kill at ${delay} ms: ${p.text}`)).toEqual([]);
    }
    // at least some of the kills really interrupted a crawl
    expect(finishedEarly).toBeLessThan(delays.length);
    const result = await world.run();
    expect(result.exitCode).toBe(0);
    // solo/one is removed once a second crawl finds it missing too (one of the killed crawls may have been the first)
    await world.run();
    const workflows = JSON.parse(readFileSync(path.join(world.out, 'workflows.json'), 'utf8')).items as { path: string; repository: { url: string } }[];
    expect(workflows.some((w) => w.path === 'nb/extra.ipynb')).toBe(true);
    expect(workflows.some((w) => w.path === 'nb/beta.ipynb' || w.repository.url.endsWith('/solo/one'))).toBe(false);
    expect(readdirSync(world.out).filter((name) => name.startsWith('.'))).toEqual([]);
    const settled = snapshot(world.out);
    await world.run();
    expect(snapshot(world.out)).toEqual(settled);
    expect(existsSync(path.join(world.out, 'state.json'))).toBe(true);
  });
});
