import { describe, expect, it } from 'vitest';
import { MAX_JSON_DEPTH, decodeText, parseJson } from '../../crawler/extract/json.js';

describe('decodeText', () => {
  it('drops a UTF-8 byte order mark with a warning', () => {
    const decoded = decodeText(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"a":1}')]));
    expect(decoded.text).toBe('{"a":1}');
    expect(decoded.warnings[0]).toMatch(/byte order mark/);
  });
  it('replaces invalid UTF-8 and says so', () => {
    const decoded = decodeText(Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xe9, 0x22, 0x7d])); // {"a":"é"} in Latin-1
    expect(decoded.text).toBe('{"a":"\ufffd"}');
    expect(decoded.warnings[0]).toMatch(/not valid UTF-8/);
  });
  it('recognises UTF-16', () => {
    expect(decodeText(Buffer.from('\ufeff{}', 'utf16le')).warnings[0]).toMatch(/UTF-16/);
  });
  it('is silent on clean UTF-8', () => {
    expect(decodeText(Buffer.from('{"ü":"✓"}')).warnings).toEqual([]);
  });
});

describe('parseJson', () => {
  it('reports line and column of a syntax error', () => {
    const result = parseJson('{\n "a": 1,\n "b": ]\n}');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatch(/line 3, column \d+/);
  });
  it('calls a truncated file truncated', () => {
    const result = parseJson('{"cells": [{"cell_type": "code", "source": "imp');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatch(/truncated|ends early/);
  });
  it('warns about duplicate keys, naming them, and keeps the last value as Jupyter does', () => {
    const result = parseJson('{"nbformat": 3, "metadata": {"title": "a", "title": "b"}, "nbformat": 4}');
    expect(result.ok).toBe(true);
    if (result.ok) {
      expect(result.value).toEqual({ nbformat: 4, metadata: { title: 'b' } });
      expect(result.warnings[0]).toMatch(/duplicate JSON keys \("title", "nbformat"\)/);
    }
  });
  it('does not mistake quotes and colons inside strings for keys', () => {
    const result = parseJson('{"a": "x\\": y", "b": ["\\\\", "c:"], "d": {"a": 1}}');
    expect(result.ok && result.warnings).toEqual([]);
  });
  it('survives absurd nesting with a warning', () => {
    const depth = 100_000;
    const result = parseJson(`${'['.repeat(depth)}${']'.repeat(depth)}`);
    expect(result.ok).toBe(true);
    expect(result.warnings.join()).toMatch(new RegExp(`nested ${depth} levels.*more than ${MAX_JSON_DEPTH}`));
  });
});

describe('parseJson error positions', () => {
  it.each([
    ['{"a": 1,}', 1, 9, /property name/],
    ['{"a" 1}', 1, 6, /":"/],
    ['[1, 2', 1, 6, /ends early/],
    ['{"a": [1, 2}', 1, 12, /"," or "]"/],
    ['{"a": tru}', 1, 7, /a value/],
    ['{} x', 1, 4, /nothing after/],
  ])('%s → line %i, column %i', (text, line, column, reason) => {
    const result = parseJson(text);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error).toContain(`line ${line}, column ${column}`);
      expect(result.error).toMatch(reason);
    }
  });
  it('never quotes a whole large input in the message', () => {
    const result = parseJson(`{"a": "${'x'.repeat(100_000)}", }`);
    expect(!result.ok && result.error.length).toBeLessThan(300);
  });
});
