/**
 * The workflow page body's pure renderers (site/lib/render/): escaping by default, the notebook preview,
 * the Launch panel markup and the whole body, with hostile input. The built site's pages are checked in
 * Chromium by site-browser.test.ts; these pin the strings themselves.
 */
import { decodeHTML } from 'entities';
import { describe, expect, it } from 'vitest';
import { scriptJson } from '../../site/lib/jsonld.js';
import { html, trusted } from '../../site/lib/render/html.js';
import { notebookPreviewHtml } from '../../site/lib/render/notebook-preview.js';
import { launchPanelHtml } from '../../site/lib/render/launch-panel.js';
import { workflowBodyHtml } from '../../site/lib/render/workflow-body.js';
import { basicPreviews, basicWorkflows, xssPreviews, xssWorkflows } from '../fixtures/site/catalogs.js';
import { facility } from '../launch/fixtures.js';

/** Every element and attribute a hostile string could have smuggled in. */
function activeContent(markup: string): string[] {
  const found: string[] = [];
  for (const match of markup.matchAll(/<(script|iframe|svg|style|object)\b[^>]*>/gi)) {
    if (!/^<script type="application\/json" data-launch-data>$/.test(match[0])) found.push(match[0]);
  }
  // Attribute values are quoted and escaped: an "onload=" inside one is text, so look outside them only.
  const outsideValues = markup.replace(/="[^"]*"/g, '=""');
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
  it('renders cells with prompts, highlighted code, folded long output, images and errors', async () => {
    const markup = await notebookPreviewHtml(basicPreviews[0]!, '/base/');
    expect(markup.startsWith('<div class="notebook notebook-frame">')).toBe(true);
    expect(markup.match(/<div class="nb-cell nb-code">/g)).toHaveLength(3);
    expect(markup).toContain('<div class="nb-prompt" aria-hidden="true">[2]:</div>');
    expect(markup).toContain('<h3>Welcome to an example Binder</h3>');
    expect(markup).toContain('data-language="python"');
    expect(markup).toMatch(/<summary>Show 80 more lines<\/summary>/);
    expect(markup).toMatch(/<img src="\/base\/media\/[0-9a-f]{64}\.png" width="400" height="300" alt="Figure produced by this cell"/);
    expect(markup).toContain('<div class="nb-output error"><pre>ZeroDivisionError: division by zero</pre></div>');
    expect(markup).not.toContain('The preview is shortened');
    expect(await notebookPreviewHtml({ ...basicPreviews[0]!, truncated: true }, '/')).toContain('The preview is shortened');
  });

  it('keeps every payload of the hostile preview inert', async () => {
    const markup = await notebookPreviewHtml(xssPreviews[0]!, '/');
    expect(activeContent(markup)).toEqual([]);
    expect(markup).toContain('&lt;script&gt;window.__xss=1;alert(1)&lt;/script&gt;');
    expect(markup).not.toContain('tracker.example');
  });
});

describe('launch panel markup', () => {
  const hub = facility({ id: 'hub', name: 'Hub <b>one</b>', access: 'institutional', organisation: 'Org & Co', docs: 'https://docs.example.org/' });
  const other = facility({ id: 'elsewhere', name: 'Elsewhere', type: 'other', interfaces: ['lab'], defaultInterface: 'lab' });

  it('lists launchable facilities with escaped names, links and rules, and the others apart', () => {
    const markup = launchPanelHtml(basicWorkflows[0]!, [hub, other], '/base/');
    expect(markup).toMatch(/^<section class="launch panel" aria-labelledby="launch-[^"]+-heading" data-launch-panel/);
    expect(markup).toContain('<option value="hub">Hub &lt;b&gt;one&lt;/b&gt; &#8212; does not say whether it has a Python kernel</option>');
    expect(markup).toContain('<div data-rules-for="hub"><p class="launch-note" data-fit="unknown">Does not say whether it has a Python kernel.</p><p class="launch-rules"><span class="access access-institutional">Institutional</span> For members of Org &amp; Co.');
    expect(markup).toContain('<a href="https://docs.example.org/" rel="noopener noreferrer">How to get access</a>');
    expect(markup).toMatch(/<a href="https:\/\/hub\.example\.org\/hub\/user-redirect\/git-pull\?repo=[^"]+&amp;[^"]+" data-ui="lab" rel="nofollow noopener noreferrer">Open in JupyterLab<\/a>/);
    expect(markup).toContain('Not launchable from here (open the repository there yourself): <a href="/base/facilities/elsewhere/">Elsewhere</a>');
    expect(markup).toContain('data-cart-href="/base/cart/"');
    // The chooser script reads the facilities and their links from the list; the JSON block holds only the cart entry.
    expect([...markup.matchAll(/<li data-facility="([^"]+)">/g)].map((match) => match[1])).toEqual(['hub']);
    expect([...markup.matchAll(/<a href="[^"]+" data-ui="([^"]+)"/g)].map((match) => match[1])).toEqual(['lab', 'notebook']);
    const data = JSON.parse(/<script type="application\/json" data-launch-data>(.*?)<\/script>/.exec(markup)![1]!);
    expect(Object.keys(data)).toEqual(['workflow']);
    expect(data.workflow.id).toBe(basicWorkflows[0]!.id);
    expect(markup.match(/git-pull\?/g)).toHaveLength(3);
  });

  it('says so, with no form or button, when no facility can launch the workflow', () => {
    const markup = launchPanelHtml(basicWorkflows[0]!, [other], '/');
    expect(markup).toContain('class="launch-none"');
    expect(markup).not.toContain('data-launch-chooser');
    expect(markup).not.toContain('launch-go');
  });

  it('cannot end its JSON block early, whatever the workflow says', () => {
    const markup = launchPanelHtml(xssWorkflows[0]!, [hub], '/');
    const block = /<script type="application\/json" data-launch-data>([\s\S]*?)<\/script>/.exec(markup)![1]!;
    expect(block).not.toMatch(/</);
    expect(JSON.parse(block).workflow.title).toContain('<script>');
    expect(activeContent(markup)).toEqual([]);
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

describe('workflow body', () => {
  it('renders facts, software, the panel and the preview; every hostile field stays text', async () => {
    const workflow = xssWorkflows[0]!;
    const markup = await workflowBodyHtml({ workflow, repository: undefined, facilities: [facility()], previewHtml: await notebookPreviewHtml(xssPreviews[0]!, '/'), base: '/' });
    expect(activeContent(markup)).toEqual([]);
    expect(markup).toContain('<h1>Payload &lt;script&gt;');
    expect(markup).toContain('<a href="/?keyword=kw%3Cscript%3Ealert%284%29%3C%2Fscript%3E">kw&lt;script&gt;alert(4)&lt;/script&gt;</a>');
    expect(markup).toContain('<h2 id="about-heading">About this workflow</h2>');
    expect(markup).toContain('<h2 id="preview-heading">Notebook preview</h2><div class="notebook notebook-frame">');
    expect(markup).toContain(`View at commit ${workflow.repository.commit.slice(0, 7)}`);
  });

  it('is written in ASCII: any other character from a record or a notebook becomes a reference to the same character', async () => {
    const text = 'Ångström — ★ 😀 naïve ∫ dx';
    const workflow = { ...basicWorkflows[0]!, title: `${text} title`, description: `${text} description`, authors: ['José Núñez'] };
    const preview = {
      ...basicPreviews[0]!,
      cells: [
        { type: 'markdown' as const, source: `# ${text} heading\n\n<b>${text} html</b>`, executionCount: null, outputs: [] },
        { type: 'code' as const, source: `print("${text} code")`, executionCount: 1, outputs: [{ type: 'text' as const, stream: 'stdout' as const, text: `${text} output`, truncated: false }] },
      ],
    };
    const markup = workflowBodyHtml({ workflow, repository: undefined, facilities: [facility()], previewHtml: await notebookPreviewHtml(preview, '/'), base: '/' });
    expect(markup).toMatch(/^[\x00-\x7f]*$/);
    // A browser reads the references back as the characters (decoded here as an HTML parser does).
    const decoded = decodeHTML(markup.replace(/<[^>]*>/g, ''));
    for (const where of ['title', 'description', 'heading', 'html', 'code', 'output']) expect(decoded).toContain(`${text} ${where}`);
    expect(decoded).toContain('José Núñez');
    expect(markup).toContain('&#128512;');
  });

  it('offers the download instead when there is no preview', async () => {
    const markup = await workflowBodyHtml({ workflow: basicWorkflows[0]!, repository: undefined, facilities: [], previewHtml: null, base: '/' });
    expect(markup).toContain('<p class="empty">No preview is available for this notebook yet; download it to read every cell.</p>');
    expect(markup).toContain('Download .ipynb');
  });
});
