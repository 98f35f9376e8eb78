/**
 * Turns zod issues into positioned problems with messages written for the person editing the file:
 * "missing required field", "unknown key … did you mean …", "expected a list, got a mapping".
 */
import { z } from 'zod';
import { problem, type FieldPath, type Problem } from './problem.js';
import type { DocumentSource } from './source.js';

const YAML_TYPE_NAMES: Record<string, string> = {
  array: 'a list',
  object: 'a mapping',
  string: 'a string',
  number: 'a number',
  integer: 'an integer',
  float: 'a number',
  boolean: 'true or false',
  null: 'an empty value',
  undefined: 'nothing',
  date: 'a date',
};

function typeName(type: string): string {
  return YAML_TYPE_NAMES[type] ?? type;
}

function quoted(values: ReadonlyArray<unknown>): string {
  return values.map((value) => JSON.stringify(value)).join(', ');
}

/** Keys an object schema allows at `path` (through optional, refined and list wrappers), or null. */
export function allowedKeys(schema: z.ZodTypeAny, path: FieldPath): string[] | null {
  let current: z.ZodTypeAny | undefined = schema;
  const segments = [...path];
  while (current) {
    if (current instanceof z.ZodEffects) current = current.innerType();
    else if (current instanceof z.ZodOptional || current instanceof z.ZodNullable) current = current.unwrap();
    else if (current instanceof z.ZodDefault) current = current.removeDefault();
    else if (current instanceof z.ZodArray && typeof segments[0] === 'number') {
      segments.shift();
      current = current.element;
    } else if (current instanceof z.ZodObject) {
      if (segments.length === 0) return Object.keys(current.shape as z.ZodRawShape).sort();
      current = (current.shape as z.ZodRawShape)[String(segments.shift())];
    } else return null;
  }
  return null;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i += 1) {
    const row = [i];
    for (let j = 1; j <= b.length; j += 1) {
      row[j] = Math.min(previous[j]! + 1, row[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = row;
  }
  return previous[b.length]!;
}

function unknownKeyMessage(key: string, allowed: string[] | null): string {
  if (!allowed) return `unknown key "${key}"; remove it`;
  const near = allowed
    .map((candidate) => ({ candidate, distance: editDistance(key.toLowerCase(), candidate.toLowerCase()) }))
    .filter(({ distance }) => distance <= 2)
    .sort((a, b) => a.distance - b.distance)[0];
  return near
    ? `unknown key "${key}"; did you mean "${near.candidate}"?`
    : `unknown key "${key}"; allowed keys are ${allowed.join(', ')}`;
}

function unionMessage(issue: z.ZodInvalidUnionIssue): string {
  const reasons = new Set<string>();
  for (const error of issue.unionErrors) {
    for (const inner of error.issues) {
      if (inner.path.length === issue.path.length) reasons.add(messageOf(inner));
    }
  }
  return reasons.size > 0 ? `matches none of the allowed forms: ${[...reasons].join('; or ')}` : 'matches none of the allowed forms';
}

function messageOf(issue: z.ZodIssue): string {
  switch (issue.code) {
    case z.ZodIssueCode.invalid_type:
      return `expected ${typeName(issue.expected)}, got ${typeName(issue.received)}`;
    case z.ZodIssueCode.invalid_enum_value:
      return `${JSON.stringify(issue.received)} is not allowed; use one of ${quoted(issue.options)}`;
    case z.ZodIssueCode.invalid_literal:
      return `must be ${JSON.stringify(issue.expected)}`;
    case z.ZodIssueCode.invalid_union:
      return unionMessage(issue);
    case z.ZodIssueCode.invalid_union_discriminator:
      return `unknown kind; use one of ${quoted(issue.options)}`;
    default:
      return issue.message;
  }
}

/** Every issue as a problem located in `source`; `base` prefixes paths when the value was checked piecewise. */
export function issuesToProblems(issues: z.ZodIssue[], source: DocumentSource, schema: z.ZodTypeAny, base: FieldPath = []): Problem[] {
  const problems: Problem[] = [];
  for (const issue of issues) {
    const path = [...base, ...issue.path];
    if (issue.code === z.ZodIssueCode.unrecognized_keys) {
      const allowed = allowedKeys(schema, issue.path);
      for (const key of issue.keys) {
        const keyPath = [...path, key];
        problems.push(problem(source.file, source.locate(keyPath, { key: true }).position, keyPath, unknownKeyMessage(key, allowed)));
      }
      continue;
    }
    const located = source.locate(path);
    const missing = issue.code === z.ZodIssueCode.invalid_type && issue.received === 'undefined' && !located.found;
    const message = missing ? `missing required field "${String(path[path.length - 1])}"` : messageOf(issue);
    problems.push(problem(source.file, located.position, path, message));
  }
  return problems;
}
