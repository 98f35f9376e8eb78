import { describe, expect, it } from 'vitest';
import { kernelOf, runtimePlatform } from '../../crawler/extract/kernel.js';
import { code, nb4, normalised } from './helpers.js';

const kernel = (metadata: Record<string, unknown>) => kernelOf(normalised(nb4([code('x')], metadata)).notebook);

describe('kernelOf', () => {
  it('takes kernelspec.language first, lower-cased', () => {
    expect(kernel({ kernelspec: { name: 'ir', display_name: 'R', language: 'R' }, language_info: { name: 'python' } })).toEqual({
      kernel: { name: 'ir', displayName: 'R', language: 'r' },
      language: 'r',
    });
  });
  it('falls back to language_info.name', () => {
    expect(kernel({ language_info: { name: 'Julia' } })).toEqual({ kernel: null, language: 'julia' });
  });
  it.each([
    ['python3', 'python'],
    ['ir', 'r'],
    ['julia-1.9', 'julia'],
    ['xcpp17', 'c++'],
    ['conda-env-astro-py', 'python'],
  ])('infers the language from the kernel name %s', (name, language) => {
    expect(kernel({ kernelspec: { name, display_name: name } }).language).toBe(language);
  });
  it('says null when nothing tells, and ignores a "plaintext" language_info', () => {
    expect(kernel({}).language).toBeNull();
    expect(kernel({ language_info: { name: 'plaintext' } }).language).toBeNull();
  });
  it('reads v3 cell languages', () => {
    const v3 = { nbformat: 3, nbformat_minor: 0, metadata: {}, worksheets: [{ cells: [{ cell_type: 'code', language: 'julia', input: 'x', outputs: [] }] }] };
    expect(kernelOf(normalised(v3).notebook).language).toBe('julia');
  });
});

describe('runtimePlatform', () => {
  it('uses ESAP spellings', () => {
    expect([runtimePlatform('python'), runtimePlatform('r'), runtimePlatform('julia'), runtimePlatform('java'), runtimePlatform(null)]).toEqual(['Python', 'R', 'Julia', 'Java', null]);
  });
});
