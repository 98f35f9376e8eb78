/**
 * Issue #21: every git command runs with an empty, controlled config and working directory. A crawl run
 * from inside a checkout whose .git/config rewrites URLs and adds an HTTP header (as actions/checkout
 * does with the token) must use neither.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { WorkflowsFile } from '../../catalog/contract/index.js';
import { lsRemote } from '../../crawler/git/remote.js';
import { commitFiles, git, notebook } from '../support/github-server/git.js';
import { startSmartHttpServer } from '../support/github-server/smart-http.js';
import { makeWorld, readCatalog, type World } from './world.js';

let world: World | null = null;
const home = process.cwd();
afterEach(async () => {
  process.chdir(home);
  await world?.close();
  world = null;
});

describe("git ignores the caller's configuration", () => {
  it("a crawl from a checkout whose .git/config rewrites github.com reads the real repository, not the rewrite's", async () => {
    world = await makeWorld({}, 'sources:\n  - github: {repo: solo/one}\n');
    const trapMirrors = path.join(world.root, 'trap-mirrors');
    const trapped = commitFiles(path.join(trapMirrors, 'one'), { 'one.ipynb': notebook('TRAPPED by the local config') });
    const checkout = path.join(world.root, 'caller-checkout');
    mkdirSync(checkout);
    git(checkout, ['init', '-q']);
    // Longer than the crawl's own https://github.com/ rewrite, so it would win if git read it.
    git(checkout, ['config', `url.${pathToFileURL(trapMirrors).href}/.insteadOf`, 'https://github.com/solo/']);
    git(checkout, ['config', 'http.extraHeader', 'Authorization: basic dHJhcDp0cmFw']);
    const nested = path.join(checkout, 'sub', 'dir');
    mkdirSync(nested, { recursive: true });
    process.chdir(nested);
    // Sanity: git itself, run here, does take the rewrite.
    expect(git(nested, ['ls-remote', '--get-url', 'https://github.com/solo/one']).trim()).toBe(`${pathToFileURL(trapMirrors).href}/one`);
    const head = await lsRemote('https://github.com/solo/one', null, world.options().git);
    expect(head?.commit).not.toBe(trapped);
    const result = await world.run({ noApi: true });
    expect(result.summaries[0]).toMatchObject({ status: 'ok' });
    const titles = WorkflowsFile.parse(readCatalog(world.out, 'workflows.json')).items.map((w) => w.title);
    expect(titles).toEqual(['Solo one']);
  });

  it("the caller's http.extraHeader (actions/checkout's token) never reaches a remote", async () => {
    world = await makeWorld({}, 'sources:\n  - git: https://other.example.org/group/project\n');
    const server = await startSmartHttpServer(world.daemonBase, 'serve');
    try {
      const checkout = path.join(world.root, 'caller-checkout');
      mkdirSync(checkout);
      git(checkout, ['init', '-q']);
      git(checkout, ['config', 'http.extraHeader', 'X-Leaked-Token: secret']);
      process.chdir(checkout);
      const base = world.options().git!;
      const result = await world.run({ git: { ...base, rewrites: [{ base: server.url, insteadOf: 'https://other.example.org/' }], protocols: ['https', 'http'] } });
      expect(result.summaries[0]).toMatchObject({ status: 'ok', changed: 1 });
      expect(server.requests.length).toBeGreaterThan(0);
      for (const request of server.requests) expect(request.headers['x-leaked-token'], request.path).toBeUndefined();
    } finally {
      await server.close();
    }
  });
});
