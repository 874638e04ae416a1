// Helpers that turn objects into one-file-per-resource folders with a kustomization.yaml whose lists are
// derived from the very files written (kube-prometheus `examples/kustomize.jsonnet`).
import type { JsonPatch, K8sObject } from '../components/component.ts';
import { KUSTOMIZATION_FILE, posixJoin } from '../lib/layout.ts';
import type { GeneratedFile } from './generated-file.ts';
import { yamlBody, yamlFile } from './serialize.ts';

/** `<name>-<kind>.yaml`, lower-case: stable and readable in a directory listing. */
export const objectFileName = (obj: K8sObject): string => `${obj.metadata.name}-${obj.kind.toLowerCase()}.yaml`;

export const objectFiles = (dir: string, objects: readonly K8sObject[]): GeneratedFile[] =>
  objects.map((o) => ({ path: posixJoin(dir, objectFileName(o)), content: yamlFile(o) }));

export type KustomizationKind = 'Kustomization' | 'Component';

/** A kustomization.yaml; empty lists are omitted so the file says only what it does. */
export const kustomizationFile = (
  dir: string,
  kind: KustomizationKind,
  body: {
    resources?: readonly string[];
    components?: readonly string[];
    images?: readonly { readonly name: string; readonly newTag: string; readonly digest?: string }[];
    replicas?: readonly { name: string; count: number }[];
    labels?: readonly Record<string, unknown>[];
    patches?: readonly JsonPatch[];
  },
): GeneratedFile => {
  const nonEmpty = <T>(xs: readonly T[] | undefined): T[] | undefined => (xs && xs.length > 0 ? [...xs] : undefined);
  return {
    path: posixJoin(dir, KUSTOMIZATION_FILE),
    content: yamlFile({
      apiVersion: kind === 'Component' ? 'kustomize.config.k8s.io/v1alpha1' : 'kustomize.config.k8s.io/v1beta1',
      kind,
      resources: nonEmpty(body.resources),
      components: nonEmpty(body.components),
      images: nonEmpty(body.images),
      replicas: nonEmpty(body.replicas),
      labels: nonEmpty(body.labels),
      patches: nonEmpty(body.patches?.map(renderPatch)),
    }),
  };
};

/** An inline JSON6902 patch: cheap for Kustomize (no strategic merge), explicit about its target. */
const renderPatch = (p: JsonPatch): Record<string, unknown> => ({
  target: p.target,
  patch: yamlBody(p.ops.map((op) => ({ op: op.op, path: op.path, value: op.value }))),
});

/** Relative path from one generated folder to another (both POSIX, relative to the output root). */
export const relativeDir = (from: string, to: string): string => {
  // Fast path (every cluster kustomization pointing into base/ or overlays/): no common first folder.
  const head = from.indexOf('/');
  if (head > 0 && !to.startsWith(from.slice(0, head + 1)) && to !== from.slice(0, head) && !from.endsWith('/') && !from.includes('//')) {
    let depth = 1;
    for (let i = head; i >= 0; i = from.indexOf('/', i + 1)) depth++;
    return `${'../'.repeat(depth)}${to}`;
  }
  const a = from.split('/').filter(Boolean);
  const b = to.split('/').filter(Boolean);
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return [...a.slice(i).map(() => '..'), ...b.slice(i)].join('/') || '.';
};
