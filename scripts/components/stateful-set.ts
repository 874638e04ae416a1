// StatefulSet builder: a stateful server with stable identity (headless Service), one PVC per replica from
// volumeClaimTemplates, and the house defaults (restricted pod, spread, no replicas in base).
import type { IStatefulSet } from 'kubernetes-models/apps/v1/StatefulSet';
import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IPodSpec } from 'kubernetes-models/v1/PodSpec';
import type { IService } from 'kubernetes-models/v1/Service';
import type { IServicePort } from 'kubernetes-models/v1/ServicePort';
import { appLabels, selectorLabels } from '../lib/labels.ts';
import { restrictedPod, spreadAcrossZonesAndNodes } from './builders.ts';
import type { JsonPatch, K8sObject } from './component.ts';

export interface VolumeClaim {
  readonly name: string;
  readonly size: string;
}

export interface StatefulSetSpec {
  readonly name: string;
  readonly namespace: string;
  readonly stack: string;
  readonly uid: number;
  readonly containers: IContainer[];
  readonly volumes?: NonNullable<IPodSpec['volumes']>;
  readonly claims: readonly VolumeClaim[];
  readonly terminationGracePeriodSeconds?: number;
  readonly podAnnotations?: Record<string, string>;
}

/** The headless Service a StatefulSet names: stable per-pod DNS (`<pod>.<name>-headless`). */
export const headlessServiceName = (app: string): string => `${app}-headless`;

/**
 * A StatefulSet without `replicas` (the environment sets them) and without a storage class (a cluster patch
 * sets it, see `storageClassPatch`), so the base stays cluster-independent.
 */
export const statefulSet = (s: StatefulSetSpec): IStatefulSet & K8sObject => ({
  apiVersion: 'apps/v1',
  kind: 'StatefulSet',
  metadata: { name: s.name, namespace: s.namespace, labels: appLabels(s.name, s.stack) },
  spec: {
    // Parallel: a replica waiting for a peer must not block the others from starting (and a broken pod from being replaced).
    podManagementPolicy: 'Parallel',
    persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
    revisionHistoryLimit: 5,
    selector: { matchLabels: selectorLabels(s.name) },
    serviceName: headlessServiceName(s.name),
    template: {
      metadata: { labels: appLabels(s.name, s.stack), annotations: s.podAnnotations },
      spec: {
        automountServiceAccountToken: false,
        containers: s.containers,
        enableServiceLinks: false,
        securityContext: { ...restrictedPod(s.uid), fsGroupChangePolicy: 'OnRootMismatch' },
        terminationGracePeriodSeconds: s.terminationGracePeriodSeconds,
        topologySpreadConstraints: spreadAcrossZonesAndNodes(s.name, 'DoNotSchedule'),
        volumes: s.volumes,
      },
    },
    updateStrategy: { type: 'RollingUpdate' },
    volumeClaimTemplates: s.claims.map((c) => ({
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: c.name, labels: appLabels(s.name, s.stack) },
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: c.size } } },
    })),
  },
});

/** Headless Service (clusterIP: None) for the StatefulSet's pod identities; publishes not-ready pods for peer discovery. */
export const headlessService = (s: { app: string; namespace: string; stack: string; ports: IServicePort[] }): IService & K8sObject => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: headlessServiceName(s.app), namespace: s.namespace, labels: appLabels(s.app, s.stack) },
  spec: { clusterIP: 'None', ports: s.ports, publishNotReadyAddresses: true, selector: selectorLabels(s.app), type: 'ClusterIP' },
});

/** Cluster patch: every volumeClaimTemplate of a StatefulSet on the cluster's storage class. */
export const storageClassPatch = (name: string, claims: number, storageClass: string): JsonPatch => ({
  target: { kind: 'StatefulSet', name },
  ops: Array.from({ length: claims }, (_, i) => ({
    op: 'add' as const,
    path: `/spec/volumeClaimTemplates/${i}/spec/storageClassName`,
    value: storageClass,
  })),
});
