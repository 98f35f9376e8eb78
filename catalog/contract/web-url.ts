/**
 * The one rule for a web URL, shared by the contract (`WebUrl`, and through it `ida-catalog validate`) and the
 * site (`safeWebUrl`, the gate of every outgoing link): what one accepts, the other accepts, so an entry that
 * validates never silently loses its Launch button, and the address a reader sees is the one a browser opens.
 * Pure and browser-safe (the cart runs it).
 *
 * A URL is accepted when
 * - it is a string of at most 2,048 characters with no control, whitespace, zero-width or bidi character;
 * - it is written out in full: `http://` or `https://` (any case), then the host: not `https:host`, `https:/host`,
 *   `https:\\host` or `https:///host`, which browsers "repair" into something the text does not say;
 * - it has no backslash anywhere (browsers read one as `/`) and no `user:password@`;
 * - its host is written the way browsers read it: not `0x7f.1` (read as 127.0.0.1), `%65xample.org`,
 *   full-width letters or other forms that IDNA mapping rewrites;
 * - each internationalised label (written in Unicode or as `xn--` punycode) is valid punycode, is written in a
 *   single script (Latin may mix with Han, Hiragana, Katakana, Bopomofo or Hangul, as Japanese, Chinese and
 *   Korean names do: UTS #39's "highly restrictive" level), and, under a top-level domain in ASCII, is not
 *   made only of Cyrillic, Greek or Armenian letters that look like Latin ones (`аррӏе.com`, which reads
 *   as "apple.com"). A name that really is in one of those scripts is fine: `пример.рф`, `παράδειγμα.gr`.
 *
 * Where a host may be (public, loopback, private) is a separate question: `classifyHost` in host.ts, asked by
 * the facility contract (`privateNetwork`) and the cart.
 */
import punycode from 'punycode/punycode.js';

export const MAX_WEB_URL = 2048;

export type WebUrlRefusal =
  | 'not-text'
  | 'too-long'
  | 'invisible'
  | 'not-absolute'
  | 'scheme'
  | 'not-written-out'
  | 'backslash'
  | 'unparsable'
  | 'credentials'
  | 'no-host'
  | 'host-rewritten'
  | 'idn-invalid'
  | 'idn-mixed-scripts'
  | 'idn-lookalike';

export type WebUrlVerdict = { ok: true; url: URL } | { ok: false; refusal: WebUrlRefusal; message: string };

// C0/C1 controls, whitespace, soft hyphen, zero-width and bidi controls, line/paragraph separators, BOM: harmless to
// URL parsers (which drop or encode them), dangerous to readers.
const INVISIBLE = /[\u0000-\u0020\u007f-\u00a0\u00ad\u061c\u115f\u1160\u1680\u180e\u2000-\u200f\u2028-\u202f\u205f-\u206f\u3000\u3164\ufe00-\ufe0f\ufeff\uffa0]/;
const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;
const WHITESPACE = /[\u0000-\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/u;

function invisibleName(char: string): string {
  const code = `U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
  if (BIDI.test(char)) return `a text-direction (bidi) control (${code}), which can make an address read backwards,`;
  if (WHITESPACE.test(char)) return `a space or line break (${code})`;
  return `an invisible or control character (${code})`;
}

/** The host as the text writes it: between `//` and the first `/`, `?` or `#`, without a port. */
function writtenHost(value: string): string {
  const authority = value.slice(value.indexOf('//') + 2).split(/[/?#]/, 1)[0]!;
  if (authority.startsWith('[')) return authority.slice(0, authority.indexOf(']') + 1);
  return authority.replace(/:\d*$/, '');
}

// Scripts told apart in a host label; a letter in none of them counts as "other". Common (digits, hyphen) and
// Inherited (combining marks) belong to every script.
const SCRIPTS = [
  'Latin', 'Greek', 'Cyrillic', 'Armenian', 'Hebrew', 'Arabic', 'Syriac', 'Thaana', 'Nko', 'Devanagari', 'Bengali',
  'Gurmukhi', 'Gujarati', 'Oriya', 'Tamil', 'Telugu', 'Kannada', 'Malayalam', 'Sinhala', 'Thai', 'Lao', 'Tibetan',
  'Myanmar', 'Georgian', 'Hangul', 'Ethiopic', 'Cherokee', 'Canadian_Aboriginal', 'Ogham', 'Runic', 'Khmer',
  'Mongolian', 'Hiragana', 'Katakana', 'Bopomofo', 'Han', 'Yi', 'Tifinagh', 'Javanese', 'Balinese', 'Vai',
].map((name) => ({ name, pattern: new RegExp(`^\\p{Script=${name}}$`, 'u') }));
const NEUTRAL = /^[\p{Script=Common}\p{Script=Inherited}]$/u;
// UTS #39 "highly restrictive": the combinations real names use.
const ALLOWED_MIXES = [
  new Set(['Latin', 'Han', 'Hiragana', 'Katakana']),
  new Set(['Latin', 'Han', 'Bopomofo']),
  new Set(['Latin', 'Han', 'Hangul']),
];

function scriptsOf(label: string): Set<string> {
  const scripts = new Set<string>();
  for (const char of label) {
    if (NEUTRAL.test(char)) continue;
    scripts.add(SCRIPTS.find((script) => script.pattern.test(char))?.name ?? 'other');
  }
  return scripts;
}

// Letters of Cyrillic, Greek and Armenian that look like a Latin letter in the fonts browsers use for addresses
// (after Chromium's IDN spoof checker and Unicode's confusables.txt), with the letter they look like.
const LOOKALIKES: Record<string, string> = {
  а: 'a', в: 'b', с: 'c', ԁ: 'd', е: 'e', ҽ: 'e', һ: 'h', і: 'i', ј: 'j', к: 'k', ӏ: 'l', м: 'm', п: 'n', о: 'o',
  р: 'p', ԛ: 'q', г: 'r', ѕ: 's', т: 't', ц: 'u', ѵ: 'v', ԝ: 'w', ѡ: 'w', х: 'x', у: 'y', ү: 'y',
  α: 'a', β: 'b', ϲ: 'c', ε: 'e', η: 'n', ι: 'i', κ: 'k', ν: 'v', ο: 'o', ρ: 'p', τ: 't', υ: 'u', χ: 'x', γ: 'y',
  ω: 'w', օ: 'o', ս: 'u', հ: 'h', ո: 'n', ց: 'g', զ: 'q', ա: 'w', ռ: 'n', ք: 'p',
};
const LOOKALIKE_SCRIPTS = new Set(['Cyrillic', 'Greek', 'Armenian']);

/** The Latin word a label looks like, when every letter of it is a look-alike; null otherwise. */
function latinLookalike(label: string): string | null {
  let latin = '';
  let letters = 0;
  for (const char of label) {
    if (NEUTRAL.test(char)) {
      latin += char;
      continue;
    }
    const same = LOOKALIKES[char];
    if (same === undefined) return null;
    latin += same;
    letters += 1;
  }
  return letters > 0 ? latin : null;
}

function decodeLabel(label: string): string | null {
  if (!label.startsWith('xn--')) return label;
  try {
    const unicode = punycode.decode(label.slice(4));
    // A real A-label decodes to something non-ASCII and encodes back to itself.
    if (!/[^\x00-\x7f]/.test(unicode) || `xn--${punycode.encode(unicode)}` !== label) return null;
    return unicode;
  } catch {
    return null;
  }
}

/** A hostname (as URL gives it: lower case, punycode) in the Unicode form it stands for; null if a label is not valid punycode. */
export function unicodeHostname(hostname: string): string | null {
  if (!hostname.includes('xn--')) return hostname;
  const labels = hostname.split('.').map(decodeLabel);
  return labels.every((label) => label !== null) ? labels.join('.') : null;
}

function refuse(refusal: WebUrlRefusal, message: string): WebUrlVerdict {
  return { ok: false, refusal, message };
}

/** Why a host's internationalised labels are refused, or null when they are fine. */
function idnProblem(hostname: string, unicode: string): WebUrlVerdict | null {
  if (hostname.startsWith('[') || /^[\d.]+$/.test(hostname)) return null;
  const labels = unicode.split('.');
  const topLevelIsAscii = !/[^\x00-\x7f]/.test(labels.filter(Boolean).at(-1) ?? '');
  for (const label of labels) {
    if (!/[^\x00-\x7f]/.test(label)) continue;
    const scripts = scriptsOf(label);
    if (scripts.size > 1 && !ALLOWED_MIXES.some((mix) => [...scripts].every((script) => mix.has(script)))) {
      const names = [...scripts].map((name) => name.replace('_', ' ')).join(' and ');
      return refuse(
        'idn-mixed-scripts',
        `the host label "${label}" mixes ${names} letters, the way look-alike addresses are made; write each label in one script (if you meant the Latin name, type it in Latin letters)`,
      );
    }
    const [only] = scripts;
    const latin = only && LOOKALIKE_SCRIPTS.has(only) && topLevelIsAscii ? latinLookalike(label) : null;
    if (latin !== null) {
      return refuse(
        'idn-lookalike',
        `the host label "${label}" is written in ${only} letters that all look like the Latin "${latin}", the way look-alike addresses are made; if you meant "${latin}", type it in Latin letters`,
      );
    }
  }
  return null;
}

/** Checks `value` against the one web URL rule: the parsed URL, or why it is refused and what to do. */
export function checkWebUrl(value: unknown, maxLength = MAX_WEB_URL): WebUrlVerdict {
  if (typeof value !== 'string' || value === '') return refuse('not-text', 'must be a URL, e.g. "https://example.org/"');
  if (value.length > maxLength) return refuse('too-long', `is ${value.length} characters long; a URL may have at most ${maxLength}`);
  const invisible = value.match(INVISIBLE);
  if (invisible) {
    return refuse('invisible', `contains ${invisibleName(invisible[0])} at character ${invisible.index! + 1}; retype the URL by hand (a space in a path is written %20)`);
  }
  const scheme = value.match(/^([a-z][a-z0-9+.-]*):/i)?.[1]?.toLowerCase();
  if (scheme === undefined) return refuse('not-absolute', `"${value}" is not an absolute URL; write it in full, e.g. "https://example.org/"`);
  if (scheme !== 'http' && scheme !== 'https') {
    return refuse('scheme', `URL scheme "${scheme}:" is not allowed; only https (or http where stated) URLs are accepted`);
  }
  if (!/^https?:\/\/[^/\\]/i.test(value)) {
    return refuse('not-written-out', `"${value}" must be written out as "${scheme}://" followed by the host, e.g. "${scheme}://example.org/"; browsers would guess the rest`);
  }
  if (value.includes('\\')) return refuse('backslash', 'contains a backslash, which browsers read as "/"; write "/" (or %5C for a backslash that belongs to the address)');
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return refuse('unparsable', `"${value}" is not a valid URL (check the host name and the port); write it in full, e.g. "https://example.org/"`);
  }
  const hostAsWritten = writtenHost(value);
  if (url.username || url.password || hostAsWritten.includes('@')) {
    return refuse('credentials', 'URL must not carry credentials (user:password@); remove the part before "@" (a reader takes it for the host)');
  }
  if (!url.hostname) return refuse('no-host', `"${value}" has no host; write it in full, e.g. "https://example.org/"`);
  if (url.href.length > maxLength) return refuse('too-long', `is ${url.href.length} characters long once encoded; a URL may have at most ${maxLength}`);
  // The common case, an ASCII host written as browsers read it, needs none of the IDN work below.
  if (!url.hostname.includes('xn--') && hostAsWritten.toLowerCase() === url.hostname) return { ok: true, url };
  const unicode = unicodeHostname(url.hostname);
  if (unicode === null) return refuse('idn-invalid', `the host "${url.hostname}" has a label starting "xn--" that is not valid punycode; write the name in the Unicode form it stands for`);
  const written = hostAsWritten.toLowerCase().normalize('NFC');
  if (written !== unicode && written !== url.hostname && unicodeHostname(written) !== unicode) {
    return refuse('host-rewritten', `the host "${hostAsWritten}" is read by browsers as "${unicode}"; write "${unicode}" so the address says where it goes`);
  }
  return idnProblem(url.hostname, unicode) ?? { ok: true, url };
}
