/**
 * Everything the Launch panel and the cart's checkout show for one workflow: facilities in compatibility
 * order, each with its Launch link per interface (default interface first) and its access rules.
 * Facilities without a single working link are listed apart, with no button.
 */
import type { Facility, Interface, Workflow } from '../../../catalog/contract/index.js';
import { accessSummary, type AccessSummary } from './access.js';
import { INTERFACE_LABELS, orderedInterfaces, rankFacilities, type KnownStatuses, type LanguageFit } from './compatibility.js';
import { workflowLauncher, type LaunchMethod } from './links.js';

export type InterfaceChoice = { ui: Interface; label: string; href: string; method: LaunchMethod };

export type FacilityChoice = {
  id: string;
  name: string;
  staging: string | null;
  language: LanguageFit;
  notes: string[];
  access: Readonly<AccessSummary>;
  interfaces: InterfaceChoice[];
};

/** What the workflow page's chooser script reads of a choice from the panel's list of direct links. */
export type PanelChoice = Pick<FacilityChoice, 'id' | 'name'> & { interfaces: Array<Pick<InterfaceChoice, 'ui' | 'label' | 'href'>> };

export type LaunchChoices = {
  launchable: FacilityChoice[];
  /** Facilities that cannot be launched into from here (type "other", `launcher: none`, or no valid link). */
  others: Array<Pick<FacilityChoice, 'id' | 'name' | 'notes'>>;
};

export function launchChoices(
  workflow: Pick<Workflow, 'repository' | 'path' | 'language'> & Partial<Pick<Workflow, 'format' | 'environment'>>,
  facilities: readonly Facility[],
  statuses?: KnownStatuses,
): LaunchChoices {
  const choices: LaunchChoices = { launchable: [], others: [] };
  const launch = workflowLauncher(workflow);
  for (const { facility, compatibility } of rankFacilities(workflow, facilities, statuses)) {
    const interfaces = orderedInterfaces(facility).flatMap((ui): InterfaceChoice[] => {
      const link = launch(facility, ui);
      return link ? [{ ui, label: INTERFACE_LABELS[ui], ...link }] : [];
    });
    if (interfaces.length === 0) {
      const notes = compatibility.launchable ? [...compatibility.notes, 'no Launch link could be made for this workflow'] : compatibility.notes;
      choices.others.push({ id: facility.id, name: facility.name, notes });
      continue;
    }
    choices.launchable.push({
      id: facility.id,
      name: facility.name,
      staging: facility.staging ?? null,
      language: compatibility.language,
      notes: compatibility.notes,
      access: accessSummary(facility),
      interfaces,
    });
  }
  return choices;
}

/** The option text of a facility: its name and its first caveat, e.g. "ROE hub — may lack an R kernel". */
export function facilityOptionLabel(choice: Pick<FacilityChoice, 'name' | 'notes'>): string {
  return choice.notes.length > 0 ? `${choice.name} — ${choice.notes[0]}` : choice.name;
}

/**
 * The initial selection: the remembered facility when it is still offered, else the best-ranked one;
 * the remembered interface for that facility when offered, else its default.
 */
export function initialChoice<C extends { id: string; interfaces: Array<Pick<InterfaceChoice, 'ui'>> }>(
  choices: readonly C[],
  remembered: { facility?: string | null; interfaces?: Record<string, string> | null },
): { facility: C; ui: C['interfaces'][number] } | null {
  const facility = choices.find((choice) => choice.id === remembered.facility) ?? choices[0];
  if (!facility) return null;
  // Remembered preferences come from localStorage: only its own keys count, never Object.prototype's.
  const interfaces = remembered.interfaces;
  const wanted = interfaces && Object.hasOwn(interfaces, facility.id) ? interfaces[facility.id] : undefined;
  const ui = facility.interfaces.find((item) => item.ui === wanted) ?? facility.interfaces[0]!;
  return { facility, ui };
}

/** What to show about a facility before leaving for it, as plain strings (the panel and the cart render it). */
export function facilityNotice(choice: Pick<FacilityChoice, 'notes' | 'access'>): { caveat: string | null; label: string; rules: string; help: string | null } {
  const { access } = choice;
  const caveat = choice.notes.length > 0 ? `${choice.notes.map((note) => note.charAt(0).toUpperCase() + note.slice(1)).join('; ')}.` : null;
  const rules = [access.who, access.signIn, access.email ? `Contact: ${access.email}.` : null].filter(Boolean).join(' ');
  return { caveat, label: access.label, rules, help: access.help };
}
