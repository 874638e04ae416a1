// What Kustomize accepts without a word: a key written twice in a kustomization (the last wins), a patches
// entry whose target selects nothing, an images entry that matches no image (both skipped), and the same object
// twice in one output under different apiVersions (Kustomize counts the version as part of the id).
import type { RawFinding, RenderedObject } from '../policy/types.ts';
import type { KustomizationGraph, PatchTarget } from './kustomization-graph.ts';

const groupVersion = (apiVersion: string): { group: string; version: string } => {
  const slash = apiVersion.lastIndexOf('/');
  return slash < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
};

/** Compiled selector patterns: every object is matched against every patch target, so compile each pattern once. */
const patterns = new Map<string, RegExp | undefined>();

/** Kustomize matches name, namespace and kind of a selector as anchored regular expressions. */
const matchesRegex = (pattern: string | undefined, value: string | undefined): boolean => {
  if (pattern === undefined) return true;
  let re = patterns.get(pattern);
  if (re === undefined && !patterns.has(pattern)) {
    try {
      re = new RegExp(`^(?:${pattern})$`);
    } catch {
      re = undefined;
    }
    patterns.set(pattern, re);
  }
  return re === undefined ? pattern === value : re.test(value ?? '');
};

/** Equality-based label selector (`a=b,c!=d,e,!f`), as Kustomize's labelSelector and annotationSelector take. */
export const matchesSelector = (selector: string | undefined, labels: Record<string, unknown>): boolean => {
  if (selector === undefined) return true;
  return selector
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t.length > 0)
    .every((term) => {
      const neq = /^([^!=\s]+)\s*!=\s*(.*)$/.exec(term);
      if (neq) return labels[neq[1] as string] !== neq[2];
      const eq = /^([^!=\s]+)\s*==?\s*(.*)$/.exec(term);
      if (eq) return labels[eq[1] as string] === eq[2];
      if (term.startsWith('!')) return !Object.hasOwn(labels, term.slice(1));
      return Object.hasOwn(labels, term);
    });
};

const record = (v: unknown): Record<string, unknown> => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

export const targetMatches = (target: PatchTarget, o: RenderedObject): boolean => {
  const { group, version } = groupVersion(o.apiVersion);
  const metadata = record(o.raw.metadata);
  return (
    (target.group === undefined || target.group === group) &&
    (target.version === undefined || target.version === version) &&
    matchesRegex(target.kind, o.kind) &&
    matchesRegex(target.name, o.name) &&
    matchesRegex(target.namespace, o.namespace) &&
    matchesSelector(target.labelSelector, record(metadata.labels)) &&
    matchesSelector(target.annotationSelector, record(metadata.annotations))
  );
};

const describeTarget = (t: PatchTarget): string =>
  Object.entries(t)
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(' ');

/** Image names in the output: the part before the tag or digest. */
const imageNames = (objects: readonly RenderedObject[]): Set<string> => {
  const names = new Set<string>();
  // Plain loops (no Object.entries pairs): this walks every value of every spec. Parsed YAML objects are plain,
  // so `for…in` sees exactly their own keys.
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) {
      for (const x of v) visit(x);
    } else if (typeof v === 'object' && v !== null) {
      const o = v as Record<string, unknown>;
      for (const k in o) {
        const x = o[k];
        if (k === 'image' && typeof x === 'string') {
          const at = x.indexOf('@');
          const noDigest = at < 0 ? x : x.slice(0, at);
          const slash = noDigest.lastIndexOf('/');
          const colon = noDigest.lastIndexOf(':');
          names.add(colon > slash ? noDigest.slice(0, colon) : noDigest);
        } else visit(x);
      }
    }
  };
  for (const o of objects) visit(o.raw.spec);
  return names;
};

export const silentFailures = (graph: KustomizationGraph, objects: readonly RenderedObject[]): RawFinding[] => {
  const out: RawFinding[] = [];
  // Only kustomizations with an images entry need the output's image names (a walk over every spec).
  let images: Set<string> | undefined;
  for (const node of graph.nodes) {
    for (const d of node.duplicateKeys) {
      out.push({ rule: 'kustomize/duplicate-key', file: node.file, line: d.line, message: `key ${d.key} is written twice; Kustomize silently keeps the last` });
    }
    for (const p of node.patches) {
      if (!objects.some((o) => targetMatches(p.target, o))) {
        out.push({ rule: 'kustomize/patch-no-target', file: node.file, line: p.line, message: `patches[${p.index}] target (${describeTarget(p.target)}) matches no object; Kustomize skips it silently` });
      }
    }
    for (const img of node.images) {
      images ??= imageNames(objects);
      if (!images.has(img.name) && (img.newName === undefined || !images.has(img.newName))) {
        out.push({ rule: 'kustomize/image-no-target', file: node.file, line: img.line, message: `images[${img.index}] name ${img.name} matches no container image; Kustomize skips it silently` });
      }
    }
  }
  return out;
};

/** Identity without the version: what the API server (and Argo CD) treat as one object. */
export const objectKey = (o: RenderedObject): string => `${groupVersion(o.apiVersion).group}/${o.kind}/${o.effectiveNamespace ?? ''}/${o.name}`;

export const duplicateIds = (objects: readonly RenderedObject[]): RawFinding[] => {
  const seen = new Map<string, RenderedObject>();
  const out: RawFinding[] = [];
  for (const o of objects) {
    const key = objectKey(o);
    const first = seen.get(key);
    if (first === undefined) seen.set(key, o);
    else out.push({ rule: 'kustomize/duplicate-id', object: o, message: `rendered twice in this Application (${first.apiVersion} in document ${first.doc}, ${o.apiVersion} in document ${o.doc})` });
  }
  return out;
};
