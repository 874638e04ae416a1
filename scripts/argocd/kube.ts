// Small accessors for the untyped Kubernetes objects that come out of `kustomize build`, and the Argo CD constants
// the preview needs. Objects stay plain JSON so that a rendered Application can be shown exactly as Argo CD gets it.

export type JsonObject = Record<string, unknown>;

export const ARGO_GROUP = 'argoproj.io';
export const SYNC_WAVE_ANNOTATION = 'argocd.argoproj.io/sync-wave';
/** Argo CD's built-in name for the cluster it runs in, and that cluster's server URL. */
export const IN_CLUSTER_NAME = 'in-cluster';
export const IN_CLUSTER_SERVER = 'https://kubernetes.default.svc';

export const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The value at `path` below `obj`, or undefined when any step is missing or not an object. */
export const getIn = (obj: unknown, path: readonly string[]): unknown => {
  let current: unknown = obj;
  for (const key of path) {
    if (!isObject(current)) return undefined;
    current = current[key];
  }
  return current;
};

export const stringAt = (obj: unknown, path: readonly string[]): string | undefined => {
  const v = getIn(obj, path);
  return typeof v === 'string' ? v : undefined;
};

/** A string map (labels, annotations); non-string values are dropped. */
export const stringMapAt = (obj: unknown, path: readonly string[]): Record<string, string> => {
  const v = getIn(obj, path);
  const out: Record<string, string> = {};
  if (isObject(v)) for (const [k, val] of Object.entries(v)) if (typeof val === 'string') out[k] = val;
  return out;
};

export interface ObjectId {
  readonly group: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace: string | undefined;
}

export const objectId = (obj: JsonObject): ObjectId => {
  const apiVersion = typeof obj.apiVersion === 'string' ? obj.apiVersion : '';
  const slash = apiVersion.lastIndexOf('/');
  return {
    group: slash < 0 ? '' : apiVersion.slice(0, slash),
    kind: typeof obj.kind === 'string' ? obj.kind : '',
    name: stringAt(obj, ['metadata', 'name']) ?? '',
    namespace: stringAt(obj, ['metadata', 'namespace']),
  };
};

export const isArgoKind = (obj: JsonObject, kind: 'Application' | 'ApplicationSet' | 'AppProject'): boolean => {
  const id = objectId(obj);
  return id.group === ARGO_GROUP && id.kind === kind;
};

/** `a.b["x/y"][0]` style path for messages. */
export const fieldPath = (parent: string, key: string | number): string => {
  if (typeof key === 'number') return `${parent}[${key}]`;
  if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) return parent.length > 0 ? `${parent}.${key}` : key;
  return `${parent}[${JSON.stringify(key)}]`;
};

/** Sync wave from the annotation: an integer, default 0; `invalid` holds the text when it is not an integer. */
export const syncWaveOf = (obj: unknown): { wave: number; invalid?: string } => {
  const raw = stringAt(obj, ['metadata', 'annotations', SYNC_WAVE_ANNOTATION]);
  if (raw === undefined || raw.trim() === '') return { wave: 0 };
  // Argo CD parses the annotation with strconv.Atoi: an optional sign and decimal digits only.
  if (!/^[+-]?\d+$/.test(raw.trim())) return { wave: 0, invalid: raw };
  return { wave: Number(raw.trim()) };
};

export const deepClone = <T>(value: T): T => structuredClone(value);
