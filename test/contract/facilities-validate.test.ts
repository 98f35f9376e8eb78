/** facilities.yaml validation: every rejection with its exact line and column, and nothing good lost. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { annotation, normaliseFacilityUrl, validateFacilities, validateYaml } from '../../catalog/validate/index.js';
import { FacilityList } from '../../catalog/contract/index.js';
import { facilityYaml, where } from './helpers.js';

const check = (text: string) => validateFacilities(text, 'facilities.yaml');

/** CPU milliseconds `run` takes: unlike wall time, not inflated by other processes on a busy machine. */
function cpuMs(run: () => void): number {
  const before = process.cpuUsage();
  run();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000;
}

describe('facilities.yaml rejections, with positions', () => {
  it('bad YAML syntax gets its own line-precise message and no facility is trusted', () => {
    const { facilities, problems } = check(`${facilityYaml('a')}- id: b\n  name: [unclosed\n  url: x\n`);
    expect(facilities).toEqual([]);
    expect(problems.map((p) => p.text)).toEqual([
      'facilities.yaml:10:3: (syntax): Flow sequence in block collection must be sufficiently indented and end with a ]',
    ]);
  });

  it('a document that is not a list, or a list entry that is not a mapping', () => {
    expect(check('id: a\nname: A\n').problems.map((p) => p.text)).toEqual([
      'facilities.yaml:1:1: (document): must be a list of facilities (each entry starting with "- "), got a mapping',
    ]);
    expect(where(check('just text\n').problems)).toEqual(['1:1 (document)']);
    const entry = check(`${facilityYaml('a')}- hello\n`);
    expect(entry.problems.map((p) => p.text)).toEqual(['facilities.yaml:8:3: [1]: expected a mapping, got a string']);
    expect(entry.facilities.map((f) => f.id)).toEqual(['a']);
  });

  it('unknown keys point at the key, with a suggestion when one is close', () => {
    const near = check(facilityYaml('a', { descripton: 'x' }));
    expect(near.problems.map((p) => p.text)).toEqual(['facilities.yaml:8:3: [0].descripton: unknown key "descripton"; did you mean "description"?']);
    const far = check(facilityYaml('a', { zzzzzz: 'x' }));
    expect(where(far.problems)).toEqual(['8:3 [0].zzzzzz']);
    expect(far.problems[0]!.message).toMatch(/allowed keys are access, auth, contact, .*url$/);
  });

  it('wrong types point at the value', () => {
    const { problems } = check(facilityYaml('a', { name: '42', interfaces: 'lab' }));
    expect(problems.map((p) => p.text)).toEqual([
      'facilities.yaml:2:9: [0].name: expected a string, got a number',
      'facilities.yaml:5:15: [0].interfaces: expected a list, got a string',
    ]);
  });

  it('missing required fields point at the mapping that lacks them', () => {
    const { problems, facilities } = check(facilityYaml('a') + facilityYaml('b', { url: null, access: null }));
    expect(problems.map((p) => p.text)).toEqual([
      'facilities.yaml:8:3: [1].url: missing required field "url"',
      'facilities.yaml:8:3: [1].access: missing required field "access"',
    ]);
    expect(facilities.map((f) => f.id)).toEqual(['a']);
  });

  it.each([
    ['javascript:alert(1)', 'javascript:'],
    ['"data:text/html,<script>alert(1)</script>"', 'data:'],
    ['file:///etc/passwd', 'file:'],
  ])('refuses the URL scheme of %s', (url, scheme) => {
    const { problems } = check(facilityYaml('a', { url }));
    expect(where(problems)).toEqual(['3:8 [0].url']);
    expect(problems[0]!.message).toBe(`URL scheme "${scheme}" is not allowed; only https (or http where stated) URLs are accepted`);
  });

  it('refuses plain http unless plainHttp: true is stated', () => {
    const { problems } = check(facilityYaml('a', { url: 'http://a.example.org/' }));
    expect(where(problems)).toEqual(['3:8 [0].url']);
    expect(problems[0]!.message).toContain('plainHttp: true');
    expect(check(facilityYaml('a', { url: 'http://a.example.org/', plainHttp: 'true' })).problems).toEqual([]);
  });

  it('duplicate ids: the second is reported at its id, the first stays usable', () => {
    const { problems, facilities } = check(facilityYaml('a') + facilityYaml('b') + facilityYaml('a', { url: 'https://other.example.org/' }));
    expect(problems.map((p) => p.text)).toEqual(['facilities.yaml:15:7: [2].id: duplicate id "a": already used on line 1; ids must be unique']);
    expect(facilities.map((f) => f.id)).toEqual(['a', 'b']);
  });

  it('duplicate URLs are compared normalised: host case and trailing slash do not matter', () => {
    const { problems } = check(facilityYaml('a', { url: 'https://hub.example.org/x/' }) + facilityYaml('b', { url: 'https://HUB.Example.org/x' }));
    expect(problems.map((p) => p.text)).toEqual([
      'facilities.yaml:10:8: [1].url: duplicate url: "https://HUB.Example.org/x" is the same hub as the url on line 3',
    ]);
    expect(normaliseFacilityUrl('HTTPS://Hub.Example.org:443/x///')).toBe(normaliseFacilityUrl('http://hub.example.org/x'));
    expect(normaliseFacilityUrl('https://hub.example.org/x')).not.toBe(normaliseFacilityUrl('https://hub.example.org/y'));
  });

  it('a repeated key spoils only its own entry', () => {
    const { problems, facilities } = check(facilityYaml('a') + facilityYaml('b') + '  name: again\n');
    expect(problems.map((p) => p.text)).toEqual(['facilities.yaml:15:3: (syntax): Map keys must be unique']);
    expect(facilities.map((f) => f.id)).toEqual(['a']);
  });

  it('an unknown tag is a problem, not a silently kept string', () => {
    expect(where(check(facilityYaml('a', { name: '!custom Alpha' })).problems)).toEqual(['2:9 (syntax)']);
  });

  it('refuses aliases outright, at the alias', () => {
    const { problems, facilities } = check(facilityYaml('a', { name: '&n Alpha' }) + facilityYaml('b', { name: '*n' }));
    expect(problems.map((p) => p.text)).toEqual(['facilities.yaml:9:9: [1].name: alias *n is not allowed here; write the value out in full']);
    expect(facilities.map((f) => f.id)).toEqual(['a']);
  });

  it('refuses an alias bomb in well under a second', () => {
    // Nine levels of nine-fold aliases: expanding it would make 9^9 (387 million) strings.
    let bomb = facilityYaml('a', { tags: '&l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]' });
    for (let level = 1; level <= 9; level += 1) {
      bomb += facilityYaml(`a${level}`, { tags: `&l${level} [${Array(9).fill(`*l${level - 1}`).join(', ')}]` });
    }
    let result = check('');
    expect(cpuMs(() => (result = check(bomb)))).toBeLessThan(250);
    const { problems, facilities } = result;
    expect(problems).toHaveLength(81);
    expect(problems[0]!.text).toBe('facilities.yaml:16:14: [1].tags[0]: alias *l0 is not allowed here; write the value out in full');
    expect(facilities.map((f) => f.id)).toEqual(['a']);
  });

  it('where a file allows aliases, yaml\'s expansion limit still stops a bomb fast', () => {
    let bomb = 'l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n';
    for (let level = 1; level <= 9; level += 1) bomb += `l${level}: &l${level} [${Array(9).fill(`*l${level - 1}`).join(', ')}]\n`;
    let result: ReturnType<typeof validateYaml> = { data: null, problems: [] };
    expect(cpuMs(() => (result = validateYaml(bomb, 'x.yaml', FacilityList, { aliases: true })))).toBeLessThan(250);
    const { data, problems } = result;
    expect(data).toBeNull();
    expect(problems.map((p) => p.text)).toEqual(['x.yaml:1:1: (document): cannot be read: Excessive alias count indicates a resource exhaustion attack']);
  });

  it('refuses deep nesting before parsing, fast (the parser recurses per level)', () => {
    let flow = check('');
    expect(cpuMs(() => (flow = check(`${'['.repeat(200_000)}${']'.repeat(200_000)}`)))).toBeLessThan(250);
    expect(flow.problems.map((p) => p.text)).toEqual(['facilities.yaml:1:65: (syntax): nested more than 64 levels deep; refused before parsing']);
    expect(where(check(`${facilityYaml('a')}${'- '.repeat(100)}x\n`).problems)).toEqual(['8:129 (syntax)']);
    expect(check(facilityYaml('a', { tags: `${'['.repeat(60)}x${']'.repeat(60)}` })).problems[0]!.message).toContain('expected a string');
  });

  it('refuses a file over a megabyte', () => {
    expect(check(`# ${'x'.repeat(1024 * 1024)}\n`).problems.map((p) => p.text)).toEqual([
      'facilities.yaml:1:1: (document): file is larger than 1048576 bytes; is this the right file?',
    ]);
  });

  it('reports every problem of every entry and keeps every good entry', () => {
    const text = facilityYaml('good-one') + facilityYaml('Bad', { type: 'jupyter' }) + facilityYaml('good-two') + facilityYaml('c', { url: 'ftp://c.example.org/' });
    const { problems, facilities } = check(text);
    expect(where(problems)).toEqual(['8:7 [1].id', '11:9 [1].type', '24:8 [3].url']);
    expect(problems[1]!.message).toBe('"jupyter" is not allowed; use one of "jupyterhub", "binderhub", "other"');
    expect(facilities.map((f) => f.id)).toEqual(['good-one', 'good-two']);
  });

  it('an empty file is an empty registry', () => {
    expect(check('')).toEqual({ facilities: [], problems: [] });
    expect(check('# nothing yet\n')).toEqual({ facilities: [], problems: [] });
  });
});

describe('GitHub annotations', () => {
  it('are workflow commands on the offending line, with GitHub\'s escaping', () => {
    const [first] = check(facilityYaml('a', { url: 'javascript:alert(1)' })).problems;
    expect(annotation(first!)).toBe(
      '::error file=facilities.yaml,line=3,col=8::[0].url: URL scheme "javascript:" is not allowed; only https (or http where stated) URLs are accepted',
    );
    const odd = { ...first!, file: 'dir,with:odd/f.yaml', message: '100% wrong\nsecond line' };
    expect(annotation(odd)).toBe('::error file=dir%2Cwith%3Aodd/f.yaml,line=3,col=8::[0].url: 100%25 wrong%0Asecond line');
  });
});

describe('the committed facilities.yaml', () => {
  const text = readFileSync(new URL('../../facilities.yaml', import.meta.url), 'utf8');
  const { facilities, problems } = check(text);

  it('is valid', () => {
    expect(problems.map((p) => p.text)).toEqual([]);
  });

  it("holds the facilities ESAP listed, with honest URLs", () => {
    const byId = new Map(facilities.map((f) => [f.id, f]));
    expect(byId.get('roe-edinburgh')?.url).toBe('https://jupyterhub.roe.ac.uk/');
    expect(byId.get('mybinder')?.url).toBe('https://mybinder.org/');
    expect(byId.get('jive-binderhub')).toMatchObject({ url: 'http://jupyter.jive.nl/binderhub/', plainHttp: true });
    expect(byId.get('skao-binderhub')?.url).toBe('https://srcdev.skatelescope.org/binderhub/');
    expect(byId.get('rosetta-inaf-oats')?.url).toBe('https://esap-rosetta.oats.inaf.it/');
    expect(byId.get('ska-jupyterhub')?.url).not.toContain('127.0.0.1');
    expect(facilities.length).toBeGreaterThanOrEqual(6);
  });
});
