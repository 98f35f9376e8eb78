/**
 * Which facilities can run a curated workflow, and how: the Launch panel's filter for desktop tools and container
 * images (notebooks go through launchChoices). Decided by what a facility declares, never guessed:
 * - a desktop tool needs a facility whose `interfaces` include `desktop`; a JupyterHub gets a link to the user's
 *   remote desktop (`hub/user-redirect/desktop/`, where jupyter-remote-desktop-proxy serves it);
 * - a container image needs a facility that lists the image under `images:`; a JupyterHub gets a link to its start
 *   page (`hub/spawn`), where the user picks the image.
 * Other platforms that qualify are named without a link (the user opens them there); BinderHubs never qualify: they
 * build a git repository's environment, and a curated entry has none to build. Everything else is left out.
 */
import type { CuratedWorkflow, Facility } from '../../../catalog/contract/index.js';
import { accessSummary } from './access.js';
import type { FacilityChoice, InterfaceChoice } from './choices.js';
import { INTERFACE_LABELS, offersImage } from './compatibility.js';
import { hubPageUrl } from './links.js';

export type CuratedChoice = Omit<FacilityChoice, 'interfaces'> & { interfaces: Array<Pick<InterfaceChoice, 'ui' | 'label' | 'href'>> };

export type CuratedChoices = {
  launchable: CuratedChoice[];
  /** Facilities that offer what the entry needs but get no link from here. */
  others: Array<Pick<FacilityChoice, 'id' | 'name' | 'notes'>>;
  /** What happens after the click, said once for the whole panel. */
  caveat: string;
};

type CuratedNeeds = Pick<CuratedWorkflow, 'title' | 'workflowType' | 'image'>;

/** Whether a facility has what the entry needs at all: a remote desktop, or the image. */
export function canRunCurated(entry: CuratedNeeds, facility: Facility): boolean {
  if (facility.type === 'binderhub') return false;
  return entry.workflowType === 'desktop' ? facility.interfaces.includes('desktop') : entry.image !== undefined && offersImage(facility, entry.image);
}

const ACCESS_ORDER = { public: 0, institutional: 1, restricted: 2 } as const;

export function curatedLaunchChoices(entry: CuratedNeeds, facilities: readonly Facility[]): CuratedChoices {
  const desktop = entry.workflowType === 'desktop';
  const choices: CuratedChoices = {
    launchable: [],
    others: [],
    caveat: desktop
      ? `Opens the facility's remote desktop: start ${entry.title} there. Whether a facility's desktop has it installed is up to the facility.`
      : `Opens the hub's start page: choose the image ${entry.image ?? ''} there.`,
  };
  const fitting = facilities
    .filter((facility) => canRunCurated(entry, facility))
    .sort((a, b) => ACCESS_ORDER[a.access] - ACCESS_ORDER[b.access] || a.name.localeCompare(b.name, 'en') || (a.id < b.id ? -1 : 1));
  for (const facility of fitting) {
    const ui = desktop ? ('desktop' as const) : facility.defaultInterface;
    const href = facility.type === 'jupyterhub' ? hubPageUrl(facility.url, desktop ? { userPath: 'desktop/' } : { spawn: true }) : null;
    if (!href) {
      const note = desktop ? 'no Launch link: open its remote desktop there yourself' : 'no Launch link: start the image there yourself';
      choices.others.push({ id: facility.id, name: facility.name, notes: [note] });
      continue;
    }
    choices.launchable.push({
      id: facility.id,
      name: facility.name,
      staging: null,
      language: 'unknown',
      notes: [],
      access: accessSummary(facility),
      interfaces: [{ ui, label: INTERFACE_LABELS[ui], href }],
    });
  }
  return choices;
}
