import { describe, expect, it } from 'vitest';
import { readmeDescription } from '../../crawler/extract/readme.js';

describe('readmeDescription', () => {
  it('takes the first paragraph of prose of a markdown README, past the title and badges', () => {
    const text = '# Project\n\n[![Binder](https://mybinder.org/badge_logo.svg)](https://mybinder.org/v2/gh/x/y/HEAD)\n\nA *catalog* of [VO](https://ivoa.net) notebooks &amp; tools.\n\nMore.';
    expect(readmeDescription('README.md', text)).toBe('A catalog of VO notebooks & tools.');
  });
  it('reads reStructuredText: skips title adornments, directives and substitutions', () => {
    const text = '=======\nProject\n=======\n\n.. image:: https://x/badge.svg\n   :target: https://x\n\n|badge|\n\nThis project provides `tools <https://x.org>`_ for *astronomers*.\n';
    expect(readmeDescription('README.rst', text)).toBe('This project provides tools for astronomers.');
  });
  it('reads plain text, and says null when there is no prose', () => {
    expect(readmeDescription('README', 'TITLE\n\nPlain words about it.')).toBe('Plain words about it.');
    expect(readmeDescription('README.md', '# Only\n\n![img](x.png)')).toBeNull();
  });
  it('cuts a long paragraph at 300 characters on a word boundary', () => {
    const description = readmeDescription('README.md', `${'word '.repeat(200)}`)!;
    expect(description.length).toBeLessThanOrEqual(300);
    expect(description.endsWith('…')).toBe(true);
  });
});
