/**
 * Package names from an install command line: `pip install …`, `python -m pip install …`, `uv pip install …`,
 * `conda|mamba|micromamba install …`, as written in `%pip`, `!pip`, `%conda` magics or a `%%bash` cell.
 */
const INSTALLER = /(?:^|[\s;&|(`%!])(?:(?:\S*\/)?(?:pip3?|uv\s+pip)|-m\s+pip|(?:\S*\/)?(?:conda|mamba|micromamba))\s+install\b([^;&|]*)/g;

/** Options whose next word is a value (a file, an index, a channel, an environment), not a package. */
const TAKES_VALUE = new Set([
  '-r', '--requirement', '-c', '--constraint', '-e', '--editable', '-i', '--index-url', '--extra-index-url', '-f',
  '--find-links', '-t', '--target', '--prefix', '--root', '--channel', '-n', '--name', '-p', '--python',
  '--upgrade-strategy', '--platform', '--python-version', '--implementation', '--abi', '--src', '--cache-dir',
  '--log', '--proxy', '--trusted-host', '--timeout', '--retries', '--only-binary', '--no-binary', '--progress-bar',
  '--file', '--override-channels-file',
]);

const PACKAGE = /^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?$/;

export function installsIn(line: string, into: Set<string>): void {
  INSTALLER.lastIndex = 0;
  let match: RegExpExecArray | null;
  while ((match = INSTALLER.exec(line)) !== null) {
    const words = shellWords(match[1]!);
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
