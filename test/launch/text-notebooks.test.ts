/** A text notebook (MyST, Jupytext markdown, percent script) opens as a notebook only where Jupytext is. */
import { describe, expect, it } from 'vitest';
import { Facility } from '../../catalog/contract/index.js';
import { compatibility, rankFacilities } from '../../site/lib/launch/index.js';
import { facilityNotice, facilityOptionLabel, launchChoices } from '../../site/lib/launch/choices.js';
import { facetValuesOf } from '../../site/lib/search/facets.js';
import { facility, workflow } from './fixtures.js';

const myst = workflow({ path: 'content/queries.md', format: 'myst', nbformat: '4' });
const withJupytext = workflow({ path: 'content/queries.md', format: 'myst', environment: { kind: 'pip', files: ['.binder/requirements.txt'], packages: ['jupytext', 'pyvo'] } });
// Both say they have Python, so the only note left is about Jupytext.
const hub = facility({ id: 'hub', name: 'Plain hub', languages: ['python'] });
const jupytextHub = facility({ id: 'jt-hub', name: 'Jupytext hub', languages: ['python'], jupytext: true });
const binder = facility({ id: 'binder', name: 'Binder', type: 'binderhub', url: 'https://binder.example.org/' });

describe('text notebooks and Jupytext', () => {
  it('the facility contract states Jupytext only as true', () => {
    expect(Facility.safeParse({ ...jupytextHub, jupytext: false }).success).toBe(false);
    expect(jupytextHub.jupytext).toBe(true);
  });

  it('an .ipynb opens as a notebook everywhere, with no note about Jupytext', () => {
    for (const place of [hub, jupytextHub, binder]) expect(compatibility(workflow(), place)).toMatchObject({ opensAsNotebook: true, notes: [] });
  });

  it('a text notebook opens as a notebook only on a facility with Jupytext, or a BinderHub when the repository installs it', () => {
    expect(compatibility(myst, jupytextHub)).toMatchObject({ opensAsNotebook: true, notes: [] });
    expect(compatibility(myst, hub)).toMatchObject({ opensAsNotebook: false, notes: ['has no Jupytext: the MyST notebook opens as a text file'] });
    expect(compatibility(myst, binder)).toMatchObject({ opensAsNotebook: false, notes: ['opens the MyST notebook as a text file unless the repository installs Jupytext'] });
    expect(compatibility(withJupytext, binder)).toMatchObject({ opensAsNotebook: true, notes: [] });
    // A JupyterHub does not install the repository's environment: its own must have Jupytext.
    expect(compatibility(withJupytext, hub).opensAsNotebook).toBe(false);
    expect(compatibility(workflow({ format: 'percent', path: 'a.py' }), hub).notes).toEqual(['has no Jupytext: the percent-script notebook opens as a text file']);
  });

  it('facilities with Jupytext rank first for a text notebook; the note comes before kernel notes', () => {
    expect(rankFacilities(myst, [hub, binder, jupytextHub]).map((ranked) => ranked.facility.id)).toEqual(['jt-hub', 'hub', 'binder']);
    expect(compatibility({ ...myst, language: 'r' }, facility({ languages: ['python'] })).notes).toEqual(['has no Jupytext: the MyST notebook opens as a text file', 'may lack an R kernel']);
  });

  it('the Launch panel says it next to the facility (its option label and note), and the "Runs on" facet leaves such facilities out', () => {
    // LaunchPanel.astro writes exactly these: facilityOptionLabel in the chooser, facilityNotice's caveat in the list.
    const [plain, withIt] = ['hub', 'jt-hub'].map((id) => launchChoices(myst, [hub, jupytextHub]).launchable.find((choice) => choice.id === id)!);
    expect(facilityOptionLabel(plain!)).toBe('Plain hub — has no Jupytext: the MyST notebook opens as a text file');
    expect(facilityNotice(plain!).caveat).toBe('Has no Jupytext: the MyST notebook opens as a text file.');
    expect(facilityOptionLabel(withIt!)).toBe('Jupytext hub');
    expect(facetValuesOf(myst, undefined, [hub, jupytextHub]).facility).toEqual(['jt-hub']);
    expect(facetValuesOf(workflow(), undefined, [hub, jupytextHub]).facility).toEqual(['hub', 'jt-hub']);
  });
});
