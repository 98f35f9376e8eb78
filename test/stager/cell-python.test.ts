/**
 * The Python staging cell, run for real by python3 against hostile URLs, titles and Zenodo records.
 * urllib's download functions and subprocess.run are replaced by recording stubs, and an audit hook
 * (PEP 578) records every other effect the cell has: the only things it may do are the expected
 * downloads to safe names inside the target folder, creating that folder, and the Rucio call.
 */
import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Dataset } from '../../catalog/contract/index.js';
import { cellText, stagingCell } from '../../stager/cell/index.js';
import { expectRealDownloads } from './real-downloads.js';
import { pythonString } from '../../stager/cell/literals.js';

const PYTHON = 'python3';
const INTO = 'astro tutorials/data';

/** Characters that end or escape a literal, start an interpolation, a comment, a command or a line. */
const HOSTILE = [
  `'`, `"`, `'''`, `"""`, '\n', '\r', '\r\n', '\u2028', '\u2029', '\u0085', '\\', '\\x41\\u0041\\', '$(touch pwned)',
  '${HOME}', '`id`', "__import__('os').system('touch pwned')", '#{x}', '%s%n%', '\u0001\u001b[31m\u007f\t\v\f',
  '\u202e\u200b', '😀𝔘', '{0}{}', '\\N{BULLET}',
];
const TITLE = `'''"""\n__import__('os').system('touch pwned')\r\u2028#{x} \${HOME} $(id) \`id\` 😀 \\`;

const HARNESS = String.raw`
import io, json, os, subprocess, sys, types, urllib.request
import pathlib, re  # everything the cell imports is loaded before recording starts
config = json.load(open(sys.argv[1]))
calls, events = [], []

def urlretrieve(url, filename=None, *rest, **options):
    calls.append(['urlretrieve', url, str(filename)])
    with open(filename, 'wb') as out:
        out.write(b'stub ' + url.encode('utf-8', 'surrogatepass'))
    return str(filename), {}

def urlopen(request, *rest, **options):
    url = request.full_url if isinstance(request, urllib.request.Request) else request
    calls.append(['urlopen', url])
    return io.BytesIO(json.dumps(config['zenodo']).encode())

def run(args, *rest, **options):
    calls.append(['run', list(args), sorted(options)])
    return subprocess.CompletedProcess(args, config.get('rucioStatus', 0))

urllib.request.urlretrieve, urllib.request.urlopen, subprocess.run = urlretrieve, urlopen, run

if config['pyvo']:
    class Votable:
        def __init__(self, service, query, maxrec): self.request = [service, query, maxrec]
        def to_xml(self, path):
            calls.append(['pyvo', *self.request, path])
            open(path, 'w').write('<VOTABLE/>')
    class TAPService:
        def __init__(self, url): self.url = url
        def run_sync(self, query, maxrec=None):
            return types.SimpleNamespace(votable=Votable(self.url, query, maxrec))
    sys.modules['pyvo'] = types.SimpleNamespace(dal=types.SimpleNamespace(TAPService=TAPService))
else:
    sys.modules['pyvo'] = None  # import pyvo → ImportError, as when it is not installed

source = open(config['cell'], encoding='utf-8').read()
code = compile(source, 'staging-cell', 'exec')
recording = True
def audit(event, args):
    if recording:
        detail = [str(args[0]), str(args[1]) if len(args) > 1 else None] if event in ('open', 'os.mkdir') else None
        events.append([event, detail])
sys.addaudithook(audit)
error = None
try:
    exec(code, {'__name__': '__main__'})
except BaseException as failure:
    error = repr(failure)
recording = False
with open(config['result'], 'w') as out:
    json.dump({'calls': calls, 'events': events, 'error': error}, out)
`;

const work = mkdtempSync(join(tmpdir(), 'ida-cell-python-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
let runs = 0;

type Result = { calls: unknown[][]; events: [string, [string, string | null] | null][]; error: string | null; stdout: string; home: string; files: string[]; cwdFiles: string[] };

function files(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => !entry.isDirectory())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)))
    .sort();
}

function runCell(source: string, options: { pyvo?: boolean; zenodo?: unknown; rucioStatus?: number } = {}): Result {
  const dir = join(work, `run-${++runs}`);
  const home = join(dir, 'home');
  const cwd = join(dir, 'cwd');
  for (const folder of [home, cwd]) mkdirSync(folder, { recursive: true });
  writeFileSync(join(dir, 'cell.py'), source);
  writeFileSync(join(dir, 'harness.py'), HARNESS);
  const config = { cell: join(dir, 'cell.py'), result: join(dir, 'result.json'), pyvo: options.pyvo ?? false, zenodo: options.zenodo ?? {}, rucioStatus: options.rucioStatus };
  writeFileSync(join(dir, 'config.json'), JSON.stringify(config));
  const run = spawnSync(PYTHON, ['-I', '-S', join(dir, 'harness.py'), join(dir, 'config.json')], {
    cwd,
    env: { PATH: process.env.PATH, HOME: home, LANG: 'C.UTF-8', PYTHONIOENCODING: 'utf-8' },
    encoding: 'utf8',
    timeout: 30_000,
  });
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  const result = JSON.parse(readFileSync(config.result, 'utf8'));
  return { ...result, stdout: run.stdout, home, files: files(home), cwdFiles: files(cwd) };
}

/** Every effect beyond the stubbed calls: only opening files for writing inside `into` and creating its folders. */
function expectOnlyEffects(result: Result, written: string[]): void {
  const into = join(result.home, INTO);
  const folders = new Set([join(result.home, 'astro tutorials'), into]);
  const harmless = new Set(['exec', 'import', 'object.__setattr__', 'sys._getframe', 'marshal.loads', 'os.listdir', 'compile']);
  const writes: string[] = [];
  for (const [event, detail] of result.events) {
    if (event === 'os.mkdir') expect(folders.has(detail![0])).toBe(true);
    else if (event === 'open') {
      if (detail![1] !== 'r' && detail![1] !== 'rb') writes.push(relative(into, detail![0]));
    } else expect.soft(harmless.has(event), `unexpected effect ${event}`).toBe(true);
  }
  expect(result.events.filter(([event]) => event === 'exec')).toHaveLength(1); // the harness's own, nothing nested
  expect(writes.sort()).toEqual([...written].sort());
  expect(result.files).toEqual(written.map((name) => join(INTO, name)).sort());
  expect(result.cwdFiles).toEqual([]);
  for (const name of written) expect(name).toMatch(/^[A-Za-z0-9_+][A-Za-z0-9._+-]*$/);
}

function parses(source: string): void {
  const check = spawnSync(PYTHON, ['-c', 'import ast, sys; ast.parse(sys.stdin.read())'], { input: source, encoding: 'utf8' });
  expect(check.stderr).toBe('');
  expect(check.status).toBe(0);
}

describe('pythonString', () => {
  it('reads back as exactly the value in Python, for hostile and random text (lone surrogates too)', () => {
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const samples = [...HOSTILE, TITLE, '', '\ud800', 'a\udc00b', '\u0000'];
    for (let n = 0; n < 300; n++) {
      const pool = [0x0, 0x7, 0x1f, 0x22, 0x27, 0x5c, 0x7f, 0x85, 0xa0, 0xff, 0x100, 0x2028, 0xd7ff, 0xe000, 0xfffe, 0x10000, 0x10ffff];
      samples.push(Array.from({ length: 1 + Math.floor(random() * 12) }, () => {
        const code = random() < 0.5 ? pool[Math.floor(random() * pool.length)]! : Math.floor(random() * 0x110000);
        return code >= 0xd800 && code <= 0xdfff ? 'x' : String.fromCodePoint(code);
      }).join('') + '0aF'); // hex digits right after an escape must not be absorbed
    }
    const program = `import json\nvalues = [\n${samples.map(pythonString).join(',\n')}\n]\nprint(json.dumps(values))`;
    for (const literal of samples.map(pythonString)) expect(literal).toMatch(/^'[\x20-\x7e]*'$/);
    const run = spawnSync(PYTHON, ['-c', program], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual(samples);
  });
});

describe('the Python staging cell', () => {
  it('(the harness itself sees a command run by injected code)', () => {
    const cell = cellText(stagingCell('python', { into: INTO, datasets: [{ url: 'https://e.org/a', kind: 'url', title: 't' }] }));
    const result = runCell(`${cell}\n__import__('os').system('true')`);
    expect(result.events.map(([event]) => event)).toContain('os.system');
    expect(result.calls).toHaveLength(1);
  });

  const urls = HOSTILE.map((text, index) => `https://data.example.org/${index}/${text}/file-${index}.fits?q=${text}#${text}`);

  it('downloads every hostile URL exactly, to a safe name inside the folder, and does nothing else', () => {
    const odd = ['https://data.example.org/%2e%2e', 'https://data.example.org/..%2F..%2F.bashrc', 'HTTPS://data.example.org/-rf', 'https://data.example.org/dup/file-0.fits'];
    const datasets: Dataset[] = [...urls, ...odd].map((url) => ({ url, kind: 'url', title: TITLE }));
    const source = cellText(stagingCell('python', { into: INTO, datasets }));
    parses(source);
    expect(source).not.toContain('\r');
    expect(source).not.toMatch(/[\u2028\u2029\u0085\u202e\u200b]/);
    const result = runCell(source);
    expect(result.error).toBeNull();
    // A `#` starts the fragment: the path then ends at the folder named by the index.
    const names = [...HOSTILE.map((text, index) => (text.includes('#') ? String(index) : `file-${index}.fits`)), 'dataset-24', '_.._.bashrc', 'rf', 'file-0-2.fits'];
    expect(result.calls).toEqual(datasets.map((dataset, index) => ['urlretrieve', dataset.url, join(result.home, INTO, names[index]!)]));
    expectOnlyEffects(result, names);
    expect(readFileSync(join(result.home, INTO, 'file-3.fits'), 'utf8')).toBe(`stub ${urls[3]}`);
    expect(result.stdout).toContain(`${join(result.home, INTO, 'file-0.fits')}: ${`stub ${urls[0]}`.length} bytes`);
  });

  it('TAP: the sync request as a VOTable download without pyvo, the query through pyvo when importable', () => {
    const hostileQuery = `SELECT * FROM t WHERE name = '''"""\n' || $(id) -- ${'\u2028'}`;
    const tap = `https://tap.example.org/tap/async?REQUEST=doQuery&LANG=ADQL&MAXREC=50&QUERY=${encodeURIComponent(hostileQuery)}`;
    const raw = `https://tap.example.org/other/sync?QUERY='"\n`;
    const datasets: Dataset[] = [
      { url: tap, kind: 'tap', title: TITLE },
      { url: raw, kind: 'tap', title: TITLE },
    ];
    const source = cellText(stagingCell('Python', { into: INTO, datasets }));
    parses(source);
    const sync = tap.replace('/tap/async?', '/tap/sync?');
    const plain = runCell(source);
    expect(plain.error).toBeNull();
    expect(plain.calls).toEqual([
      ['urlretrieve', sync, join(plain.home, INTO, 'tap-result-1.xml')],
      ['urlretrieve', raw, join(plain.home, INTO, 'tap-result-2.xml')],
    ]);
    expectOnlyEffects(plain, ['tap-result-1.xml', 'tap-result-2.xml']);

    const withPyvo = runCell(source, { pyvo: true });
    expect(withPyvo.error).toBeNull();
    expect(withPyvo.calls).toEqual([
      ['pyvo', 'https://tap.example.org/tap', hostileQuery, 50, join(withPyvo.home, INTO, 'tap-result-1.xml')],
      // A URL with a line break is not split for a TAP client (a URL parser would drop it): fetched as it is.
      ['urlretrieve', raw, join(withPyvo.home, INTO, 'tap-result-2.xml')],
    ]);
    expectOnlyEffects(withPyvo, ['tap-result-1.xml', 'tap-result-2.xml']);
  });

  it('Zenodo DOIs: the record is read from the API and its files downloaded under safe names; other DOIs are only linked', () => {
    const zenodo = {
      files: [
        { key: '../../.bashrc', links: { self: 'https://zenodo.org/api/records/42/files/metadata-not-content', content: 'https://zenodo.org/api/records/42/files/../../.bashrc/content' } },
        { key: "x'\n__import__('os').system('touch pwned').csv", links: { self: "https://zenodo.org/api/records/42/files/x'/content" } },
        { key: '', links: { self: 'https://zenodo.org/api/records/42/files/empty/content' } },
      ],
    };
    const datasets: Dataset[] = [
      { url: 'https://doi.org/10.5281/zenodo.42', kind: 'doi', title: TITLE, id: '10.5281/ZENODO.42' },
      { url: `https://doi.org/10.1000/x'"\n$(id)`, kind: 'doi', title: TITLE, id: `10.1000/x'"$(id)` },
    ];
    const source = cellText(stagingCell('python3', { into: INTO, datasets }));
    parses(source);
    const result = runCell(source, { zenodo });
    expect(result.error).toBeNull();
    const names = ['_.._.bashrc', 'x____import____os__.system__touch_pwned__.csv', 'zenodo-file-3'];
    expect(result.calls).toEqual([
      ['urlopen', 'https://zenodo.org/api/records/42'],
      ...zenodo.files.map((file, index) => ['urlretrieve', (file.links as { content?: string }).content ?? file.links.self, join(result.home, INTO, names[index]!)]),
    ]);
    expectOnlyEffects(result, names);
    expect(result.stdout).toContain(`DOI 10.1000/x'"$(id) is not downloaded automatically: open https://doi.org/10.1000/x'"\n$(id)`);
  });

  it('a Zenodo record pointing elsewhere fails that data set, the others still arrive, and the cell ends in an error', () => {
    const datasets: Dataset[] = [
      { url: 'https://doi.org/10.5281/zenodo.7', kind: 'doi', title: 'z', id: '10.5281/zenodo.7' },
      { url: 'https://data.example.org/a.csv', kind: 'url', title: 'a' },
    ];
    const zenodo = { files: [{ key: 'evil', links: { self: 'file:///etc/passwd' } }] };
    const result = runCell(cellText(stagingCell('python', { into: INTO, datasets })), { zenodo });
    expect(result.calls).toEqual([['urlopen', 'https://zenodo.org/api/records/7'], ['urlretrieve', 'https://data.example.org/a.csv', join(result.home, INTO, 'a.csv')]]);
    expect(result.stdout).toContain("failed: unexpected file link 'file:///etc/passwd'");
    expect(result.error).toBe("RuntimeError('1 of 2 data sets could not be fetched (see above)')");
    expectOnlyEffects(result, ['a.csv']);
  });

  it('Rucio: `rucio download` with an argument list (no shell) into the folder; a failing client is reported', () => {
    const datasets: Dataset[] = [{ url: `https://rucio.example.org/did?scope=user.jdoe&name=run'42`, kind: 'rucio', title: TITLE, id: 'user.jdoe:run42.raw' }];
    const source = cellText(stagingCell('python', { into: INTO, datasets }));
    parses(source);
    const result = runCell(source);
    expect(result.error).toBeNull();
    expect(result.calls).toEqual([['run', ['rucio', 'download', '--dir', join(result.home, INTO), '--no-subdir', 'user.jdoe:run42.raw'], []]]);
    expectOnlyEffects(result, []);
    const failing = runCell(source, { rucioStatus: 2 });
    expect(failing.stdout).toContain('failed: rucio download exited with status 2');
    expect(failing.error).toContain('1 of 1 data sets could not be fetched');
  });
});

describe('the Python staging cell, unstubbed', () => {
  it('really downloads from a loopback server: the exact bytes, binary-safe, the TAP result from the sync endpoint', async ({ skip }) => {
    await expectRealDownloads(work, 'python', 'cell.py', (file, home) => promisify(execFile)(PYTHON, ['-I', file], { cwd: home, env: { PATH: process.env.PATH, HOME: home }, timeout: 30_000 }));
  });
});
