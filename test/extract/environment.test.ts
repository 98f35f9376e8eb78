import { describe, expect, it } from 'vitest';
import { environmentOf } from '../../crawler/extract/environment.js';

const env = (files: Record<string, string | null>, dir = '') => {
  const problems: string[] = [];
  const result = environmentOf(dir, new Map(Object.entries(files)), (file, message) => problems.push(`${file}: ${message}`));
  return { result, problems };
};

describe('environmentOf: repo2docker precedence', () => {
  it.each([
    [{ Dockerfile: null, 'environment.yml': '', 'requirements.txt': '' }, 'docker'],
    [{ 'Project.toml': '[deps]\n', 'environment.yml': 'dependencies: []' }, 'julia'],
    [{ 'runtime.txt': 'r-4.3-2024-01-10', 'requirements.txt': '' }, 'r'],
    [{ 'install.R': '', 'apt.txt': '' }, 'r'],
    [{ 'environment.yml': '', 'requirements.txt': '', Pipfile: '' }, 'conda'],
    [{ Pipfile: '', 'requirements.txt': '' }, 'pipenv'],
    [{ 'requirements.txt': '', 'runtime.txt': 'python-3.10', 'setup.py': null }, 'pip'],
    [{ 'pyproject.toml': '' }, 'python-package'],
    [{ 'apt.txt': 'curl' }, 'apt'],
    [{ postBuild: null }, 'other'],
  ])('%o → %s', (files, kind) => {
    expect(env(files).result?.kind).toBe(kind);
  });
  it('lists every environment file, with its folder, sorted', () => {
    expect(env({ 'requirements.txt': '', 'apt.txt': '', postBuild: null }, 'binder').result?.files).toEqual(['binder/apt.txt', 'binder/postBuild', 'binder/requirements.txt']);
  });
  it('says null for a folder without environment files', () => {
    expect(env({}).result).toBeNull();
  });
});

describe('environmentOf: declared packages', () => {
  it('reads requirements.txt: comments, options, markers, extras, URLs', () => {
    const text = '# pinned\nnumpy==1.26  # comment\nAstropy[all]>=5 ; python_version > "3.8"\n-r other.txt\n--index-url https://x\ngit+https://github.com/x/y.git\n./local\nscipy\n';
    expect(env({ 'requirements.txt': text }).result?.packages).toEqual(['astropy', 'numpy', 'scipy']);
  });
  it('reads environment.yml with conda specs and nested pip lists, leaving out python and pip', () => {
    const text = 'name: x\nchannels: [conda-forge]\ndependencies:\n  - python=3.11\n  - numpy>=1.2\n  - conda-forge::healpy\n  - pip\n  - pip:\n      - pyvo==1.4\n';
    expect(env({ 'environment.yml': text }).result?.packages).toEqual(['healpy', 'numpy', 'pyvo']);
  });
  it('reads Project.toml [deps], Pipfile [packages], pyproject dependencies, install.R', () => {
    expect(env({ 'Project.toml': '[deps]\nPlots = "91a5bcdd"\nCSV = "336ed68f"\n[compat]\njulia = "1.10"' }).result?.packages).toEqual(['CSV', 'Plots']);
    expect(env({ Pipfile: '[packages]\nrequests = "*"\n[dev-packages]\npytest = "*"' }).result?.packages).toEqual(['requests']);
    expect(env({ 'pyproject.toml': '[project]\nname = "x"\ndependencies = ["astropy>=6", "numpy"]' }).result?.packages).toEqual(['astropy', 'numpy']);
    expect(env({ 'install.R': 'install.packages(c("ggplot2", "dplyr"))' }).result?.packages).toEqual(['dplyr', 'ggplot2']);
  });
  it('warns, naming the file, when a file cannot be parsed, and keeps the rest', () => {
    const { result, problems } = env({ 'environment.yml': 'dependencies: [unclosed', 'requirements.txt': 'numpy' }, 'binder');
    expect(result).toMatchObject({ kind: 'conda', packages: ['numpy'] });
    expect(problems[0]).toMatch(/^binder\/environment.yml: could not be read for packages/);
  });
});

describe('YAML from a repository is parsed within a bound', () => {
  it('reads a small conda environment, and refuses a huge one with a warning, fast (the yaml parser is quadratic on unterminated quotes)', () => {
    expect(env({ 'environment.yml': 'dependencies:\n  - numpy\n  - pip:\n    - astropy\n' }).result?.packages).toEqual(['astropy', 'numpy']);
    const started = performance.now();
    const { result, problems } = env({ 'environment.yml': `dependencies:\n  - "${'"'.repeat(200_000)}` });
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(result).toMatchObject({ kind: 'conda', files: ['environment.yml'] });
    expect(result?.packages).toBeUndefined();
    expect(problems).toEqual(['environment.yml: could not be read for packages: is 196 kB of YAML; only files up to 32 kB are read']);
  });
});
