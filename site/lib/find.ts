/**
 * `/find/?url=…`: a repository or notebook URL in any common form → its workflow page, or the list of that
 * repository's workflows. So an archive or a README can link to "run this on a facility" without our ids.
 * Pure: the page's script (site/scripts/find.ts) and the tests share it; the index is /find/index.json.
 */

/** What a URL names: a repository (canonical https URL, as the catalog records it) and maybe a path in it. */
export type FoundUrl = {
  repository: string;
  /** Path segments after the ref, when the URL names something inside the repository. The ref itself may hold slashes, so which segments are the ref is decided against the index. */
  rest: string[];
  /** True when the segments start right at the path (no ref before them: a BinderHub labpath). */
  pathOnly: boolean;
};

/** The resolver's index: per repository URL, each workflow path → its id. */
export type FindIndex = Record<string, Record<string, string>>;

export type Resolution =
  | { kind: 'workflow'; id: string; repository: string; path: string }
  | { kind: 'repository'; repository: string; ids: string[]; folder: string | null }
  | { kind: 'unknown-repository'; repository: string }
  | { kind: 'invalid'; reason: string };

const clean = (segments: string[]) => segments.filter((segment) => segment !== '').map(decodeSegment);

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function github(owner: string | undefined, name: string | undefined): string | null {
  if (!owner || !name) return null;
  return `https://github.com/${owner}/${name.replace(/\.git$/, '')}`;
}

/** Parses a URL (or `git@host:owner/name.git`) into the repository and path it names; null when it names none. */
export function parseFindUrl(input: string): FoundUrl | null {
  let text = input.trim();
  const ssh = /^git@([^:/\s]+):(.+?)(?:\.git)?\/?$/.exec(text);
  if (ssh) text = `https://${ssh[1]}/${ssh[2]}`;
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) text = `https://${text}`;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  const host = url.hostname.toLowerCase().replace(/^www\./, '');
  const parts = url.pathname.split('/').filter((part) => part !== '');

  if (host === 'github.com') {
    const repository = github(parts[0], parts[1]);
    if (!repository) return null;
    const kind = parts[2];
    return { repository, rest: kind === 'blob' || kind === 'tree' || kind === 'raw' ? clean(parts.slice(3)) : [], pathOnly: false };
  }
  if (host === 'raw.githubusercontent.com') {
    const repository = github(parts[0], parts[1]);
    return repository ? { repository, rest: clean(parts.slice(2)), pathOnly: false } : null;
  }
  if (host === 'nbviewer.org' || host === 'nbviewer.jupyter.org') {
    // /github/<owner>/<name>/blob/<ref>/<path>, /github/<owner>/<name>/tree/<ref>/<path>, /github/<owner>/<name>
    if (parts[0] === 'github') {
      const repository = github(parts[1], parts[2]);
      if (!repository) return null;
      return { repository, rest: parts[3] === 'blob' || parts[3] === 'tree' ? clean(parts.slice(4)) : [], pathOnly: false };
    }
    // /urls/raw.githubusercontent.com/<owner>/<name>/<ref>/<path>
    if (parts[0] === 'urls' || parts[0] === 'url') return parseFindUrl(`https://${parts.slice(1).join('/')}`);
    return null;
  }
  const v2 = parts.indexOf('v2');
  const provider = v2 === -1 ? null : parts[v2 + 1];
  if (provider === 'gh' || provider === 'gl' || provider === 'git') {
    // BinderHub: /v2/gh/<owner>/<name>/<ref>, /v2/gl/<escaped namespace/project>/<ref>, /v2/git/<escaped url>/<ref>;
    // the notebook in ?labpath=…, ?urlpath=lab/tree/… or ?filepath=…
    const repository =
      provider === 'gh'
        ? github(parts[v2 + 2], parts[v2 + 3])
        : provider === 'gl'
          ? parts[v2 + 2] && `https://gitlab.com/${decodeSegment(parts[v2 + 2]!).replace(/\.git$/, '')}`
          : parts[v2 + 2] && parseFindUrl(decodeSegment(parts[v2 + 2]!))?.repository;
    if (!repository) return null;
    const params = url.searchParams;
    const urlpath = params.get('urlpath') ?? '';
    const inUrlpath = /^(?:lab|doc|retro|notebooks)?\/?tree\/(.+)$/.exec(urlpath)?.[1] ?? /^notebooks\/(.+)$/.exec(urlpath)?.[1] ?? null;
    const path = params.get('labpath') ?? params.get('filepath') ?? inUrlpath;
    return path ? { repository, rest: path.split('/').filter(Boolean), pathOnly: true } : { repository, rest: [], pathOnly: false };
  }
  if (host === 'gitlab.com' || host.startsWith('gitlab.')) {
    // /<group>/<subgroup…>/<project>[/-/(blob|tree|raw)/<ref>/<path>]
    const dash = parts.indexOf('-');
    const project = (dash === -1 ? parts : parts.slice(0, dash)).map((part, index, all) => (index === all.length - 1 ? part.replace(/\.git$/, '') : part));
    if (project.length < 2) return null;
    const kind = dash === -1 ? undefined : parts[dash + 1];
    return { repository: `https://${host}/${project.join('/')}`, rest: kind === 'blob' || kind === 'tree' || kind === 'raw' ? clean(parts.slice(dash + 2)) : [], pathOnly: false };
  }
  // Any other git host: the URL as the repository.
  if (parts.length < 1) return null;
  return { repository: `https://${host}/${parts.join('/').replace(/\.git$/, '')}`, rest: [], pathOnly: false };
}

/** Case-insensitive lookup of a repository URL (GitHub owners and names are case-insensitive). */
function repositoryKey(index: FindIndex, repository: string): string | null {
  if (repository in index) return repository;
  const lower = repository.toLowerCase();
  return Object.keys(index).find((key) => key.toLowerCase() === lower) ?? null;
}

/** Which workflow (or which repository's workflows) a parsed URL names, in `index`. */
export function resolveFind(found: FoundUrl | null, index: FindIndex): Resolution {
  if (!found) return { kind: 'invalid', reason: 'not a repository or notebook URL we can read' };
  const key = repositoryKey(index, found.repository);
  if (!key) return { kind: 'unknown-repository', repository: found.repository };
  const paths = index[key]!;
  const all = Object.keys(paths).sort();
  // The ref may have slashes: try every split of the segments into ref + path, the longest path first.
  const starts = found.pathOnly ? [0] : Array.from({ length: found.rest.length }, (_, start) => start + 1);
  for (const start of starts) {
    const path = found.rest.slice(start).join('/');
    if (path && paths[path]) return { kind: 'workflow', id: paths[path]!, repository: key, path };
  }
  for (const start of starts) {
    const folder = found.rest.slice(start).join('/');
    if (!folder) continue;
    const inside = all.filter((path) => path.startsWith(`${folder}/`));
    if (inside.length > 0) return { kind: 'repository', repository: key, ids: inside.map((path) => paths[path]!), folder };
  }
  return { kind: 'repository', repository: key, ids: all.map((path) => paths[path]!), folder: null };
}

/** The resolver's index from catalog records, keys sorted (a stable file). */
export function findIndex(workflows: ReadonlyArray<{ id: string; path: string; repository: { url: string } }>): FindIndex {
  const index: FindIndex = {};
  for (const workflow of [...workflows].sort((a, b) => (a.repository.url < b.repository.url ? -1 : a.repository.url > b.repository.url ? 1 : a.path < b.path ? -1 : 1))) {
    (index[workflow.repository.url] ??= {})[workflow.path] = workflow.id;
  }
  return index;
}
