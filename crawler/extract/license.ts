/**
 * SPDX identifiers: detected from a licence text by the phrases that define each common licence (the way
 * licensee/GitHub tell them apart), and normalised from what codemeta/CITATION.cff/forges write
 * ("https://spdx.org/licenses/MIT", "MIT License", "NOASSERTION").
 */

type Signature = { id: string; all: RegExp[]; none?: RegExp[] };

/** Most specific first: LGPL/AGPL before GPL, BSD-3 before BSD-2, CC-BY-SA before CC-BY. */
const SIGNATURES: Signature[] = [
  { id: 'AGPL-3.0', all: [/GNU AFFERO GENERAL PUBLIC LICENSE/i, /Version 3/i] },
  { id: 'LGPL-3.0', all: [/GNU LESSER GENERAL PUBLIC LICENSE/i, /Version 3/i] },
  { id: 'LGPL-2.1', all: [/GNU LESSER GENERAL PUBLIC LICENSE/i, /Version 2\.1/i] },
  { id: 'GPL-3.0', all: [/GNU GENERAL PUBLIC LICENSE/i, /Version 3/i] },
  { id: 'GPL-2.0', all: [/GNU GENERAL PUBLIC LICENSE/i, /Version 2/i] },
  { id: 'Apache-2.0', all: [/Apache License/i, /Version 2\.0/i] },
  { id: 'MPL-2.0', all: [/Mozilla Public License,? (?:Version|v\.?) ?2\.0/i] },
  { id: 'EPL-2.0', all: [/Eclipse Public License (?:-? ?v ?|Version )2\.0/i] },
  { id: 'BSD-3-Clause', all: [/Redistribution and use in source and binary forms/i, /Neither the name|names of (its|the) contributors/i] },
  { id: 'BSD-2-Clause', all: [/Redistribution and use in source and binary forms/i, /THIS SOFTWARE IS PROVIDED BY/i] },
  { id: 'MIT', all: [/Permission is hereby granted, free of charge, to any person obtaining a copy/i, /The above copyright notice and this permission notice shall be included/i] },
  { id: 'ISC', all: [/Permission to use, copy, modify, and\/or distribute this software for any purpose with or without fee is hereby granted/i] },
  { id: 'BSL-1.0', all: [/Boost Software License - Version 1\.0/i] },
  { id: 'Unlicense', all: [/This is free and unencumbered software released into the public domain/i] },
  { id: 'CC0-1.0', all: [/CC0 1\.0 Universal/i] },
  { id: 'CC-BY-SA-4.0', all: [/Attribution-ShareAlike 4\.0 International/i] },
  { id: 'CC-BY-4.0', all: [/Attribution 4\.0 International/i], none: [/NonCommercial|NoDerivatives|ShareAlike/i] },
  { id: 'Zlib', all: [/This software is provided 'as-is', without any express or implied/i, /altered source versions must be plainly marked/i] },
  { id: 'WTFPL', all: [/DO WHAT THE FUCK YOU WANT TO PUBLIC LICENSE/i] },
];

/** The SPDX id of a licence file's text, or null when it is none of the common licences. */
export function detectLicense(text: string): string | null {
  // The defining phrases are all near the top; a project notice before the text is rarely longer than this.
  const head = text.slice(0, 8_000).replace(/\s+/g, ' ');
  for (const signature of SIGNATURES) {
    if (signature.all.every((pattern) => pattern.test(head)) && !(signature.none ?? []).some((pattern) => pattern.test(head))) {
      return refineGpl(signature.id, head);
    }
  }
  return null;
}

/**
 * GPL-family texts are the same for "-only" and "-or-later"; only a project's notice above the licence body
 * ("…or (at your option) any later version") tells them apart. Without one we say what GitHub says: "GPL-3.0".
 */
function refineGpl(id: string, text: string): string {
  if (!id.includes('GPL')) return id;
  const body = text.search(/GNU (?:AFFERO |LESSER )?GENERAL PUBLIC LICENSE/i);
  const notice = body > 0 ? text.slice(0, body) : '';
  return /or \(at your option\) any later version/i.test(notice) ? `${id}-or-later` : id;
}

const SPDX_SHAPE = /^[A-Za-z0-9.+\-() ]{1,100}$/;
const COMMON_NAMES: Record<string, string> = {
  'mit license': 'MIT',
  mit: 'MIT',
  'bsd 3-clause': 'BSD-3-Clause',
  'bsd-3': 'BSD-3-Clause',
  'bsd 2-clause': 'BSD-2-Clause',
  'apache 2.0': 'Apache-2.0',
  'apache license 2.0': 'Apache-2.0',
  'apache-2': 'Apache-2.0',
  gplv3: 'GPL-3.0',
  gplv2: 'GPL-2.0',
};

/** A licence as written in metadata → SPDX id (or expression), or null for "NOASSERTION", "other", URLs we cannot map. */
export function normaliseLicense(value: unknown): string | null {
  if (Array.isArray(value)) {
    const ids = value.map(normaliseLicense).filter((id): id is string => id !== null);
    return ids.length ? (ids.length === 1 ? ids[0]! : ids.join(' OR ')).slice(0, 100) : null;
  }
  if (typeof value !== 'string') return null;
  let text = value.trim();
  const spdxUrl = /^https?:\/\/(?:spdx\.org\/licenses|opensource\.org\/licenses?)\/([A-Za-z0-9.+-]+?)(?:\.html|\.php)?\/?$/i.exec(text);
  if (spdxUrl) text = spdxUrl[1]!;
  if (!text || /^(NOASSERTION|NONE|other|unknown)$/i.test(text)) return null;
  const common = COMMON_NAMES[text.toLowerCase()];
  if (common) return common;
  return SPDX_SHAPE.test(text) && !/\s{2}/.test(text) && text.split(' ').length <= 7 ? text : null;
}
