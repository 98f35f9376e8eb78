/**
 * A repository's (or a folder's) software environment, decided the way repo2docker decides it: the first build
 * pack that recognises a file wins (Dockerfile, then Julia, R, conda, Pipfile, pip, Python package, apt), and a
 * `binder/` or `.binder/` folder, when present, is used instead of the top level. Declared packages are read
 * where that is cheap and safe (YAML, TOML, plain lists — never by running anything).
 */
import { parse as parseToml } from 'smol-toml';
import { parseBoundedYaml } from './yaml.js';
import type { Environment, EnvironmentKind } from '../../catalog/contract/index.js';
import { baseImagesOf } from './dockerfile.js';
import { packageName } from './imports/install.js';
import { rImports } from './imports/r.js';
import { emptyFound, sortedUnique } from './imports/shared.js';
import { isObject } from './notebook.js';

/** Every file name repo2docker reads; `read` marks those whose content we parse for packages. */
export const ENVIRONMENT_FILES: Record<string, { read: boolean }> = {
  Dockerfile: { read: true },
  'Project.toml': { read: true },
  'JuliaProject.toml': { read: true },
  REQUIRE: { read: true },
  'runtime.txt': { read: true },
  DESCRIPTION: { read: false },
  'install.R': { read: true },
  'environment.yml': { read: true },
  'environment.yaml': { read: true },
  Pipfile: { read: true },
  'Pipfile.lock': { read: false },
  'requirements.txt': { read: true },
  'setup.py': { read: false },
  'setup.cfg': { read: false },
  'pyproject.toml': { read: true },
  'apt.txt': { read: true },
  postBuild: { read: false },
  start: { read: false },
  'default.nix': { read: false },
};

export const BINDER_DIRS = ['binder', '.binder'];

type Rule = { kind: EnvironmentKind; matches: (files: Map<string, string | null>) => boolean };

/** repo2docker's build packs in its order of precedence (repo2docker/app.py `buildpacks`). */
const PRECEDENCE: Rule[] = [
  { kind: 'docker', matches: (files) => files.has('Dockerfile') },
  { kind: 'julia', matches: (files) => files.has('Project.toml') || files.has('JuliaProject.toml') || files.has('REQUIRE') },
  { kind: 'r', matches: (files) => /^\s*r-/.test(files.get('runtime.txt') ?? '') || files.has('DESCRIPTION') || files.has('install.R') },
  { kind: 'conda', matches: (files) => files.has('environment.yml') || files.has('environment.yaml') },
  { kind: 'pipenv', matches: (files) => files.has('Pipfile') || files.has('Pipfile.lock') },
  { kind: 'pip', matches: (files) => files.has('requirements.txt') },
  { kind: 'python-package', matches: (files) => files.has('setup.py') || files.has('pyproject.toml') || files.has('setup.cfg') },
  { kind: 'apt', matches: (files) => files.has('apt.txt') },
  { kind: 'other', matches: (files) => files.size > 0 },
];

/**
 * The environment declared by the files of one folder: `files` maps a file name to its text (null when not read).
 * `dir` is the folder's repo-relative path ('' for the top level). Problems go to `warn`.
 */
export function environmentOf(dir: string, files: Map<string, string | null>, warn: (file: string, message: string) => void): Environment | null {
  if (files.size === 0) return null;
  const kind = PRECEDENCE.find((rule) => rule.matches(files))!.kind;
  const packages: string[] = [];
  for (const [name, text] of files) {
    if (text === null) continue;
    if (name === 'apt.txt' && kind !== 'apt') continue;
    try {
      packages.push(...packagesIn(name, text));
    } catch (error) {
      warn(join(dir, name), `could not be read for packages: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
    }
  }
  const environment: Environment = { kind, files: [...files.keys()].map((name) => join(dir, name)).sort() };
  const list = sortedUnique(packages);
  if (list.length) environment.packages = list;
  const dockerfile = files.get('Dockerfile');
  if (kind === 'docker' && dockerfile) {
    const { images, problems } = baseImagesOf(dockerfile);
    for (const problem of problems.slice(0, 5)) warn(join(dir, 'Dockerfile'), problem);
    if (images.length) environment.baseImages = images;
  }
  return environment;
}

function join(dir: string, name: string): string {
  return dir ? `${dir}/${name}` : name;
}

function packagesIn(name: string, text: string): string[] {
  switch (name) {
    case 'requirements.txt':
      return requirements(text);
    case 'environment.yml':
    case 'environment.yaml':
      return condaPackages(text);
    case 'Pipfile':
      return tableKeys(parseToml(text), ['packages']);
    case 'Project.toml':
    case 'JuliaProject.toml':
      return tableKeys(parseToml(text), ['deps']);
    case 'pyproject.toml':
      return pyprojectPackages(text);
    case 'REQUIRE':
      return text.split('\n').map((line) => line.replace(/#.*/, '').trim().split(/\s+/)[0] ?? '').filter((word) => word && word !== 'julia');
    case 'install.R': {
      const found = emptyFound();
      rImports(text, found);
      return [...found.installs];
    }
    case 'apt.txt':
      return text.split('\n').map((line) => line.replace(/#.*/, '').trim()).filter((line) => /^[a-z0-9][a-z0-9+.-]*$/.test(line));
    default:
      return [];
  }
}

function requirements(text: string): string[] {
  const names: string[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.replace(/(^|\s)#.*/, '').trim();
    if (!line || line.startsWith('-')) continue;
    const name = packageName(line);
    if (name) names.push(name);
  }
  return names;
}

function condaPackages(text: string): string[] {
  const document: unknown = parseBoundedYaml(text);
  if (!isObject(document) || !Array.isArray(document.dependencies)) return [];
  const names: string[] = [];
  for (const dependency of document.dependencies) {
    if (typeof dependency === 'string') {
      const name = packageName(dependency.replace(/\s+/g, ''));
      if (name && name !== 'pip' && name !== 'python') names.push(name);
    } else if (isObject(dependency) && Array.isArray(dependency.pip)) {
      for (const spec of dependency.pip) {
        const name = typeof spec === 'string' ? packageName(spec.trim()) : null;
        if (name) names.push(name);
      }
    }
  }
  return names;
}

function tableKeys(document: unknown, path: string[]): string[] {
  let node: unknown = document;
  for (const key of path) node = isObject(node) ? node[key] : undefined;
  return isObject(node) ? Object.keys(node).filter((key) => key !== 'python') : [];
}

function pyprojectPackages(text: string): string[] {
  const document = parseToml(text);
  const names: string[] = [];
  const project = isObject(document.project) ? document.project : {};
  if (Array.isArray(project.dependencies)) {
    for (const spec of project.dependencies) {
      const name = typeof spec === 'string' ? packageName(spec.trim()) : null;
      if (name) names.push(name);
    }
  }
  names.push(...tableKeys(document, ['tool', 'poetry', 'dependencies']));
  return names;
}

