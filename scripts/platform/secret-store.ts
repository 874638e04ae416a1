// The ClusterSecretStore every cluster gets, named CLUSTER_SECRET_STORE: the one door through which apps'
// ExternalSecrets reach credentials. Provider and region come from the inventory; authentication is always
// workload identity (IRSA, Vault Kubernetes auth, GCP Workload Identity), so no bootstrap credential sits in Git.
import type { IClusterSecretStore } from '@kubernetes-models/external-secrets/external-secrets.io/v1/ClusterSecretStore';
import type { K8sObject } from '../components/component.ts';
import { CLUSTER_SECRET_STORE } from '../components/secrets.ts';
import type { Cluster, Fleet } from '../model/fleet.ts';
import { secretStoreProblem } from './rules.ts';
import { secretStoreSettingsOf } from './settings.ts';

const EXTERNAL_SECRETS = 'external-secrets';

/** Namespace of the external-secrets controller (its service account authenticates to the provider). */
export const externalSecretsNamespace = (fleet: Fleet): string => fleet.addons[EXTERNAL_SECRETS]?.namespace ?? EXTERNAL_SECRETS;

type Provider = NonNullable<IClusterSecretStore['spec']>['provider'];

const providerOf = (fleet: Fleet, cluster: Cluster): Provider => {
  const s = secretStoreSettingsOf(fleet, cluster);
  // The loader reports this at file:line already; e.g. AWS in region `local` would only fail at runtime, on
  // every ExternalSecret of the cluster.
  const problem = secretStoreProblem(s, cluster.region);
  if (problem !== undefined) throw new Error(`cluster ${cluster.name}: platform.secretStore: ${problem}`);
  const namespace = externalSecretsNamespace(fleet);
  switch (s.provider ?? 'aws') {
    case 'aws': {
      const region = s.aws?.region ?? cluster.region;
      const serviceAccount = s.aws?.serviceAccount ?? EXTERNAL_SECRETS;
      return { aws: { service: 'SecretsManager', region, auth: { jwt: { serviceAccountRef: { name: serviceAccount, namespace } } } } };
    }
    case 'vault': {
      const v = s.vault!;
      return {
        vault: {
          server: v.server,
          path: v.path ?? 'secret',
          version: 'v2',
          auth: { kubernetes: { mountPath: v.mountPath ?? 'kubernetes', role: v.role, serviceAccountRef: { name: EXTERNAL_SECRETS, namespace } } },
        },
      };
    }
    case 'gcp': {
      return { gcpsm: { projectID: s.gcp!.projectID } };
    }
  }
};

export const clusterSecretStore = (fleet: Fleet, cluster: Cluster): IClusterSecretStore & K8sObject => ({
  apiVersion: 'external-secrets.io/v1',
  kind: 'ClusterSecretStore',
  metadata: { name: CLUSTER_SECRET_STORE },
  spec: {
    provider: providerOf(fleet, cluster),
    // Re-check the provider's reachability periodically so a broken store shows as not Ready early.
    refreshInterval: 300,
  },
});
