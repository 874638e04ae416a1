// The hub: the root Application (app of apps), Argo CD managing itself from a pinned chart with the
// controller settings the safety rules depend on, and each cluster's registration as an ExternalSecret.
import type { IApplication } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/Application';
import type { IAppProject } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/AppProject';
import type { K8sObject } from '../components/component.ts';
import { LABEL_CLUSTER, LABEL_ENVIRONMENT, LABEL_PREFIX, LABEL_REGION } from '../lib/labels.ts';
import { ARGOCD_DIR, ARGOCD_NAMESPACE } from '../lib/layout.ts';
import type { Cluster, Fleet } from '../model/fleet.ts';
import { argoMetadata, IN_CLUSTER, RETRY, SYNC_WAVE } from './argocd-objects.ts';

export const BOOTSTRAP_PROJECT = 'bootstrap';
export const ARGOCD_PROJECT = 'argocd';
export const ROOT_APPLICATION = 'root';
export const ARGOCD_RELEASE = 'argocd';

const ARGOCD_METRICS = { metrics: { enabled: true, serviceMonitor: { enabled: true } } } as const;

/**
 * Values of the Argo CD chart, used by the one-time `helm install` and by the Application through which
 * Argo CD then manages itself, so the two can never disagree.
 * - `applicationsetcontroller.policy: create-update`: no ApplicationSet deletes Applications, fleet-wide;
 * - `…enable.policy.override`: honour each ApplicationSet's own `applicationsSync` (ours: create-update);
 * - `…enable.progressive.syncs`: RollingSync (beta) only when the inventory switches it on.
 */
export const argoCdValues = (fleet: Fleet): Record<string, unknown> => ({
  configs: {
    params: {
      'applicationsetcontroller.policy': 'create-update',
      'applicationsetcontroller.enable.policy.override': true,
      'applicationsetcontroller.enable.progressive.syncs': fleet.argocd.progressiveSync,
    },
  },
  // Metrics and ServiceMonitors of every component: the monitoring stack's Argo CD alerts read `argocd_app_info`
  // (controller), sync and repo-server latency on the hub.
  controller: { replicas: 1, ...ARGOCD_METRICS },
  applicationSet: { replicas: 2, ...ARGOCD_METRICS },
  repoServer: { replicas: 2, ...ARGOCD_METRICS },
  server: { replicas: 2, ...ARGOCD_METRICS },
});

/** Argo CD manages its own installation from the pinned chart after the one-time bootstrap. */
export const selfManagedArgoCd = (fleet: Fleet): IApplication & K8sObject => ({
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Application',
  metadata: argoMetadata(ARGOCD_RELEASE, { wave: SYNC_WAVE.selfManagedArgoCd }),
  spec: {
    project: ARGOCD_PROJECT,
    source: {
      repoURL: fleet.argocd.chart.repoURL,
      chart: fleet.argocd.chart.chart,
      targetRevision: fleet.argocd.chart.version,
      helm: { releaseName: ARGOCD_RELEASE, valuesObject: argoCdValues(fleet) },
    },
    destination: { server: IN_CLUSTER, namespace: ARGOCD_NAMESPACE },
    // Never prune Argo CD's own objects automatically; heal drift. The ServiceMonitors need the Prometheus
    // operator's CRDs on the hub: without them the rest of Argo CD still syncs, and the monitors follow on retry.
    syncPolicy: {
      automated: { allowEmpty: false, prune: false, selfHeal: true },
      retry: RETRY,
      syncOptions: ['ServerSideApply=true', 'SkipDryRunOnMissingResource=true'],
    },
  },
});

/** App of apps: syncs argocd/ (projects, cluster registrations, itself) and apps/ (ApplicationSets). */
export const rootApplication = (fleet: Fleet): IApplication & K8sObject => ({
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Application',
  metadata: argoMetadata(ROOT_APPLICATION),
  spec: {
    project: BOOTSTRAP_PROJECT,
    source: { repoURL: fleet.git.repoURL, targetRevision: fleet.git.targetRevision, path: ARGOCD_DIR },
    destination: { server: IN_CLUSTER, namespace: ARGOCD_NAMESPACE },
    // No prune: removing an ApplicationSet or project from Git must be a deliberate act, not a side effect.
    syncPolicy: {
      automated: { allowEmpty: false, prune: false, selfHeal: true },
      retry: RETRY,
      syncOptions: ['SkipDryRunOnMissingResource=true'],
    },
  },
});

/**
 * A cluster's registration in Argo CD: a Secret labelled `argocd.argoproj.io/secret-type: cluster`, written
 * by external-secrets from the hub's secret store (server URL and credentials never enter Git). The labels
 * let humans and generators select clusters by environment, region and capability.
 */
export const clusterSecret = (fleet: Fleet, c: Cluster): K8sObject => ({
  apiVersion: 'external-secrets.io/v1',
  kind: 'ExternalSecret',
  metadata: argoMetadata(`cluster-${c.name}`, { labels: { [LABEL_CLUSTER]: c.name }, wave: SYNC_WAVE.clusterSecrets }),
  spec: {
    refreshInterval: '1h',
    secretStoreRef: { kind: 'ClusterSecretStore', name: fleet.argocd.clusterSecretStore },
    target: {
      name: `cluster-${c.name}`,
      creationPolicy: 'Owner',
      deletionPolicy: 'Retain',
      template: {
        engineVersion: 'v2',
        metadata: {
          labels: {
            'argocd.argoproj.io/secret-type': 'cluster',
            [LABEL_CLUSTER]: c.name,
            [LABEL_ENVIRONMENT]: c.environment,
            [LABEL_REGION]: c.region,
            ...Object.fromEntries(c.capabilities.map((cap) => [`${LABEL_PREFIX}/capability-${cap}`, 'true'])),
          },
        },
        data: { name: c.destination.name ?? c.name, server: '{{ .server }}', config: '{{ .config }}' },
      },
    },
    data: [
      { secretKey: 'server', remoteRef: { key: `${fleet.argocd.clusterSecretPrefix}/${c.name}`, property: 'server' } },
      { secretKey: 'config', remoteRef: { key: `${fleet.argocd.clusterSecretPrefix}/${c.name}`, property: 'config' } },
    ],
  },
});

/** The root Application's project: Argo CD's own objects in the hub's argocd namespace, nothing else. */
export const bootstrapProject = (fleet: Fleet): IAppProject & K8sObject => ({
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'AppProject',
  metadata: argoMetadata(BOOTSTRAP_PROJECT, { wave: SYNC_WAVE.projects }),
  spec: {
    description: 'This repository\'s Argo CD objects: AppProjects, ApplicationSets, Applications, cluster registrations',
    sourceRepos: [fleet.git.repoURL],
    destinations: [{ server: IN_CLUSTER, namespace: ARGOCD_NAMESPACE }],
    clusterResourceWhitelist: [],
    namespaceResourceWhitelist: [
      { group: 'argoproj.io', kind: 'AppProject' },
      { group: 'argoproj.io', kind: 'Application' },
      { group: 'argoproj.io', kind: 'ApplicationSet' },
      { group: 'external-secrets.io', kind: 'ExternalSecret' },
    ],
  },
});

/** The self-managed Argo CD's project: its chart, into the hub's argocd namespace, with the kinds it installs. */
export const argoCdProject = (fleet: Fleet): IAppProject & K8sObject => ({
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'AppProject',
  metadata: argoMetadata(ARGOCD_PROJECT, { wave: SYNC_WAVE.projects }),
  spec: {
    description: 'Argo CD itself, from its pinned Helm chart',
    sourceRepos: [fleet.argocd.chart.repoURL],
    destinations: [{ server: IN_CLUSTER, namespace: ARGOCD_NAMESPACE }],
    clusterResourceWhitelist: [
      { group: 'apiextensions.k8s.io', kind: 'CustomResourceDefinition' },
      { group: 'rbac.authorization.k8s.io', kind: 'ClusterRole' },
      { group: 'rbac.authorization.k8s.io', kind: 'ClusterRoleBinding' },
    ],
    namespaceResourceWhitelist: [
      { group: '', kind: 'ConfigMap' },
      { group: '', kind: 'Secret' },
      { group: '', kind: 'Service' },
      { group: '', kind: 'ServiceAccount' },
      { group: 'apps', kind: 'Deployment' },
      { group: 'apps', kind: 'StatefulSet' },
      { group: 'monitoring.coreos.com', kind: 'ServiceMonitor' },
      { group: 'networking.k8s.io', kind: 'NetworkPolicy' },
      { group: 'policy', kind: 'PodDisruptionBudget' },
      { group: 'rbac.authorization.k8s.io', kind: 'Role' },
      { group: 'rbac.authorization.k8s.io', kind: 'RoleBinding' },
    ],
  },
});
