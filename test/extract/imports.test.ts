import { describe, expect, it } from 'vitest';
import { importsOf } from '../../crawler/extract/imports/index.js';

const python = (...cells: string[]) => importsOf('python', cells);

describe('Python imports', () => {
  it('reads import and from-import forms, top-level package only, sorted and unique', () => {
    expect(python('import numpy as np, scipy.stats\nimport astropy.units as u', 'from astropy.coordinates import SkyCoord\nfrom matplotlib import pyplot as plt, cm').imports).toEqual([
      'astropy',
      'matplotlib',
      'numpy',
      'scipy',
    ]);
  });
  it('reads parenthesised and backslash-continued imports across lines', () => {
    expect(python('from pyvo.dal import (\n    TAPService,\n    SIAService,\n)\nimport os, \\\n  sys').imports).toEqual(['os', 'pyvo', 'sys']);
  });
  it('leaves out relative imports and __future__', () => {
    expect(python('from . import helpers\nfrom .utils import x\nfrom __future__ import annotations\nfrom ..pkg import y').imports).toEqual([]);
  });
  it('finds imports inside blocks and one-line compound statements, not inside strings or comments', () => {
    const source = 'try:\n    import ujson as json\nexcept ImportError:\n    import json\nif True: import yaml\n# import commented\ns = """\nimport in_string\n"""\nt = "import quoted"';
    expect(python(source).imports).toEqual(['json', 'ujson', 'yaml']);
  });
  it('is not broken by magics, shell lines, help and shell assignments', () => {
    const source = '%matplotlib inline\n!ls -la "unterminated\nfiles = !ls (\nx = %time f(\nnp?\n%load_ext autoreload\nimport numpy';
    expect(python(source).imports).toEqual(['numpy']);
  });
  it('sends %pip, !pip, %conda install package names to installs, not imports', () => {
    const cells = [
      '%pip install -q "astropy[all]>=5.0" pyvo==1.4 -r requirements.txt',
      '!pip install --upgrade git+https://github.com/x/y.git matplotlib',
      '!{sys.executable} -m pip install astroquery',
      '%conda install -y -c conda-forge healpy conda-forge::reproject=0.9',
      '!mamba install --channel conda-forge dask && echo done',
    ];
    expect(python(...cells)).toEqual({ imports: [], installs: ['astropy', 'astroquery', 'dask', 'healpy', 'matplotlib', 'pyvo', 'reproject'] });
  });
  it('reads installs from %%bash cells and skips other non-Python cell magics', () => {
    expect(python('%%bash\npip install lightkurve\necho import nothing', '%%html\n<b>import x</b>', '%%time\nimport time_me')).toEqual({ imports: ['time_me'], installs: ['lightkurve'] });
  });
  it('reads %%R and %%julia cells with their own parsers', () => {
    expect(python('%%R\nlibrary(ggplot2)', '%%julia\nusing PyPlot').imports).toEqual(['PyPlot', 'ggplot2']);
  });
});

describe('R imports', () => {
  it('reads library, require, requireNamespace and pkg::fn; install.packages go to installs', () => {
    const source = 'library(ggplot2)\nrequire("dplyr")\nif (!requireNamespace(\'sf\', quietly = TRUE)) install.packages(c("sf", "terra"))\nx <- data.table::fread(f)\n# library(commented)\ny <- "stringr::str_detect"';
    expect(importsOf('r', [source])).toEqual({ imports: ['data.table', 'dplyr', 'ggplot2', 'sf'], installs: ['sf', 'terra'] });
  });
  it('ignores library(x, character.only = TRUE), where x is a variable', () => {
    expect(importsOf('r', ['for (p in pkgs) library(p, character.only = TRUE)']).imports).toEqual([]);
  });
});

describe('Julia imports', () => {
  it('reads using and import lists, leaving out relative modules and Base', () => {
    const source = 'using Plots, DataFrames.Tables\nusing CSV: read, write\nimport Statistics\nusing .LocalModule\nusing Base.Threads\n#= using Hidden =#';
    expect(importsOf('julia', [source]).imports).toEqual(['CSV', 'DataFrames', 'Plots', 'Statistics']);
  });
  it('sends Pkg.add and pkg-mode add to installs', () => {
    expect(importsOf('julia', ['using Pkg\nPkg.add(["Plots", "CSV"])\nPkg.add("FITSIO")', ']add Unitful']).installs).toEqual(['CSV', 'FITSIO', 'Plots', 'Unitful']);
  });
});

describe('unknown languages', () => {
  it('extract nothing rather than guess', () => {
    expect(importsOf(null, ['import numpy'])).toEqual({ imports: [], installs: [] });
  });
});
