/**
 * The R staging cell, run for real by Rscript against hostile URLs, titles and Zenodo records, with
 * `download.file`, `system2` and `Sys.which` replaced by recording stubs. Proof that nothing else happens:
 * the recorded calls are exactly the expected ones, and the only files that appear (in the home and in the
 * working directory) are the downloads, under safe names inside the target folder — the hostile values
 * carry R and shell payloads that would create files if they ever ran.
 */
import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Dataset } from '../../catalog/contract/index.js';
import { cellText, stagingCell } from '../../stager/cell/index.js';
import { expectRealDownloads } from './real-downloads.js';
import { rString } from '../../stager/cell/literals.js';
import { requireDebianPackages } from '../support/debian.js';

const INTO = 'astro tutorials/data';
const HOSTILE = [
  `'`, `"`, `'''`, `"""`, '\n', '\r', '\r\n', '\u2028', '\u0085', '\\', '\\x41\\u{41}\\', '$(touch pwned)', '${HOME}', '`touch pwned`',
  `"); file.create("pwned"); ("`, `\\"); file.create("pwned"); #`, "__import__('os').system('touch pwned')", '#{x}', '%s%n%',
  '\u0001\u001b[31m\u007f\t\v\f', '\u202e\u200b', '😀𝔘', 'r"(x)"',
];
const TITLE = `"); file.create("pwned"); #\n file.create("pwned")\r\u2028 '''"""\${HOME} $(touch pwned) 😀 \\`;

const HARNESS = String.raw`
config <- jsonlite::fromJSON(commandArgs(trailingOnly = TRUE)[1], simplifyVector = FALSE)
calls <- list()
record <- function(...) calls[[length(calls) + 1]] <<- list(...)
download.file <- function(url, destfile, method, quiet = FALSE, mode = "w", ...) {
  record("download.file", url, destfile, mode)
  if (startsWith(url, "https://zenodo.org/api/records/")) writeLines(config$zenodo, destfile)
  else writeBin(charToRaw(enc2utf8(paste("stub", url))), destfile)
  0L
}
system2 <- function(command, args = character(), ...) {
  record("system2", command, as.list(args))
  config$rucioStatus
}
Sys.which <- function(names) {
  record("Sys.which", names)
  if (config$rucio) "/usr/bin/rucio" else ""
}
requireNamespace <- function(package, ...) if (package == "jsonlite") config$jsonlite else base::requireNamespace(package, ...)
error <- tryCatch({ source(config$cell, encoding = "UTF-8"); NULL }, error = function(e) conditionMessage(e))
out <- list(calls = calls, error = error, timeout = getOption("timeout"))
writeLines(jsonlite::toJSON(out, auto_unbox = TRUE, null = "null"), config$result, useBytes = TRUE)
`;

const work = mkdtempSync(join(tmpdir(), 'ida-cell-r-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
let available = true;
beforeAll(() => {
  available = requireDebianPackages('staging cell in R', [
    { name: 'r-base-core', provides: '/usr/bin/Rscript' },
    { name: 'r-cran-jsonlite', provides: '/usr/lib/R/site-library/jsonlite/DESCRIPTION' },
  ]).ok;
});
let runs = 0;

type Result = { calls: unknown[][]; error: string | null; timeout: number; stdout: string; home: string; files: string[]; cwdFiles: string[] };

function files(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => !entry.isDirectory())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)))
    .sort();
}

function runCell(source: string, options: { zenodo?: unknown; jsonlite?: boolean; rucio?: boolean; rucioStatus?: number } = {}): Result {
  const dir = join(work, `run-${++runs}`);
  const [home, cwd] = [join(dir, 'home'), join(dir, 'cwd')];
  for (const folder of [home, cwd]) mkdirSync(folder, { recursive: true });
  writeFileSync(join(dir, 'cell.R'), source);
  writeFileSync(join(dir, 'harness.R'), HARNESS);
  const config = {
    cell: join(dir, 'cell.R'), result: join(dir, 'result.json'), zenodo: JSON.stringify(options.zenodo ?? {}),
    jsonlite: options.jsonlite ?? true, rucio: options.rucio ?? true, rucioStatus: options.rucioStatus ?? 0,
  };
  writeFileSync(join(dir, 'config.json'), JSON.stringify(config));
  const run = spawnSync('Rscript', ['--vanilla', join(dir, 'harness.R'), join(dir, 'config.json')], {
    cwd, env: { PATH: process.env.PATH, HOME: home, LANG: 'C.UTF-8' }, encoding: 'utf8', timeout: 30_000,
  });
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  return { ...JSON.parse(readFileSync(config.result, 'utf8')), stdout: run.stdout, home, files: files(home), cwdFiles: files(cwd) };
}

function expectOnlyFiles(result: Result, written: string[]): void {
  expect(result.files).toEqual(written.map((name) => join(INTO, name)).sort());
  expect(result.cwdFiles).toEqual([]);
  expect(result.timeout).toBe(60); // the cell's longer download timeout is restored
  for (const name of written) expect(name).toMatch(/^[A-Za-z0-9_+][A-Za-z0-9._+-]*$/);
}

function parses(source: string): void {
  const check = spawnSync('Rscript', ['--vanilla', '-e', 'invisible(parse(file("stdin"), encoding = "UTF-8"))'], { input: source, encoding: 'utf8' });
  expect(check.stderr).toBe('');
  expect(check.status).toBe(0);
}

describe('rString', () => {
  it('reads back in R as exactly the value, for hostile and random text', ({ skip }) => {
    if (!available) skip();
    let seed = 11;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const samples = [...HOSTILE, TITLE, ''];
    const pool = [0x1, 0x7, 0x1f, 0x22, 0x27, 0x5c, 0x7b, 0x7d, 0x7f, 0x85, 0xa0, 0xff, 0x100, 0x2028, 0xd7ff, 0xe000, 0xfffd, 0x10000, 0x10ffff];
    for (let n = 0; n < 300; n++) {
      samples.push(Array.from({ length: 1 + Math.floor(random() * 12) }, () => {
        const code = random() < 0.5 ? pool[Math.floor(random() * pool.length)]! : 1 + Math.floor(random() * 0x10ffff);
        return code >= 0xd800 && code <= 0xdfff ? 'x' : String.fromCodePoint(code);
      }).join('') + '0aF}');
    }
    for (const literal of samples.map(rString)) expect(literal).toMatch(/^"[\x20-\x7e]*"$/);
    // Code points, not text, come back: no locale or output encoding can blur the comparison.
    const program = `values <- list(\n${samples.map(rString).join(',\n')}\n)\nfor (v in values) cat(paste(utf8ToInt(v), collapse = " "), "\\n", sep = "")`;
    writeFileSync(join(work, 'literals.R'), program);
    const run = spawnSync('Rscript', ['--vanilla', join(work, 'literals.R')], { encoding: 'utf8', env: { ...process.env, LANG: 'C.UTF-8' } });
    expect(run.stderr).toBe('');
    const expected = samples.map((value) => [...value].map((char) => char.codePointAt(0)).join(' '));
    expect(run.stdout.split('\n').slice(0, -1)).toEqual(expected);
  });

  it('refuses NUL and unpaired surrogates, which R strings cannot hold', () => {
    expect(() => rString('a\u0000b')).toThrow(/NUL/);
    expect(() => rString('a\ud800b')).toThrow(/surrogate/);
  });
});

describe('the R staging cell', () => {
  it('downloads every hostile URL exactly (binary mode), to a safe name inside the folder, and nothing else', ({ skip }) => {
    if (!available) skip();
    const urls = HOSTILE.map((text, index) => `https://data.example.org/${index}/${text}/file-${index}.fits?q=${text}`);
    const datasets: Dataset[] = [...urls, 'https://data.example.org/..%2F..%2F.Rprofile'].map((url) => ({ url, kind: 'url', title: TITLE }));
    const source = cellText(stagingCell('R', { into: INTO, datasets }));
    parses(source);
    const result = runCell(source);
    expect(result.error).toBeNull();
    // A `#` starts the fragment, so the path (and the file name) ends before it.
    const cut: Record<number, string> = { 15: '_____file.create__pwned____', 17: '17' };
    const names = [...HOSTILE.map((_, index) => cut[index] ?? `file-${index}.fits`), '_.._.Rprofile'];
    expect(result.calls).toEqual(datasets.map((dataset, index) => ['download.file', dataset.url, join(result.home, INTO, names[index]!), 'wb']));
    expectOnlyFiles(result, names);
    expect(readFileSync(join(result.home, INTO, 'file-1.fits'), 'utf8')).toBe(`stub ${urls[1]}`);
    expect(result.stdout).toContain(`${join(result.home, INTO, 'file-0.fits')}: ${`stub ${urls[0]}`.length} bytes`);
  });

  it('TAP as the sync request; Zenodo through jsonlite (safe names, links checked), else linked; other DOIs linked', ({ skip }) => {
    if (!available) skip();
    const zenodo = {
      files: [
        { key: '../../.Rprofile', links: { self: 'https://zenodo.org/api/records/42/files/metadata-not-content', content: 'https://zenodo.org/api/records/42/files/a/content' } },
        { key: `x"); file.create("pwned"); ("`, links: { self: `https://zenodo.org/api/records/42/files/"b/content` } },
      ],
    };
    const tap = `https://tap.example.org/tap/async?QUERY=${encodeURIComponent(`SELECT '"' FROM t`)}`;
    const datasets: Dataset[] = [
      { url: tap, kind: 'tap', title: TITLE },
      { url: 'https://doi.org/10.5281/zenodo.42', kind: 'doi', title: TITLE, id: '10.5281/zenodo.42' },
      { url: `https://doi.org/10.1000/"x`, kind: 'doi', title: TITLE, id: `10.1000/"x$(id)` },
    ];
    const source = cellText(stagingCell('r', { into: INTO, datasets }));
    parses(source);
    const result = runCell(source, { zenodo });
    expect(result.error).toBeNull();
    const at = (name: string) => join(result.home, INTO, name);
    expect(result.calls.map((call) => (call[1] === 'https://zenodo.org/api/records/42' ? call.slice(0, 2) : call))).toEqual([
      ['download.file', tap.replace('/async?', '/sync?'), at('tap-result-1.xml'), 'wb'],
      ['download.file', 'https://zenodo.org/api/records/42'], // into a temporary file, removed afterwards
      ['download.file', zenodo.files[0]!.links.content, at('_.._.Rprofile'), 'wb'],
      ['download.file', zenodo.files[1]!.links.self, at('x____file.create__pwned______'), 'wb'],
    ]);
    expect(result.stdout).toContain(`DOI 10.1000/"x$(id) is not downloaded automatically: open https://doi.org/10.1000/"x and`);
    expectOnlyFiles(result, ['tap-result-1.xml', '_.._.Rprofile', 'x____file.create__pwned______']);

    const withoutJsonlite = runCell(source, { zenodo, jsonlite: false });
    expect(withoutJsonlite.calls).toHaveLength(1);
    expect(withoutJsonlite.stdout).toContain('DOI 10.5281/zenodo.42 is not downloaded automatically: open https://doi.org/10.5281/zenodo.42');
  });

  it('a Zenodo link elsewhere fails that data set only, and the cell ends in an error', ({ skip }) => {
    if (!available) skip();
    const datasets: Dataset[] = [
      { url: 'https://doi.org/10.5281/zenodo.7', kind: 'doi', title: 'z', id: '10.5281/zenodo.7' },
      { url: 'https://data.example.org/a.csv', kind: 'url', title: 'a' },
    ];
    const result = runCell(cellText(stagingCell('R', { into: INTO, datasets })), { zenodo: { files: [{ key: 'x', links: { self: 'file:///etc/passwd' } }] } });
    expect(result.stdout).toContain('failed: unexpected file link');
    expect(result.error).toBe('1 of 2 data sets could not be fetched (see above)');
    expectOnlyFiles(result, ['a.csv']);
  });

  it('Rucio: system2 gets every argument shell-quoted, and a shell reads them back exactly', ({ skip }) => {
    if (!available) skip();
    const into = `it's $(touch pwned) \`x\`/data`;
    const datasets: Dataset[] = [{ url: 'https://rucio.example.org/did?scope=user.jdoe&name=run42', kind: 'rucio', title: TITLE, id: 'user.jdoe:run42.raw' }];
    const source = cellText(stagingCell('R', { into, datasets }));
    parses(source);
    const result = runCell(source);
    expect(result.error).toBeNull();
    const [which, call] = result.calls as [unknown[], [string, string, string[]]];
    expect(which).toEqual(['Sys.which', 'rucio']);
    expect(call[0]).toBe('system2');
    expect(call[1]).toBe('rucio');
    const shell = spawnSync('sh', ['-c', `printf '%s\\n' ${call[2].join(' ')}`], { cwd: work, encoding: 'utf8' });
    expect(shell.stdout.split('\n').slice(0, -1)).toEqual(['download', '--dir', join(result.home, into), '--no-subdir', 'user.jdoe:run42.raw']);
    expect(readdirSync(work).filter((name) => name.includes('pwned'))).toEqual([]);

    const missing = runCell(source, { rucio: false });
    expect(missing.stdout).toContain('failed: the rucio client is not installed in this environment');
    expect(missing.calls).toEqual([['Sys.which', 'rucio']]);
  });
});

describe('the R staging cell, unstubbed', () => {
  it('really downloads from a loopback server: the exact bytes, binary-safe, the TAP result from the sync endpoint', async ({ skip }) => {
    if (!available) skip();
    await expectRealDownloads(work, 'R', 'cell.R', (file, home) => promisify(execFile)('Rscript', ['--vanilla', file], { cwd: home, env: { PATH: process.env.PATH, HOME: home, LANG: 'C.UTF-8' }, timeout: 30_000 }));
  });
});
