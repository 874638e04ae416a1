// Secret values never reach a terminal or a PR comment. Redaction works on a pair (before, after) so that a
// changed secret still shows up as a changed line, without either value: `<redacted>` when both sides hold
// the same value, `<redacted, old value>` / `<redacted, new value>` when they differ.
import type { JsonObject } from './objects.ts';

export const REDACTED = '<redacted>';
export const REDACTED_OLD = '<redacted, old value>';
export const REDACTED_NEW = '<redacted, new value>';

/**
 * Keys whose string values are treated as secrets wherever they appear (env var names, ConfigMap keys,
 * custom resource fields). Anchored at the end so references such as `secretName` or `tokenRef` stay visible.
 */
const SECRET_KEY = /(password|passwd|secret|token|api[-_]?key|private[-_]?key|credentials?|\.pem|\.key)$/i;

type Path = readonly (string | number)[];

const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Paths of the secret-like leaves of one object. */
export const secretPaths = (obj: JsonObject): Path[] => {
  const paths: Path[] = [];
  const isSecretKind = obj.kind === 'Secret' && (obj.apiVersion === 'v1' || obj.apiVersion === undefined);
  if (isSecretKind) {
    for (const field of ['data', 'stringData']) {
      const m = obj[field];
      if (isObject(m)) for (const k of Object.keys(m)) paths.push([field, k]);
    }
  }
  const walk = (v: unknown, path: Path): void => {
    if (Array.isArray(v)) {
      v.forEach((item, i) => {
        // `env: [{name: DB_PASSWORD, value: …}]`: the secret-ness is in the sibling `name`.
        if (isObject(item) && typeof item.name === 'string' && SECRET_KEY.test(item.name) && typeof item.value === 'string') {
          paths.push([...path, i, 'value']);
        }
        walk(item, [...path, i]);
      });
    } else if (isObject(v)) {
      for (const [k, child] of Object.entries(v)) {
        if ((typeof child === 'string' || typeof child === 'number') && SECRET_KEY.test(k)) paths.push([...path, k]);
        else walk(child, [...path, k]);
      }
    }
  };
  walk(obj, []);
  return paths;
};

const get = (obj: unknown, path: Path): unknown => {
  let cur = obj;
  for (const seg of path) {
    if (Array.isArray(cur) && typeof seg === 'number') cur = cur[seg];
    else if (isObject(cur) && typeof seg === 'string') cur = cur[seg];
    else return undefined;
  }
  return cur;
};

const set = (obj: JsonObject, path: Path, value: string): void => {
  let cur: unknown = obj;
  for (const seg of path.slice(0, -1)) cur = Array.isArray(cur) ? cur[seg as number] : (cur as JsonObject)[seg as string];
  const last = path[path.length - 1];
  if (Array.isArray(cur)) cur[last as number] = value;
  else if (isObject(cur)) cur[last as string] = value;
};

const clone = (o: JsonObject): JsonObject => structuredClone(o);

/** Copies of `before` and `after` with every secret-like value replaced; either side may be absent. */
export const redactPair = (
  before: JsonObject | undefined,
  after: JsonObject | undefined,
): [JsonObject | undefined, JsonObject | undefined] => {
  const a = before === undefined ? undefined : clone(before);
  const b = after === undefined ? undefined : clone(after);
  const keys = new Map<string, Path>();
  for (const side of [before, after]) if (side !== undefined) for (const p of secretPaths(side)) keys.set(JSON.stringify(p), p);
  for (const path of keys.values()) {
    const va = a === undefined ? undefined : get(a, path);
    const vb = b === undefined ? undefined : get(b, path);
    const same = a !== undefined && b !== undefined && va === vb;
    if (a !== undefined && va !== undefined) set(a, path, same || b === undefined ? REDACTED : REDACTED_OLD);
    if (b !== undefined && vb !== undefined) set(b, path, same || a === undefined ? REDACTED : REDACTED_NEW);
  }
  return [a, b];
};
