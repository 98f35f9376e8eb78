import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { changeMarkdown, facilityChange } from '../../crawler/ci/facilities-change.js';

const entry = (id: string, extra = '') => `- id: ${id}
  name: Hub ${id}
  url: https://${id}.example.org/
  type: jupyterhub
  interfaces: [lab]
  defaultInterface: lab
  access: public
${extra}`;

const before = [entry('kept'), entry('edited'), entry('dropped')].join('\n');
const after = [entry('kept'), entry('edited', '  organisation: New Org\n').replace('access: public', 'access: restricted'), entry('fresh'), entry('broken').replace('https://broken.example.org/', 'http://broken.example.org/')].join('\n');

describe('facilities pull-request summary', () => {
  it('lists what a change adds, removes and changes, field by field, and every problem on its line', () => {
    const change = facilityChange(before, after, 'facilities.yaml');
    expect(change.added.map((item) => item.id)).toEqual(['fresh', 'broken']);
    expect(change.removed.map((item) => item.id)).toEqual(['dropped']);
    expect(change.changed).toEqual([
      {
        id: 'edited',
        fields: [
          { field: 'access', before: 'public', after: 'restricted' },
          { field: 'organisation', before: undefined, after: 'New Org' },
        ],
      },
    ]);
    expect(change.problems).toHaveLength(1);
    expect(change.problems[0]).toMatchObject({ file: 'facilities.yaml', line: 28, path: '[3].url' });
    const markdown = changeMarkdown(change, 'facilities.yaml');
    expect(markdown).toContain('### Added (2)');
    expect(markdown).toContain('| `edited` | `access` | `public` | `restricted` |');
    expect(markdown).toContain('### Removed (1)');
    expect(markdown).toMatch(/`facilities\.yaml:28:\d+` \*\*\[3\]\.url\*\*: must be an https:\/\/ URL/);
  });

  it('summarises catalog/curated.yaml with its own columns and validator', () => {
    const tool = (id: string, homepage = `https://${id}.example.org/`) =>
      `- id: ${id}\n  title: Tool ${id}\n  workflowType: desktop\n  description: d\n  homepage: ${homepage}\n`;
    const change = facilityChange(tool('kept'), tool('kept') + tool('fresh') + tool('broken', 'http://broken.example.org/'), 'catalog/curated.yaml');
    expect(change.added.map((item) => item.id)).toEqual(['fresh', 'broken']);
    expect(change.problems.map((problem) => problem.text)).toEqual(['catalog/curated.yaml:15:13: [2].homepage: must be an https:// URL']);
    const markdown = changeMarkdown(change, 'catalog/curated.yaml');
    expect(markdown).toContain('| id | title | workflowType | homepage |');
    expect(markdown).toContain('| `fresh` | `Tool fresh` | `desktop` | `https://fresh.example.org/` |');
    expect(changeMarkdown(facilityChange(tool('a'), tool('a'), 'catalog/curated.yaml'), 'catalog/curated.yaml')).toContain('No curated workflow added, removed or changed.');
  });

  it('says so when nothing changed, and treats a new file as all additions', () => {
    expect(changeMarkdown(facilityChange(before, before, 'f.yaml'), 'f.yaml')).toContain('No facility added, removed or changed.');
    expect(facilityChange(null, before, 'f.yaml').added).toHaveLength(3);
  });

  it('as a command: prints the summary and ::error annotations and exits 1 on problems', () => {
    const repo = mkdtempSync(path.join(os.tmpdir(), 'ida-pr-summary-'));
    afterAll(() => rmSync(repo, { recursive: true, force: true }));
    const env = { PATH: process.env.PATH!, HOME: repo, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' };
    const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t.invalid', ...args], { cwd: repo, env });
    git('init', '-q', '-b', 'main');
    writeFileSync(path.join(repo, 'facilities.yaml'), before);
    git('add', '-A');
    git('commit', '-q', '-m', 'base');
    writeFileSync(path.join(repo, 'facilities.yaml'), after);
    const script = new URL('../../crawler/ci/facilities-change.ts', import.meta.url).pathname;
    const tsx = new URL('../../node_modules/tsx/dist/loader.mjs', import.meta.url).href;
    const summary = path.join(repo, 'summary.md');
    let output = '';
    let status = 0;
    try {
      execFileSync(process.execPath, ['--import', tsx, script, '--base', 'HEAD'], { cwd: repo, env: { ...env, GITHUB_STEP_SUMMARY: summary }, encoding: 'utf8' });
    } catch (error) {
      status = (error as { status: number }).status;
      output = (error as { stdout: string }).stdout;
    }
    expect(status).toBe(1);
    expect(output).toMatch(/^::error file=facilities\.yaml,line=28,col=\d+::\[3\]\.url: must be an https/m);
    expect(readFileSync(summary, 'utf8')).toContain('### Added (2)');
  });
});
