// Credentials never live in Git: apps reference Secrets that external-secrets materialises from the platform's
// secret store. The ClusterSecretStore itself is rendered by the platform add-ons (one per cluster).
import type { IExternalSecret } from '@kubernetes-models/external-secrets/external-secrets.io/v1/ExternalSecret';
import { appLabels } from '../lib/labels.ts';
import type { K8sObject } from './component.ts';

/** The ClusterSecretStore every cluster has; its provider comes from the inventory (platform settings). */
export const CLUSTER_SECRET_STORE = 'platform-secrets';

export interface SecretKeyRef {
  /** Key in the Kubernetes Secret the app reads. */
  readonly secretKey: string;
  /** Key (path) in the external store. */
  readonly remoteKey: string;
  /** Property of a JSON value in the store, when the value is an object. */
  readonly property?: string;
}

/**
 * An ExternalSecret that materialises Secret `name` from the cluster's secret store. The Secret is owned by the
 * ExternalSecret (deleted with it) and refreshed hourly, so a rotation reaches pods on their next restart.
 */
export const externalSecret = (s: {
  name: string;
  namespace: string;
  stack: string;
  app: string;
  data: readonly SecretKeyRef[];
}): IExternalSecret & K8sObject => ({
  apiVersion: 'external-secrets.io/v1',
  kind: 'ExternalSecret',
  metadata: { name: s.name, namespace: s.namespace, labels: appLabels(s.app, s.stack) },
  spec: {
    refreshInterval: '1h',
    secretStoreRef: { kind: 'ClusterSecretStore', name: CLUSTER_SECRET_STORE },
    target: { name: s.name, creationPolicy: 'Owner', deletionPolicy: 'Retain' },
    data: [...s.data]
      .sort((a, b) => a.secretKey.localeCompare(b.secretKey))
      .map((d) => ({ secretKey: d.secretKey, remoteRef: { key: d.remoteKey, ...(d.property ? { property: d.property } : {}) } })),
  },
});
