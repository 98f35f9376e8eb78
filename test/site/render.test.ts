/**
 * The workflow page as Astro renders it (the route's head, components/LaunchPanel, WorkflowFacts and
 * NotebookPreview), from real builds of fixture catalogs with hostile records and facilities, and the notebook
 * preview's string renderer (site/lib/render/): escaping by default, hostile input kept inert. The built site
 * is checked in Chromium by site-browser.test.ts; these pin the markup itself.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { scriptJson } from '../../site/lib/jsonld.js';
import { html, trusted } from '../../site/lib/render/html.js';
import { notebookPreviewHtml } from '../../site/lib/render/notebook-preview.js';
import { basicPreviews, basicWorkflows, writeCatalog, xssPreviews, xssWorkflows } from '../fixtures/site/catalogs.js';
import { facility } from '../launch/fixtures.js';
import { buildSite, projectRoot } from '../support/build-site.js';

/** Every element and attribute a hostile string could have smuggled in. */
function activeContent(markup: string): string[] {
  const found: string[] = [];
  // Attribute values are quoted (their quotes escaped): a "<script>" or "onload=" inside one is text, so look outside them only.
  const outsideValues = markup.replace(/="[^"]*"/g, '=""');
  for (const match of outsideValues.matchAll(/<(script|iframe|svg|style|object)\b[^>]*>/gi)) {
    // Ours: the JSON blocks, the Launch panel's module, the logo.
    if (!/^<script type=""( data-launch-data)?>$|^<script type="" src="">$|^<svg width=""/.test(match[0])) found.push(match[0]);
  }
  for (const match of outsideValues.matchAll(/<[a-z][^>]*\s(on[a-z]+)\s*=/gi)) found.push(match[1]!);
  for (const match of markup.matchAll(/(?:href|src)="\s*javascript:/gi)) found.push(match[0]);
  return found;
}

describe('html tag', () => {
  it('escapes every interpolated string, in text and in attributes', () => {
    const hostile = `"><script>alert('x')</script>&`;
    expect(html`<a title="${hostile}">${hostile}</a>`.value).toBe(
      '<a title="&quot;&gt;&lt;script&gt;alert(&apos;x&apos;)&lt;/script&gt;&amp;">&quot;&gt;&lt;script&gt;alert(&apos;x&apos;)&lt;/script&gt;&amp;</a>',
    );
  });

  it('joins arrays, drops null/undefined/false/true, prints numbers, passes SafeHtml through', () => {
    const items = ['a<', 'b'].map((item) => html`<li>${item}</li>`);
    expect(html`<ul>${items}</ul>${null}${undefined}${false}${true}${0}${trusted('<br>')}`.value).toBe('<ul><li>a&lt;</li><li>b</li></ul>0<br>');
  });
});

describe('notebook preview', () => {
  it('renders cells with prompts, highlighted code, folded long output, images and errors', () => {
    const markup = notebookPreviewHtml(basicPreviews[0]!, '/base/');
    expect(markup.startsWith('<div class="notebook notebook-frame">')).toBe(true);
    expect(markup.match(/<div class="nb-cell nb-code">/g)).toHaveLength(3);
    expect(markup).toContain('<div class="nb-prompt" aria-hidden="true">[2]:</div>');
    expect(markup).toContain('<h3>Welcome to an example Binder</h3>');
    expect(markup).toContain('data-language="python"');
    expect(markup).toMatch(/<summary>Show 80 more lines<\/summary>/);
    expect(markup).toMatch(/<img src="\/base\/media\/[0-9a-f]{64}\.png" width="400" height="300" alt="Figure produced by this cell"/);
    expect(markup).toContain('<div class="nb-output error"><pre>ZeroDivisionError: division by zero</pre></div>');
    expect(markup).not.toContain('The preview is shortened');
    expect(notebookPreviewHtml({ ...basicPreviews[0]!, truncated: true }, '/')).toContain('The preview is shortened');
  });

  it('keeps every payload of the hostile preview inert', () => {
    const markup = notebookPreviewHtml(xssPreviews[0]!, '/');
    expect(activeContent(markup)).toEqual([]);
    expect(markup).toContain('&lt;script&gt;window.__xss=1;alert(1)&lt;/script&gt;');
    expect(markup).not.toContain('tracker.example');
  });

  it("keeps a notebook's characters as they are", () => {
    const text = 'Ångström — ★ 😀 naïve ∫ dx';
    const markup = notebookPreviewHtml({ ...basicPreviews[0]!, cells: [{ type: 'markdown', source: `# ${text}\n\n<b>${text}</b>`, executionCount: null, outputs: [] }] }, '/');
    expect(markup).toContain(`<h3>${text}</h3>`);
    expect(markup).toContain(`<b>${text}</b>`);
  });
});

describe('JSON in a script element', () => {
  it('cannot end the element, is ASCII, and parses back to the same value', () => {
    const value = { title: '</script><script>alert(1)</script>', text: 'Ångström — 😀 \u2028\u2029 end', lone: '\ud83d' };
    const json = scriptJson(value);
    expect(json).not.toContain('<');
    expect(json).toMatch(/^[\x00-\x7f]*$/);
    expect(JSON.parse(json)).toEqual(value);
  });
});

describe('workflow pages, built', () => {
  const hub = facility({ id: 'hub', name: 'Hub <b>one</b>', access: 'institutional', organisation: 'Org & Co', docs: 'https://docs.example.org/', staging: 'https://hub.example.org/services/stager/' });
  // A MyST text notebook beside the .ipynb fixtures, in a repository a Zenodo record archives (its own URL, so the DOI is its alone).
  const myst = {
    ...basicWorkflows[0]!,
    id: 'navo-workshop-content-queries',
    title: 'VO queries',
    path: 'content/queries.md',
    format: 'myst' as const,
    nbformat: '4',
    repository: { ...basicWorkflows[0]!.repository, url: 'https://github.com/NASA-NAVO/navo-workshop' },
    doi: '10.5281/zenodo.1002',
  };
  const other = facility({ id: 'elsewhere', name: 'Elsewhere', url: 'https://elsewhere.example.org/', type: 'other', interfaces: ['lab'], defaultInterface: 'lab' });
  let work = '';
  /** The builds' own folders (buildSite's), removed with ours. */
  const builds: string[] = [];
  const pages = { launchable: '', hostile: '', none: '', noPreview: '', myst: '' };

  beforeAll(async () => {
    await mkdir(path.join(projectRoot, '.cache'), { recursive: true });
    work = await mkdtemp(path.join(projectRoot, '.cache', 'ida-render-'));
    const build = async (name: string, facilities: unknown[], workflows = [...basicWorkflows, ...xssWorkflows], previews = [...basicPreviews, ...xssPreviews]) => {
      const facilitiesFile = path.join(work, `${name}.yaml`);
      await writeFile(facilitiesFile, stringify(facilities));
      const catalogDir = await writeCatalog(path.join(work, name), workflows, previews);
      return buildSite({ catalogDir, facilities: facilitiesFile, env: { IDA_BASE_PATH: '/base/' } });
    };
    const [both, otherOnly] = await Promise.all([build('both', [hub, other], [...basicWorkflows, ...xssWorkflows, myst]), build('other-only', [other], [basicWorkflows[0]!], [])]);
    builds.push(path.dirname(both.outDir), path.dirname(otherOnly.outDir));
    const page = (outDir: string, id: string) => readFile(path.join(outDir, 'workflows', id, 'index.html'), 'utf8');
    pages.launchable = await page(both.outDir, basicWorkflows[0]!.id);
    pages.hostile = await page(both.outDir, xssWorkflows[0]!.id);
    pages.none = await page(otherOnly.outDir, basicWorkflows[0]!.id);
    pages.noPreview = pages.none;
    pages.myst = await page(both.outDir, myst.id);
    // Astro renders every workflow page itself, and counts it.
    const built = Number(/(\d+) page\(s\) built/.exec(both.log)?.[1]);
    const workflowPages = [...new Set([...both.log.matchAll(/\/workflows\/([a-z0-9-]+)\/index\.html/g)].map((match) => match[1]))].sort();
    expect(workflowPages).toEqual([...basicWorkflows, ...xssWorkflows, myst].map((workflow) => workflow.id).sort());
    expect(built).toBeGreaterThan(workflowPages.length);
  }, 240_000);

  afterAll(async () => {
    await Promise.all([work, ...builds].filter(Boolean).map((folder) => rm(folder, { recursive: true, force: true })));
  });

  it('say which facility stages data, in its entry of the Launch panel', () => {
    expect(pages.launchable).toContain('<p class="launch-staging"><strong>Data staging:</strong> launch from your <a href="/base/cart/">cart</a> to arrive with its data sets beside the notebook (<a href="/base/facilities/hub/">how it works</a>).</p>');
    expect(pages.launchable.match(/class="launch-staging"/g)).toHaveLength(1);
    expect(pages.none).not.toContain('launch-staging');
  });

  it('show the DOI of an archived repository, linked to doi.org, and every source that found it', () => {
    expect(pages.myst).toContain('<dt>DOI</dt><dd><a href="https://doi.org/10.5281/zenodo.1002" rel="nofollow noopener noreferrer">10.5281/zenodo.1002</a><span> &middot; also archived on Zenodo</span></dd>');
    expect(pages.myst).toContain('<dt>Found by</dt><dd>fixture, zenodo-escape2020-jupyter-notebook</dd>');
    expect(pages.myst).toContain('"identifier":"https://doi.org/10.5281/zenodo.1002"');
    expect(pages.launchable).not.toContain('<dt>DOI</dt>');
    expect(pages.launchable).not.toContain('<dt>Found by</dt>');
  });

  it("name a text notebook's format and download its own file", () => {
    expect(pages.myst).toContain('download="queries.md" rel="nofollow noopener noreferrer">Download .md</a>');
    expect(pages.myst).toMatch(/<dt>Cells<\/dt><dd>\d+ code, \d+ markdown · MyST notebook · /);
    expect(pages.launchable).toContain('>Download .ipynb</a>');
    expect(pages.launchable).toMatch(/<dt>Cells<\/dt><dd>\d+ code, \d+ markdown · nbformat 4\.4 · /);
  });

  it('list launchable facilities with escaped names, links and rules, and the others apart', () => {
    const markup = pages.launchable;
    expect(markup).toMatch(/<section class="launch panel" aria-labelledby="launch-[^"]+-heading" data-launch-panel/);
    expect(markup).toContain('<option value="hub">Hub &lt;b&gt;one&lt;/b&gt; — does not say whether it has a Python kernel</option>');
    // No facility-status.json in this catalog: each facility reads "Not checked yet", with no check time.
    expect(markup).toContain('<div data-rules-for="hub"><p class="launch-status"><span class="facility-status" data-status="unknown"><span class="status-badge status-unknown">Not checked yet</span></span> </p><p class="launch-note" data-fit="unknown">Does not say whether it has a Python kernel.</p><p class="launch-rules"><span class="access access-institutional">Institutional</span> For members of Org &amp; Co.');
    expect(markup).toContain('<a href="https://docs.example.org/" rel="noopener noreferrer">How to get access</a>');
    expect(markup).toMatch(/<a href="https:\/\/hub\.example\.org\/hub\/user-redirect\/git-pull\?repo=[^"]+&[^"]+" data-ui="lab" rel="nofollow noopener noreferrer">Open in JupyterLab<\/a>/);
    expect(markup).toContain('Not launchable from here (open the facility, then clone the repository there yourself):</p><ul><li data-other="elsewhere"><a href="/base/facilities/elsewhere/">Elsewhere</a> (<a href="https://elsewhere.example.org/" rel="nofollow noopener noreferrer external">open it</a>)');
    expect(markup).toContain('<code data-launch-clone>git clone --branch main https://github.com/astropy/astropy-tutorials.git</code>');
    expect(markup).toContain('data-cart-href="/base/cart/"');
    // The chooser script reads the facilities and their links from the list; the JSON block holds only the cart entry.
    expect([...markup.matchAll(/<li data-facility="([^"]+)" data-state="unknown">/g)].map((match) => match[1])).toEqual(['hub']);
    expect([...markup.matchAll(/<a href="[^"]+" data-ui="([^"]+)"/g)].map((match) => match[1])).toEqual(['lab', 'notebook']);
    const data = JSON.parse(/<script type="application\/json" data-launch-data>(.*?)<\/script>/.exec(markup)![1]!);
    expect(Object.keys(data)).toEqual(['workflow']);
    expect(data.workflow.id).toBe(basicWorkflows[0]!.id);
    expect(markup.match(/git-pull\?/g)).toHaveLength(3);
  });

  it('say so, with no form or button, when no facility can launch the workflow', () => {
    expect(pages.none).toContain('class="launch-none"');
    expect(pages.none).not.toContain('data-launch-chooser');
    expect(pages.none).not.toContain('launch-go');
  });

  it('carry the head, facts, software and preview, every hostile field as text', () => {
    const markup = pages.hostile;
    const workflow = xssWorkflows[0]!;
    expect(activeContent(markup)).toEqual([]);
    expect(markup).toContain('<h1>Payload &lt;script&gt;');
    expect(markup).toContain('<a href="/base/?keyword=kw%3Cscript%3Ealert%284%29%3C%2Fscript%3E">kw&lt;script&gt;alert(4)&lt;/script&gt;</a>');
    expect(markup).toContain('<h2 id="about-heading">About this workflow</h2>');
    expect(markup).toContain('<h2 id="preview-heading">Notebook preview</h2><div class="notebook notebook-frame">');
    expect(markup).toContain(`View at commit ${workflow.repository.commit.slice(0, 7)}`);
    expect(markup).toContain(`<link rel="canonical" href="https://ida-catalog.example.org/base/workflows/${workflow.id}/">`);
    expect(markup).toContain('<meta property="og:type" content="article">');
    // The JSON blocks cannot be ended early, whatever the workflow says.
    for (const block of markup.matchAll(/<script type="application\/(?:ld\+)?json"[^>]*>([\s\S]*?)<\/script>/g)) {
      expect(block[1]).not.toMatch(/</);
      expect(JSON.stringify(JSON.parse(block[1]!))).toContain('<script>');
    }
  });

  it('offer the download instead when there is no preview', () => {
    expect(pages.noPreview).toContain('<p class="empty">No preview is available for this notebook yet; download it to read every cell.</p>');
    expect(pages.noPreview).toContain('Download .ipynb');
  });
});
