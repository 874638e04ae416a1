// Volumes of a service: its persistent volumes (one claim per replica in a StatefulSet, one shared
// PersistentVolumeClaim `<service>-<volume>` for a Deployment), its emptyDirs, its config files (one ConfigMap
// `<service>-config`, each file mounted on its own with subPath) and the /tmp scratch space every read-only root
// filesystem needs. Storage classes the spec leaves open are the cluster's, set by a cluster patch so the base stays
// cluster-independent.
import type { IPersistentVolumeClaim } from 'kubernetes-models/v1/PersistentVolumeClaim';
import type { IPodSpec } from 'kubernetes-models/v1/PodSpec';
import type { IVolumeMount } from 'kubernetes-models/v1/VolumeMount';
import type { Volume } from '../../inventory/system-schema.ts';
import { appLabels } from '../../lib/labels.ts';
import { configChecksumAnnotation, configMap } from '../builders.ts';
import type { JsonPatch, K8sObject } from '../component.ts';
import { PROTECT_FROM_PRUNE } from '../stacks.ts';
import type { SystemView } from './system-view.ts';
import type { ServiceInput } from './types.ts';

type PodVolume = NonNullable<IPodSpec['volumes']>[number];
type ClaimTemplate = IPersistentVolumeClaim;

/** Scratch space for the read-only root filesystem, unless the spec mounts something of its own there. */
const TMP = { name: 'tmp', mountPath: '/tmp', sizeLimit: '256Mi' } as const;
/** The pod volume of the config files' ConfigMap. */
export const CONFIG_VOLUME = 'config-files';

/** The ConfigMap holding a service's config files. */
export const configMapName = (service: string): string => `${service}-config`;

/** The standalone claim of a Deployment's persistent volume. */
export const claimName = (service: string, volume: string): string => `${service}-${volume}`;

/**
 * ConfigMap keys of the config files: the path with every character a key may not hold replaced, disambiguated if
 * two paths map to one key. Checked: kubernetes/apimachinery @ v0.32.0 : pkg/util/validation/validation.go
 * (IsConfigMapKey: `[-._a-zA-Z0-9]+`, at most 253 characters, not `.`, `..` nor starting with `..`).
 */
const configKeys = (paths: readonly string[]): string[] => {
  const seen = new Set<string>();
  return paths.map((path) => {
    const safe = path.slice(1).replace(/[^-._a-zA-Z0-9]/g, '_').slice(0, 240);
    const base = safe.startsWith('.') ? `_${safe}` : safe;
    let key = base;
    for (let i = 2; seen.has(key); i++) key = `${base}-${i}`;
    seen.add(key);
    return key;
  });
};

type AccessMode = NonNullable<NonNullable<Volume['persistent']>['accessMode']>;
const accessModes = (v: Volume): AccessMode[] => [v.persistent?.accessMode ?? 'ReadWriteOnce'];

const claimSpec = (v: Volume): NonNullable<IPersistentVolumeClaim['spec']> => ({
  accessModes: accessModes(v),
  resources: { requests: { storage: v.persistent!.size } },
  ...(v.persistent?.storageClass !== undefined ? { storageClassName: v.persistent.storageClass } : {}),
});

/** What the pod, the workload and the base need for a service's volumes. */
export interface ServiceVolumes {
  readonly volumes: PodVolume[];
  readonly mounts: IVolumeMount[];
  /** StatefulSet only: one claim per replica of each persistent volume. */
  readonly claimTemplates: ClaimTemplate[];
  /** Base objects: the config files' ConfigMap and a Deployment's PersistentVolumeClaims. */
  readonly objects: K8sObject[];
  /** Pod annotations: a checksum of the config files, so a change rolls the pods. */
  readonly podAnnotations: Record<string, string>;
  /** Whether a Deployment's pods hold a volume only one node may attach (a rolling update would deadlock). */
  readonly singleAttach: boolean;
}

export const serviceVolumes = (view: SystemView, input: ServiceInput, kind: 'Deployment' | 'StatefulSet'): ServiceVolumes => {
  const { name, spec } = input;
  const stack = view.system.name;
  const declared = spec.volumes ?? [];
  for (const v of declared) {
    if (v.name === CONFIG_VOLUME) throw new Error(`${view.system.file}: services.${name}.volumes: the name "${CONFIG_VOLUME}" is reserved for the config files`);
  }
  const persistent = declared.filter((v) => v.persistent !== undefined);
  const volumes: PodVolume[] = [];
  const mounts: IVolumeMount[] = declared.map((v) => ({ name: v.name, mountPath: v.mountPath, ...(v.readOnly ? { readOnly: true } : {}) }));
  for (const v of declared) {
    if (v.emptyDir) {
      volumes.push({ name: v.name, emptyDir: { ...(v.emptyDir.medium ? { medium: v.emptyDir.medium } : {}), ...(v.emptyDir.sizeLimit ? { sizeLimit: v.emptyDir.sizeLimit } : {}) } });
    } else if (v.persistent && kind === 'Deployment') {
      volumes.push({ name: v.name, persistentVolumeClaim: { claimName: claimName(name, v.name) } });
    }
  }
  if (!declared.some((v) => v.name === TMP.name || v.mountPath === TMP.mountPath)) {
    volumes.push({ name: TMP.name, emptyDir: { sizeLimit: TMP.sizeLimit } });
    mounts.push({ name: TMP.name, mountPath: TMP.mountPath });
  }

  const files = spec.configFiles ?? [];
  const keys = configKeys(files.map((f) => f.path));
  const objects: K8sObject[] = [];
  let podAnnotations: Record<string, string> = {};
  if (files.length > 0) {
    const data = Object.fromEntries(files.map((f, i) => [keys[i]!, f.content]));
    objects.push(configMap({ name: configMapName(name), namespace: view.namespace, stack, app: name, data }));
    volumes.push({ name: CONFIG_VOLUME, configMap: { name: configMapName(name) } });
    // subPath mounts never see ConfigMap updates; the checksum rolls the pods instead.
    files.forEach((f, i) => mounts.push({ name: CONFIG_VOLUME, mountPath: f.path, subPath: keys[i]!, readOnly: true }));
    podAnnotations = configChecksumAnnotation(...files.flatMap((f) => [f.path, f.content]));
  }

  if (kind === 'Deployment') {
    for (const v of persistent) {
      objects.push({
        apiVersion: 'v1',
        kind: 'PersistentVolumeClaim',
        // Argo CD must never prune a claim (and its data) because a line left the inventory.
        metadata: { name: claimName(name, v.name), namespace: view.namespace, labels: appLabels(name, stack), annotations: { ...PROTECT_FROM_PRUNE } },
        spec: claimSpec(v),
      } satisfies IPersistentVolumeClaim & K8sObject);
    }
  }
  const claimTemplates: ClaimTemplate[] =
    kind === 'StatefulSet'
      ? persistent.map((v) => ({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: v.name, labels: appLabels(name, stack) }, spec: claimSpec(v) }))
      : [];
  const singleAttach = kind === 'Deployment' && persistent.some((v) => accessModes(v).some((m) => m === 'ReadWriteOnce' || m === 'ReadWriteOncePod'));
  return { volumes, mounts, claimTemplates, objects, podAnnotations, singleAttach };
};

/** Cluster patches: every claim whose spec names no storage class gets the cluster's. */
export const storageClassPatches = (input: ServiceInput, kind: 'Deployment' | 'StatefulSet', storageClass: string): JsonPatch[] => {
  const persistent = (input.spec.volumes ?? []).filter((v) => v.persistent !== undefined);
  if (kind === 'StatefulSet') {
    const ops = persistent.flatMap((v, i) =>
      v.persistent!.storageClass === undefined ? [{ op: 'add' as const, path: `/spec/volumeClaimTemplates/${i}/spec/storageClassName`, value: storageClass }] : [],
    );
    return ops.length === 0 ? [] : [{ target: { group: 'apps', version: 'v1', kind: 'StatefulSet', name: input.name }, ops }];
  }
  return persistent
    .filter((v) => v.persistent!.storageClass === undefined)
    .map((v) => ({
      target: { version: 'v1', kind: 'PersistentVolumeClaim', name: claimName(input.name, v.name) },
      ops: [{ op: 'add' as const, path: '/spec/storageClassName', value: storageClass }],
    }));
};
