/**
 * How well a facility suits a workflow, from everything known: the languages the facility lists and the
 * kernels its staging service reported (facility-status.json), Jupytext for text notebooks, whether it
 * offers a notebook interface, whether it runs the repository's own environment (a Dockerfile needs a
 * BinderHub), how it launches (`launcher`), and whether it answered when last checked. Pure: the Launch panel
 * and the cart order and label facilities with it. Incompatible facilities are marked, never hidden — a hub
 * may have a kernel it does not list.
 */
import { effectiveLauncher, sameImage, type Facility, type FacilityStatus, type Interface, type Workflow } from '../../../catalog/contract/index.js';
import { canLaunch } from './links.js';

/** What compatibility reads of a facility's last check. */
export type KnownStatus = Pick<FacilityStatus, 'state' | 'kernels'>;

/** Interfaces that open a notebook as a notebook. */
const NOTEBOOK_INTERFACES: ReadonlySet<Interface> = new Set(['lab', 'notebook', 'retro', 'vscode']);

export type LanguageFit = 'match' | 'unknown' | 'mismatch';

export type Compatibility = {
  /** The facility offers a Launch link (JupyterHub via nbgitpuller, BinderHub). */
  launchable: boolean;
  language: LanguageFit;
  /** Higher is better; for sorting. */
  score: number;
  /** Short human notes, e.g. "may lack an R kernel". Empty when nothing needs saying. */
  notes: string[];
  /**
   * Whether the workflow opens as a notebook there: always for an .ipynb; for a text notebook only with Jupytext
   * (the facility has it, or a BinderHub builds the repository's environment and that installs it).
   */
  opensAsNotebook: boolean;
};

/** What compatibility reads of a workflow; `format` and `environment` matter only for text notebooks. */
export type CompatibilityInput = Pick<Workflow, 'language'> & Partial<Pick<Workflow, 'format' | 'environment'>>;

/** The facility's languages: those it lists and those of the kernels its last check saw; null when neither is known. */
function offeredLanguages(facility: Facility, status: KnownStatus | undefined): string[] | null {
  const listed = facility.languages ?? [];
  const seen = status?.kernels?.flatMap((kernel) => (kernel.language ? [kernel.language] : [])) ?? [];
  if (facility.languages === undefined && seen.length === 0) return null;
  return [...new Set([...listed, ...seen].map(normaliseLanguage).filter((item): item is string => item !== null))];
}

const TEXT_FORMAT_NAMES = new Map<string, string>([
  ['myst', 'MyST notebook'],
  ['jupytext-md', 'Markdown notebook'],
  ['percent', 'percent-script notebook'],
]);

/** How a notebook's file format reads to a user: "MyST notebook", or null for an .ipynb (the default, never labelled). */
export function textNotebookName(format: Workflow['format'] | undefined): string | null {
  return format === undefined || format === 'ipynb' ? null : (TEXT_FORMAT_NAMES.get(format) ?? 'text notebook');
}

/** Whether a text notebook opens as a notebook on the facility (null for an .ipynb, which always does). */
function jupytextFit(workflow: CompatibilityInput, facility: Facility): { opens: boolean; note: string | null } {
  const format = workflow.format ?? 'ipynb';
  if (format === 'ipynb') return { opens: true, note: null };
  if (facility.jupytext) return { opens: true, note: null };
  const installs = workflow.environment?.packages?.some((name) => name.toLowerCase() === 'jupytext') ?? false;
  // A BinderHub builds the repository's own environment: Jupytext is there when the repository installs it.
  if (facility.type === 'binderhub' && installs) return { opens: true, note: null };
  const what = textNotebookName(format) ?? 'text notebook';
  return {
    opens: false,
    note: facility.type === 'binderhub' ? `opens the ${what} as a text file unless the repository installs Jupytext` : `has no Jupytext: the ${what} opens as a text file`,
  };
}

// A Map, not an object: a notebook's language ("constructor", "__proto__") never reaches Object.prototype.
const LANGUAGE_NAMES = new Map<string, string>([
  ['python', 'Python'],
  ['r', 'R'],
  ['julia', 'Julia'],
  ['c++', 'C++'],
  ['cpp', 'C++'],
  ['scala', 'Scala'],
  ['java', 'Java'],
  ['javascript', 'JavaScript'],
  ['typescript', 'TypeScript'],
  ['octave', 'Octave'],
  ['matlab', 'MATLAB'],
  ['bash', 'Bash'],
  ['sas', 'SAS'],
  ['idl', 'IDL'],
]);

/** Canonical lower-case language name: "python3" → "python", "R" → "r", "cpp" → "c++". */
export function normaliseLanguage(language: string | null | undefined): string | null {
  if (!language) return null;
  const lower = language.trim().toLowerCase();
  if (lower === '') return null;
  if (/^python\d*(\.\d+)?$/.test(lower)) return 'python';
  if (lower === 'cpp' || /^c\+\+\d*$/.test(lower)) return 'c++';
  return lower;
}

/** "Python", "R", "C++" — for labels. */
export function languageLabel(language: string): string {
  const key = normaliseLanguage(language) ?? language;
  return LANGUAGE_NAMES.get(key) ?? key.charAt(0).toUpperCase() + key.slice(1);
}

function kernelPhrase(language: string): string {
  const label = languageLabel(language);
  return `${/^[AEFHILMNORSX]$|^[AEIOU]/.test(label) ? 'an' : 'a'} ${label} kernel`;
}

/** Whether the facility lists the image among its `images:` (curated container entries, a Dockerfile's base image). */
export function offersImage(facility: Pick<Facility, 'images'>, reference: string): boolean {
  return (facility.images ?? []).some((offered) => sameImage(offered, reference));
}

/** The first image a Dockerfile environment builds on that the facility lists, or null. */
function offeredBaseImage(workflow: CompatibilityInput, facility: Facility): string | null {
  return workflow.environment?.baseImages?.find((image) => offersImage(facility, image.ref))?.ref ?? null;
}

export function compatibility(workflow: CompatibilityInput, facility: Facility, status?: KnownStatus): Compatibility {
  const launchable = canLaunch(facility);
  const text = jupytextFit(workflow, facility);
  const wanted = normaliseLanguage(workflow.language);
  const offered = offeredLanguages(facility, status);
  let language: LanguageFit = 'unknown';
  const notes: string[] = [];
  if (wanted && offered) {
    language = offered.includes(wanted) ? 'match' : 'mismatch';
    if (language === 'mismatch') notes.push(`may lack ${kernelPhrase(wanted)}`);
  } else if (wanted && facility.type === 'jupyterhub') {
    notes.push(`does not say whether it has ${kernelPhrase(wanted)}`);
  }
  // BinderHub builds the environment from the repository itself, so an unlisted language is fine there.
  if (language === 'mismatch' && facility.type === 'binderhub') {
    notes[notes.length - 1] = `may lack ${kernelPhrase(wanted!)} unless the repository installs one`;
  }
  // First: a notebook that opens as a text file matters more than a kernel that may be missing.
  if (text.note) notes.unshift(text.note);
  const notebookInterface = facility.interfaces.some((ui) => NOTEBOOK_INTERFACES.has(ui));
  if (!notebookInterface) notes.unshift('offers no notebook interface');
  // A Dockerfile environment is built only where the repository's own image is built: a BinderHub.
  const ownEnvironment = workflow.environment?.kind !== 'docker' || facility.type === 'binderhub';
  // Next best: the hub offers the image the Dockerfile starts from (its own steps are still not run).
  const baseImage = ownEnvironment ? null : offeredBaseImage(workflow, facility);
  if (baseImage) notes.push(`offers ${baseImage}, the image the repository's Dockerfile builds on, without the Dockerfile's own steps`);
  else if (!ownEnvironment) notes.push("runs its own software, not the repository's Dockerfile");
  const down = status?.state === 'down';
  if (down) notes.unshift('did not answer when last checked');
  if (!launchable) {
    notes.push(effectiveLauncher(facility) === 'none' && facility.type === 'jupyterhub' ? 'no Launch link (this hub has no nbgitpuller): open the hub and clone the repository there' : 'no Launch link: open the repository there yourself');
  }
  const score =
    (launchable ? 100 : 0) +
    (down ? 0 : 60) +
    (notebookInterface ? 50 : 0) +
    (text.opens ? 40 : 0) +
    (language === 'match' ? 20 : language === 'unknown' ? 10 : 0) +
    (ownEnvironment ? 5 : baseImage ? 3 : 0) +
    (facility.access === 'public' ? 2 : facility.access === 'institutional' ? 1 : 0);
  return { launchable, language, score, notes, opensAsNotebook: text.opens && notebookInterface };
}

export type RankedFacility = { facility: Facility; compatibility: Compatibility };

/** Each facility's last check, by id (from catalog/facility-status.json; empty when never checked). */
export type KnownStatuses = ReadonlyMap<string, KnownStatus>;

/** Facilities best-first: launchable, answering, a notebook interface, opens as a notebook, language match, own environment, public access; ties by name then id (stable). */
export function rankFacilities(workflow: CompatibilityInput, facilities: readonly Facility[], statuses: KnownStatuses = new Map()): RankedFacility[] {
  return facilities
    .map((facility) => ({ facility, compatibility: compatibility(workflow, facility, statuses.get(facility.id)) }))
    .sort(
      (a, b) =>
        b.compatibility.score - a.compatibility.score ||
        a.facility.name.localeCompare(b.facility.name, 'en') ||
        (a.facility.id < b.facility.id ? -1 : a.facility.id > b.facility.id ? 1 : 0),
    );
}

/** The facility's interfaces with its default first, then in the facility's own order. */
export function orderedInterfaces(facility: Pick<Facility, 'interfaces' | 'defaultInterface'>): Interface[] {
  return [facility.defaultInterface, ...facility.interfaces.filter((item) => item !== facility.defaultInterface)];
}

export const INTERFACE_LABELS: Record<Interface, string> = {
  lab: 'JupyterLab',
  notebook: 'Jupyter Notebook',
  retro: 'RetroLab',
  rstudio: 'RStudio',
  shiny: 'Shiny',
  vscode: 'VS Code',
  desktop: 'Remote desktop',
};
