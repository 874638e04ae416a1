// Kubernetes' strategic merge patch (k8s.io/apimachinery pkg/util/strategicpatch, mergeMap with the options
// StrategicMergePatch uses: MergeParallelList, IgnoreUnmatchedNulls), typed by a Shape instead of Go reflection.
// Argo CD applies an ApplicationSet's templatePatch this way over the typed Application
// (applicationset/controllers/template/patch.go at v3.4.4, apimachinery v0.34.0). What matters for us:
// - a key whose value is a map (or list) on both sides is looked up in the type: a struct without that JSON field,
//   a map-typed field, or an opaque runtime.RawExtension (helm.valuesObject) makes the whole patch fail —
//   "unable to find api field in struct RawExtension for the json field …" (argo-cd#22850);
// - a key only the patch has is taken as it is (minus nulls); null deletes; scalars and differing types replace;
// - lists replace (no Application field carries patchStrategy merge; `helm.values` is `replace`).
// Directives other than `$patch: replace|delete` are refused: nothing here needs them and guessing is worse.
import { isList, isMap, isStruct, type Shape } from './application-shape.ts';

export class StrategicMergeError extends Error {
  constructor(
    message: string,
    /** Dotted path of the key where the merge failed. */
    readonly path: string,
  ) {
    super(message);
    this.name = 'StrategicMergeError';
  }
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonMap = { [key: string]: Json };

const isMapValue = (v: unknown): v is JsonMap => typeof v === 'object' && v !== null && !Array.isArray(v);
/** reflect.TypeOf of a decoded JSON value, as mergeMap compares them. */
const goKind = (v: Json): string => (v === null ? 'nil' : Array.isArray(v) ? 'slice' : typeof v === 'object' ? 'map' : typeof v);
const join = (path: string, key: string): string => (path === '' ? key : `${path}.${key}`);

/** The Go type name apimachinery's messages use for a shape. */
const typeName = (shape: Shape | undefined): string =>
  shape === undefined ? 'unknown' : shape === 'o' ? 'RawExtension' : isMap(shape) ? 'map' : isList(shape) ? 'slice' : isStruct(shape) ? 'struct' : 'scalar';

/**
 * forkedjson.LookupPatchMetadataForStruct: only a struct can be looked into, by exact or case-insensitive JSON
 * name (Go's encoding/json rule).
 */
const lookupField = (shape: Shape | undefined, key: string, path: string): Shape => {
  if (shape === undefined || !isStruct(shape)) {
    if (shape === 'o') throw new StrategicMergeError(`unable to find api field in struct RawExtension for the json field ${JSON.stringify(key)}`, join(path, key));
    throw new StrategicMergeError(`merging an object in json but data type is not struct, instead is: ${typeName(shape)}`, join(path, key));
  }
  const exact = shape.f[key];
  if (exact !== undefined) return exact;
  const folded = Object.keys(shape.f).find((k) => k.toLowerCase() === key.toLowerCase());
  if (folded !== undefined) return shape.f[folded]!;
  throw new StrategicMergeError(`unable to find api field in struct for the json field ${JSON.stringify(key)}`, join(path, key));
};

/** discardNullValuesFromPatch + removeDirectives on a value the original does not have. */
const takePatchValue = (value: Json): { keep: boolean; value: Json } => {
  if (Array.isArray(value)) {
    const out: Json[] = [];
    for (const v of value) {
      const taken = takePatchValue(v);
      if (taken.keep) out.push(taken.value);
    }
    return { keep: true, value: out };
  }
  if (!isMapValue(value)) return { keep: true, value };
  if ('$patch' in value) return { keep: false, value: null };
  const out: JsonMap = {};
  for (const [k, v] of Object.entries(value)) {
    if (v === null) continue;
    const taken = takePatchValue(v);
    if (taken.keep) out[k] = taken.value;
  }
  return { keep: true, value: out };
};

const mergeMap = (original: JsonMap, patch: JsonMap, shape: Shape | undefined, path: string): JsonMap => {
  if ('$patch' in patch) {
    const directive = patch.$patch;
    if (directive === 'replace') {
      return Object.fromEntries(Object.entries(patch).filter(([k]) => k !== '$patch'));
    }
    if (directive === 'delete') return {};
    throw new StrategicMergeError(`unknown patch type ${JSON.stringify(directive)}`, join(path, '$patch'));
  }
  const out: JsonMap = { ...original };
  for (const [key, patchValue] of Object.entries(patch)) {
    if (key.startsWith('$')) throw new StrategicMergeError(`strategic merge directive ${JSON.stringify(key)} is not simulated offline`, join(path, key));
    if (patchValue === null) {
      delete out[key];
      continue;
    }
    const current = out[key];
    if (current === undefined || goKind(current) !== goKind(patchValue)) {
      const taken = takePatchValue(patchValue);
      if (taken.keep) out[key] = taken.value;
      else delete out[key];
      continue;
    }
    if (isMapValue(current) && isMapValue(patchValue)) {
      out[key] = mergeMap(current, patchValue, lookupField(shape, key, path), join(path, key));
    } else if (Array.isArray(current) && Array.isArray(patchValue)) {
      const field = lookupField(shape, key, path);
      if (!isList(field) && field !== 'o') {
        throw new StrategicMergeError(`expected slice or array type, but got: ${typeName(field)}`, join(path, key));
      }
      // No patchStrategy merge anywhere in Application: the patch's list replaces the original's.
      out[key] = takePatchValue(patchValue).value;
    } else {
      out[key] = takePatchValue(patchValue).value;
    }
  }
  return out;
};

/**
 * The Application as Argo CD hands it to the merge: json.Marshal of the typed struct, where every Argo CD field is
 * `omitempty`, so empty strings, false, 0 and empty maps or lists are absent. (A struct-typed field that is not a
 * pointer stays as `{}`; the CRD does not say which are pointers, so struct values are always kept. This only
 * decides whether a later key is "new" or "merged into", and both give the same result for struct fields.)
 */
export const asMarshalled = (value: JsonMap, shape: Shape): JsonMap => {
  const visit = (v: Json, s: Shape): Json | undefined => {
    if (s === 'o') return v;
    if (isStruct(s) || isMap(s)) {
      if (!isMapValue(v)) return v;
      const out: JsonMap = {};
      for (const [k, item] of Object.entries(v)) {
        const field = isMap(s) ? s.m : s.f[k];
        const kept = field === undefined ? item : visit(item, field);
        if (kept !== undefined) out[k] = kept;
      }
      return isMap(s) && Object.keys(out).length === 0 ? undefined : out;
    }
    if (isList(s)) return Array.isArray(v) ? (v.length === 0 ? undefined : v.map((item) => visit(item, s.l) ?? null)) : v;
    return v === '' || v === false || v === 0 || v === null ? undefined : v;
  };
  return (visit(value, shape) ?? {}) as JsonMap;
};

/** Apply `patch` to `original` (neither is modified) as StrategicMergePatch does with a typed data struct. */
export const strategicMerge = (original: JsonMap, patch: JsonMap, shape: Shape): JsonMap =>
  mergeMap(structuredClone(original), structuredClone(patch), shape, '');

export interface TypeProblem {
  readonly path: string;
  readonly message: string;
}

const SCALAR_OK: Readonly<Record<string, (v: Json) => boolean>> = {
  s: (v) => typeof v === 'string',
  b: (v) => typeof v === 'boolean',
  i: (v) => typeof v === 'number' && Number.isInteger(v),
  n: (v) => typeof v === 'number',
  q: (v) => typeof v === 'string' || (typeof v === 'number' && Number.isInteger(v)),
  o: () => true,
};
/** The JSON value kind as Go's UnmarshalTypeError names it ("cannot unmarshal bool into …"). */
const jsonKind = (v: Json): string => (Array.isArray(v) ? 'array' : typeof v === 'object' ? 'object' : typeof v === 'boolean' ? 'bool' : typeof v);
const SCALAR_NAME: Readonly<Record<string, string>> = { s: 'string', b: 'bool', i: 'int64', n: 'float64', q: 'IntOrString', o: 'RawExtension' };

/**
 * What json.Unmarshal into the typed Application reports or drops: `errors` are values of the wrong JSON type (Go
 * fails the whole decode), `unknown` are keys no struct field matches (Go drops them silently).
 */
export const typeCheck = (value: Json, shape: Shape, path = ''): { errors: TypeProblem[]; unknown: string[] } => {
  const errors: TypeProblem[] = [];
  const unknown: string[] = [];
  const visit = (v: Json, s: Shape, p: string): void => {
    if (v === null) return;
    if (typeof s === 'string') {
      if (!SCALAR_OK[s]!(v)) errors.push({ path: p, message: `cannot unmarshal ${jsonKind(v)} into Go value of type ${SCALAR_NAME[s]}` });
      return;
    }
    if (isList(s)) {
      if (!Array.isArray(v)) errors.push({ path: p, message: `cannot unmarshal ${jsonKind(v)} into Go value of type slice` });
      else v.forEach((item, i) => visit(item, s.l, `${p}[${i}]`));
      return;
    }
    if (!isMapValue(v)) {
      errors.push({ path: p, message: `cannot unmarshal ${jsonKind(v)} into Go value of type ${isMap(s) ? 'map' : 'struct'}` });
      return;
    }
    for (const [k, item] of Object.entries(v)) {
      if (isMap(s)) {
        visit(item, s.m, join(p, k));
        continue;
      }
      const field = s.f[k] ?? Object.entries(s.f).find(([name]) => name.toLowerCase() === k.toLowerCase())?.[1];
      if (field === undefined) unknown.push(join(p, k));
      else visit(item, field, join(p, k));
    }
  };
  visit(value, shape, path);
  return { errors, unknown };
};
