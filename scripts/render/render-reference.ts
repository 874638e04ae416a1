// docs/reference/system.md: every field of a system file (inventory/systems/<system>.yaml), generated from the same
// JSON Schema editors and the loader read (system-schema.ts), so the reference cannot miss or misstate a field. The
// walk is generic over the JSON Schema keywords TypeBox emits: a field added to the schema appears here unedited.
import type { TSchema } from '@sinclair/typebox';
import { DNS1035_LABEL, DNS1123_LABEL, DNS1123_SUBDOMAIN, QUANTITY } from '../inventory/schema.ts';
import { PORT_NAME, SystemFileSchema } from '../inventory/system-schema.ts';
import { GEN_COMMAND, INVENTORY_DIR, SCHEMA_DIR, SYSTEMS_DIR } from '../lib/layout.ts';
import type { GeneratedFile } from './generated-file.ts';

export const SYSTEM_REFERENCE_PATH = 'docs/reference/system.md';

/** The JSON Schema keywords the walk reads (what TypeBox emits for the inventory schemas). */
export interface JsonSchema {
  readonly type?: string;
  readonly description?: string;
  readonly properties?: Readonly<Record<string, JsonSchema>>;
  readonly patternProperties?: Readonly<Record<string, JsonSchema>>;
  readonly required?: readonly string[];
  readonly items?: JsonSchema;
  readonly anyOf?: readonly JsonSchema[];
  readonly oneOf?: readonly JsonSchema[];
  readonly enum?: readonly unknown[];
  readonly const?: unknown;
  readonly default?: unknown;
  readonly pattern?: string;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly minItems?: number;
  readonly maxItems?: number;
  readonly uniqueItems?: boolean;
  readonly minProperties?: number;
  readonly maxProperties?: number;
}

/** Patterns shared by many fields, in words; any other pattern is shown as the regular expression itself. */
const PATTERN_WORDS: ReadonlyMap<string, string> = new Map([
  [DNS1035_LABEL, 'a DNS-1035 label (lowercase letters, digits and "-", a letter first, at most 63 characters)'],
  [DNS1123_LABEL, 'a DNS-1123 label (lowercase letters, digits and "-", starting and ending with a letter or digit)'],
  [DNS1123_SUBDOMAIN, 'a DNS-1123 subdomain (DNS-1123 labels joined by ".")'],
  [QUANTITY, 'a Kubernetes quantity such as "250m", "1" or "512Mi"'],
  [PORT_NAME, 'a port name (at most 15 lowercase letters, digits and "-", at least one letter, no "--")'],
  ['^/', 'starts with "/"'],
  // TypeBox's key pattern of a Record with string keys.
  ['^(.*)$', 'any text'],
]);

/** How a map's key reads in a field path (`services.<name>`); a map not listed here reads `<key>`. */
const MAP_KEY_NAMES: Readonly<Record<string, string>> = { services: 'name', environments: 'env', nodeSelector: 'label' };

const code = (s: string): string => `\`${s}\``;
const literal = (v: unknown): string => code(typeof v === 'string' ? v : JSON.stringify(v));
const patternWords = (p: string): string => PATTERN_WORDS.get(p) ?? `matches ${code(p)}`;

const isMap = (s: JsonSchema): boolean => s.patternProperties !== undefined && Object.keys(s.patternProperties).length > 0;
const isObject = (s: JsonSchema): boolean => s.properties !== undefined || isMap(s);
const mapEntry = (s: JsonSchema): readonly [string, JsonSchema] => Object.entries(s.patternProperties!)[0]!;

/** The type of a value in words: `integer`, `list of string`, `map of <env> → object`, `integer or string`. */
const typeWords = (s: JsonSchema, keyName: string): string => {
  const alternatives = s.anyOf ?? s.oneOf;
  if (alternatives !== undefined) return alternatives.map((a) => typeWords(a, keyName)).join(' or ');
  if (s.type === 'array') return `list of ${s.items !== undefined ? typeWords(s.items, keyName) : 'any'}`;
  // In code: GitHub would swallow a bare <name> as an HTML tag.
  if (isMap(s)) return `map of ${code(`<${keyName}>`)} → ${typeWords(mapEntry(s)[1], keyName)}`;
  return s.type ?? 'any';
};

/** `1–5 items`, `at least 1 item`; `unit` is singular (" item"), or empty for plain numbers. */
const range = (min: number | undefined, max: number | undefined, unit: string): string | undefined => {
  const of = (n: number): string => `${n}${unit}${unit !== '' && n !== 1 ? 's' : ''}`;
  if (min !== undefined && max !== undefined) return min === max ? `exactly ${of(min)}` : `${min}–${of(max)}`;
  if (min !== undefined) return `at least ${of(min)}`;
  if (max !== undefined) return `at most ${of(max)}`;
  return undefined;
};

/** Allowed values, bounds, patterns and default of one schema, in words (for alternatives: each, joined by "or"). */
const constraintWords = (s: JsonSchema): string[] => {
  const alternatives = s.anyOf ?? s.oneOf;
  if (alternatives !== undefined) {
    const each = alternatives.map((a) => [typeWords(a, 'key'), ...constraintWords(a)].join(': ').replace(/: $/, ''));
    return [`either ${each.join('; or ')}`];
  }
  const out: string[] = [];
  if (s.const !== undefined) out.push(`exactly ${literal(s.const)}`);
  if (s.enum !== undefined) out.push(`one of ${s.enum.map(literal).join(', ')}`);
  if (s.pattern !== undefined) out.push(patternWords(s.pattern));
  if (s.minLength === 1 && s.maxLength === undefined) out.push('not empty');
  else {
    const len = range(s.minLength, s.maxLength, ' character');
    if (len !== undefined) out.push(len);
  }
  const bounds = range(s.minimum, s.maximum, '');
  if (bounds !== undefined) out.push(bounds);
  const items = range(s.minItems, s.maxItems, ' item');
  if (items !== undefined) out.push(items);
  if (s.uniqueItems === true) out.push('no duplicates');
  if (s.type === 'array' && s.items !== undefined && !isObject(s.items)) out.push(...constraintWords(s.items).map((w) => `each ${w}`));
  if (isMap(s)) {
    const [keyPattern] = mapEntry(s);
    out.push(`keys: ${patternWords(keyPattern)}`);
  }
  if (s.minProperties !== undefined && s.minProperties === s.maxProperties && !isMap(s)) out.push(`exactly ${s.minProperties} ${s.minProperties === 1 ? 'field' : 'fields'}`);
  else {
    const props = range(s.minProperties, s.maxProperties, ' entry');
    if (props !== undefined) out.push(props);
  }
  if (s.default !== undefined) out.push(`default ${literal(s.default)}`);
  return out;
};

/** One field of an object, as a table row of its section. */
interface Field {
  readonly path: string;
  readonly schema: JsonSchema;
  readonly required: boolean;
  /** The section that lists this value's own fields, when it has any. */
  readonly section?: string;
}

/** One object of the file: its path and its direct fields. */
export interface Section {
  readonly path: string;
  readonly schema: JsonSchema;
  readonly fields: readonly Field[];
}

/** The object a value holds fields in: itself, a list's item, a map's value (any depth of lists and maps). */
const objectPath = (path: string, s: JsonSchema, keyName: string): { path: string; schema: JsonSchema } | undefined => {
  if (s.properties !== undefined) return { path, schema: s };
  if (s.type === 'array' && s.items !== undefined) return objectPath(`${path}[]`, s.items, keyName);
  if (isMap(s)) return objectPath(`${path}.<${keyName}>`, mapEntry(s)[1], keyName);
  return undefined;
};

/** Sections depth-first in schema order: a section is followed by the sections of its fields. */
export const sections = (path: string, s: JsonSchema): Section[] => {
  const fields: Field[] = [];
  const nested: Section[] = [];
  for (const [key, child] of Object.entries(s.properties ?? {})) {
    const childPath = path === '' ? key : `${path}.${key}`;
    const inner = objectPath(childPath, child, MAP_KEY_NAMES[key] ?? 'key');
    fields.push({ path: childPath, schema: child, required: (s.required ?? []).includes(key), section: inner?.path });
    // A map of plain values (node labels): its entries are fields too, one row for all.
    if (isMap(child) && inner === undefined) fields.push({ path: `${childPath}.<${MAP_KEY_NAMES[key] ?? 'key'}>`, schema: mapEntry(child)[1], required: false });
    if (inner !== undefined) nested.push(...sections(inner.path, inner.schema));
    // Alternatives that are objects (none today) still get their fields listed, under the same path.
    for (const alt of child.anyOf ?? child.oneOf ?? []) if (alt.properties !== undefined) nested.push(...sections(childPath, alt));
  }
  return [{ path, schema: s, fields }, ...nested];
};

const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

const sentence = (s: string): string => (/[.!?]$/.test(s) ? s : `${s}.`);

const row = (f: Field, keyName: string): string => {
  const type = typeWords(f.schema, keyName);
  const description = [
    f.schema.description !== undefined ? sentence(f.schema.description) : undefined,
    f.section !== undefined && f.section !== f.path ? `Fields: ${code(f.section)}.` : undefined,
  ];
  return `| ${[
    code(f.path),
    type,
    f.required ? 'required' : 'optional',
    constraintWords(f.schema).join('; '),
    description.filter((d): d is string => d !== undefined && d !== '').join(' '),
  ]
    .map(cell)
    .join(' | ')} |`;
};

export const sectionText = (s: Section): string[] => [
  s.path === '' ? '## The file' : `## ${code(s.path)}`,
  '',
  ...(s.schema.description !== undefined ? [sentence(s.schema.description), ''] : []),
  '| Field | Type | Required | Allowed values | Description |',
  '| --- | --- | --- | --- | --- |',
  ...s.fields.map((f) => row(f, MAP_KEY_NAMES[f.path.split('.').at(-1)!] ?? 'key')),
  '',
];

/** docs/reference/system.md from `schema` (the system file's schema unless a test passes another). */
export const renderSystemReference = (schema: TSchema = SystemFileSchema): GeneratedFile[] => {
  // The JSON form: what editors and ajv read (TypeBox's own symbols dropped).
  const json = JSON.parse(JSON.stringify(schema)) as JsonSchema;
  const schemaFile = `${INVENTORY_DIR}/${SCHEMA_DIR}/system.schema.json`;
  const lines = [
    `<!-- Generated by \`${GEN_COMMAND}\` from scripts/inventory/system-schema.ts. Do not edit. -->`,
    '# System file reference',
    '',
    `Every field of a system file, ${code(`${INVENTORY_DIR}/${SYSTEMS_DIR}/<system>.yaml`)}: one file per system, whose name is the`,
    "system's stack and namespace. How to write one, with a complete example: [docs/services.md](../services.md).",
    '',
    `- Generated from the JSON Schema the loader checks and editors read (${code(schemaFile)}); start a system file with`,
    `  ${code('# yaml-language-server: $schema=../schema/system.schema.json')} for completion and checks while typing.`,
    '- A field is **required** when its object is present; every other field is optional. A field not listed here is',
    '  rejected, as is a value outside its allowed values.',
    '- `<name>` stands for a map key (a service name, `<env>` an environment name); `[]` for the items of a list.',
    '- Defaults are given in the descriptions. Rules across fields (a probe naming a port the service has, a',
    '  volume for a database) are checked by `pnpm validate` and listed in docs/services.md.',
    '',
    ...sections('', json).flatMap(sectionText),
  ];
  return [{ path: SYSTEM_REFERENCE_PATH, content: `${lines.join('\n').replace(/\n+$/, '')}\n` }];
};
