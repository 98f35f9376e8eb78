/**
 * Compares two built sites' HTML pages as documents: `npx tsx bench/site/compare.ts DIST_A DIST_B`. Each page is
 * parsed (htmlparser2) and written out canonically: text and attribute values decoded and their whitespace
 * collapsed, whitespace-only text between elements dropped, attributes sorted, asset hashes
 * (`_astro/name.HASH.ext`) removed. Prints every page that differs, with the first difference, and exits 1 if any
 * does (or a page is missing on either side).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { Parser } from 'htmlparser2';

const ASSET_HASH = /(_astro\/[\w.-]+?)\.[\w-]{8}\.(js|css)\b/g;

function canonical(markup: string): string[] {
  const out: string[] = [];
  let text = '';
  const flush = () => {
    const collapsed = text.replace(/\s+/g, ' ').trim();
    if (collapsed) out.push(`text ${collapsed}`);
    text = '';
  };
  const parser = new Parser(
    {
      onopentag(name, attributes) {
        flush();
        const sorted = Object.entries(attributes)
          .map(([key, value]) => `${key}=${JSON.stringify(value.replace(/\s+/g, ' ').replace(ASSET_HASH, '$1.$2'))}`)
          .sort();
        out.push(`<${name} ${sorted.join(' ')}>`);
      },
      ontext(chunk) {
        text += chunk;
      },
      onclosetag(name) {
        flush();
        out.push(`</${name}>`);
      },
    },
    { decodeEntities: true },
  );
  parser.write(markup);
  parser.end();
  flush();
  return out;
}

function pages(root: string, folder = ''): string[] {
  return readdirSync(path.join(root, folder)).flatMap((name) => {
    const relative = path.join(folder, name);
    if (statSync(path.join(root, relative)).isDirectory()) return pages(root, relative);
    return name.endsWith('.html') ? [relative] : [];
  });
}

const [a, b] = process.argv.slice(2);
if (!a || !b) throw new Error('usage: compare.ts DIST_A DIST_B');
const left = new Set(pages(a));
const right = new Set(pages(b));
let differing = 0;
for (const page of [...left].filter((page) => !right.has(page))) console.log(`only in ${a}: ${page}`);
for (const page of [...right].filter((page) => !left.has(page))) console.log(`only in ${b}: ${page}`);
for (const page of [...left].filter((page) => right.has(page)).sort()) {
  const [one, two] = [canonical(readFileSync(path.join(a, page), 'utf8')), canonical(readFileSync(path.join(b, page), 'utf8'))];
  const at = one.findIndex((event, index) => event !== two[index]);
  if (at === -1 && one.length === two.length) continue;
  differing += 1;
  const where = at === -1 ? Math.min(one.length, two.length) : at;
  console.log(`${page}: differs at event ${where}:\n  - ${one.slice(where, where + 3).join(' ').slice(0, 400)}\n  + ${two.slice(where, where + 3).join(' ').slice(0, 400)}`);
}
const compared = [...left].filter((page) => right.has(page)).length;
console.log(`${compared} pages compared, ${differing} differ; ${left.size - compared} only in ${a}, ${right.size - compared} only in ${b}`);
process.exitCode = differing > 0 || left.size !== right.size || left.size !== compared ? 1 : 0;
