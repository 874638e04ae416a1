// JSON Schema validation of one inventory file, with ajv's errors rewritten into issues a person
// can act on: where (line, column, dotted field), what was expected, what was found, and a
// suggestion when the mistake looks like a typo.
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import type { TSchema } from '@sinclair/typebox';
import type { InventoryIssue } from './errors.ts';
import { formatFieldPath, isUnder, type FieldPath, type PathSegment } from './field-path.ts';
import { describeValue, listWords, patternWords, typeWords } from './messages.ts';
import { ClustersFileSchema, EnvironmentFileSchema, FleetFileSchema } from './schema.ts';
import { SystemFileSchema } from './system-schema.ts';
import { retiredFieldReason } from './retired-fields.ts';
import { missingVersionHint, SCHEMA_VERSION_FIELD } from './schema-version.ts';
import { closest, didYouMean } from './suggest.ts';
import type { Target, YamlSource } from './yaml-source.ts';

export type FileKind = 'fleet' | 'clusters' | 'environment' | 'system';

// Compiled once: compiling is the expensive part of ajv, validation is cheap.
// verbose: errors then carry the failing data and schema, which the messages need.
const ajv = new Ajv({ allErrors: true, strict: false, verbose: true });
const compile = (schema: TSchema): ValidateFunction => ajv.compile(schema);
// Compiled on first use, not at import: compiling the four schemas takes ~280 ms, which every command
// (even `--help`) would otherwise pay at startup.
const SCHEMAS: Readonly<Record<FileKind, TSchema>> = {
  fleet: FleetFileSchema,
  clusters: ClustersFileSchema,
  environment: EnvironmentFileSchema,
  system: SystemFileSchema,
};
const compiled = new Map<FileKind, ValidateFunction>();
const validatorFor = (kind: FileKind): ValidateFunction => {
  let v = compiled.get(kind);
  if (v === undefined) compiled.set(kind, (v = compile(SCHEMAS[kind])));
  return v;
};

export interface SchemaResult {
  readonly issues: readonly InventoryIssue[];
  /** Data paths that failed; a part of the file is trustworthy when none of these touch it. */
  readonly invalidPaths: readonly FieldPath[];
}

/** Whether the part of the document at `path` passed the schema (nothing under, at or above it failed). */
export const passedAt = (result: SchemaResult, path: FieldPath): boolean =>
  !result.invalidPaths.some((bad) => isUnder(bad, path) || isUnder(path, bad));

interface Problem {
  /** Data path of the ajv error (the object, for required/additionalProperties). */
  readonly at: FieldPath;
  /** Field the issue names. */
  readonly field: FieldPath;
  readonly target: Target;
  readonly message: string;
  readonly keyword: string;
  /** For unknown keys: the known field the key is probably a typo of. */
  readonly suggests?: string;
}

type SchemaObject = Record<string, unknown>;
const asObject = (v: unknown): SchemaObject =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as SchemaObject) : {};

/** JSON pointer → path; a segment is a list index only when the data there is a list. */
function toPath(pointer: string, root: unknown): PathSegment[] {
  const path: PathSegment[] = [];
  let data: unknown = root;
  for (const raw of pointer.split('/').slice(1)) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    const index = Array.isArray(data) && /^\d+$/.test(seg) ? Number(seg) : undefined;
    path.push(index ?? seg);
    data = index !== undefined ? (data as unknown[])[index] : asObject(data)[seg];
  }
  return path;
}

const ownKeys = (data: unknown): string[] => Object.keys(asObject(data));

function typeProblem(e: ErrorObject, at: FieldPath, source: YamlSource): Problem {
  const expected = typeWords(e.params.type);
  const wantsString = String(e.params.type).split(',').includes('string');
  const text = source.plainScalarSource(at);
  // YAML reads unquoted 1.10 as the number 1.1 (and `true` as a boolean): say so, and how to fix it.
  if (wantsString && text !== undefined && (typeof e.data === 'number' || typeof e.data === 'boolean')) {
    const kind = typeof e.data === 'number' ? 'the number' : 'the boolean';
    return {
      at,
      field: at,
      target: 'value',
      keyword: e.keyword,
      message: `expected a quoted string: YAML reads ${text} as ${kind} ${String(e.data)}; write "${text}"`,
    };
  }
  const unquote =
    e.params.type === 'integer' && typeof e.data === 'string' && /^-?\d+$/.test(e.data) ? ' (remove the quotes)' : '';
  return {
    at,
    field: at,
    target: 'value',
    keyword: e.keyword,
    message: `expected ${expected}, found ${describeValue(e.data)}${unquote}`,
  };
}

function additionalProblem(e: ErrorObject, at: FieldPath): Problem {
  const key = String(e.params.additionalProperty);
  const parent = asObject(e.parentSchema);
  const field = [...at, key];
  const patterns = Object.keys(asObject(parent.patternProperties));
  const properties = Object.keys(asObject(parent.properties));
  if (properties.length === 0 && patterns[0] !== undefined) {
    // A record (apps, versions, images): any key is allowed as long as it has the right shape.
    const where = formatFieldPath(at);
    return {
      at,
      field,
      target: 'key',
      keyword: e.keyword,
      message: `invalid key "${key}": keys of ${where} must be ${patternWords(patterns[0])}`,
    };
  }
  const retired = retiredFieldReason(field);
  if (retired !== undefined) return { at, field, target: 'key', keyword: e.keyword, message: `field "${key}" ${retired}` };
  const present = new Set(ownKeys(e.data));
  const candidates = properties.filter((p) => !present.has(p));
  const suggests = closest(key, candidates);
  const hint =
    suggests !== undefined
      ? ` (did you mean "${suggests}"?)`
      : properties.length > 0
        ? `; allowed fields: ${properties.join(', ')}`
        : '';
  return { at, field, target: 'key', keyword: e.keyword, message: `unknown field "${key}"${hint}`, suggests };
}

function propertyCountProblem(e: ErrorObject, at: FieldPath): Problem {
  const parent = asObject(e.parentSchema);
  const found = ownKeys(e.data);
  const foundWords = found.length === 0 ? 'none' : listWords(found);
  const base = { at, field: at, target: 'value' as const, keyword: e.keyword };
  if (parent.minProperties === 1 && parent.maxProperties === 1) {
    const options = Object.keys(asObject(parent.properties));
    return { ...base, message: `expected exactly one of ${listWords(options)}, found ${foundWords}` };
  }
  const bound = e.keyword === 'minProperties' ? 'at least' : 'at most';
  return { ...base, message: `expected ${bound} ${String(e.params.limit)} fields, found ${foundWords}` };
}

function toProblem(e: ErrorObject, source: YamlSource): Problem {
  const at = toPath(e.instancePath, source.data);
  const base = { at, field: at, target: 'value' as const, keyword: e.keyword };
  const found = describeValue(e.data);
  switch (e.keyword) {
    case 'required': {
      const missing = String(e.params.missingProperty);
      const hint = at.length === 0 && missing === SCHEMA_VERSION_FIELD ? `: ${missingVersionHint()}` : '';
      return { ...base, field: [...at, missing], message: `missing required field "${missing}"${hint}` };
    }
    case 'additionalProperties':
      return additionalProblem(e, at);
    case 'type':
      return typeProblem(e, at, source);
    case 'enum': {
      const allowed = (Array.isArray(e.params.allowedValues) ? e.params.allowedValues : []).map(String);
      const hint = typeof e.data === 'string' ? didYouMean(e.data, allowed) : '';
      return { ...base, message: `expected one of ${allowed.join(', ')}, found ${found}${hint}` };
    }
    case 'pattern':
      return { ...base, message: `expected ${patternWords(String(e.params.pattern))}, found ${found}` };
    case 'maxLength':
    case 'minLength': {
      const length = typeof e.data === 'string' ? e.data.length : 0;
      const limit = Number(e.params.limit);
      const expected =
        e.keyword === 'minLength' && limit === 1
          ? 'a non-empty string'
          : `${e.keyword === 'maxLength' ? 'at most' : 'at least'} ${limit} characters`;
      return { ...base, message: `expected ${expected}, found ${length} characters: ${found}` };
    }
    case 'minimum':
    case 'maximum': {
      const bound = e.keyword === 'minimum' ? 'at least' : 'at most';
      return { ...base, message: `expected ${bound} ${String(e.params.limit)}, found ${found}` };
    }
    case 'minItems':
    case 'maxItems': {
      const limit = Number(e.params.limit);
      const bound = e.keyword === 'minItems' ? 'at least' : 'at most';
      return { ...base, message: `expected ${bound} ${limit} item${limit === 1 ? '' : 's'}, found ${found}` };
    }
    case 'uniqueItems': {
      const later = Math.max(Number(e.params.i), Number(e.params.j));
      const earlier = Math.min(Number(e.params.i), Number(e.params.j));
      const item = Array.isArray(e.data) ? e.data[later] : undefined;
      return {
        ...base,
        field: [...at, later],
        message: `duplicate item ${describeValue(item)}: already listed at ${formatFieldPath([...at, earlier])}`,
      };
    }
    case 'minProperties':
    case 'maxProperties':
      return propertyCountProblem(e, at);
    default:
      return { ...base, message: `${e.message ?? 'is invalid'}, found ${found}` };
  }
}

const sameSegments = (a: FieldPath, b: FieldPath): boolean => a.length === b.length && isUnder(a, b);

/** ajv reports some problems twice or as consequences of another; keep one issue per problem. */
function collapse(problems: readonly Problem[]): Problem[] {
  const typeFailed = problems.filter((p) => p.keyword === 'type').map((p) => p.at);
  const unknownKeys = problems.filter((p) => p.keyword === 'additionalProperties');
  const kept = problems.filter((p) => {
    // A wrong type makes every other complaint about that value moot (e.g. enum after type).
    if (p.keyword !== 'type' && typeFailed.some((t) => sameSegments(t, p.at))) return false;
    // `regoin:` is one mistake, not "unknown regoin" plus "missing region".
    if (p.keyword === 'required') {
      const missing = p.field[p.field.length - 1];
      return !unknownKeys.some((u) => sameSegments(u.at, p.at) && u.suggests === missing);
    }
    // Too many fields because one is unknown: the unknown-field issue says it better.
    if (p.keyword === 'maxProperties' || p.keyword === 'minProperties') {
      return !unknownKeys.some((u) => sameSegments(u.at, p.at));
    }
    return true;
  });
  const seen = new Set<string>();
  return kept.filter((p) => {
    const key = `${formatFieldPath(p.field)}\u0000${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Validate one parsed file against its schema. The source must have data (no YAML errors). */
export function validateSchema(kind: FileKind, source: YamlSource): SchemaResult {
  const validate = validatorFor(kind);
  if (validate(source.data)) return { issues: [], invalidPaths: [] };
  const problems = collapse((validate.errors ?? []).map((e) => toProblem(e, source)));
  const issues = problems.map((p): InventoryIssue => {
    // Missing fields have no node; point at the mapping that should hold them.
    const pos = source.position(p.keyword === 'required' ? p.at : p.field, p.target);
    return { file: source.file, line: pos.line, col: pos.col, field: formatFieldPath(p.field), message: p.message };
  });
  return { issues, invalidPaths: (validate.errors ?? []).map((e) => toPath(e.instancePath, source.data)) };
}

