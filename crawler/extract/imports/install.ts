/**
 * Package names from an install command line: `pip install …`, `python -m pip install …`, `uv pip install …`,
 * `conda|mamba|micromamba install …`, as written in `%pip`, `!pip`, `%conda` magics or a `%%bash` cell.
 * A word scanner, not one regular expression: linear in the line whatever it holds (the former
 * `(?:\S*\/)?pip` pattern rescanned the rest of the word at every `%`, 41 s for a 120 kB line).
 */

/** Options whose next word is a value (a file, an index, a channel, an environment), not a package. */
const TAKES_VALUE = new Set([
  '-r', '--requirement', '-c', '--constraint', '-e', '--editable', '-i', '--index-url', '--extra-index-url', '-f',
  '--find-links', '-t', '--target', '--prefix', '--root', '--channel', '-n', '--name', '-p', '--python',
  '--upgrade-strategy', '--platform', '--python-version', '--implementation', '--abi', '--src', '--cache-dir',
  '--log', '--proxy', '--trusted-host', '--timeout', '--retries', '--only-binary', '--no-binary', '--progress-bar',
  '--file', '--override-channels-file',
]);

const INSTALLERS = new Set(['pip', 'pip3', 'conda', 'mamba', 'micromamba']);

const PACKAGE = /^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?$/;

/** Shell command separators: each piece of a line is one command. */
const SEPARATORS = /[;&|`()]/;

export function installsIn(line: string, into: Set<string>): void {
  if (!line.includes('install')) return;
  for (const command of line.split(SEPARATORS)) {
    const words = [...command.matchAll(/\S+/g)];
    for (let index = 0; index < words.length; index++) {
      const word = words[index]![0].replace(/^[%!]+/, '');
      const next = (offset: number) => words[index + offset]?.[0];
      let install = -1;
      if (INSTALLERS.has(word.slice(word.lastIndexOf('/') + 1)) && next(1) === 'install') install = index + 1;
      else if ((word === '-m' || word.slice(word.lastIndexOf('/') + 1) === 'uv') && next(1) === 'pip' && next(2) === 'install') install = index + 2;
      if (install === -1) continue;
      const match = words[install]!;
      addPackages(command.slice(match.index! + match[0].length), into);
      break;
    }
  }
}

function addPackages(text: string, into: Set<string>): void {
  const words = shellWords(text);
  for (let index = 0; index < words.length; index++) {
    const word = words[index]!;
    if (word.startsWith('-')) {
      if (TAKES_VALUE.has(word)) index++;
      continue;
    }
    const name = packageName(word);
    if (name) into.add(name);
  }
}

/** "astropy[all]>=5" → "astropy"; "conda-forge::numpy=1.2" → "numpy"; URLs, paths and variables → null. */
export function packageName(spec: string): string | null {
  if (/[/\\:$]|^\.|^\{/.test(spec.replace(/^[\w.-]+::/, ''))) return null;
  const name = spec
    .replace(/^[\w.-]+::/, '')
    .split(/[[<>=!~;@ ]/)[0]!
    .trim();
  return PACKAGE.test(name) ? name.toLowerCase() : null;
}

function shellWords(text: string): string[] {
  const words: string[] = [];
  const pattern = /"([^"]*)"|'([^']*)'|(\S+)/g;
  let match: RegExpExecArray | null;
  while ((match = pattern.exec(text)) !== null) {
    const word = match[1] ?? match[2] ?? match[3]!;
    if (word.startsWith('#')) break;
    if (word === '>' || word === '2>' || word.startsWith('>') || word.startsWith('2>')) break;
    words.push(word);
  }
  return words;
}
