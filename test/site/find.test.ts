/** /find/?url=…: repository and notebook URLs in their common forms → the workflow, or the repository's workflows. */
import { describe, expect, it } from 'vitest';
import { findIndex, parseFindUrl, resolveFind } from '../../site/lib/find.js';

const index = findIndex([
  { id: 'intro', path: 'tutorials/FITS-header/FITS-header.ipynb', repository: { url: 'https://github.com/astropy/astropy-tutorials' } },
  { id: 'quant', path: 'tutorials/quantities/quantities.ipynb', repository: { url: 'https://github.com/astropy/astropy-tutorials' } },
  { id: 'space', path: 'numpy/1. NumPy Warming Up.ipynb', repository: { url: 'https://github.com/escape2020/school2021' } },
  { id: 'myst', path: 'content/reference_notebooks/catalog_queries.md', repository: { url: 'https://github.com/NASA-NAVO/navo-workshop' } },
  { id: 'gl', path: 'analysis/fit.ipynb', repository: { url: 'https://gitlab.com/group/sub/project' } },
]);
const resolve = (url: string) => resolveFind(parseFindUrl(url), index);

describe('find: URL → workflow', () => {
  it('GitHub blob, tree-less raw and nbviewer URLs of a notebook name its workflow, refs with slashes included', () => {
    for (const url of [
      'https://github.com/astropy/astropy-tutorials/blob/main/tutorials/FITS-header/FITS-header.ipynb',
      'https://github.com/astropy/astropy-tutorials/blob/feature/a-b/tutorials/FITS-header/FITS-header.ipynb',
      'github.com/Astropy/Astropy-Tutorials/blob/687635289fca0a7bb2ef835bed629a3472fd2eee/tutorials/FITS-header/FITS-header.ipynb',
      'https://raw.githubusercontent.com/astropy/astropy-tutorials/main/tutorials/FITS-header/FITS-header.ipynb',
      'https://nbviewer.org/github/astropy/astropy-tutorials/blob/main/tutorials/FITS-header/FITS-header.ipynb',
      'https://nbviewer.jupyter.org/urls/raw.githubusercontent.com/astropy/astropy-tutorials/main/tutorials/FITS-header/FITS-header.ipynb',
      'https://mybinder.org/v2/gh/astropy/astropy-tutorials/HEAD?labpath=tutorials%2FFITS-header%2FFITS-header.ipynb',
      'https://mybinder.org/v2/gh/astropy/astropy-tutorials/main?urlpath=lab/tree/tutorials/FITS-header/FITS-header.ipynb',
      'https://binder.example.org/v2/gh/astropy/astropy-tutorials/main?filepath=tutorials/FITS-header/FITS-header.ipynb',
    ]) {
      expect(resolve(url), url).toEqual({ kind: 'workflow', id: 'intro', repository: 'https://github.com/astropy/astropy-tutorials', path: 'tutorials/FITS-header/FITS-header.ipynb' });
    }
    expect(resolve('https://github.com/escape2020/school2021/blob/main/numpy/1.%20NumPy%20Warming%20Up.ipynb')).toMatchObject({ kind: 'workflow', id: 'space' });
    expect(resolve('https://github.com/NASA-NAVO/navo-workshop/blob/main/content/reference_notebooks/catalog_queries.md')).toMatchObject({ kind: 'workflow', id: 'myst' });
  });

  it('GitLab, with subgroups, and BinderHub gl/git providers', () => {
    expect(resolve('https://gitlab.com/group/sub/project/-/blob/main/analysis/fit.ipynb')).toMatchObject({ kind: 'workflow', id: 'gl' });
    expect(resolve('https://mybinder.org/v2/gl/group%2Fsub%2Fproject/main?labpath=analysis/fit.ipynb')).toMatchObject({ kind: 'workflow', id: 'gl' });
    expect(resolve('https://mybinder.org/v2/git/https%3A%2F%2Fgitlab.com%2Fgroup%2Fsub%2Fproject.git/main?labpath=analysis/fit.ipynb')).toMatchObject({ kind: 'workflow', id: 'gl' });
    expect(resolve('https://gitlab.com/group/sub/project.git')).toEqual({ kind: 'repository', repository: 'https://gitlab.com/group/sub/project', ids: ['gl'], folder: null });
  });

  it('a repository, a folder, or a file that is not a workflow lists the repository’s (or folder’s) workflows', () => {
    const all = { kind: 'repository', repository: 'https://github.com/astropy/astropy-tutorials', ids: ['intro', 'quant'], folder: null };
    expect(resolve('https://github.com/astropy/astropy-tutorials')).toEqual(all);
    expect(resolve('git@github.com:astropy/astropy-tutorials.git')).toEqual(all);
    expect(resolve('https://github.com/astropy/astropy-tutorials/blob/main/README.md')).toEqual(all);
    expect(resolve('https://github.com/astropy/astropy-tutorials/tree/main/tutorials/quantities')).toEqual({ ...all, ids: ['quant'], folder: 'tutorials/quantities' });
  });

  it('says what it cannot resolve', () => {
    expect(resolve('https://github.com/someone/else/blob/main/x.ipynb')).toEqual({ kind: 'unknown-repository', repository: 'https://github.com/someone/else' });
    expect(resolve('javascript:alert(1)').kind).toBe('invalid');
    expect(resolve('').kind).toBe('invalid');
    expect(resolve('https://github.com/').kind).toBe('invalid');
  });
});
