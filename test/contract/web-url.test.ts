/**
 * The one web URL rule (catalog/contract/web-url.ts): the contract (WebUrl, and the facility validator through
 * it) and the site's link gate (safeWebUrl) agree on every URL of a table of hostile and honest ones, and each
 * refusal says what is wrong and what to do, at the line and column of the value.
 */
import { describe, expect, it } from 'vitest';
import { Facility, WebUrl, checkWebUrl, type WebUrlRefusal } from '../../catalog/contract/index.js';
import { validateFacilities } from '../../catalog/validate/index.js';
import { safeWebUrl } from '../../site/lib/launch/safe-url.js';
import { facilityYaml, where } from './helpers.js';

const check = (text: string) => validateFacilities(text, 'facilities.yaml');

/** Hostile URLs, why each is refused, and a piece of the message that tells the maintainer what to do. */
const HOSTILE: Array<[string, WebUrlRefusal, string]> = [
  ['https:hub.example.org/', 'not-written-out', 'must be written out as "https://" followed by the host'],
  ['HTTPS:hub.example.org/', 'not-written-out', 'must be written out as "https://"'],
  ['https:/hub.example.org/', 'not-written-out', 'must be written out as "https://"'],
  ['https:\\\\hub.example.org\\', 'not-written-out', 'must be written out as "https://"'],
  ['https:///hub.example.org/', 'not-written-out', 'must be written out as "https://"'],
  ['http:\\\\hub.example.org/', 'not-written-out', 'must be written out as "http://"'],
  ['https://hub.example.org\\@evil.example.com/', 'backslash', 'backslash, which browsers read as "/"'],
  ['https://hub.example.org/a\\b', 'backslash', 'write "/" (or %5C'],
  ['https://hub.example.org/\u202egnp.exe', 'invisible', 'text-direction (bidi) control (U+202E)'],
  ['https://\u2066hub.example.org/', 'invisible', 'bidi'],
  ['https://hub.example.org\u200b/', 'invisible', 'invisible or control character (U+200B) at character 24'],
  ['https://hub.exam\u00adple.org/', 'invisible', 'U+00AD'],
  ['https://hub.example.org/\u3000', 'invisible', 'space or line break (U+3000)'],
  ['https://exa mple.org/', 'invisible', 'space or line break (U+0020) at character 12'],
  [' https://hub.example.org/', 'invisible', 'at character 1'],
  ['https://hub.example.org/\n', 'invisible', 'line break'],
  ['https://user@hub.example.org/', 'credentials', 'must not carry credentials'],
  ['https://mybinder.org:x@evil.example.com/', 'credentials', 'remove the part before "@"'],
  ['https://@hub.example.org/', 'credentials', 'must not carry credentials'],
  ['https://0x7f.1/', 'host-rewritten', 'is read by browsers as "127.0.0.1"; write "127.0.0.1"'],
  ['https://2130706433/', 'host-rewritten', 'read by browsers as "127.0.0.1"'],
  ['https://0177.0.0.1/', 'host-rewritten', 'read by browsers as "127.0.0.1"'],
  ['https://[0:0:0:0:0:0:0:1]/', 'host-rewritten', 'read by browsers as "[::1]"'],
  ['https://%68ub.example.org/', 'host-rewritten', 'read by browsers as "hub.example.org"'],
  ['https://ｈｕｂ.example.org/', 'host-rewritten', 'read by browsers as "hub.example.org"'],
  ['https://hub\u3002example.org/', 'host-rewritten', 'read by browsers as "hub.example.org"'],
  ['https://\u0430pple.com/', 'idn-mixed-scripts', 'mixes Cyrillic and Latin letters'],
  ['https://xn--pple-43d.com/', 'idn-mixed-scripts', 'the host label "\u0430pple" mixes Cyrillic and Latin'],
  ['https://s\u043eny.jp/', 'idn-mixed-scripts', 'type it in Latin letters'],
  ['https://\u0440\u0430y\u0440\u0430l.com/', 'idn-mixed-scripts', 'Cyrillic and Latin'],
  ['https://\u0430\u0440\u0440\u04cf\u0435.com/', 'idn-lookalike', 'Cyrillic letters that all look like the Latin "apple"'],
  ['https://xn--80ak6aa92e.com/', 'idn-lookalike', 'look like the Latin "apple"'],
  ['https://\u03b1\u03ba\u03bf.org/', 'idn-lookalike', 'Greek letters that all look like the Latin "ako"'],
  ['https://xn--abc-.com/', 'idn-invalid', 'not valid punycode'],
  ['https://xn--a.com/', 'unparsable', 'is not a valid URL'],
  ['https://hub.example.org:99999/', 'unparsable', 'check the host name and the port'],
  ['javascript:alert(1)', 'scheme', 'URL scheme "javascript:" is not allowed'],
  ['JaVaScRiPt:alert(1)', 'scheme', '"javascript:"'],
  ['data:text/html,<script>alert(1)</script>', 'scheme', '"data:"'],
  ['file:///etc/passwd', 'scheme', '"file:"'],
  ['ftp://hub.example.org/', 'scheme', '"ftp:"'],
  ['//evil.example.org/', 'not-absolute', 'is not an absolute URL; write it in full'],
  ['hub.example.org', 'not-absolute', 'write it in full, e.g. "https://example.org/"'],
  ['ｊａｖａｓｃｒｉｐｔ:alert(1)', 'not-absolute', 'not an absolute URL'],
];

/** Honest URLs: every part of the project accepts them. */
const HONEST = [
  'https://mybinder.org/',
  'https://Hub.Example.org/x?y=1#z',
  'HTTPS://hub.example.org/',
  'https://hub.example.org:8443/hub/',
  'https://example.org./',
  'https://b\u00fccher.de/',
  'https://xn--bcher-kva.de/',
  'https://\u043f\u0440\u0438\u043c\u0435\u0440.\u0440\u0444/',
  'https://\u03c0\u03b1\u03c1\u03ac\u03b4\u03b5\u03b9\u03b3\u03bc\u03b1.gr/',
  'https://\u65e5\u672c\u8a9e.jp/',
  'https://\u30bd\u30cb\u30fc.co.jp/',
  'https://[2606:4700::1111]/',
  'http://127.0.0.1:8000/hub/',
  'https://hub.example.org/a%20b/%5C?q=a%2Fb',
];

describe('the one web URL rule', () => {
  it.each(HOSTILE)('refuses %j (%s)', (value, refusal, advice) => {
    const verdict = checkWebUrl(value);
    expect(verdict.ok ? 'accepted' : verdict.refusal).toBe(refusal);
    if (!verdict.ok) expect(verdict.message).toContain(advice);
  });

  it('refuses a URL over 2,048 characters', () => {
    expect(checkWebUrl(`https://hub.example.org/${'a'.repeat(2100)}`)).toMatchObject({ ok: false, refusal: 'too-long', message: 'is 2124 characters long; a URL may have at most 2048' });
  });

  it.each(HONEST)('accepts %j', (value) => {
    expect(checkWebUrl(value)).toMatchObject({ ok: true });
  });

  it('the contract and the site agree on every URL of the table', () => {
    const disagreements = [...HOSTILE.map(([value]) => value), ...HONEST].filter((value) => {
      const contract = WebUrl.safeParse(value).success;
      const site = safeWebUrl(value) !== null;
      // The facility contract, with every network allowance stated, accepts exactly what the site links.
      const facility = Facility.safeParse({
        id: 'a', name: 'A', url: value, plainHttp: true, privateNetwork: true, type: 'jupyterhub', interfaces: ['lab'], defaultInterface: 'lab', access: 'public',
      });
      const facilityUrlOk = facility.success || !facility.error.issues.some((issue) => issue.path[0] === 'url');
      const unicodeWritten = !/(^|[/.])xn--/i.test(value); // facilities.yaml alone asks for the Unicode form
      return contract !== site || (unicodeWritten && facilityUrlOk !== site);
    });
    expect(disagreements).toEqual([]);
  });

  it('the site links the URL a reader sees: host as written, in punycode only where the text had Unicode', () => {
    expect(safeWebUrl('https://b\u00fccher.de/x')?.href).toBe('https://xn--bcher-kva.de/x');
    expect(safeWebUrl('https://Hub.Example.org/')?.href).toBe('https://hub.example.org/');
  });
});

describe('facilities.yaml: each refusal at its line and column, with what to do', () => {
  it.each(HOSTILE.filter(([value]) => !value.includes('\n')))('%j', (value, _refusal, advice) => {
    const { problems, facilities } = check(facilityYaml('a', { url: JSON.stringify(value), plainHttp: 'true', privateNetwork: 'true' }));
    expect(facilities).toEqual([]);
    expect(where(problems)).toContain('3:8 [0].url');
    expect(problems.find((p) => p.path === '[0].url')!.text).toMatch(/^facilities\.yaml:3:8: \[0\]\.url: /);
    expect(problems.find((p) => p.path === '[0].url')!.message).toContain(advice);
  });

  it('HTTP:// in any case is plain http: it needs plainHttp: true', () => {
    for (const url of ['HTTP://a.example.org/', 'Http://a.example.org/']) {
      const { problems } = check(facilityYaml('a', { url }));
      expect(problems.map((p) => p.text)).toEqual([
        'facilities.yaml:3:8: [0].url: must be an https:// URL; if the facility really only serves plain http, add `plainHttp: true`',
      ]);
    }
  });

  it('plainHttp: true covers every URL of its entry (url, staging, docs), and only those', () => {
    const urls = { url: 'http://a.example.org/', staging: 'http://stage.example.org/', docs: 'HTTP://docs.example.org/' };
    expect(where(check(facilityYaml('a', urls)).problems)).toEqual(['3:8 [0].url', '8:12 [0].staging', '9:9 [0].docs']);
    expect(check(facilityYaml('a', { ...urls, plainHttp: 'true' })).problems).toEqual([]);
    // A contact page is https always: it is not part of the hub.
    expect(where(check(facilityYaml('a', { ...urls, plainHttp: 'true', contact: 'http://a.example.org/contact' })).problems)).toEqual(['11:12 [0].contact']);
  });

  it('loopback, private, link-local and reserved hosts only with privateNetwork: true, on any URL of the entry', () => {
    const cases: Array<[Record<string, string>, string, string]> = [
      [{ url: 'https://127.0.0.1:8000/' }, '3:8 [0].url', 'host "127.0.0.1" is a loopback address (this machine)'],
      [{ url: 'https://localhost/' }, '3:8 [0].url', 'loopback'],
      [{ url: 'https://[::1]/' }, '3:8 [0].url', 'loopback'],
      [{ url: 'https://10.1.2.3/' }, '3:8 [0].url', 'a private-network address'],
      [{ url: 'https://jupyter/' }, '3:8 [0].url', 'private-network'],
      [{ url: 'https://hub.corp/' }, '3:8 [0].url', 'private-network'],
      [{ url: 'https://169.254.169.254/' }, '3:8 [0].url', 'a link-local address'],
      [{ url: 'https://hub.test/' }, '3:8 [0].url', 'reserved or non-routable'],
      [{ staging: 'https://192.168.0.5/stage' }, '8:12 [0].staging', 'private-network'],
      [{ docs: 'https://[fe80::1]/' }, '8:9 [0].docs', 'link-local'],
      [{ contact: 'https://intranet.local/help' }, '8:12 [0].contact', 'private-network'],
    ];
    for (const [fields, at, what] of cases) {
      const { problems } = check(facilityYaml('a', fields));
      expect(where(problems), JSON.stringify(fields)).toEqual([at]);
      expect(problems[0]!.message).toContain(what);
      expect(problems[0]!.message).toContain('add `privateNetwork: true`');
      expect(check(facilityYaml('a', { ...fields, privateNetwork: 'true' })).problems, JSON.stringify(fields)).toEqual([]);
    }
  });

  it('a local hub with a local staging service is one honest entry', () => {
    const entry = facilityYaml('local', { url: 'http://127.0.0.1:8000/', staging: 'http://127.0.0.1:8001/stage', plainHttp: 'true', privateNetwork: 'true' });
    expect(check(entry).problems).toEqual([]);
  });

  it('privateNetwork: true on an entry whose every URL is public is refused', () => {
    const { problems } = check(facilityYaml('a', { privateNetwork: 'true' }));
    expect(problems.map((p) => p.text)).toEqual([
      'facilities.yaml:8:19: [0].privateNetwork: every URL of this facility is public; remove `privateNetwork: true` (the facility page would warn users for nothing)',
    ]);
  });

  it('an internationalised name is written in the Unicode form it stands for', () => {
    const { problems } = check(facilityYaml('a', { url: 'https://hub.xn--bcher-kva.de/' }));
    expect(problems.map((p) => p.text)).toEqual([
      'facilities.yaml:3:8: [0].url: host label "xn--bcher-kva" is punycode for "b\u00fccher"; write the host as it reads ("hub.b\u00fccher.de") so reviewers see the name users will',
    ]);
    expect(check(facilityYaml('a', { url: 'https://hub.b\u00fccher.de/' })).problems).toEqual([]);
  });
});
