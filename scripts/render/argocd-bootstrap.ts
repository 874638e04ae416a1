// The hub: the root Application (app of apps), Argo CD managing itself from a pinned chart with the
// controller settings the safety rules depend on, and each cluster's registration as an ExternalSecret.
import type { IApplication } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/Application';
import type { IAppProject } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/AppProject';
import type { K8sObject } from '../components/component.ts';
import { LABEL_CLUSTER, LABEL_ENVIRONMENT, LABEL_PREFIX, LABEL_REGION } from '../lib/labels.ts';
import { ARGOCD_DIR, ARGOCD_NAMESPACE } from '../lib/layout.ts';
import type { Cluster, Fleet } from '../model/fleet.ts';
import { catalogOf, chartFootprint, sortedUnion } from '../platform/chart-footprint.ts';
import { appProject, argoMetadata, IN_CLUSTER, KEEP_ON_PRUNE_AND_DELETE, RETRY, ROOT_WAVE } from './argocd-objects.ts';

export const BOOTSTRAP_PROJECT = 'bootstrap';
export const ARGOCD_PROJECT = 'argocd';
export const ROOT_APPLICATION = 'root';
export const ARGOCD_RELEASE = 'argocd';

/**
 * Values of the Argo CD chart, used by the one-time `helm install` and by the Application through which
 * Argo CD then manages itself, so the two can never disagree. Keys checked in argo-helm at the pinned chart
 * (charts/argo-cd/values.yaml, templates/argocd-configs/argocd-cmd-params-cm.yaml and _helpers.tpl; the flags in
 * argo-cd cmd/argocd-applicationset-controller at its appVersion):
 * - `applicationsetcontroller.policy: create-update` with `…enable.policy.override: false`: no ApplicationSet can
 *   delete an Application, whatever its own `applicationsSync` says (with override off the controller's policy wins:
 *   applicationset/utils/policy.go DefaultPolicy). Deleting an ApplicationSet then orphans its Applications.
 * - `…enable.leader.election`: two ApplicationSet controller replicas would both act on every set without it (the
 *   chart presets it from the replica count, _helpers.tpl; written here so the intent survives a chart change).
 * - `…enable.progressive.syncs`: RollingSync only when the inventory switches it on.
 * - ServiceMonitors: every one is gated on `.Capabilities.APIVersions.Has "monitoring.coreos.com/v1"`
 *   (_helpers.tpl), and Argo CD renders with the hub's APIs, so they appear once the hub serves the CRD.
 */
export const argoCdValues = (fleet: Fleet): Record<string, unknown> => {
  const applicationSetReplicas = 2;
  const metrics = { metrics: { enabled: true, serviceMonitor: { enabled: true } } };
  return {
    configs: {
      params: {
        'applicationsetcontroller.policy': 'create-update',
        'applicationsetcontroller.enable.policy.override': false,
        'applicationsetcontroller.enable.leader.election': applicationSetReplicas > 1,
        'applicationsetcontroller.enable.progressive.syncs': fleet.argocd.progressiveSync,
      },
    },
    // Metrics of every component: the monitoring stack's Argo CD alerts read `argocd_app_info` (controller).
    controller: { replicas: 1, ...metrics },
    applicationSet: { replicas: applicationSetReplicas, ...metrics },
    repoServer: { replicas: 2, ...metrics },
    server: { replicas: 2, ...metrics },
  };
};

/** Argo CD manages its own installation from the pinned chart after the one-time bootstrap. */
export const selfManagedArgoCd = (fleet: Fleet): IApplication & K8sObject => ({
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Application',
  metadata: argoMetadata(ARGOCD_RELEASE, { wave: ROOT_WAVE.selfManagedArgoCd, annotations: KEEP_ON_PRUNE_AND_DELETE }),
  spec: {
    project: ARGOCD_PROJECT,
    source: {
      repoURL: fleet.argocd.chart.repoURL,
      chart: fleet.argocd.chart.chart,
      targetRevision: fleet.argocd.chart.version,
      helm: { releaseName: ARGOCD_RELEASE, valuesObject: argoCdValues(fleet) },
    },
    destination: { server: IN_CLUSTER, namespace: ARGOCD_NAMESPACE },
    // Never prune Argo CD's own objects automatically; heal drift.
    syncPolicy: {
      automated: { allowEmpty: false, prune: false, selfHeal: true },
      retry: RETRY,
      syncOptions: ['ServerSideApply=true'],
    },
  },
});

/**
 * App of apps: syncs argocd/ (projects, cluster registrations, itself) and apps/ (ApplicationSets). It prunes, so
 * an ApplicationSet that leaves Git (a retired add-on, the per-environment sets when progressive sync is switched
 * on) is deleted — which only orphans its Applications for the set that replaces it to adopt. Everything else it
 * holds is marked Prune=false,Delete=false. It carries no resources finalizer: deleting the root deletes nothing.
 */
export const rootApplication = (fleet: Fleet): IApplication & K8sObject => ({
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Application',
  metadata: argoMetadata(ROOT_APPLICATION, { annotations: KEEP_ON_PRUNE_AND_DELETE }),
  spec: {
    project: BOOTSTRAP_PROJECT,
    source: { repoURL: fleet.git.repoURL, targetRevision: fleet.git.targetRevision, path: ARGOCD_DIR },
    destination: { server: IN_CLUSTER, namespace: ARGOCD_NAMESPACE },
    syncPolicy: {
      automated: { allowEmpty: false, prune: true, selfHeal: true },
      // No PruneLast: it would move pruning into a wave after the ApplicationSets' and make their health gate it.
      retry: RETRY,
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
  metadata: argoMetadata(`cluster-${c.name}`, { labels: { [LABEL_CLUSTER]: c.name }, wave: ROOT_WAVE.fleet, annotations: KEEP_ON_PRUNE_AND_DELETE }),
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
export const bootstrapProject = (fleet: Fleet): IAppProject & K8sObject =>
  appProject(BOOTSTRAP_PROJECT, {
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
  });

/**
 * The self-managed Argo CD's project: its chart, into the hub's argocd namespace, with exactly the kinds the pinned
 * chart renders (scripts/platform/chart-catalog/argo-cd.json), hooks included: the redis secret-init Job is a
 * Helm pre-install hook Argo CD runs as PreSync, and a sync with one object the project refuses applies nothing.
 */
export const argoCdProject = (fleet: Fleet): IAppProject & K8sObject => {
  const footprint = chartFootprint(catalogOf(fleet.argocd.chart));
  return appProject(ARGOCD_PROJECT, {
    description: 'Argo CD itself, from its pinned Helm chart',
    sourceRepos: [fleet.argocd.chart.repoURL],
    destinations: [...new Set([ARGOCD_NAMESPACE, ...footprint.namespaces])].sort().map((namespace) => ({ server: IN_CLUSTER, namespace })),
    clusterResourceWhitelist: sortedUnion(footprint.cluster),
    namespaceResourceWhitelist: sortedUnion(footprint.namespaced),
  });
};
