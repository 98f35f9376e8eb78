import { describe, expect, it } from 'vitest';
import { compatibility, languageLabel, normaliseLanguage, orderedInterfaces, rankFacilities } from '../../site/lib/launch/index.js';
import { facility } from './fixtures.js';

describe('compatibility', () => {
  it('a facility listing the workflow language matches, with no note', () => {
    const result = compatibility({ language: 'python' }, facility({ languages: ['python', 'r'] }));
    expect(result).toMatchObject({ launchable: true, language: 'match', notes: [] });
  });
  it('a facility without the language is marked "may lack an R kernel", not excluded', () => {
    const result = compatibility({ language: 'r' }, facility({ languages: ['python'] }));
    expect(result.language).toBe('mismatch');
    expect(result.launchable).toBe(true);
    expect(result.notes).toEqual(['may lack an R kernel']);
  });
  it('articles follow pronunciation', () => {
    expect(compatibility({ language: 'python' }, facility({ languages: ['r'] })).notes).toEqual(['may lack a Python kernel']);
    expect(compatibility({ language: 'julia' }, facility({ languages: ['r'] })).notes).toEqual(['may lack a Julia kernel']);
    expect(compatibility({ language: 'octave' }, facility({ languages: ['r'] })).notes).toEqual(['may lack an Octave kernel']);
  });
  it('a BinderHub builds from the repository: the note says so', () => {
    const binder = facility({ type: 'binderhub', url: 'https://mybinder.org/', languages: ['python'] });
    expect(compatibility({ language: 'r' }, binder).notes).toEqual(['may lack an R kernel unless the repository installs one']);
  });
  it('unknown language on either side is "unknown"; a JupyterHub that does not list languages says so', () => {
    expect(compatibility({ language: null }, facility({ languages: ['python'] })).language).toBe('unknown');
    const silent = compatibility({ language: 'r' }, facility());
    expect(silent.language).toBe('unknown');
    expect(silent.notes).toEqual(['does not say whether it has an R kernel']);
  });
  it("a hub listing the image a Dockerfile builds on ranks above one that does not, and says what it lacks", () => {
    const docker = {
      language: 'python',
      environment: {
        kind: 'docker' as const,
        files: ['Dockerfile'],
        baseImages: [{ ref: 'jupyter/scipy-notebook:2024-05-01', registry: 'docker.io', name: 'jupyter/scipy-notebook', tag: '2024-05-01', digest: null }],
      },
    };
    const offering = facility({ id: 'offering', name: 'B hub', languages: ['python'], images: ['docker.io/jupyter/scipy-notebook'] });
    const plain = facility({ id: 'plain', name: 'A hub', languages: ['python'] });
    const otherTag = facility({ id: 'other-tag', name: 'C hub', languages: ['python'], images: ['jupyter/scipy-notebook:2023-10-20'] });
    expect(compatibility(docker, offering).notes).toEqual([
      "offers jupyter/scipy-notebook:2024-05-01, the image the repository's Dockerfile builds on, without the Dockerfile's own steps",
    ]);
    expect(compatibility(docker, plain).notes).toEqual(["runs its own software, not the repository's Dockerfile"]);
    expect(compatibility(docker, otherTag).notes).toEqual(["runs its own software, not the repository's Dockerfile"]);
    expect(rankFacilities(docker, [plain, otherTag, offering]).map((ranked) => ranked.facility.id)).toEqual(['offering', 'plain', 'other-tag']);
  });
  it('normalises language spellings', () => {
    expect(compatibility({ language: 'python3' }, facility({ languages: ['python'] })).language).toBe('match');
    expect(normaliseLanguage('R')).toBe('r');
    expect(normaliseLanguage('cpp')).toBe('c++');
    expect(normaliseLanguage('  ')).toBeNull();
    expect(languageLabel('r')).toBe('R');
    expect(languageLabel('haskell')).toBe('Haskell');
  });
  it('a facility of type "other" is not launchable and says why', () => {
    const result = compatibility({ language: 'python' }, facility({ type: 'other', languages: ['python'] }));
    expect(result.launchable).toBe(false);
    expect(result.notes).toContain('no Launch link: open the repository there yourself');
  });
});

describe('rankFacilities', () => {
  it('launchable first, then language match, then unknown, then mismatch; public before restricted; then by name', () => {
    const facilities = [
      facility({ id: 'other', name: 'Other', type: 'other', languages: ['r'] }),
      facility({ id: 'py', name: 'Py hub', languages: ['python'] }),
      facility({ id: 'silent', name: 'Silent hub' }),
      facility({ id: 'r-restricted', name: 'B R hub', languages: ['r'], access: 'restricted' }),
      facility({ id: 'r-public', name: 'Z R hub', languages: ['r'] }),
      facility({ id: 'r-public-a', name: 'A R hub', languages: ['r'] }),
    ];
    const order = rankFacilities({ language: 'r' }, facilities).map((item) => item.facility.id);
    expect(order).toEqual(['r-public-a', 'r-public', 'r-restricted', 'silent', 'py', 'other']);
  });
  it('is stable and does not mutate its input', () => {
    const facilities = [facility({ id: 'b', name: 'Same' }), facility({ id: 'a', name: 'Same' })];
    expect(rankFacilities({ language: null }, facilities).map((item) => item.facility.id)).toEqual(['a', 'b']);
    expect(facilities.map((item) => item.id)).toEqual(['b', 'a']);
  });
});

describe('orderedInterfaces', () => {
  it('puts the default first and keeps the rest in the facility order', () => {
    expect(orderedInterfaces({ interfaces: ['lab', 'notebook', 'rstudio'], defaultInterface: 'notebook' })).toEqual(['notebook', 'lab', 'rstudio']);
  });
});
