// The schema layer: strict field tables current with the installed model packages, unknown fields found at any
// depth (and free-form maps left alone), the validators' known false positives corrected, API versions checked
// against the pinned Kubernetes version.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { notServedReason } from '../../scripts/schemas/api-lifecycle.ts';
import { buildFieldTables, packageInfo } from '../../scripts/schemas/build-known-fields.ts';
import { pointerToField } from '../../scripts/schemas/check-schemas.ts';
import type { FieldTable } from '../../scripts/schemas/field-table.ts';
import { KNOWN_FIELDS_DIR } from '../../scripts/schemas/known-fields-dir.ts';
import { MODEL_PACKAGES, knownFieldsFile } from '../../scripts/schemas/model-packages.ts';
import { SchemaRegistry } from '../../scripts/schemas/registry.ts';
import { unknownFields } from '../../scripts/schemas/strict-fields.ts';

const committed = (pkg: string): FieldTable => JSON.parse(readFileSync(join(KNOWN_FIELDS_DIR, knownFieldsFile(pkg)), 'utf8')) as FieldTable;
const registry = new SchemaRegistry();

describe('strict field tables', () => {
  it.each(MODEL_PACKAGES.map((p) => p.name))('%s: generated from the installed version (else run build-known-fields.ts)', (pkg) => {
    expect(committed(pkg).version).toBe(packageInfo(pkg).version);
  });

  it('regenerating a table gives the committed file', () => {
    const [table] = buildFieldTables(['@kubernetes-models/sealed-secrets']);
    expect(JSON.parse(JSON.stringify(table))).toEqual(committed('@kubernetes-models/sealed-secrets'));
  });

  it('covers every custom kind family the fleet and its add-ons emit', () => {
    const keys = registry.keys();
    for (const key of [
      'argoproj.io/v1alpha1/ApplicationSet',
      'cert-manager.io/v1/Certificate',
      'keda.sh/v1alpha1/ScaledObject',
      'external-secrets.io/v1/ExternalSecret',
      'bitnami.com/v1alpha1/SealedSecret',
      'monitoring.coreos.com/v1/PodMonitor',
      'networking.istio.io/v1/VirtualService',
      'apps/v1/Deployment',
    ]) {
      expect(keys, key).toContain(key);
    }
  });
});

describe('unknown fields', () => {
  const check = async (obj: Record<string, unknown>): Promise<string[]> => {
    const schema = await registry.get(String(obj.apiVersion), String(obj.kind));
    return unknownFields(obj, schema!.root, schema!.shapes).map((u) => pointerToField(u.path));
  };

  it('are found in nested objects and array items; maps and free-form values accept any key', async () => {
    expect(
      await check({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'x', labels: { anything: 'goes' }, annotations: { 'a/b': 'c' } },
        spec: { replcas: 2, template: { spec: { containers: [{ name: 'c', image: 'i:1', imagePullPolicyy: 'Always', resources: { limits: { 'nvidia.com/gpu': '1' } } }] } } },
      }),
    ).toEqual(['spec.replcas', 'spec.template.spec.containers[0].imagePullPolicyy']);
  });

  it('catch a misspelled ApplicationSet generator but not Helm values (x-kubernetes-preserve-unknown-fields)', async () => {
    expect(
      await check({
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'ApplicationSet',
        metadata: { name: 'x' },
        spec: {
          generators: [{ listt: { elements: [] } }, { list: { elements: [{ any: { key: 1 } }] } }],
          template: { metadata: {}, spec: { project: 'p', destination: {}, source: { repoURL: 'r', helm: { valuesObject: { free: { form: true } } } } } },
        },
      }),
    ).toEqual(['spec.generators[0].listt']);
  });
});

describe('model corrections', () => {
  it('accept a Prometheus storage claim without apiVersion/kind (optional in the CRD) and still type-check it', async () => {
    const schema = await registry.get('monitoring.coreos.com/v1', 'Prometheus');
    const prometheus = (claim: unknown): unknown => ({ apiVersion: 'monitoring.coreos.com/v1', kind: 'Prometheus', metadata: { name: 'p' }, spec: { storage: { volumeClaimTemplate: claim } } });
    expect(schema!.validate(prometheus({ spec: { accessModes: ['ReadWriteOnce'] } }))).toEqual([]);
    expect(schema!.validate(prometheus({ spec: { accessModes: 'ReadWriteOnce' } })).map((i) => i.path)).toEqual(['/spec/storage/volumeClaimTemplate/spec/accessModes']);
  });
});

describe('API versions served by the pinned Kubernetes version', () => {
  it.each([
    { apiVersion: 'policy/v1beta1', kind: 'PodDisruptionBudget', minor: 32, served: false },
    { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', minor: 32, served: true },
    { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', minor: 22, served: false },
    { apiVersion: 'flowcontrol.apiserver.k8s.io/v1beta3', kind: 'FlowSchema', minor: 31, served: true },
    { apiVersion: 'flowcontrol.apiserver.k8s.io/v1beta3', kind: 'FlowSchema', minor: 32, served: false },
    { apiVersion: 'resource.k8s.io/v1', kind: 'DeviceClass', minor: 32, served: false },
    { apiVersion: 'keda.sh/v1alpha1', kind: 'ScaledObject', minor: 32, served: true },
  ])('$apiVersion $kind on 1.$minor: served $served', ({ apiVersion, kind, minor, served }) => {
    expect(notServedReason(apiVersion, kind, minor) === undefined).toBe(served);
  });
});
