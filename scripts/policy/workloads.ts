// Where the pods of a rendered object are: pod templates of the built-in controllers, and the pods an operator
// creates for a custom resource (Prometheus). Rules look at pods through this one view.
import { isObject, obj, objs, str, strMap, type JsonObject } from './json.ts';
import type { RenderedObject } from './types.ts';

export interface ImageRef {
  readonly image: string;
  /** Field path inside the object. */
  readonly field: string;
}

export interface Workload {
  readonly object: RenderedObject;
  /** The pod spec, for built-in controllers; undefined for operator-managed pods (their spec is the operator's). */
  readonly podSpec?: JsonObject;
  /** Field path of the pod spec: `spec.template.spec`. */
  readonly podSpecField?: string;
  /** Labels the pods carry. */
  readonly podLabels: Readonly<Record<string, string>>;
  /** spec.replicas as written; undefined when absent (or not scalable). */
  readonly replicas: number | undefined;
  readonly scalable: boolean;
  /** Long-running pods (not Jobs): liveness, replicas and PDB rules apply. */
  readonly longRunning: boolean;
  readonly images: readonly ImageRef[];
  /** Containers and init containers of the pod spec (none for operator-managed pods). */
  readonly containers: readonly ContainerRef[];
}

const TEMPLATE_PATHS: Readonly<Record<string, { group: string; path: readonly string[]; scalable: boolean; longRunning: boolean }>> = {
  Deployment: { group: 'apps', path: ['spec', 'template'], scalable: true, longRunning: true },
  StatefulSet: { group: 'apps', path: ['spec', 'template'], scalable: true, longRunning: true },
  ReplicaSet: { group: 'apps', path: ['spec', 'template'], scalable: true, longRunning: true },
  DaemonSet: { group: 'apps', path: ['spec', 'template'], scalable: false, longRunning: true },
  Job: { group: 'batch', path: ['spec', 'template'], scalable: false, longRunning: false },
  CronJob: { group: 'batch', path: ['spec', 'jobTemplate', 'spec', 'template'], scalable: false, longRunning: false },
};

export const groupOf = (apiVersion: string): string => {
  const slash = apiVersion.lastIndexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
};

export interface ContainerRef {
  readonly container: JsonObject;
  readonly name: string;
  readonly field: string;
  readonly init: boolean;
}

/** Containers and init containers of a pod spec, with their field paths. */
export const containersOf = (podSpec: JsonObject, podSpecField: string): ContainerRef[] => [
  ...objs(podSpec.initContainers).map((c, i) => ({ container: c, name: str(c.name) ?? `#${i}`, field: `${podSpecField}.initContainers[${i}]`, init: true })),
  ...objs(podSpec.containers).map((c, i) => ({ container: c, name: str(c.name) ?? `#${i}`, field: `${podSpecField}.containers[${i}]`, init: false })),
];

const replicasOf = (raw: JsonObject): number | undefined => {
  const r = obj(raw.spec).replicas;
  return typeof r === 'number' ? r : undefined;
};

/** Labels the Prometheus operator puts on the pods of a Prometheus, plus spec.podMetadata.labels. */
const prometheusPodLabels = (o: RenderedObject): Record<string, string> => ({
  'app.kubernetes.io/name': 'prometheus',
  'app.kubernetes.io/instance': o.name,
  'app.kubernetes.io/managed-by': 'prometheus-operator',
  'operator.prometheus.io/name': o.name,
  prometheus: o.name,
  ...strMap(obj(obj(o.raw.spec).podMetadata).labels),
});

const imagesOf = (containers: readonly ContainerRef[]): ImageRef[] => containers.map((c) => ({ image: str(c.container.image) ?? '', field: `${c.field}.image` }));

const buildWorkload = (o: RenderedObject): Workload | undefined => {
  const group = groupOf(o.apiVersion);
  if (o.kind === 'Pod' && group === '') {
    const podSpec = obj(o.raw.spec);
    const containers = containersOf(podSpec, 'spec');
    return {
      object: o,
      podSpec,
      podSpecField: 'spec',
      podLabels: strMap(obj(o.raw.metadata).labels),
      replicas: undefined,
      scalable: false,
      longRunning: true,
      images: imagesOf(containers),
      containers,
    };
  }
  const where = TEMPLATE_PATHS[o.kind];
  if (where !== undefined && where.group === group) {
    let template: unknown = o.raw;
    for (const k of where.path) template = isObject(template) ? template[k] : undefined;
    const t = obj(template);
    const podSpec = obj(t.spec);
    const podSpecField = `${where.path.join('.')}.spec`;
    const containers = containersOf(podSpec, podSpecField);
    return {
      object: o,
      podSpec,
      podSpecField,
      podLabels: strMap(obj(t.metadata).labels),
      replicas: where.scalable ? replicasOf(o.raw) : undefined,
      scalable: where.scalable,
      longRunning: where.longRunning,
      images: imagesOf(containers),
      containers,
    };
  }
  if (o.kind === 'Prometheus' && group === 'monitoring.coreos.com') {
    const spec = obj(o.raw.spec);
    const image = str(spec.image);
    return {
      object: o,
      podLabels: prometheusPodLabels(o),
      replicas: replicasOf(o.raw),
      scalable: true,
      longRunning: true,
      images: image === undefined ? [] : [{ image, field: 'spec.image' }],
      containers: [],
    };
  }
  return undefined;
};

/**
 * Workload views by object. Nearly every rule asks for the view of every object; objects are never changed after
 * parsing, so each view is built once (and goes with its object).
 */
const views = new WeakMap<RenderedObject, Workload | null>();

/** The workload view of an object, or undefined when it runs no pods. */
export const workloadOf = (o: RenderedObject): Workload | undefined => {
  let w = views.get(o);
  if (w === undefined) {
    w = buildWorkload(o) ?? null;
    views.set(o, w);
  }
  return w ?? undefined;
};

// Selectors are matched for every pair of workload and selecting object, so the two matchers below read the
// selector's string entries in place (exactly those `strMap` keeps: string values, `__proto__` never) instead of
// copying them. Parsed YAML objects are plain: `for…in` sees exactly their own keys.

/** How many string entries `map` has, all of them also in `labels`; -1 as soon as one is not. */
const labelsInclude = (map: unknown, labels: Readonly<Record<string, string>>): number => {
  if (!isObject(map)) return 0;
  let entries = 0;
  for (const k in map) {
    const v = map[k];
    if (typeof v !== 'string' || k === '__proto__') continue;
    if (labels[k] !== v) return -1;
    entries++;
  }
  return entries;
};

/** Whether a Kubernetes label selector (matchLabels + matchExpressions) selects these labels. */
export const selects = (selector: unknown, labels: Readonly<Record<string, string>>): boolean => {
  if (!isObject(selector)) return false;
  if (labelsInclude(selector.matchLabels, labels) < 0) return false;
  for (const e of objs(selector.matchExpressions)) {
    const key = str(e.key) ?? '';
    const values = Array.isArray(e.values) ? e.values.map(String) : [];
    const has = Object.hasOwn(labels, key);
    const value = labels[key];
    switch (e.operator) {
      case 'In':
        if (!has || !values.includes(value as string)) return false;
        break;
      case 'NotIn':
        if (has && values.includes(value as string)) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
      default:
        return false;
    }
  }
  return true;
};

/** A Service's plain selector map against pod labels (an empty selector selects nothing: it is manual). */
export const serviceSelects = (selector: unknown, labels: Readonly<Record<string, string>>): boolean => labelsInclude(selector, labels) > 0;
