/** Issue #21, stalls: nothing a repository holds can hold a crawl for long. */
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { WorkflowsFile } from '../../catalog/contract/index.js';
import { commitFiles } from '../support/github-server/git.js';
import { makeWorld, readCatalog, type World } from './world.js';

let world: World | null = null;
afterEach(async () => {
  await world?.close();
  world = null;
});

const MB = 1_000_000;

function bigNotebook(): string {
  const cell = (type: string, source: string) => ({ cell_type: type, metadata: {}, source, ...(type === 'code' ? { outputs: [], execution_count: null } : {}) });
  return JSON.stringify({
    cells: [cell('markdown', '# One long line'), cell('code', `%%bash\n${'%'.repeat(MB)}`), cell('markdown', 'x'.repeat(MB)), cell('code', 'import numpy')],
    metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' }, language_info: { name: 'python' } },
    nbformat: 4,
    nbformat_minor: 5,
  });
}

describe('stalls', () => {
  it('a crawl of a repository with 1 MB single-line cells finishes in seconds', async () => {
    world = await makeWorld({}, 'sources:\n  - github: {repo: solo/one}\n');
    commitFiles(path.join(world.mirrors, 'solo', 'one'), { 'big.ipynb': bigNotebook() }, 'one long line');
    const started = Date.now();
    const result = await world.run();
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(result.summaries[0]).toMatchObject({ status: 'ok', changed: 1 });
    const big = WorkflowsFile.parse(readCatalog(world.out, 'workflows.json')).items.find((w) => w.path === 'big.ipynb');
    expect(big).toMatchObject({ title: 'One long line', imports: ['numpy'] });
  });
});
