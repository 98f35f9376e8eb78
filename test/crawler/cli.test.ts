import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../crawler/cli/index.js';
import { makeWorld, type World } from './world.js';

const TOKEN = 'ghp_TopSecretToken0123456789abcdefABCDEF';
let world: World | null = null;
afterEach(async () => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
  await world?.close();
  world = null;
});

function allFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? allFiles(full) : [full];
  });
}

/** Runs `ida-catalog crawl …` in-process and returns its exit code and everything it printed. */
async function runCli(args: string[]): Promise<{ code: number; output: string }> {
  const lines: string[] = [];
  const capture = (...parts: unknown[]) => lines.push(parts.map(String).join(' '));
  vi.spyOn(console, 'log').mockImplementation(capture);
  vi.spyOn(console, 'error').mockImplementation(capture);
  vi.spyOn(console, 'warn').mockImplementation(capture);
  const write = process.stderr.write.bind(process.stderr);
  vi.spyOn(process.stderr, 'write').mockImplementation(((chunk: unknown, ...rest: unknown[]) => {
    lines.push(String(chunk));
    return write(chunk as string, ...(rest as []));
  }) as typeof process.stderr.write);
  const code = await main(['crawl', ...args]);
  vi.restoreAllMocks();
  return { code, output: lines.join('\n') };
}

function cliArgs(w: World, extra: string[] = []): string[] {
  return [
    '--config', path.join(w.root, 'sources.yaml'),
    '--out', w.out,
    '--insteadof', `${pathToFileURL(w.mirrors).href}/=https://github.com/`,
    '--insteadof', `${w.daemon.url}=https://git.example.org/`,
    '--allow-protocol', 'file',
    '--allow-protocol', 'git',
    '--progress', 'lines',
    ...extra,
  ];
}

describe('ida-catalog usage', () => {
  it('lists every command with the summary its own module declares; unknown names (even Object keys) exit 2', async () => {
    const lines: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((...parts: unknown[]) => void lines.push(parts.join(' ')));
    vi.spyOn(console, 'error').mockImplementation((...parts: unknown[]) => void lines.push(parts.join(' ')));
    expect(await main(['--help'])).toBe(0);
    const { crawlCommand } = await import('../../crawler/cli/crawl.js');
    const { validateCommand } = await import('../../crawler/cli/validate.js');
    const { schemaCommand } = await import('../../crawler/cli/schema.js');
    const usage = lines.join('\n');
    for (const [name, command] of [['crawl', crawlCommand], ['validate', validateCommand], ['schema', schemaCommand]] as const) {
      expect(usage).toMatch(new RegExp(`^  ${name} +${command.summary}$`, 'm'));
    }
    expect(await main(['constructor'])).toBe(2);
    expect(lines.join('\n')).toMatch(/unknown command "constructor"/);
  });
});

describe('ida-catalog crawl', () => {
  it('uses GITHUB_TOKEN and GITHUB_API_URL, and the token appears in no output, log, error or file', async () => {
    world = await makeWorld({ token: TOKEN });
    // a missing repository on each kind of host, so error paths print too
    writeFileSync(
      path.join(world.root, 'sources.yaml'),
      `${readFileSync(path.join(world.root, 'sources.yaml'), 'utf8')}  - github: {repo: solo/missing}\n  - git: https://git.example.org/group/missing\n`,
    );
    vi.stubEnv('GITHUB_TOKEN', TOKEN);
    vi.stubEnv('GITHUB_API_URL', world.server.url);
    const first = await runCli(cliArgs(world));
    const second = await runCli(cliArgs(world, ['--strict']));
    expect(world.server.authorizations.length).toBeGreaterThan(0);
    expect(world.server.authorizations.every((a) => a === `token ${TOKEN}`)).toBe(true);
    expect(first.code).toBe(0);
    expect(second.code).toBe(1);
    expect(first.output).toMatch(/source summary:/);
    expect(first.output).toMatch(/github-org-astro-org: ok — 2 repositories \(2 updated/);
    expect(first.output).toMatch(/solo\/missing not found on GitHub/);
    expect(first.output).toMatch(/\[\d+\/\d+\] https:\/\/github.com\/astro-org\/alpha updated/);
    expect(second.output).toMatch(/GitHub API: \d+ requests \(\d+ answered 304/);
    for (const text of [first.output, second.output, ...world.logs]) expect(text).not.toContain(TOKEN);
    for (const file of allFiles(world.out)) expect(readFileSync(file, 'latin1'), file).not.toContain(TOKEN.slice(4));
    expect(JSON.parse(readFileSync(path.join(world.out, 'repositories.json'), 'utf8')).items).toHaveLength(4);
  });

  it('warns without a token, and rejects bad options with exit 2', async () => {
    world = await makeWorld();
    vi.stubEnv('GITHUB_TOKEN', '');
    vi.stubEnv('GITHUB_API_URL', world.server.url);
    const run = await runCli(cliArgs(world));
    expect(run.code).toBe(0);
    expect(run.output).toMatch(/GITHUB_TOKEN is not set/);
    expect((await runCli(['--concurrency', 'zero'])).code).toBe(2);
    expect((await runCli(['--insteadof', 'no-equals-sign'])).code).toBe(2);
    expect((await runCli(['--only', 'no-such-source', ...cliArgs(world)])).output).toMatch(/unknown source id/);
  });
});
