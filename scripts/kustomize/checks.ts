// Baseline checks on the output of one kustomize build. Pure: YAML text in, findings out.
import { parseAllDocuments } from 'yaml';

export type RuleId = 'yaml' | 'shape' | 'duplicate' | 'default-namespace' | 'image-tag';

export interface Finding {
  readonly rule: RuleId;
  /** 1-based index of the document in the build output. */
  readonly doc: number;
  /** `Kind namespace/name` (or `Kind name` without a namespace); absent when the document has no identity. */
  readonly object?: string;
  readonly message: string;
}

export interface CheckResult {
  /** Documents in the build output that are objects (mappings). */
  readonly objects: number;
  readonly findings: Finding[];
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);
const nonEmptyString = (v: unknown): v is string => typeof v === 'string' && v.length > 0;

/** API group of an apiVersion: `apps/v1` → `apps`, `v1` → `` (core). */
export const apiGroup = (apiVersion: string): string => {
  const slash = apiVersion.lastIndexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
};

/** Kinds whose pod spec we look into, by API group, with the path from the object to the pod spec. */
const POD_SPEC_PATHS: Readonly<Record<string, { readonly group: string; readonly path: readonly string[] }>> = {
  Pod: { group: '', path: ['spec'] },
  Deployment: { group: 'apps', path: ['spec', 'template', 'spec'] },
  StatefulSet: { group: 'apps', path: ['spec', 'template', 'spec'] },
  DaemonSet: { group: 'apps', path: ['spec', 'template', 'spec'] },
  ReplicaSet: { group: 'apps', path: ['spec', 'template', 'spec'] },
  Job: { group: 'batch', path: ['spec', 'template', 'spec'] },
  CronJob: { group: 'batch', path: ['spec', 'jobTemplate', 'spec', 'template', 'spec'] },
};

/**
 * Why an image reference is not pinned, or undefined when it is.
 * Pinned means an explicit tag other than `latest`, or a digest (`@sha256:…`, which pins harder than any tag).
 * A registry port (`registry:5000/app`) is not a tag.
 */
export const imageProblem = (image: string): string | undefined => {
  if (image.trim().length === 0) return 'has an empty image';
  if (image.includes('@')) return undefined;
  const lastSegment = image.slice(image.lastIndexOf('/') + 1);
  const colon = lastSegment.indexOf(':');
  const tag = colon < 0 ? '' : lastSegment.slice(colon + 1);
  if (tag.length === 0) return `image ${image} has no tag`;
  if (tag === 'latest') return `image ${image} uses tag latest`;
  return undefined;
};

const dig = (value: Json, path: readonly string[]): Json | undefined => {
  let current: Json | undefined = value;
  for (const key of path) {
    if (!isObject(current)) return undefined;
    current = current[key];
  }
  return current;
};

const imageFindings = (obj: JsonObject, kind: string, group: string, doc: number, object: string): Finding[] => {
  const where = POD_SPEC_PATHS[kind];
  if (where === undefined || where.group !== group) return [];
  const podSpec = dig(obj, where.path);
  if (!isObject(podSpec)) return [];
  const findings: Finding[] = [];
  for (const field of ['initContainers', 'containers'] as const) {
    const list = podSpec[field];
    if (!Array.isArray(list)) continue;
    list.forEach((container, i) => {
      if (!isObject(container)) return;
      const label = `${field === 'containers' ? 'container' : 'init container'} ${
        nonEmptyString(container.name) ? container.name : `#${i + 1}`
      }`;
      const image = container.image;
      const problem = typeof image === 'string' ? imageProblem(image) : 'has no image';
      if (problem !== undefined) findings.push({ rule: 'image-tag', doc, object, message: `${label}: ${problem}` });
    });
  }
  return findings;
};

const describe = (kind: string, namespace: string | undefined, name: string): string =>
  namespace === undefined ? `${kind} ${name}` : `${kind} ${namespace}/${name}`;

/** Parse one build's YAML stream and run the baseline checks on every document. */
export const checkBuildOutput = (yamlText: string): CheckResult => {
  const findings: Finding[] = [];
  const seen = new Map<string, { doc: number; apiVersion: string }>();
  let objects = 0;

  parseAllDocuments(yamlText).forEach((document, index) => {
    const doc = index + 1;
    if (document.errors.length > 0) {
      for (const e of document.errors) findings.push({ rule: 'yaml', doc, message: e.message.split('\n')[0] ?? '' });
      return;
    }
    const value = document.toJS() as unknown;
    if (!isObject(value)) {
      findings.push({
        rule: 'shape',
        doc,
        message: `document is ${value === null || value === undefined ? 'empty' : 'not a mapping'}`,
      });
      return;
    }
    objects++;
    const { apiVersion, kind } = value;
    const metadata = isObject(value.metadata) ? value.metadata : undefined;
    const name = metadata?.name;
    const missing = [
      nonEmptyString(apiVersion) ? undefined : 'apiVersion',
      nonEmptyString(kind) ? undefined : 'kind',
      nonEmptyString(name) ? undefined : 'metadata.name',
    ].filter((f): f is string => f !== undefined);
    if (!nonEmptyString(apiVersion) || !nonEmptyString(kind) || !nonEmptyString(name)) {
      findings.push({ rule: 'shape', doc, message: `object has no ${missing.join(', ')}` });
      return;
    }
    const rawNamespace = metadata?.namespace;
    const namespace = nonEmptyString(rawNamespace) ? rawNamespace : undefined;
    const object = describe(kind, namespace, name);
    const group = apiGroup(apiVersion);

    const key = JSON.stringify([group, kind, namespace ?? '', name]);
    const first = seen.get(key);
    if (first === undefined) {
      seen.set(key, { doc, apiVersion });
    } else {
      findings.push({
        rule: 'duplicate',
        doc,
        object,
        message: `duplicate object: ${apiVersion} here and ${first.apiVersion} in document ${first.doc}`,
      });
    }

    if (namespace === 'default') {
      findings.push({ rule: 'default-namespace', doc, object, message: 'object is in the default namespace' });
    }

    findings.push(...imageFindings(value, kind, group, doc, object));
  });

  return { objects, findings };
};

/** `[image-tag] Deployment media/web: container web: image nginx:latest uses tag latest`. */
export const formatFinding = (f: Finding): string =>
  `[${f.rule}] ${f.object !== undefined ? `${f.object}: ` : `document ${f.doc}: `}${f.message}`;
