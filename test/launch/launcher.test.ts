/**
 * A facility's `launcher`: which link a facility gets (nbgitpuller, BinderHub, CERN SWAN's "Open in SWAN", or
 * none for a JupyterHub without nbgitpuller), the combinations the contract refuses, and compatibility from
 * what the probe learnt (kernels, down) beside what the facility lists.
 */
import { describe, expect, it } from 'vitest';
import { Facility, type FacilityStatus } from '../../catalog/contract/index.js';
import { canLaunch, cloneInstructions, compatibility, launchChoices, launchUrl, rankFacilities, swanUrl } from '../../site/lib/launch/index.js';
import { facility, repo, workflow } from './fixtures.js';

const swan = () => facility({ id: 'cern-swan', name: 'CERN SWAN', url: 'https://swan.cern.ch/', launcher: 'swan' });
const bare = () => facility({ id: 'bare', name: 'Bare hub', launcher: 'none' });

describe('launcher: the link a facility gets', () => {
  it('nbgitpuller by default on a JupyterHub, binderhub on a BinderHub', () => {
    expect(launchUrl(workflow(), facility(), 'lab')?.method).toBe('nbgitpuller');
    expect(launchUrl(workflow(), facility({ launcher: 'nbgitpuller' }), 'lab')?.method).toBe('nbgitpuller');
    expect(launchUrl(workflow(), facility({ type: 'binderhub', url: 'https://mybinder.org/' }), 'lab')?.method).toBe('binderhub');
  });

  it('a JupyterHub without nbgitpuller gets no link at all, and the panel offers the hub and the clone command', () => {
    expect(canLaunch(bare())).toBe(false);
    expect(launchUrl(workflow(), bare(), 'lab')).toBeNull();
    const { launchable, others } = launchChoices(workflow(), [bare(), facility()]);
    expect(launchable.map((choice) => choice.id)).toEqual(['hub']);
    expect(others).toEqual([{ id: 'bare', name: 'Bare hub', notes: ['does not say whether it has a Python kernel', 'no Launch link (this hub has no nbgitpuller): open the hub and clone the repository there'] }]);
    expect(cloneInstructions(workflow().repository, workflow().path)).toEqual({
      command: 'git clone --branch main https://github.com/astropy/astropy-tutorials.git',
      open: 'astropy-tutorials/tutorials/intro.ipynb',
    });
    // Nothing that could run as something else in a shell.
    expect(cloneInstructions(repo({ ref: '--upload-pack=touch /tmp/x' }), 'a.ipynb')).toBeNull();
    expect(cloneInstructions(repo({ ref: 'main; rm -rf ~' }), 'a.ipynb')).toBeNull();
  });

  it("CERN SWAN: the documented Open in SWAN link with the repository's clone URL, once (SWAN picks its interface)", () => {
    expect(swanUrl(repo())).toBe('https://cern.ch/swanserver/cgi-bin/go?projurl=https://github.com/astropy/astropy-tutorials.git');
    expect(swanUrl(repo({ url: 'https://gitlab.cern.ch/swan/gallery', provider: 'gitlab' }))).toBe('https://cern.ch/swanserver/cgi-bin/go?projurl=https://gitlab.cern.ch/swan/gallery.git');
    // A generic git URL is kept as given; anything that would break out of the query is encoded.
    expect(swanUrl(repo({ url: 'https://git.example.org/a&b=c.git?x#y', provider: 'git' }))).toBeNull();
    expect(swanUrl(repo({ url: 'https://git.example.org/a&b=c.git', provider: 'git' }))).toBe('https://cern.ch/swanserver/cgi-bin/go?projurl=https://git.example.org/a%26b%3Dc.git');
    expect(launchUrl(workflow(), swan(), 'lab')).toEqual({ href: 'https://cern.ch/swanserver/cgi-bin/go?projurl=https://github.com/astropy/astropy-tutorials.git', method: 'swan' });
    expect(launchUrl(workflow(), swan(), 'notebook')).toBeNull();
    const [choice] = launchChoices(workflow(), [swan()]).launchable;
    expect(choice!.interfaces.map((item) => [item.ui, item.method])).toEqual([['lab', 'swan']]);
  });

  it('refuses a launcher the facility type cannot use, saying which type it needs', () => {
    const check = (entry: Record<string, unknown>) => {
      const result = Facility.safeParse({ id: 'x', name: 'X', url: 'https://hub.example.org/', interfaces: ['lab'], defaultInterface: 'lab', access: 'public', ...entry });
      return result.success ? null : result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    };
    expect(check({ type: 'jupyterhub', launcher: 'binderhub' })).toEqual([
      'launcher: launcher "binderhub" does not work on a facility of type "jupyterhub" (it needs type "binderhub"); a jupyterhub facility takes "nbgitpuller", "swan", "none" (default "nbgitpuller")',
    ]);
    expect(check({ type: 'binderhub', launcher: 'nbgitpuller' })).toEqual([
      'launcher: launcher "nbgitpuller" does not work on a facility of type "binderhub" (it needs type "jupyterhub"); a binderhub facility takes "binderhub"',
    ]);
    expect(check({ type: 'other', launcher: 'swan' })?.[0]).toMatch(/^launcher: launcher "swan" does not work on a facility of type "other" \(it needs type "jupyterhub"\)/);
    expect(check({ type: 'other', launcher: 'none' })).toBeNull();
    expect(check({ type: 'jupyterhub', launcher: 'lab' })?.[0]).toMatch(/^launcher: Invalid enum value/);
  });
});

describe('compatibility from what is known', () => {
  const checked = (state: FacilityStatus['state'], kernels?: FacilityStatus['kernels']) => ({ state, kernels });

  it("kernels the facility's staging service reported count as its languages", () => {
    const hub = facility();
    expect(compatibility({ language: 'r' }, hub).language).toBe('unknown');
    expect(compatibility({ language: 'r' }, hub, checked('up', [{ name: 'ir', language: 'r' }])).language).toBe('match');
    const lacking = compatibility({ language: 'julia' }, hub, checked('up', [{ name: 'python3', language: 'python' }]));
    expect([lacking.language, lacking.notes]).toEqual(['mismatch', ['may lack a Julia kernel']]);
  });

  it('a facility that was down when last checked is said so and ranked after those that answered', () => {
    const a = facility({ id: 'a', name: 'A hub' });
    const b = facility({ id: 'b', name: 'B hub' });
    const statuses = new Map([['a', checked('down')], ['b', checked('up')]]);
    expect(rankFacilities({ language: null }, [a, b], statuses).map((item) => item.facility.id)).toEqual(['b', 'a']);
    expect(compatibility({ language: null }, a, checked('down')).notes).toEqual(['did not answer when last checked']);
    expect(rankFacilities({ language: null }, [a, b]).map((item) => item.facility.id)).toEqual(['a', 'b']);
  });

  it('a facility without a notebook interface, or a Dockerfile environment outside a BinderHub, is marked', () => {
    const desktop = facility({ interfaces: ['desktop'], defaultInterface: 'desktop' });
    expect(compatibility({ language: null }, desktop)).toMatchObject({ opensAsNotebook: false, notes: ['offers no notebook interface'] });
    const docker = { language: null, environment: { kind: 'docker' as const, files: ['Dockerfile'] } };
    expect(compatibility(docker, facility()).notes).toEqual(["runs its own software, not the repository's Dockerfile"]);
    expect(compatibility(docker, facility({ type: 'binderhub', url: 'https://mybinder.org/' })).notes).toEqual([]);
  });
});
