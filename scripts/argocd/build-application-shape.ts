// Maintainer tool: derive scripts/argocd/application-shape.json from Argo CD's Application CRD at the version the
// fleet pins. Run after changing `argocd.chart` in inventory/fleet.yaml:
//   git clone --depth 1 --branch vX.Y.Z https://github.com/argoproj/argo-cd /tmp/argo-cd
//   pnpm exec tsx scripts/argocd/build-application-shape.ts /tmp/argo-cd/manifests/crds/application-crd.yaml vX.Y.Z
// The CRD's openAPI schema is generated from the Go types, so it carries exactly what the strategic merge needs:
// struct fields by JSON name, maps (additionalProperties), lists, int-or-string, and RawExtension/JSON fields
// (x-kubernetes-preserve-unknown-fields without properties). `metadata` is only `type: object` there, so
// ObjectMeta's shape is written here from k8s.io/apimachinery's ObjectMeta.
import { readFileSync, writeFileSync } from 'node:fs';

import { parse } from 'yaml';

import { ExitCode } from '../lib/exit-codes.ts';
import { isEntryPoint, runMain } from '../lib/run-main.ts';
import type { ApplicationShape, Shape } from './application-shape.ts';

interface OpenApi {
  readonly type?: string;
  readonly properties?: Record<string, OpenApi>;
  readonly additionalProperties?: OpenApi | boolean;
  readonly items?: OpenApi;
  readonly 'x-kubernetes-preserve-unknown-fields'?: boolean;
  readonly 'x-kubernetes-int-or-string'?: boolean;
}

const OWNER_REFERENCE: Shape = { f: { apiVersion: 's', kind: 's', name: 's', uid: 's', controller: 'b', blockOwnerDeletion: 'b' } };
const OBJECT_META: Shape = {
  f: {
    name: 's', generateName: 's', namespace: 's', uid: 's', resourceVersion: 's', generation: 'i',
    creationTimestamp: 's', deletionTimestamp: 's', deletionGracePeriodSeconds: 'i',
    labels: { m: 's' }, annotations: { m: 's' }, finalizers: { l: 's' }, ownerReferences: { l: OWNER_REFERENCE },
    managedFields: { l: 'o' },
  },
};

export const shapeOf = (node: OpenApi): Shape => {
  if (node['x-kubernetes-int-or-string'] === true) return 'q';
  if (node.properties !== undefined) {
    return { f: Object.fromEntries(Object.keys(node.properties).sort().map((k) => [k, shapeOf(node.properties![k]!)])) };
  }
  if (node['x-kubernetes-preserve-unknown-fields'] === true) return 'o';
  if (node.type === 'object' && typeof node.additionalProperties === 'object') return { m: shapeOf(node.additionalProperties) };
  if (node.type === 'object') return 'o';
  if (node.type === 'array') return { l: node.items === undefined ? 'o' : shapeOf(node.items) };
  if (node.type === 'boolean') return 'b';
  if (node.type === 'integer') return 'i';
  if (node.type === 'number') return 'n';
  if (node.type === 'string') return 's';
  return 'o';
};

/** The Application's shape from the CRD document; `status` is left out (a templatePatch never reaches it). */
export const applicationShapeFromCrd = (crd: unknown, source: string): ApplicationShape => {
  const version = (crd as { spec?: { versions?: Array<{ schema?: { openAPIV3Schema?: OpenApi } }> } }).spec?.versions?.[0];
  const root = version?.schema?.openAPIV3Schema;
  if (root?.properties?.spec === undefined) throw new Error('not an Application CRD: no spec.versions[0].schema.openAPIV3Schema.properties.spec');
  const fields: Record<string, Shape> = { apiVersion: 's', kind: 's', metadata: OBJECT_META, spec: shapeOf(root.properties.spec) };
  if (root.properties.operation !== undefined) fields.operation = shapeOf(root.properties.operation);
  return { source, shape: { f: fields } };
};

export const main = async (argv: readonly string[]): Promise<number> => {
  const [crdPath, tag] = argv;
  if (crdPath === undefined || tag === undefined) {
    process.stderr.write('usage: build-application-shape.ts <application-crd.yaml> <argo-cd tag>\n');
    return ExitCode.BadInput;
  }
  const shape = applicationShapeFromCrd(parse(readFileSync(crdPath, 'utf8')), `https://github.com/argoproj/argo-cd@${tag}:manifests/crds/application-crd.yaml`);
  writeFileSync(new URL('./application-shape.json', import.meta.url), `${JSON.stringify(shape, null, 2)}\n`);
  return ExitCode.Ok;
};

if (isEntryPoint(import.meta.url)) runMain(main);
