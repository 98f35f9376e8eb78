/**
 * The images a Dockerfile builds on: its `FROM` lines, read as text and never run. Global build arguments
 * (`ARG` before the first `FROM`) are substituted with their defaults, as `docker build` does without
 * `--build-arg`; `--platform=…` flags are skipped; a `FROM` naming an earlier stage (`AS name`) or `scratch`
 * is not an image. References are normalised the way `docker pull` reads them.
 */
import { parseImageReference, type BaseImage as BaseImageType } from '../../catalog/contract/index.js';

/** Base images kept per Dockerfile (a multi-stage build rarely has more than a handful). */
const MAX_BASE_IMAGES = 20;
/** Lines read: a Dockerfile longer than this is not a hand-written one. */
const MAX_LINES = 5_000;

export type DockerfileResult = { images: BaseImageType[]; problems: string[] };

/** Logical instructions: comments dropped, continuation lines joined (honouring a `# escape=` directive). */
function instructions(text: string): string[] {
  const lines = text.split(/\r?\n/).slice(0, MAX_LINES);
  let escape = '\\';
  // Parser directives are only read at the very top, before any comment or instruction.
  for (const line of lines) {
    const directive = /^#\s*([a-z]+)\s*=\s*(\S+)\s*$/i.exec(line);
    if (!directive) break;
    if (directive[1]!.toLowerCase() === 'escape' && (directive[2] === '`' || directive[2] === '\\')) escape = directive[2];
  }
  const out: string[] = [];
  let current = '';
  for (const raw of lines) {
    const line = raw.trim();
    if (line.startsWith('#') && current === '') continue;
    if (line.startsWith('#')) continue; // comments inside a continued instruction are dropped too
    if (line.endsWith(escape)) {
      current += `${line.slice(0, -1)} `;
      continue;
    }
    current += line;
    if (current.trim()) out.push(current.trim());
    current = '';
  }
  if (current.trim()) out.push(current.trim());
  return out;
}

function unquote(value: string): string {
  return /^(["']).*\1$/.test(value) ? value.slice(1, -1) : value;
}

/** `$NAME`, `${NAME}`, `${NAME:-default}`, `${NAME:+alternative}`; undefined names make the result null. */
function substitute(text: string, args: Map<string, string | null>, missing: Set<string>): string {
  return text.replace(/\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?::([-+])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g, (_match, braced: string | undefined, op: string | undefined, word: string | undefined, bare: string | undefined) => {
    const name = (braced ?? bare)!;
    const value = args.get(name) ?? null;
    if (op === '-') return value || word || '';
    if (op === '+') return value ? (word ?? '') : '';
    if (value === null) missing.add(name);
    return value ?? '';
  });
}

export function baseImagesOf(text: string): DockerfileResult {
  const problems: string[] = [];
  const globalArgs = new Map<string, string | null>();
  const stages = new Set<string>();
  const images: BaseImageType[] = [];
  const seen = new Set<string>();
  let sawFrom = false;
  for (const instruction of instructions(text)) {
    const [keyword = '', ...words] = instruction.split(/\s+/);
    const upper = keyword.toUpperCase();
    if (upper === 'ARG' && !sawFrom) {
      for (const word of words) {
        const eq = word.indexOf('=');
        if (eq < 0) globalArgs.set(word, globalArgs.get(word) ?? null);
        else globalArgs.set(word.slice(0, eq), unquote(word.slice(eq + 1)));
      }
      continue;
    }
    if (upper !== 'FROM') continue;
    sawFrom = true;
    const operands = words.filter((word) => !word.startsWith('--'));
    const [written, as, stage] = operands;
    const earlierStages = new Set(stages);
    if (as?.toUpperCase() === 'AS' && stage) stages.add(stage.toLowerCase());
    if (!written) {
      problems.push('a FROM line names no image');
      continue;
    }
    const missing = new Set<string>();
    const ref = substitute(unquote(written), globalArgs, missing);
    if (missing.size > 0) {
      problems.push(`FROM ${written}: build argument ${[...missing].join(', ')} has no default, so the base image is not known`);
      continue;
    }
    const lower = ref.toLowerCase();
    if (lower === 'scratch' || earlierStages.has(lower)) continue;
    const parsed = parseImageReference(ref);
    if (!parsed) {
      problems.push(`FROM ${ref.slice(0, 200)}: not an image reference`);
      continue;
    }
    if (seen.has(ref) || images.length >= MAX_BASE_IMAGES) continue;
    seen.add(ref);
    images.push({ ref, ...parsed });
  }
  return { images, problems };
}
