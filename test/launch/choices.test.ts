import { describe, expect, it } from 'vitest';
import { accessSummary, facilityNotice, facilityOptionLabel, initialChoice, launchChoices } from '../../site/lib/launch/index.js';
import { facility, workflow } from './fixtures.js';

const facilities = [
  facility({ id: 'py', name: 'Py hub', languages: ['python'], interfaces: ['lab', 'notebook'], defaultInterface: 'notebook' }),
  facility({ id: 'r', name: 'R hub', languages: ['r'], access: 'restricted', staging: 'https://stage.example.org/' }),
  facility({ id: 'binder', name: 'Binder', type: 'binderhub', url: 'https://mybinder.org/', interfaces: ['lab'], defaultInterface: 'lab' }),
  facility({ id: 'batch', name: 'Batch', type: 'other' }),
];

describe('launchChoices', () => {
  const { launchable, others } = launchChoices(workflow(), facilities);
  it('lists launchable facilities best-first with one link per interface, default interface first', () => {
    expect(launchable.map((choice) => choice.id)).toEqual(['py', 'binder', 'r']);
    expect(launchable[0]!.interfaces.map((item) => [item.ui, item.label, item.method])).toEqual([
      ['notebook', 'Jupyter Notebook', 'nbgitpuller'],
      ['lab', 'JupyterLab', 'nbgitpuller'],
    ]);
    expect(launchable[1]!.interfaces[0]!.href).toMatch(/^https:\/\/mybinder\.org\/v2\/gh\//);
    expect(launchable[2]).toMatchObject({ staging: 'https://stage.example.org/', language: 'mismatch', notes: ['may lack a Python kernel'] });
  });
  it('puts facilities without a link apart, with the reason', () => {
    expect(others).toEqual([{ id: 'batch', name: 'Batch', notes: ['no Launch link: open the repository there yourself'] }]);
  });
  it('a workflow whose path cannot be linked gets no launchable facility at all (no dead buttons)', () => {
    const broken = { ...workflow(), path: '../escape.ipynb' };
    const result = launchChoices(broken, facilities);
    expect(result.launchable).toEqual([]);
    expect(result.others.map((other) => other.id)).toEqual(['py', 'binder', 'r', 'batch']);
    expect(result.others[0]!.notes).toContain('no Launch link could be made for this workflow');
  });
});

describe('initialChoice', () => {
  const { launchable } = launchChoices(workflow(), facilities);
  it('defaults to the best-ranked facility and its default interface', () => {
    const choice = initialChoice(launchable, { facility: null, interfaces: null })!;
    expect([choice.facility.id, choice.ui.ui]).toEqual(['py', 'notebook']);
  });
  it('restores the remembered facility and interface when still offered', () => {
    const choice = initialChoice(launchable, { facility: 'r', interfaces: { r: 'notebook' } })!;
    expect([choice.facility.id, choice.ui.ui]).toEqual(['r', 'notebook']);
  });
  it('ignores a remembered facility or interface that is gone', () => {
    const choice = initialChoice(launchable, { facility: 'vanished', interfaces: { py: 'rstudio' } })!;
    expect([choice.facility.id, choice.ui.ui]).toEqual(['py', 'notebook']);
    expect(initialChoice([], { facility: 'py' })).toBeNull();
  });
});

describe('access rules', () => {
  it('summarise who may use a facility and how to sign in', () => {
    expect(accessSummary(facility({ auth: 'none' }))).toMatchObject({ label: 'Public', who: 'Open to anyone.', signIn: 'No sign-in needed.', help: null });
    expect(accessSummary(facility({ access: 'institutional', organisation: 'ROE', auth: 'EduGAIN', docs: 'https://docs.example.org/' }))).toMatchObject({
      who: 'For members of ROE.',
      signIn: 'Sign in with: EduGAIN.',
      help: 'https://docs.example.org/',
    });
    expect(accessSummary(facility({ access: 'restricted', contact: 'help@example.org' }))).toMatchObject({ who: 'By approval only: ask for an account before launching.', email: 'help@example.org', help: null });
    expect(accessSummary(facility({ access: 'restricted', contact: 'https://example.org/apply' })).help).toBe('https://example.org/apply');
  });
  it('render as one notice: caveats first, then rules', () => {
    const [, , r] = launchChoices(workflow(), facilities).launchable;
    expect(facilityNotice(r!)).toEqual({ caveat: 'May lack a Python kernel.', label: 'Restricted', rules: 'By approval only: ask for an account before launching.', help: null });
    expect(facilityOptionLabel(r!)).toBe('R hub — may lack a Python kernel');
  });
});
