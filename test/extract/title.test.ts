import { describe, expect, it } from 'vitest';
import { describeNotebook, sidecarOf, titleFromPath } from '../../crawler/extract/title.js';
import { code, md, nb4, normalised } from './helpers.js';

const describeCells = (cells: ReturnType<typeof md>[], metadata: Record<string, unknown> = {}, sidecar: unknown = null, path = 'dir/my_first-notebook.ipynb') => {
  const { notebook } = normalised(nb4(cells, metadata));
  return describeNotebook(path, notebook.metadata, notebook.cells, sidecarOf(sidecar));
};

describe('title', () => {
  const cells = [md('<h1>HTML title</h1>'), md('# Markdown title')];
  it('prefers the sidecar title (or name), then metadata.title, then the first heading, then the file name', () => {
    expect(describeCells(cells, { title: 'Meta *title*' }, { title: 'Sidecar title' }).title).toBe('Sidecar title');
    expect(describeCells(cells, { title: 'Meta *title*' }, { name: 'Sidecar name' }).title).toBe('Sidecar name');
    expect(describeCells(cells, { title: 'Meta *title*' }).title).toBe('Meta title');
    expect(describeCells(cells).title).toBe('HTML title');
    expect(describeCells([md('no heading here at all')]).title).toBe('my first notebook');
  });
  it('finds the heading after code and prose cells, as plain text', () => {
    expect(describeCells([md('Intro words here.'), code('x = 1') as never, md('Setext &amp; [linked](http://x) title\n===')]).title).toBe('Setext & linked title');
  });
  it('turns file names into words', () => {
    expect(titleFromPath('a/b/VO_Data-Discovery.ipynb')).toBe('VO Data Discovery');
    expect(titleFromPath('___.ipynb')).toBe('___.ipynb');
  });
  it('caps long titles on a word boundary', () => {
    const title = describeCells([md(`# ${'word '.repeat(100)}`)]).title;
    expect(title.length).toBeLessThanOrEqual(200);
    expect(title.endsWith('word…')).toBe(true);
  });
});

describe('description', () => {
  it('takes the sidecar description as plain text: stray HTML never survives', () => {
    const sidecar = { keywords: ['vo'], description: 'Workflow for discovering astronomy data in the VO</h1>' };
    expect(describeCells([md('# T\n\nOther words here.')], {}, sidecar).description).toBe('Workflow for discovering astronomy data in the VO');
  });
  it('else the first paragraph of prose after the title, even in a later cell', () => {
    expect(describeCells([md('Preamble before title text.\n\n# T'), md('[![badge](b.svg)](x)'), md('The **real** description here.')]).description).toBe('The real description here.');
  });
  it('skips front-matter sections and reads Keywords and Authors sections', () => {
    const front = '# Tutorial\n\n## Authors\nAda Lovelace, Charles Babbage (reviewer)\n\n## Learning Goals\n* learn\n\n## Keywords\nFITS, file input/output\n\n## Summary\nThis tutorial edits a FITS header.';
    expect(describeCells([md(front)])).toEqual({
      title: 'Tutorial',
      description: 'This tutorial edits a FITS header.',
      keywords: ['FITS', 'file input/output'],
      authors: ['Ada Lovelace', 'Charles Babbage'],
    });
  });
  it('reads on into a list introduced by a colon', () => {
    expect(describeCells([md('# T\n\nIn this tutorial, we will:\n\n* load data\n* plot it')]).description).toBe('In this tutorial, we will: load data; plot it.');
  });
  it('is empty when there is no prose at all', () => {
    expect(describeCells([md('# Only a title')]).description).toBe('');
  });
  it('cuts long prose on a word boundary at 300 characters', () => {
    const description = describeCells([md(`# T\n\n${'lorem ipsum '.repeat(60)}`)]).description;
    expect(description.length).toBeLessThanOrEqual(300);
    expect(description.endsWith('…')).toBe(true);
  });
});

describe('sidecarOf', () => {
  it('reads keywords as a list or a comma-separated string, and ignores non-objects', () => {
    expect(sidecarOf({ keywords: 'vo, tap ,', description: 'x' })?.keywords).toEqual(['vo', 'tap']);
    expect(sidecarOf(['not', 'an', 'object'])).toBeNull();
  });
});

describe('what reads wrong on real school notebooks', () => {
  it('a table of contents or a setup heading is never the title; sections at its level mean there is no title heading', () => {
    expect(describeCells([md('#### Setup\n\nyou need to install mpi4py'), md('# MPI parallelization'), md('MPI runs the same file on many machines, each with a rank.')])).toMatchObject({
      title: 'MPI parallelization',
      description: 'MPI runs the same file on many machines, each with a rank.',
    });
    const toc = [md('![Matplotlib](logo.svg)'), md('<h1 id="tocheading">Table of Contents</h1>\n<div id="toc"></div>'), md('# Notebook Setup (run me first!)\n\nImport it first.'), md('# Basics\n\nLine plots are easy to make.')];
    expect(describeCells(toc, {}, null, 'matplotlib/matplotlib.ipynb').title).toBe('matplotlib');
    expect(describeCells([md('# Real title\n\n## Table of Contents\n\n1. a\n\n## 0. Setup\n\nPlease install things first.\n\n## Overview\n\nWhat it is about, really.')]).description).toBe('What it is about, really.');
  });

  it('a solution notebook says so when its file name does and its heading does not', () => {
    const cells = [md('# NumPy Exercises\n\nSolve them all, one by one.')];
    expect(describeCells(cells, {}, null, 'numpy/2. NumPy Exercises - Solutions.ipynb').title).toBe('NumPy Exercises (solution)');
    expect(describeCells(cells, {}, null, 'ml/Classification_SOLUTIONS.ipynb').title).toBe('NumPy Exercises (solution)');
    expect(describeCells(cells, {}, null, 'numpy/2_np_exercises.ipynb').title).toBe('NumPy Exercises');
    expect(describeCells(cells, {}, null, 'numpy/resolution_study.ipynb').title).toBe('NumPy Exercises');
    expect(describeCells([md('# HR Diagram Solution')], {}, null, 'hr_diagram_solution.md').title).toBe('HR Diagram Solution');
    expect(describeCells(cells, {}, { title: 'Curated title' }, 'x_solutions.ipynb').title).toBe('Curated title');
  });

  it('a byline under the title gives the authors, not the description', () => {
    const byline = (line: string) => describeCells([md(`# Title\n\n${line}\n\nWhat the notebook does, in a sentence.`)]);
    expect(byline('**Tutors:** Axel Donath and Christoph Deil')).toMatchObject({ authors: ['Axel Donath', 'Christoph Deil'], description: 'What the notebook does, in a sentence.' });
    expect(byline('Tamás Gál (tamas.gal@fau.de)').authors).toEqual(['Tamás Gál']);
    expect(byline('Tamas Gal <tamas.gal@fau.de>').authors).toEqual(['Tamas Gal']);
    expect(byline('Katarina A. Lutz¹, Manon Marchand¹, and Jenny G.Sorce³⁴').authors).toEqual(['Katarina A. Lutz', 'Manon Marchand', 'Jenny G.Sorce']);
    expect(byline('Manon Marchand$^1$').authors).toEqual(['Manon Marchand']);
    expect(byline('main author: Maximilian Nöthe').authors).toEqual(['Maximilian Nöthe']);
    expect(byline('Francisco Jiménez-Esteban, Ada Nebot Gómez-Morán, Jan van der Berg.').authors).toEqual(['Francisco Jiménez-Esteban', 'Ada Nebot Gómez-Morán', 'Jan van der Berg']);
    // Prose is prose: a capitalised short sentence, a sentence naming people; one unmarked name is no byline either.
    for (const prose of ['Galaxy Clusters And Velocity Dispersions.', 'Thomas Boch and Caroline Bot wrote the original version of this tutorial.']) {
      expect(byline(prose), prose).toMatchObject({ authors: [], description: prose });
    }
    expect(byline('Axel Donath').authors).toEqual([]);
  });

  it('pointers, credits, fragments and display maths are not descriptions', () => {
    const described = (...lines: string[]) => describeCells([md(['# Title', ...lines, 'The real description of the notebook.'].join('\n\n'))]).description;
    expect(described('The latest version of this notebook is available at [https://github.com/x/y](https://github.com/x/y)')).toBe('The real description of the notebook.');
    expect(described('(Widely inspired from https://keras.io/guides/transfer_learning/)')).toBe('The real description of the notebook.');
    expect(described('Notebook stolen and modified from https://github.com/a/b')).toBe('The real description of the notebook.');
    expect(described('so that')).toBe('The real description of the notebook.');
    expect(described('\\begin{equation} A_{in} \\approx \\frac{N_{in}}{N_{total}} A \\end{equation}')).toBe('The real description of the notebook.');
    expect(described('This tutorial is based on the EURO-VO tutorial of the same name.')).toBe('This tutorial is based on the EURO-VO tutorial of the same name.');
  });

  it('titles: line breaks in HTML headings separate words; wrapping quotes and file-name separators go', () => {
    expect(describeCells([md('<center>\n<h1><b>Introduction to the Scikit-HEP<br>Big Data ecosystem</b></h1>\n</center>')]).title).toBe('Introduction to the Scikit-HEP Big Data ecosystem');
    expect(describeCells([md('# "HEP Python ecosystem example"')]).title).toBe('HEP Python ecosystem example');
    expect(describeCells([md('# Arp galaxies __ First steps with MOCs')]).title).toBe('Arp galaxies – First steps with MOCs');
  });
});

describe('markdown from a repository is lexed in linear time', () => {
  // marked 16 lexed "[a](" repeated cubically: 8 kB took 76 s, with no way for the time budget to interrupt it.
  it('a cell and a README of link-like text are read in well under a second', async () => {
    const { readmeDescription } = await import('../../crawler/extract/readme.js');
    const linkish = '[a]('.repeat(4_000);
    const started = performance.now();
    expect(describeCells([md(linkish)]).title).toBe('my first notebook');
    expect(readmeDescription('README.md', `# Title\n\n${linkish}`)).not.toBeUndefined();
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});
