// Unquoted inventory scalars that YAML 1.1 tools read differently from this loader (YAML 1.2). The loader reads
// `on`, `no`, `1_000` and `1:20` as strings, but go-yaml v2 (sigs.k8s.io/yaml, and so Argo CD and most Go
// tooling), PyYAML and other YAML 1.1 readers read booleans and numbers there, and `010` is 10 here but 8 (octal)
// there. Any tool that reads the inventory besides this one (a script, a linter, an editor plugin) would then see
// other data than `gen` does, so each such scalar is an error asking for the unambiguous spelling.
// Applies to every plain scalar, keys included: the inventory never needs a YAML 1.1 reading, and "which fields
// some tool might read" is not knowable.
import { parse } from 'yaml';
import { yamlToJson11 } from '../argocd/yaml11.ts';
import type { InventoryIssue } from './errors.ts';
import { formatFieldPath } from './field-path.ts';
import type { PlainScalar, YamlSource } from './yaml-source.ts';

/** YAML 1.1's booleans (yaml.org/type/bool.html); YAML 1.2's core schema keeps only true/false. */
const BOOLEANS_11 = new Set([
  'y', 'Y', 'yes', 'Yes', 'YES', 'n', 'N', 'no', 'No', 'NO',
  'true', 'True', 'TRUE', 'false', 'False', 'FALSE', 'on', 'On', 'ON', 'off', 'Off', 'OFF',
]);

/**
 * Whether a YAML 1.1 reading of `text` could differ from YAML 1.2's at all: a word of the boolean table, or text
 * starting like a number (digit, sign, dot). Everything else (`nginx`, `eu-west-1`, `https://…`) is a string in both.
 */
const mayDiffer = (text: string): boolean => BOOLEANS_11.has(text) || /^[-+.0-9]/.test(text);

/**
 * A number whose YAML 1.1 value differs from its YAML 1.2 value is written with a leading zero (`010`, `0o17`);
 * its 1.2 value alone does not show it, so the file's text is searched for one (a hit only costs the full walk).
 */
const LEADING_ZERO_NUMBER = /(?:^|[\s:,[{-])[-+]?0[0-9oO_]/m;

/** Keys and strings of the data that may read differently, or a number with a leading zero in the text. */
function hasCandidates(data: unknown, text: string): boolean {
  const seen = (value: unknown): boolean => {
    if (typeof value === 'string') return mayDiffer(value);
    if (Array.isArray(value)) return value.some(seen);
    if (value !== null && typeof value === 'object') {
      return Object.entries(value).some(([k, v]) => mayDiffer(k) || seen(v));
    }
    return false;
  };
  return seen(data) || LEADING_ZERO_NUMBER.test(text);
}

/** The readings of YAML 1.1 tools: the YAML 1.1 spec (the `yaml` package's 1.1 schema) and go-yaml v2. */
function readings11(text: string): unknown[] {
  const out: unknown[] = [];
  try {
    out.push(parse(text, { version: '1.1', logLevel: 'silent' }));
  } catch {
    // not a scalar on its own: nothing to compare
  }
  try {
    out.push(yamlToJson11(text));
  } catch {
    // go-yaml fails on it (e.g. .nan into JSON): no reading to compare
  }
  return out.filter((r) => r === null || typeof r !== 'object' || r instanceof Date);
}

const same = (a: unknown, b: unknown): boolean => Object.is(a, b) || (typeof a === 'number' && a === b);

const describe11 = (value: unknown): string =>
  value instanceof Date
    ? 'a timestamp'
    : typeof value === 'boolean'
      ? `the boolean ${String(value)}`
      : typeof value === 'number'
        ? `the number ${String(value)}`
        : value === null
          ? 'null'
          : `the string ${JSON.stringify(value)}`;

/** Why a number reads as it does in YAML 1.1, when that is not obvious. */
const why11 = (text: string): string =>
  /^[-+]?0[0-7_]+$/.test(text) ? ' (octal)' : text.includes(':') ? ' (base 60)' : text.includes('_') ? ' (digit separators)' : '';

/** The issue for one plain scalar, or undefined when YAML 1.1 tools read what this loader reads. */
export function yaml11Problem(scalar: Pick<PlainScalar, 'text' | 'value'>): string | undefined {
  const { text, value } = scalar;
  if (typeof value !== 'string' && typeof value !== 'number') return undefined; // booleans and null agree
  if (!mayDiffer(text)) return undefined;
  const readings = readings11(text);
  // A non-string reading is the more surprising one; report it first.
  // For a string, only a non-string reading matters (a differently folded string is not a YAML 1.1 surprise).
  const differing = readings
    .filter((r) => !same(r, value) && (typeof value !== 'string' || typeof r !== 'string'))
    .sort((a, b) => Number(typeof a === 'string') - Number(typeof b === 'string'));
  const other = differing[0];
  if (differing.length === 0) return undefined;
  const tools = 'YAML 1.1 tools (go-yaml v2, PyYAML)';
  if (typeof value === 'string') {
    const alternative = typeof other === 'boolean' ? `, or ${String(other)} for a boolean` : typeof other === 'number' ? `, or ${String(other)} for a number` : '';
    return `${tools} read unquoted ${text} as ${describe11(other)}${why11(text)}: write "${text}" (quoted) for the string${alternative}`;
  }
  return `${tools} read ${text} as ${describe11(other)}${why11(text)}, YAML 1.2 (this loader) as ${value}: write ${String(value)}, or quote it for a string`;
}

/**
 * Issues for the file's plain scalars that YAML 1.1 tools read differently. `reported` holds the issues already
 * found in the file: a scalar the schema already flagged at that spot (`automated: yes` against a boolean field)
 * gets no second issue.
 */
export function yaml11Issues(source: YamlSource, text: string, reported: readonly InventoryIssue[]): InventoryIssue[] {
  if (source.data === undefined || !hasCandidates(source.data, text)) return [];
  const taken = new Set(reported.filter((i) => i.file === source.file).map((i) => `${i.line}:${i.col}`));
  const issues: InventoryIssue[] = [];
  for (const scalar of source.plainScalars()) {
    const problem = yaml11Problem(scalar);
    if (problem === undefined || taken.has(`${scalar.line}:${scalar.col}`)) continue;
    issues.push({ file: source.file, line: scalar.line, col: scalar.col, field: formatFieldPath(scalar.path), message: problem });
  }
  return issues;
}
