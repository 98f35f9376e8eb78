import { describe, expect, it } from 'vitest';
import { classifyHost, isPublicHost } from '../../catalog/contract/index.js';

const hostOf = (url: string) => new URL(url).hostname;

describe('classifyHost: where a host is, by its name alone', () => {
  it('finds loopback however it is written', () => {
    for (const url of ['http://127.0.0.1/', 'http://127.9.9.9:8000/', 'http://0x7f.1/', 'http://2130706433/', 'http://[::1]/', 'http://[::ffff:127.0.0.1]/', 'http://localhost/', 'http://LOCALHOST./', 'http://hub.localhost/']) {
      expect(classifyHost(hostOf(url)), url).toBe('loopback');
    }
  });

  it('finds private, link-local and reserved addresses and intranet names', () => {
    expect(classifyHost(hostOf('http://10.0.0.1/'))).toBe('private');
    expect(classifyHost(hostOf('http://172.16.5.4/'))).toBe('private');
    expect(classifyHost(hostOf('http://192.168.1.1/'))).toBe('private');
    expect(classifyHost(hostOf('http://100.64.0.1/'))).toBe('private');
    expect(classifyHost(hostOf('http://[fd12::1]/'))).toBe('private');
    expect(classifyHost(hostOf('http://intranet/'))).toBe('private');
    expect(classifyHost(hostOf('http://hub.corp/'))).toBe('private');
    expect(classifyHost(hostOf('http://printer.local/'))).toBe('private');
    expect(classifyHost(hostOf('http://169.254.169.254/'))).toBe('link-local');
    expect(classifyHost(hostOf('http://[fe80::1]/'))).toBe('link-local');
    expect(classifyHost(hostOf('http://0.0.0.0/'))).toBe('reserved');
    expect(classifyHost(hostOf('http://224.0.0.1/'))).toBe('reserved');
    expect(classifyHost(hostOf('http://hub.test/'))).toBe('reserved');
  });

  it('leaves public names and addresses public', () => {
    for (const url of ['https://mybinder.org/', 'https://jupyterhub.roe.ac.uk/', 'http://8.8.8.8/', 'https://[2606:4700::1111]/', 'https://hub.example.org/', 'https://xn--80ak6aa92e.com/']) {
      expect(isPublicHost(hostOf(url)), url).toBe(true);
    }
  });
});
