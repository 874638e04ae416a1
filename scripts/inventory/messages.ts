// Words for schema facts: what a pattern means, what a JSON type is called, how a found value reads.
// Kept apart from the ajv translation so cross-field checks can describe values the same way.
import { DNS1035_LABEL, DNS1123_LABEL, DNS1123_SUBDOMAIN, IMAGE_REPOSITORY, QUANTITY, VERSION_PIN } from './schema.ts';

export const DNS1123_LABEL_WORDS =
  "a DNS-1123 label (lowercase letters, digits and '-', starting and ending alphanumeric, at most 63 characters)";

/** Each schema pattern in words; a regular expression is not something to show a person editing YAML. */
const PATTERN_WORDS: ReadonlyMap<string, string> = new Map([
  [DNS1123_LABEL, DNS1123_LABEL_WORDS],
  [
    DNS1035_LABEL,
    "a DNS-1035 label, because it becomes a Service name (a lowercase letter first, then lowercase letters, digits or '-', ending alphanumeric, at most 63 characters)",
  ],
  [DNS1123_SUBDOMAIN, "a DNS-1123 subdomain (DNS-1123 labels joined by '.', lowercase)"],
  [QUANTITY, 'a Kubernetes quantity such as "250m", "1" or "512Mi"'],
  [VERSION_PIN, 'a version pin: an image tag, not "latest", optionally followed by @sha256:<64 hex digits>'],
  [IMAGE_REPOSITORY, 'an image repository without tag or digest, such as "ghcr.io/org/name"'],
  ['^https://', 'an https:// URL'],
]);

export const patternWords = (pattern: string): string =>
  PATTERN_WORDS.get(pattern) ?? `a string matching ${pattern}`;

const TYPE_WORDS: Readonly<Record<string, string>> = {
  string: 'string',
  integer: 'integer',
  number: 'number',
  boolean: 'boolean (true or false)',
  object: 'mapping',
  array: 'list',
  null: 'nothing',
};

export const typeWords = (type: unknown): string => {
  const types = Array.isArray(type) ? type : [type];
  return types.map((t) => TYPE_WORDS[String(t)] ?? String(t)).join(' or ');
};

const MAX_SHOWN = 60;

/** A found value as a person reads it: `number 1.1`, `"aws-nbl"`, `a list`, `nothing (empty value)`. */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'nothing (empty value)';
  if (typeof value === 'string') {
    const shown = value.length > MAX_SHOWN ? `${value.slice(0, MAX_SHOWN)}…` : value;
    return JSON.stringify(shown);
  }
  if (typeof value === 'number' || typeof value === 'bigint') return `number ${String(value)}`;
  if (typeof value === 'boolean') return `boolean ${String(value)}`;
  if (Array.isArray(value)) return value.length === 0 ? 'an empty list' : `a list of ${value.length}`;
  // YAML 1.1 documents can produce dates, sets and binary data; name them rather than guess.
  if (value instanceof Date) return 'a date';
  if (value instanceof Set || value instanceof Map) return 'a YAML set or ordered map';
  if (typeof value === 'object') return 'a mapping';
  return typeof value;
}

/** English list: `a`, `a and b`, `a, b and c`. */
export function listWords(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1] ?? ''}`;
}
