import { describe, expect, it } from 'vitest';
import { fromCitationCff, fromCodemeta } from '../../crawler/extract/citation.js';
import { detectLicense, normaliseLicense } from '../../crawler/extract/license.js';

const MIT = `MIT License\n\nCopyright (c) 2020 Someone\n\nPermission is hereby granted, free of charge, to any person obtaining a copy\nof this software ... The above copyright notice and this permission notice shall be included in all\ncopies or substantial portions of the Software.`;
const BSD3 = 'Redistribution and use in source and binary forms, with or without modification, are permitted ... 3. Neither the name of the copyright holder nor the names of its contributors may be used';
const BSD2 = 'Redistribution and use in source and binary forms, with or without modification, are permitted ... THIS SOFTWARE IS PROVIDED BY THE COPYRIGHT HOLDERS AND CONTRIBUTORS "AS IS"';
const GPL3 = '                    GNU GENERAL PUBLIC LICENSE\n                       Version 3, 29 June 2007\n';

describe('detectLicense', () => {
  it.each([
    [MIT, 'MIT'],
    [BSD3, 'BSD-3-Clause'],
    [BSD2, 'BSD-2-Clause'],
    ['                                 Apache License\n                           Version 2.0, January 2004', 'Apache-2.0'],
    [GPL3, 'GPL-3.0'],
    [`This program is free software: you can redistribute it ... either version 3 of the License, or (at your option) any later version.\n\n${GPL3}`, 'GPL-3.0-or-later'],
    ['GNU LESSER GENERAL PUBLIC LICENSE\n Version 2.1, February 1999', 'LGPL-2.1'],
    ['Mozilla Public License Version 2.0', 'MPL-2.0'],
    ['Creative Commons Legal Code\n\nCC0 1.0 Universal', 'CC0-1.0'],
    ['Attribution 4.0 International', 'CC-BY-4.0'],
    ['This is free and unencumbered software released into the public domain.', 'Unlicense'],
  ])('%#: → %s', (text, id) => {
    expect(detectLicense(text)).toBe(id);
  });
  it('says null for an unknown text', () => {
    expect(detectLicense('All rights reserved. Ask us first.')).toBeNull();
  });
});

describe('normaliseLicense', () => {
  it('maps SPDX URLs and common names, refuses NOASSERTION and junk', () => {
    expect(normaliseLicense('https://spdx.org/licenses/Apache-2.0')).toBe('Apache-2.0');
    expect(normaliseLicense('http://opensource.org/licenses/MIT')).toBe('MIT');
    expect(normaliseLicense('MIT License')).toBe('MIT');
    expect(normaliseLicense(['MIT', 'Apache-2.0'])).toBe('MIT OR Apache-2.0');
    expect(normaliseLicense('NOASSERTION')).toBeNull();
    expect(normaliseLicense('<script>')).toBeNull();
    expect(normaliseLicense(42)).toBeNull();
  });
});

describe('codemeta.json and CITATION.cff', () => {
  it('reads codemeta authors, licence, keywords, description, homepage', () => {
    const meta = fromCodemeta({
      '@context': 'https://doi.org/10.5063/schema/codemeta-2.0',
      author: [{ '@type': 'Person', givenName: 'Ada', familyName: 'Lovelace' }, { '@type': 'Organization', name: 'ESCAPE' }],
      license: 'https://spdx.org/licenses/BSD-3-Clause',
      keywords: 'astronomy, jupyter-notebook',
      description: '<p>Analysis of <b>VO</b> data</p>',
      codeRepository: 'https://github.com/x/y',
      url: 'javascript:alert(1)',
    });
    expect(meta).toEqual({
      authors: ['Ada Lovelace', 'ESCAPE'],
      license: 'BSD-3-Clause',
      keywords: ['astronomy', 'jupyter-notebook'],
      description: 'Analysis of VO data',
      homepage: 'https://github.com/x/y',
    });
  });
  it('reads CITATION.cff persons and entities', () => {
    const meta = fromCitationCff('cff-version: 1.2.0\nauthors:\n  - family-names: Herschel\n    given-names: Caroline\n  - name: "The Astropy Project"\nlicense: MIT\nkeywords: [astronomy]\nabstract: Tools for astronomy.\nurl: https://www.astropy.org\n');
    expect(meta).toEqual({ authors: ['Caroline Herschel', 'The Astropy Project'], license: 'MIT', keywords: ['astronomy'], description: 'Tools for astronomy.', homepage: 'https://www.astropy.org/' });
  });
});

describe('a crawled homepage passes the one web URL rule', () => {
  it('keeps a plain https homepage and refuses look-alike, controlled or credentialed ones', () => {
    expect(fromCodemeta({ url: ' https://www.astropy.org ' }).homepage).toBe('https://www.astropy.org/');
    // Cyrillic letters that all look Latin, under .org: a look-alike of "apple.org".
    expect(fromCodemeta({ url: 'https://аррӏе.org/' }).homepage).toBeNull();
    expect(fromCodemeta({ url: 'https://astropy.org/\u202egnp.exe' }).homepage).toBeNull();
    expect(fromCodemeta({ url: 'https://user:pw@astropy.org/' }).homepage).toBeNull();
    expect(fromCitationCff('url: "https:astropy.org/"\n').homepage).toBeNull();
    // The next candidate is used when the first is refused.
    expect(fromCodemeta({ url: 'javascript:alert(1)', codeRepository: 'https://github.com/astropy/astropy' }).homepage).toBe('https://github.com/astropy/astropy');
  });
});
