/**
 * The Julia staging cell. Julia is not installed on this machine (nor packaged by Debian), so the Julia
 * code is NOT executed here. What is checked instead, without Julia:
 * - `juliaString` round-trips through a decoder written from the Julia manual's escape rules, which reads
 *   `\u` and `\U` greedily (up to 4 and 8 hex digits) exactly as Julia does, so an escape that could absorb
 *   the next character fails the test; and its output has no `"` or `$` that is not escaped.
 * - the cell's structure does not depend on the values: with hostile values, once string literals and
 *   comments are blanked out, the code is character for character the code generated for tame values,
 *   and the literals decode to exactly the values given.
 */
import { describe, expect, it } from 'vitest';
import type { Dataset } from '../../catalog/contract/index.js';
import { cellText, stagingCell } from '../../stager/cell/index.js';
import { juliaString } from '../../stager/cell/literals.js';

const HOSTILE = [
  `'`, `"`, `"""`, '\n', '\r', '\u2028', '\\', '\\u0041\\', '$(run(`touch pwned`))', '$x', '${x}', '\\$', '`id`',
  '#= block =#', '#{x}', '%s', '\u0001\u001b\u007f\t', '\u202e', '😀𝔘',
];

/** Julia's string escapes (manual: Strings → Escapes), `\u`/`\U` read greedily like the Julia lexer. */
function decodeJulia(literal: string): string {
  expect(literal.startsWith('"') && literal.endsWith('"')).toBe(true);
  const body = literal.slice(1, -1);
  const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', '"': '"', $: '$', "'": "'", a: '\x07', b: '\b', f: '\f', v: '\v', e: '\x1b' };
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const char = body[i]!;
    if (char === '"' || char === '$') throw new Error(`unescaped ${char} at ${i}`);
    if (char !== '\\') {
      out += char;
      continue;
    }
    const next = body[++i];
    if (next === undefined) throw new Error('dangling backslash');
    if (next === 'u' || next === 'U') {
      const digits = body.slice(i + 1).match(next === 'u' ? /^[0-9a-fA-F]{1,4}/ : /^[0-9a-fA-F]{1,8}/)?.[0];
      if (!digits) throw new Error(`\\${next} without digits`);
      out += String.fromCodePoint(parseInt(digits, 16));
      i += digits.length;
    } else if (simple[next] !== undefined) out += simple[next];
    else throw new Error(`unknown escape \\${next}`);
  }
  return out;
}

/** The source with string literals replaced by `"…"` and comments removed, plus the literals found. */
function skeleton(source: string): { code: string; literals: string[] } {
  const literals: string[] = [];
  let code = '';
  for (let i = 0; i < source.length; i++) {
    const char = source[i]!;
    if (char === '#') {
      expect(source[i + 1]).not.toBe('='); // never a block comment
      while (i < source.length && source[i] !== '\n') i++;
      code += '\n';
    } else if (char === '"') {
      let end = i + 1;
      while (source[end] !== '"') end += source[end] === '\\' ? 2 : 1;
      literals.push(decodeJulia(source.slice(i, end + 1)));
      code += '"…"';
      i = end;
    } else code += char;
  }
  return { code, literals };
}

describe('juliaString', () => {
  it('decodes back to the value under Julia’s rules; every " and $ escaped; printable ASCII only', () => {
    let seed = 5;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const samples = [...HOSTILE, ''];
    for (let n = 0; n < 1000; n++) {
      samples.push(Array.from({ length: 1 + Math.floor(random() * 10) }, () => {
        const code = Math.floor(random() * 0x110000);
        return code === 0 || (code >= 0xd800 && code <= 0xdfff) ? '$' : String.fromCodePoint(code);
      }).join('') + 'a0F');
    }
    for (const value of samples) {
      const literal = juliaString(value);
      expect(literal).toMatch(/^"[\x20-\x7e]*"$/);
      expect(literal.slice(1, -1)).not.toMatch(/(?<!\\)(?:\\\\)*[$"]/);
      expect(decodeJulia(literal)).toBe(value);
    }
  });

  it('refuses unpaired surrogates and NUL (refused in every language, though Julia could hold it)', () => {
    expect(() => juliaString('\udc00')).toThrow(/surrogate/);
    expect(() => juliaString('a\u0000')).toThrow(/NUL/);
  });
});

describe('the Julia staging cell (not executed: no Julia here)', () => {
  const kinds = (make: (index: number) => string, title: string): Dataset[] => [
    { url: `https://data.example.org/${make(0)}/file.fits?q=${make(1)}`, kind: 'url', title },
    { url: `https://tap.example.org/tap/sync?QUERY=${make(2)}`, kind: 'tap', title },
    { url: `https://doi.org/10.5281/zenodo.1${make(3)}`, kind: 'doi', title, id: '10.5281/zenodo.1' },
    { url: `https://doi.org/10.1000/${make(4)}`, kind: 'doi', title, id: `10.1000/${make(5).replace(/[\s\u0000-\u001f\u007f]/g, '')}x` },
    { url: `https://rucio.example.org/did?name=${make(6)}`, kind: 'rucio', title, id: 'user.jdoe:run42.raw' },
  ];

  it('hostile values change only the literals, which hold exactly those values', () => {
    const hostile = HOSTILE.join('');
    const tame = kinds((index) => `v${index}`, 'a title');
    const nasty = kinds(() => hostile, `${hostile}\n$(run(\`touch pwned\`)) #= x`);
    const into = 'it\'s "$HOME"/data';
    const a = skeleton(cellText(stagingCell('julia', { into: 'tame/data', datasets: tame })));
    const b = skeleton(cellText(stagingCell('Julia', { into, datasets: nasty })));
    expect(b.code).toBe(a.code);
    const values = b.literals.filter((literal, index) => literal !== a.literals[index]);
    expect(values).toEqual([into, nasty[0]!.url, expect.stringMatching(/^[A-Za-z0-9_+][A-Za-z0-9._+-]*$/), nasty[1]!.url, nasty[2]!.url, nasty[3]!.url, nasty[3]!.id]);
  });

  it('downloads with Downloads.download into the folder, links DOIs, runs rucio as a Cmd without a shell', () => {
    const source = cellText(stagingCell('julia', { into: 'repo/data', datasets: kinds((index) => `v${index}`, 't') }));
    expect(source).toContain('Downloads.download(url, path)');
    expect(source).toContain('let into = joinpath(homedir(), "repo/data")');
    expect(source).toContain('() -> save("https://data.example.org/v0/file.fits?q=v1", "file.fits")');
    expect(source).toContain('() -> save("https://tap.example.org/tap/sync?QUERY=v2", "tap-result-2.xml")');
    expect(source).toContain('() -> link("https://doi.org/10.5281/zenodo.1v3", "10.5281/zenodo.1")');
    expect(source).toContain('run(Cmd(["rucio", "download", "--dir", into, "--no-subdir", did]))');
    expect(source).toContain('() -> rucio("user.jdoe:run42.raw")');
  });
});
