/** The generic YAML validator other files (catalog/sources.yaml) reuse: positions through nesting and unions. */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { validateYaml } from '../../catalog/validate/index.js';

const Config = z
  .object({
    sources: z
      .array(
        z.union([z.object({ github: z.string().min(1) }).strict(), z.object({ git: z.string().url() }).strict()]),
      )
      .min(1),
    settings: z.object({ concurrency: z.number().int().positive(), mode: z.enum(['fast', 'polite']) }).strict().optional(),
  })
  .strict();

describe('validateYaml', () => {
  it('returns the data of a valid document', () => {
    const { data, problems } = validateYaml('sources:\n  - github: astropy\nsettings: { concurrency: 4, mode: fast }\n', 'c.yaml', Config);
    expect(problems).toEqual([]);
    expect(data).toEqual({ sources: [{ github: 'astropy' }], settings: { concurrency: 4, mode: 'fast' } });
  });

  it('locates problems inside nested mappings, flow collections and lists', () => {
    const text = ['sources:', '  - github: astropy', '  - gti: https://x.example.org/', 'settings:', '  concurrency: -1', '  mode: slow', '  extra: 1', ''].join('\n');
    const { data, problems } = validateYaml(text, 'c.yaml', Config);
    expect(data).toBeNull();
    expect(problems.map((p) => `${p.line}:${p.col} ${p.path}`)).toEqual([
      '3:5 sources[1]',
      '5:16 settings.concurrency',
      '6:9 settings.mode',
      '7:3 settings.extra',
    ]);
    expect(problems[0]!.message).toMatch(/^matches none of the allowed forms: /);
    expect(problems[2]!.message).toBe('"slow" is not allowed; use one of "fast", "polite"');
    expect(problems[3]!.message).toBe('unknown key "extra"; allowed keys are concurrency, mode');
  });

  it('a missing top-level field points at the document', () => {
    const { problems } = validateYaml('settings: { concurrency: 1, mode: fast }\n', 'c.yaml', Config);
    expect(problems.map((p) => p.text)).toEqual(['c.yaml:1:1: sources: missing required field "sources"']);
  });

  it('refuses aliases by default, and reads them when allowed', () => {
    const text = 'sources:\n  - &s { github: astropy }\n  - *s\n';
    expect(validateYaml(text, 'c.yaml', Config).problems.map((p) => p.text)).toEqual([
      'c.yaml:3:5: sources[1]: alias *s is not allowed here; write the value out in full',
    ]);
    expect(validateYaml(text, 'c.yaml', Config, { aliases: true }).data).toEqual({ sources: [{ github: 'astropy' }, { github: 'astropy' }] });
  });

  it('a refused alias does not hide the other problems of the file', () => {
    const text = 'sources:\n  - &s { github: astropy }\n  - *s\nsettings: { concurrency: 0, mode: fast }\n';
    const { data, problems } = validateYaml(text, 'c.yaml', Config);
    expect(data).toBeNull();
    expect(problems.map((p) => `${p.line}:${p.col} ${p.path}`)).toEqual(['3:5 sources[1]', '4:26 settings.concurrency']);
  });
});
