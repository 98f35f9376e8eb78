/** Text notebooks (MyST, Jupytext markdown, percent scripts): parsed into cells, and catalogued like any .ipynb. */
import { describe, expect, it } from 'vitest';
import { NotebookPreview, Workflow } from '../../catalog/contract/index.js';
import { extractRepository } from '../../crawler/extract/index.js';
import { MAX_SCRIPT_CANDIDATES, selectFiles } from '../../crawler/extract/select.js';
import { isTextNotebookCandidate, parseTextNotebook } from '../../crawler/extract/textnotebook.js';
import { Warnings } from '../../crawler/extract/warnings.js';
import { memorySnapshot } from './helpers.js';

const MYST = `---
jupytext:
  text_representation:
    extension: .md
    format_name: myst
kernelspec:
  display_name: Python 3 (ipykernel)
  language: python
  name: python3
---

# Finding galaxies

We query a catalogue of galaxies.

\`\`\`{code-cell} ipython3
:tags: [hide-output]
import numpy as np
from astroquery.simbad import Simbad
\`\`\`

+++ {"slideshow": {"slide_type": "slide"}}

## Plotting
Text right after a heading.
+++
Same paragraph as the marker in the lexer's eyes, still a new cell.

\`\`\`{code-cell} ipython3
---
tags: [remove-input]
---
s = """
+++
"""  # a marker inside code is code
\`\`\`

\`\`\`{note}
A MyST admonition stays in its markdown cell.
\`\`\`

\`\`\`{raw-cell}
raw text
\`\`\`
`;

const JUPYTEXT_MD = `---
title: Page title beside the metadata
jupyter:
  jupytext:
    text_representation:
      extension: .md
      format_name: markdown
  kernelspec:
    display_name: R
    language: R
    name: ir
---

# Plots in R

Shown as a code block, not a cell:

\`\`\`
not code
\`\`\`

\`\`\`R
library(ggplot2)
\`\`\`

<!-- #region -->
A region keeps its fence as markdown:
\`\`\`python
print("in markdown")
\`\`\`
<!-- #endregion -->

<!-- #raw -->
raw cell
<!-- #endraw -->
`;

const PERCENT = `#!/usr/bin/env python
# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Light curves
#
# We fold a light curve.

# %%
import pandas as pd
from astropy.timeseries import TimeSeries

# %% [markdown]
"""
Quoted markdown.
"""

# %% Fold it
ts = TimeSeries()
`;

const JULIA_PERCENT = `# ---
# jupyter:
#   kernelspec:
#     display_name: Julia 1.10
#     language: julia
#     name: julia-1.10
# ---

# %%
using Plots
`;

function parsed(path: string, text: string) {
  const warnings = new Warnings(path);
  const result = parseTextNotebook(path, text, warnings);
  return { result, warnings: warnings.list() };
}

describe('parseTextNotebook', () => {
  it('MyST: front matter as notebook metadata, code-cell directives, +++ breaks only outside code', () => {
    const { result, warnings } = parsed('docs/galaxies.md', MYST);
    expect(warnings).toEqual([]);
    expect(result?.format).toBe('myst');
    expect(result?.notebook.metadata.kernelspec).toEqual({ display_name: 'Python 3 (ipykernel)', language: 'python', name: 'python3' });
    expect(result?.notebook.cells.map((cell) => [cell.type, cell.source])).toEqual([
      ['markdown', '# Finding galaxies\n\nWe query a catalogue of galaxies.'],
      ['code', 'import numpy as np\nfrom astroquery.simbad import Simbad'],
      ['markdown', '## Plotting\nText right after a heading.'],
      ['markdown', 'Same paragraph as the marker in the lexer\'s eyes, still a new cell.'],
      ['code', 's = """\n+++\n"""  # a marker inside code is code'],
      ['markdown', '```{note}\nA MyST admonition stays in its markdown cell.\n```'],
      ['raw', 'raw text'],
    ]);
    expect(result?.notebook.cells[1]!.language).toBe('ipython3');
  });

  it('Jupytext markdown: fences with a language are code cells, outside regions; raw markers', () => {
    const { result } = parsed('r/plots.md', JUPYTEXT_MD);
    expect(result?.format).toBe('jupytext-md');
    expect(result?.notebook.metadata).toMatchObject({ kernelspec: { name: 'ir', language: 'R' }, title: 'Page title beside the metadata' });
    expect(result?.notebook.cells.map((cell) => [cell.type, cell.source])).toEqual([
      ['markdown', '# Plots in R\n\nShown as a code block, not a cell:\n\n```\nnot code\n```'],
      ['code', 'library(ggplot2)'],
      ['markdown', 'A region keeps its fence as markdown:\n```python\nprint("in markdown")\n```'],
      ['raw', 'raw cell'],
    ]);
  });

  it('percent scripts: commented front matter after a shebang, # %% cells, commented or quoted markdown', () => {
    const { result } = parsed('lc/fold.py', PERCENT);
    expect(result?.format).toBe('percent');
    expect(result?.notebook.cells.map((cell) => [cell.type, cell.source])).toEqual([
      ['markdown', '# Light curves\n\nWe fold a light curve.'],
      ['code', 'import pandas as pd\nfrom astropy.timeseries import TimeSeries'],
      ['markdown', 'Quoted markdown.'],
      ['code', 'ts = TimeSeries()'],
    ]);
    expect(parsed('j/plot.jl', JULIA_PERCENT).result?.notebook.cells).toEqual([{ type: 'code', source: 'using Plots', executionCount: null, outputs: [], language: 'julia' }]);
  });

  it('is null for what is not a text notebook: docs pages, other front matter, scripts without header or cells, light scripts', () => {
    expect(parsed('docs/index.md', '# Docs\n\n```python\nprint(1)\n```\n').result).toBeNull();
    expect(parsed('docs/post.md', '---\ntitle: A blog post\nlayout: page\n---\n\n# Post\n').result).toBeNull();
    expect(parsed('docs/rule.md', '---\n\nA thematic break, then prose.\n').result).toBeNull();
    expect(parsed('pkg/module.py', 'import os\n\n# %%\nprint(1)\n').result).toBeNull();
    expect(parsed('pkg/header-only.py', PERCENT.replace(/# %%.*$/gm, '#')).result).toBeNull();
    expect(parsed('pkg/light.py', PERCENT.replace('format_name: percent', 'format_name: light')).result).toBeNull();
    expect(parsed('data/table.csv', MYST).result).toBeNull();
  });

  it('a front matter naming Jupyter that is not YAML: still a notebook, with a warning', () => {
    const { result, warnings } = parsed('bad.md', '---\njupytext: [unclosed\nkernelspec: {name: python3}\n---\n\n# Title\n');
    expect(result?.format).toBe('jupytext-md');
    expect(result?.notebook.metadata).toEqual({});
    expect(warnings).toEqual([expect.stringMatching(/^bad\.md: front matter is not valid YAML \(/)]);
  });

  it('candidates by name: markdown and scripts, never READMEs, licences or packaging', () => {
    expect(['a/b.md', 'x.myst', 'nb.py', 'analysis.R', 'run.jl'].map(isTextNotebookCandidate)).toEqual([true, true, true, true, true]);
    expect(['README.md', 'docs/CHANGELOG.md', 'LICENSE.md', 'setup.py', 'pkg/__init__.py', 'x.ipynb', 'a.txt', '.ipynb_checkpoints/n.md'].map(isTextNotebookCandidate)).toEqual(
      Array(8).fill(false),
    );
    expect(selectFiles([{ path: 'README.md', size: 10 }, { path: 'docs/a.md', size: 10 }, { path: 'src/m.py', size: 10 }, { path: 'n.ipynb', size: 10 }]).wanted).toEqual(['README.md', 'docs/a.md', 'n.ipynb', 'src/m.py']);
  });
});

describe('text notebooks in a repository', () => {
  it('are workflows with the same rules as .ipynb: title, language, kernel, imports, cells, environment, preview without outputs', async () => {
    const result = await extractRepository(
      memorySnapshot({
        'README.md': '---\nkernelspec: {name: python3}\n---\n# Repo readme\n\nAbout the repository.\n',
        'docs/index.md': '# Documentation\n\n```python\nimport not_a_notebook\n```\n',
        'content/galaxies.md': MYST,
        'content/requirements.txt': 'numpy\nastroquery\n',
        'r/plots.md': JUPYTEXT_MD,
        'lc/fold.py': PERCENT,
        'src/module.py': 'import os\n',
      }),
    );
    expect(result.workflows.map((workflow) => [workflow.path, workflow.format])).toEqual(
      expect.arrayContaining([
        ['content/galaxies.md', 'myst'],
        ['r/plots.md', 'jupytext-md'],
        ['lc/fold.py', 'percent'],
      ]),
    );
    expect(result.workflows).toHaveLength(3);
    for (const workflow of result.workflows) {
      expect(Workflow.safeParse(workflow).success, workflow.path).toBe(true);
      expect(NotebookPreview.safeParse(result.previews[workflow.id]).success, workflow.path).toBe(true);
    }
    const myst = result.workflows.find((workflow) => workflow.path === 'content/galaxies.md')!;
    expect(myst).toMatchObject({
      title: 'Finding galaxies',
      description: 'We query a catalogue of galaxies.',
      language: 'python',
      runtimePlatform: 'Python',
      kernel: { name: 'python3', displayName: 'Python 3 (ipykernel)', language: 'python' },
      imports: ['astroquery', 'numpy'],
      cells: { code: 2, markdown: 4, raw: 1 },
      nbformat: '4',
      execution: { hasOutputs: false, inOrder: null },
      thumbnail: null,
      environment: { kind: 'pip', files: ['content/requirements.txt'] },
      size: Buffer.byteLength(MYST),
      warnings: [],
    });
    expect(result.previews[myst.id]!.cells.map((cell) => cell.type)).toEqual(['markdown', 'code', 'markdown', 'markdown', 'code', 'markdown', 'raw']);
    expect(result.previews[myst.id]!.cells.every((cell) => cell.outputs.length === 0)).toBe(true);
    expect(result.workflows.find((workflow) => workflow.path === 'r/plots.md')).toMatchObject({ title: 'Page title beside the metadata', language: 'r', imports: ['ggplot2'] });
    expect(result.workflows.find((workflow) => workflow.path === 'lc/fold.py')).toMatchObject({ title: 'Light curves', language: 'python', imports: ['astropy', 'pandas'], cells: { code: 2, markdown: 2, raw: 0 } });
    expect(result.repository.notebooks).toBe(3);
    expect(result.warnings).toEqual([]);
  });
});

describe('text notebook candidates in a tree', () => {
  it('a text file paired with an .ipynb of the same name is not a second workflow', async () => {
    const result = await extractRepository(memorySnapshot({ 'nb/galaxies.md': MYST, 'nb/galaxies.ipynb': JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [] }), 'lc/fold.py': PERCENT, 'lc/fold.ipynb': '{}' }));
    expect(result.workflows.map((workflow) => [workflow.path, workflow.format])).toEqual([
      ['lc/fold.ipynb', 'ipynb'],
      ['nb/galaxies.ipynb', 'ipynb'],
    ]);
  });

  it('reads at most MAX_SCRIPT_CANDIDATES scripts, shallowest first, and says how many it left unchecked', () => {
    const tree = Array.from({ length: MAX_SCRIPT_CANDIDATES + 5 }, (_, index) => ({ path: `pkg/sub/m${String(index).padStart(4, '0')}.py`, size: 10 }));
    const { wanted, skipped } = selectFiles([...tree, { path: 'analysis.py', size: 10 }, { path: 'docs/page.md', size: 10 }]);
    expect(wanted.filter((path) => path.endsWith('.py'))).toHaveLength(MAX_SCRIPT_CANDIDATES);
    expect(wanted).toContain('analysis.py');
    expect(wanted).toContain('docs/page.md');
    expect(skipped).toEqual([{ path: expect.stringMatching(/^pkg\/sub\/m\d+\.py$/), reason: `is one of 6 scripts not checked for a Jupytext percent-format header (only the first ${MAX_SCRIPT_CANDIDATES} are read)` }]);
  });
});
