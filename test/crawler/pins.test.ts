import { describe, expect, it } from 'vitest';
import { PinsError, parsePins } from '../../crawler/corpus/pins.js';

const COMMIT = 'a'.repeat(40);

describe('corpus pins (SOURCES.tsv)', () => {
  it('reads owner/name, commit, branch and date, skipping blank and comment lines', () => {
    const text = `# pins\n\nowner/repo\t${COMMIT}\tmaster\t2024-05-03T16:55:53+02:00\r\nother/x.y\t${'b'.repeat(40)}\tmain\t2026-08-17T08:10:40Z\n`;
    expect(parsePins(text, 'SOURCES.tsv')).toEqual([
      { fullName: 'owner/repo', folder: 'owner__repo', commit: COMMIT, branch: 'master', committedAt: '2024-05-03T16:55:53+02:00' },
      { fullName: 'other/x.y', folder: 'other__x.y', commit: 'b'.repeat(40), branch: 'main', committedAt: '2026-08-17T08:10:40Z' },
    ]);
  });

  it('names the file and line of every bad pin, in one error', () => {
    const text = [`good/one\t${COMMIT}\tmain\t2024-01-01T00:00:00Z`, `bad\t${COMMIT}\tmain\t2024-01-01T00:00:00Z`, `a/b\tabc\tmain\t2024-01-01`, 'a/c\tonly-two', `good/one\t${COMMIT}\tmain\t2024-01-01T00:00:00Z`].join('\n');
    let error: unknown;
    try {
      parsePins(text, 'pins.tsv');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(PinsError);
    const message = (error as Error).message;
    expect(message).toContain('pins.tsv:2: "bad" is not a GitHub owner/name');
    expect(message).toContain('pins.tsv:3: "abc" is not a full 40-character commit id');
    expect(message).toContain('pins.tsv:3: "2024-01-01" is not an ISO 8601 date');
    expect(message).toContain('pins.tsv:4: expected 4 tab-separated fields');
    expect(message).toContain('pins.tsv:5: good/one is pinned twice');
    expect(message).not.toContain('pins.tsv:1:');
  });
});
