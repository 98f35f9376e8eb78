import { describe, expect, it } from 'vitest';
import { Slug } from '../../catalog/contract/index.js';
import { selectFiles, workflowId } from '../../crawler/extract/index.js';

const tree = (paths: Record<string, number>) => Object.entries(paths).map(([path, size]) => ({ path, size }));

describe('selectFiles', () => {
  const entries = tree({
    'analysis.ipynb': 100,
    'docs/tutorial.ipynb': 100,
    'docs/.ipynb_checkpoints/tutorial-checkpoint.ipynb': 100,
    'docs/metadata.json': 50,
    'other/metadata.json': 50,
    'requirements.txt': 10,
    'binder/environment.yml': 10,
    'binder/Dockerfile': 10,
    'docs/requirements.txt': 10,
    'src/pkg/requirements.txt': 10,
    'codemeta.json': 10,
    'CITATION.cff': 10,
    'LICENSE.md': 10,
    'README.rst': 10,
    'README.md': 10,
    'src/main.py': 10,
    'huge.ipynb': 60 * 1024 * 1024,
  });

  it('wants notebooks (not checkpoints), sidecars beside notebooks, environment and metadata files, the best README', () => {
    const { wanted, skipped } = selectFiles(entries);
    expect(wanted).toEqual([
      'CITATION.cff',
      'LICENSE.md',
      'README.md',
      'analysis.ipynb',
      // Read for its FROM lines (the images the environment builds on).
      'binder/Dockerfile',
      'binder/environment.yml',
      'codemeta.json',
      'docs/metadata.json',
      'docs/requirements.txt',
      'docs/tutorial.ipynb',
      'requirements.txt',
      // May be a percent-script notebook: read, and its content decides (src/pkg/requirements.txt is still not read).
      'src/main.py',
    ]);
    expect(skipped).toEqual([{ path: 'huge.ipynb', reason: '60.0 MB exceeds the 20.0 MB cap for notebooks; not read' }]);
  });
  it('honours ignore/exclude and include globs, also for folders', () => {
    expect(selectFiles(entries, { ignore: ['docs'] }).wanted.filter((path) => path.startsWith('docs'))).toEqual([]);
    expect(selectFiles(entries, { exclude: ['**/tutorial.ipynb'] }).skipped.map((skip) => skip.path)).toContain('docs/tutorial.ipynb');
    expect(selectFiles(entries, { include: ['docs/**'] }).wanted.filter((path) => path.endsWith('.ipynb'))).toEqual(['docs/tutorial.ipynb']);
  });
  it('applies configurable size caps before anything is read', () => {
    const { wanted, skipped } = selectFiles(entries, { maxNotebookBytes: 5, maxFileBytes: 5 });
    expect(wanted).toEqual([]);
    // A text-notebook candidate over the cap is left out without a word (most are not notebooks).
    expect(skipped.map((skip) => skip.path)).not.toContain('src/main.py');
    expect(skipped.map((skip) => skip.path)).toContain('analysis.ipynb');
    expect(skipped.find((skip) => skip.path === 'codemeta.json')?.reason).toMatch(/cap for metadata files/);
  });
  it('skips unsafe paths with a reason', () => {
    const { wanted, skipped } = selectFiles(tree({ '../escape.ipynb': 1, '/abs.ipynb': 1, 'a\\b.ipynb': 1, 'ok\u0001.ipynb': 1, 'fine & odd (1).ipynb': 1 }));
    expect(wanted).toEqual(['fine & odd (1).ipynb']);
    expect(skipped).toHaveLength(4);
    expect(skipped[0]!.reason).toMatch(/unsafe path/);
  });
});

describe('workflowId', () => {
  const url = 'https://github.com/astropy/astropy-tutorials';
  it('is a readable slug plus a 64-bit hash, valid for the contract', () => {
    const id = workflowId(url, 'tutorials/FITS-header/FITS-header.ipynb');
    expect(id).toMatch(/^astropy-astropy-tutorials-tutorials-fits-header-fits-header-[0-9a-f]{16}$/);
    expect(Slug.safeParse(id).success).toBe(true);
  });
  it('is stable, and ignores a trailing slash or .git', () => {
    expect(workflowId(`${url}.git`, 'a.ipynb')).toBe(workflowId(`${url}/`, 'a.ipynb'));
  });
  it('differs for paths that slugify alike', () => {
    expect(workflowId(url, 'A b.ipynb')).not.toBe(workflowId(url, 'a-b.ipynb'));
  });
  it('stays within 200 characters and a slug for long, odd or non-Latin paths', () => {
    for (const path of [`${'very-long-folder-name/'.repeat(30)}x.ipynb`, 'données/équipe.ipynb', '日本語.ipynb', '---.ipynb']) {
      const id = workflowId('https://gitlab.example.org/group/sub/project', path);
      expect(id.length).toBeLessThanOrEqual(200);
      expect(Slug.safeParse(id).success, id).toBe(true);
    }
  });
});
