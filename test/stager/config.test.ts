import { describe, expect, it } from 'vitest';
import { parseHostPattern } from '../../catalog/contract/index.js';
import { hostAllowed, hostPatterns, parseStagerConfig } from '../../stager/config.js';

const FILE = 'stager.yaml';

function allowed(allowHosts: string[], url: string): boolean {
  const { config, problems } = parseStagerConfig(JSON.stringify({ allowHosts }), FILE);
  expect(problems).toEqual([]);
  return hostAllowed(new URL(url), hostPatterns(config!));
}

describe('stager configuration', () => {
  it('defaults: no host allowed, execute off, limits set', () => {
    const { config, problems } = parseStagerConfig('', FILE);
    expect(problems).toEqual([]);
    expect(config).toMatchObject({ allowHosts: [], execute: false, limits: { maxDatasets: 50, headTimeoutMs: 3000 } });
  });

  it('reports each mistake with its line and column, like facilities.yaml', () => {
    const text = ['hubUrl: https://hub.example.org/', 'allowHosts:', '  - data.example.org', '  - "*.internal"', '  - "https://x.org/path"', 'execute: yes please', 'limit: {}', ''].join('\n');
    const { config, problems } = parseStagerConfig(text, FILE);
    expect(config).toBeNull();
    const lines = problems.map((problem) => problem.text);
    expect(lines).toEqual([
      expect.stringMatching(/^stager\.yaml:4:5: allowHosts\[1\]: "\*\.internal": a wildcard matches public hosts only, and this one would cover a private-network address/),
      expect.stringMatching(/^stager\.yaml:5:5: allowHosts\[2\]: "https:\/\/x\.org\/path" is not a host/),
      expect.stringMatching(/^stager\.yaml:6:10: execute: expected true or false, got a string/),
      expect.stringMatching(/^stager\.yaml:7:1: .*limit/),
    ]);
  });

  it('refuses aliases and unknown keys', () => {
    const { problems } = parseStagerConfig('allowHosts: &a [x.org]\nexecute: true\nother: *a\n', FILE);
    expect(problems.map((problem) => problem.message).join('\n')).toMatch(/alias \*a is not allowed/);
  });

  it('exact entries, ports and public wildcards', () => {
    expect(allowed(['data.example.org'], 'https://data.example.org/x.fits')).toBe(true);
    expect(allowed(['data.example.org'], 'https://data.example.org:8443/x.fits')).toBe(true);
    expect(allowed(['data.example.org:8443'], 'https://data.example.org/x.fits')).toBe(false);
    expect(allowed(['data.example.org:443'], 'https://data.example.org/x.fits')).toBe(true);
    expect(allowed(['*.example.org'], 'https://a.b.example.org/x')).toBe(true);
    expect(allowed(['*.example.org'], 'https://example.org/x')).toBe(false);
    expect(allowed(['*.example.org'], 'https://evilexample.org/x')).toBe(false);
    expect(allowed(['*.example.org'], 'https://example.org.evil.net/x')).toBe(false);
    expect(allowed(['DATA.Example.org'], 'https://data.example.ORG/x')).toBe(true);
  });

  it('loopback, private and link-local hosts only when listed one by one', () => {
    expect(allowed(['*.example.org'], 'http://127.0.0.1:8000/x')).toBe(false);
    expect(allowed([], 'http://localhost/x')).toBe(false);
    expect(allowed(['127.0.0.1'], 'http://127.0.0.1:8000/x')).toBe(true);
    expect(allowed(['127.0.0.1:8000'], 'http://127.0.0.1:8001/x')).toBe(false);
    // however the address is written, the URL parser normalises it before the comparison
    expect(allowed(['127.0.0.1'], 'http://2130706433/x')).toBe(true);
    expect(allowed(['[::1]:8080'], 'http://[::1]:8080/x')).toBe(true);
    expect(allowed(['10.0.0.5'], 'http://169.254.169.254/latest/meta-data')).toBe(false);
    for (const entry of ['*.local', '*.localhost', '*.internal', '*.org', '*.10.0.0.1', '*.example.org:443', 'a b', 'user@host', 'host/path', '*.']) {
      expect('error' in parseHostPattern(entry), entry).toBe(true);
    }
  });
});
