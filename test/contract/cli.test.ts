/** The CLI's contract: exit codes 0/1/2, --help, messages on stderr, annotations under GitHub Actions. */
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { main } from '../../crawler/cli/index.js';
import { captureConsole } from '../support/console.js';
import { facilityYaml } from './helpers.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const good = fileURLToPath(new URL('./fixtures/good.yaml', import.meta.url));

const { out, err } = captureConsole();

async function badFile(): Promise<string> {
  const file = path.join(await mkdtemp(path.join(tmpdir(), 'ida-cli-')), 'facilities.yaml');
  await writeFile(file, facilityYaml('a', { url: 'javascript:alert(1)' }) + facilityYaml('b'));
  return file;
}

describe('ida-catalog validate (in-process)', () => {
  it('exits 0 on a valid file and says so', async () => {
    expect(await main(['validate', '--facilities', good])).toBe(0);
    expect(err).toEqual([]);
    expect(out.join('\n')).toMatch(/good\.yaml: valid, 2 facilities$/);
  });

  it('exits 1 on problems, printing FILE:LINE:COL lines on stderr and no annotations outside GitHub Actions', async () => {
    vi.stubEnv('GITHUB_ACTIONS', '');
    const file = await badFile();
    expect(await main(['validate', '--facilities', file])).toBe(1);
    expect(err).toEqual([`${file}:3:8: [0].url: URL scheme "javascript:" is not allowed; only https (or http where stated) URLs are accepted`]);
    expect(out.join('\n')).not.toContain('::error');
    expect(out.join('\n')).toContain('1 problem; 1 facility valid apart from them');
  });

  it('prints ::error annotations on stdout under GITHUB_ACTIONS=true', async () => {
    vi.stubEnv('GITHUB_ACTIONS', 'true');
    const file = await badFile();
    expect(await main(['validate', '--facilities', file])).toBe(1);
    expect(out).toContain(`::error file=${file},line=3,col=8::[0].url: URL scheme "javascript:" is not allowed; only https (or http where stated) URLs are accepted`);
  });

  it('checks a catalog directory', async () => {
    expect(await main(['validate', '--catalog', path.join(root, 'catalog')])).toBe(0);
    expect(out.join('\n')).toMatch(/; valid$/);
  });

  it.each([
    [['validate', '--bogus'], /Unknown option '--bogus'/],
    [['validate', 'extra'], /Unexpected argument 'extra'/],
    [['validate', '--facilities'], /--facilities/],
    [['validate', '--facilities', '/nonexistent/facilities.yaml'], /cannot read \/nonexistent\/facilities\.yaml: ENOENT/],
    [['validate', '--catalog', '/nonexistent'], /\/nonexistent is not a directory/],
    [['schema', '--nope'], /Unknown option '--nope'/],
    [['no-such-command'], /unknown command "no-such-command"/],
    [[], /usage: ida-catalog/],
  ])('exits 2 with a reason for %j', async (argv, reason) => {
    expect(await main(argv)).toBe(2);
    expect([...err, ...out].join('\n')).toMatch(reason);
  });

  it('--help exits 0 with the options', async () => {
    expect(await main(['validate', '--help'])).toBe(0);
    expect(out.join('\n')).toContain('--facilities PATH');
    expect(out.join('\n')).toContain('--curated PATH');
    expect(await main(['schema', '-h'])).toBe(0);
    expect(out.join('\n')).toContain('--out DIR');
  });
});

describe('ida-catalog as a real process', () => {
  it('node bin/ida-catalog.mjs validate exits 1 with positioned problems on stderr', async () => {
    const file = await badFile();
    const run = spawnSync(process.execPath, [path.join(root, 'bin/ida-catalog.mjs'), 'validate', '--facilities', file], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, GITHUB_ACTIONS: 'true' },
      timeout: 60_000,
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`${file}:3:8: [0].url: URL scheme "javascript:"`);
    expect(run.stdout).toContain(`::error file=${file},line=3,col=8::`);
  });

  it('node bin/ida-catalog.mjs validate on the committed inputs exits 0, paths relative to the checkout', () => {
    const run = spawnSync(process.execPath, [path.join(root, 'bin/ida-catalog.mjs'), 'validate'], { cwd: root, encoding: 'utf8', timeout: 60_000 });
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/^facilities\.yaml: valid, \d+ facilities\ncatalog\/curated\.yaml: valid, \d+ curated workflows\ncatalog: .*; valid\n$/);
    expect(run.status).toBe(0);
  });
});

describe('ida-catalog schema', () => {
  it('--out writes the same files as committed; --check passes on them and fails on a stale copy', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'ida-schema-'));
    expect(await main(['schema', '--out', dir])).toBe(0);
    const committed = await readFile(path.join(root, 'catalog/schema/facilities.schema.json'), 'utf8');
    expect(await readFile(path.join(dir, 'facilities.schema.json'), 'utf8')).toBe(committed);
    expect(await main(['schema', '--check', '--out', dir])).toBe(0);
    await writeFile(path.join(dir, 'workflow.schema.json'), '{}\n');
    await writeFile(path.join(dir, 'leftover.schema.json'), '{}\n');
    expect(await main(['schema', '--check', '--out', dir])).toBe(1);
    expect(err.join('\n')).toContain('stale JSON Schema: leftover.schema.json, workflow.schema.json');
    expect(await main(['schema', '--out', dir])).toBe(0);
    expect(await main(['schema', '--check', '--out', dir])).toBe(0);
  });
});
