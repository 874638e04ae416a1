// Platform add-ons: one ApplicationSet per add-on (a pinned Helm chart), one Application per cluster that
// needs it, synced before the stacks (sync wave) and in the `platform` project.
import type { IApplicationSet } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/ApplicationSet';
import type { IAppProject } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/AppProject';
import { ADDON_VALUES } from '../components/addon-values.ts';
import type { K8sObject } from '../components/component.ts';
import type { Addon } from '../inventory/schema.ts';
import { LABEL_CLUSTER, LABEL_ENVIRONMENT, LABEL_REGION, LABEL_PREFIX } from '../lib/labels.ts';
import { ARGOCD_NAMESPACE } from '../lib/layout.ts';
import type { Cluster, Fleet } from '../model/fleet.ts';
import { argoMetadata, destinationElement, projectDestination, RETRY, SYNC_WAVE } from './argocd-objects.ts';

export const PLATFORM_PROJECT = 'platform';
const LABEL_ADDON = `${LABEL_PREFIX}/addon`;

/** Clusters an add-on is installed on: those with every capability it requires. */
export const clustersForAddon = (fleet: Fleet, addon: Addon): Cluster[] =>
  fleet.clusters.filter((c) => (addon.requires ?? []).every((cap) => c.capabilities.includes(cap)));

export const addonApplicationSet = (fleet: Fleet, name: string, addon: Addon): IApplicationSet & K8sObject => ({
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'ApplicationSet',
  metadata: argoMetadata(`addon-${name}`, { labels: { [LABEL_ADDON]: name }, wave: SYNC_WAVE.addons }),
  spec: {
    goTemplate: true,
    goTemplateOptions: ['missingkey=error'],
    generators: [
      {
        list: {
          elements: clustersForAddon(fleet, addon).map((c) => ({
            cluster: c.name,
            environment: c.environment,
            region: c.region,
            ...destinationElement(c),
          })),
        },
      },
    ],
    syncPolicy: { applicationsSync: 'create-update', preserveResourcesOnDeletion: true },
    template: {
      metadata: {
        name: `{{.cluster}}-${name}`,
        namespace: ARGOCD_NAMESPACE,
        labels: {
          [LABEL_ADDON]: name,
          [LABEL_CLUSTER]: '{{.cluster}}',
          [LABEL_ENVIRONMENT]: '{{.environment}}',
          [LABEL_REGION]: '{{.region}}',
        },
      },
      spec: {
        project: PLATFORM_PROJECT,
        source: {
          repoURL: addon.repoURL,
          chart: addon.chart,
          targetRevision: addon.version,
          helm: { releaseName: name, valuesObject: ADDON_VALUES[name] ?? {} },
        },
        destination: { name: '{{.destinationName}}', server: '{{.destinationServer}}', namespace: addon.namespace },
        syncPolicy: {
          // Add-ons heal themselves but are never pruned automatically: CRDs and their data outlive a typo.
          automated: { allowEmpty: false, prune: false, selfHeal: true },
          retry: RETRY,
          syncOptions: ['CreateNamespace=true', ...(addon.serverSideApply ? ['ServerSideApply=true'] : [])],
        },
      },
    },
  },
});

/** What Helm charts of add-ons create cluster-wide; listed, since `*` is never allowed. */
const PLATFORM_CLUSTER_KINDS = [
  { group: '', kind: 'Namespace' },
  { group: 'admissionregistration.k8s.io', kind: 'MutatingWebhookConfiguration' },
  { group: 'admissionregistration.k8s.io', kind: 'ValidatingWebhookConfiguration' },
  { group: 'apiextensions.k8s.io', kind: 'CustomResourceDefinition' },
  { group: 'apiregistration.k8s.io', kind: 'APIService' },
  { group: 'networking.k8s.io', kind: 'IngressClass' },
  { group: 'nfd.k8s.io', kind: 'NodeFeatureRule' },
  { group: 'node.k8s.io', kind: 'RuntimeClass' },
  { group: 'nvidia.com', kind: 'ClusterPolicy' },
  { group: 'rbac.authorization.k8s.io', kind: 'ClusterRole' },
  { group: 'rbac.authorization.k8s.io', kind: 'ClusterRoleBinding' },
  { group: 'scheduling.k8s.io', kind: 'PriorityClass' },
];

const PLATFORM_NAMESPACED_KINDS = [
  { group: '', kind: 'ConfigMap' },
  { group: '', kind: 'Secret' },
  { group: '', kind: 'Service' },
  { group: '', kind: 'ServiceAccount' },
  { group: 'apps', kind: 'DaemonSet' },
  { group: 'apps', kind: 'Deployment' },
  { group: 'apps', kind: 'StatefulSet' },
  { group: 'autoscaling', kind: 'HorizontalPodAutoscaler' },
  { group: 'batch', kind: 'CronJob' },
  { group: 'batch', kind: 'Job' },
  { group: 'monitoring.coreos.com', kind: 'PodMonitor' },
  { group: 'monitoring.coreos.com', kind: 'PrometheusRule' },
  { group: 'monitoring.coreos.com', kind: 'ServiceMonitor' },
  { group: 'networking.k8s.io', kind: 'NetworkPolicy' },
  { group: 'policy', kind: 'PodDisruptionBudget' },
  { group: 'rbac.authorization.k8s.io', kind: 'Role' },
  { group: 'rbac.authorization.k8s.io', kind: 'RoleBinding' },
];

export const platformProject = (fleet: Fleet): IAppProject & K8sObject => {
  const addons = Object.entries(fleet.addons);
  const destinations = new Map<string, Record<string, string>>();
  for (const [, addon] of addons) {
    for (const c of clustersForAddon(fleet, addon)) {
      const d = projectDestination(c, addon.namespace);
      destinations.set(JSON.stringify(d), d);
    }
  }
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'AppProject',
    metadata: argoMetadata(PLATFORM_PROJECT, { wave: SYNC_WAVE.projects }),
    spec: {
      description: 'Platform add-ons (pinned Helm charts) on every cluster that needs them',
      sourceRepos: [...new Set(addons.map(([, a]) => a.repoURL))].sort(),
      destinations: [...destinations.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, d]) => d),
      clusterResourceWhitelist: PLATFORM_CLUSTER_KINDS,
      namespaceResourceWhitelist: PLATFORM_NAMESPACED_KINDS,
      orphanedResources: { warn: true },
    },
  };
};
