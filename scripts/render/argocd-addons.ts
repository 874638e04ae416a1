// Platform add-ons: one ApplicationSet per add-on (a pinned Helm chart), one Application per cluster that
// needs it, synced before the stacks (sync wave) and in the `platform` project; plus one ApplicationSet for the
// per-cluster platform config (ClusterIssuers, ClusterSecretStore) that the charts' CRDs make possible.
import type { IApplicationSet } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/ApplicationSet';
import type { IAppProject } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/AppProject';
import { ADDON_VALUES } from '../components/addon-values.ts';
import type { K8sObject } from '../components/component.ts';
import type { Addon } from '../inventory/schema.ts';
import { LABEL_CLUSTER, LABEL_ENVIRONMENT, LABEL_REGION, LABEL_PREFIX } from '../lib/labels.ts';
import { ARGOCD_NAMESPACE, CLUSTERS_DIR, PLATFORM_CONFIG_DIR, posixJoin } from '../lib/layout.ts';
import type { Cluster, Fleet } from '../model/fleet.ts';
import { perClusterValues } from '../platform/addon-cluster-values.ts';
import { addonDepths } from '../platform/addon-order.ts';
import { certManagerNamespace } from '../platform/cluster-issuers.ts';
import { platformConfigObjects } from '../platform/render-platform.ts';
import { argoMetadata, destinationElement, projectDestination, RETRY, SYNC_WAVE } from './argocd-objects.ts';

export const PLATFORM_PROJECT = 'platform';
const LABEL_ADDON = `${LABEL_PREFIX}/addon`;
const LABEL_PLATFORM_CONFIG = `${LABEL_PREFIX}/platform-config`;
export const PLATFORM_CONFIG_APPSET = 'addon-platform-config';

/** Clusters an add-on is installed on: those with every capability it requires. */
export const clustersForAddon = (fleet: Fleet, addon: Addon): Cluster[] =>
  fleet.clusters.filter((c) => (addon.requires ?? []).every((cap) => c.capabilities.includes(cap)));

/** Sync wave of an add-on's ApplicationSet: CRD providers first, each add-on after what it depends on. */
export const addonWave = (fleet: Fleet, name: string): number => {
  const wave = SYNC_WAVE.addons + (addonDepths(fleet).get(name) ?? 0);
  // A deeper graph would let an add-on share or pass the platform config's wave; widen SYNC_WAVE instead.
  if (wave >= SYNC_WAVE.platformConfig) throw new Error(`add-on ${name}: dependency depth puts it at wave ${wave}, not before the platform config (${SYNC_WAVE.platformConfig})`);
  return wave;
};

const labelsTemplate = (extra: Record<string, string>): Record<string, string> => ({
  ...extra,
  [LABEL_CLUSTER]: '{{.cluster}}',
  [LABEL_ENVIRONMENT]: '{{.environment}}',
  [LABEL_REGION]: '{{.region}}',
});

const baseElement = (c: Cluster): Record<string, string> => ({
  cluster: c.name,
  environment: c.environment,
  region: c.region,
  ...destinationElement(c),
});

export const addonApplicationSet = (fleet: Fleet, name: string, addon: Addon): IApplicationSet & K8sObject => {
  const perCluster = perClusterValues(fleet, name);
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'ApplicationSet',
    metadata: argoMetadata(`addon-${name}`, { labels: { [LABEL_ADDON]: name }, wave: addonWave(fleet, name) }),
    spec: {
      goTemplate: true,
      goTemplateOptions: ['missingkey=error'],
      generators: [{ list: { elements: clustersForAddon(fleet, addon).map((c) => ({ ...baseElement(c), ...perCluster?.element(c) })) } }],
      syncPolicy: { applicationsSync: 'create-update', preserveResourcesOnDeletion: true },
      template: {
        metadata: { name: `{{.cluster}}-${name}`, namespace: ARGOCD_NAMESPACE, labels: labelsTemplate({ [LABEL_ADDON]: name }) },
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
      ...(perCluster ? { templatePatch: perCluster.templatePatch } : {}),
    },
  };
};

/**
 * Every cluster's clusters/<cluster>/platform folder, after all add-ons (its kinds' CRDs come from them) and
 * before the stacks (their Certificates and ExternalSecrets name these objects).
 */
export const platformConfigApplicationSet = (fleet: Fleet): IApplicationSet & K8sObject => ({
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'ApplicationSet',
  metadata: argoMetadata(PLATFORM_CONFIG_APPSET, { labels: { [LABEL_PLATFORM_CONFIG]: 'true' }, wave: SYNC_WAVE.platformConfig }),
  spec: {
    goTemplate: true,
    goTemplateOptions: ['missingkey=error'],
    generators: [{ list: { elements: fleet.clusters.map(baseElement) } }],
    syncPolicy: { applicationsSync: 'create-update', preserveResourcesOnDeletion: true },
    template: {
      metadata: { name: `{{.cluster}}-${PLATFORM_CONFIG_DIR}`, namespace: ARGOCD_NAMESPACE, labels: labelsTemplate({ [LABEL_PLATFORM_CONFIG]: 'true' }) },
      spec: {
        project: PLATFORM_PROJECT,
        source: { repoURL: fleet.git.repoURL, targetRevision: fleet.git.targetRevision, path: posixJoin(CLUSTERS_DIR, '{{.cluster}}', PLATFORM_CONFIG_DIR) },
        // Cluster-scoped objects; the namespace is where the one namespaced kind (a DNS token ExternalSecret) goes.
        destination: { name: '{{.destinationName}}', server: '{{.destinationServer}}', namespace: certManagerNamespace(fleet) },
        syncPolicy: {
          // Issuers and the secret store are referenced by every stack: never pruned by accident.
          automated: { allowEmpty: false, prune: false, selfHeal: true },
          retry: RETRY,
          // The CRDs come from the cert-manager and external-secrets charts in other Applications.
          syncOptions: ['SkipDryRunOnMissingResource=true'],
        },
      },
    },
  },
});

/** What Helm charts of add-ons create cluster-wide; listed, since `*` is never allowed. */
const CHART_CLUSTER_KINDS = [
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

const CHART_NAMESPACED_KINDS = [
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

/** Cluster-scoped kinds of the platform config render (everything it emits without a namespace). */
const CONFIG_CLUSTER_KINDS = new Set(['ClusterIssuer', 'ClusterSecretStore']);

type GroupKind = { group: string; kind: string };
const gkKey = (gk: GroupKind): string => `${gk.group}/${gk.kind}`;
const sortedUnion = (...lists: ReadonlyArray<readonly GroupKind[]>): GroupKind[] =>
  [...new Map(lists.flat().map((gk) => [gkKey(gk), gk])).entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, gk]) => gk);

/** The kinds the platform config render emits on some cluster of the fleet, split by scope. */
export const platformConfigKinds = (fleet: Fleet): { cluster: GroupKind[]; namespaced: GroupKind[] } => {
  const cluster: GroupKind[] = [];
  const namespaced: GroupKind[] = [];
  for (const c of fleet.clusters) {
    for (const o of platformConfigObjects(fleet, c)) {
      const gk = { group: o.apiVersion.includes('/') ? o.apiVersion.split('/')[0]! : '', kind: o.kind };
      (CONFIG_CLUSTER_KINDS.has(o.kind) ? cluster : namespaced).push(gk);
    }
  }
  return { cluster: sortedUnion(cluster), namespaced: sortedUnion(namespaced) };
};

export const platformProject = (fleet: Fleet): IAppProject & K8sObject => {
  const addons = Object.entries(fleet.addons);
  const destinations = new Map<string, Record<string, string>>();
  const allow = (c: Cluster, namespace: string): void => {
    const d = projectDestination(c, namespace);
    destinations.set(JSON.stringify(d), d);
  };
  for (const [, addon] of addons) for (const c of clustersForAddon(fleet, addon)) allow(c, addon.namespace);
  for (const c of fleet.clusters) allow(c, certManagerNamespace(fleet));
  const config = platformConfigKinds(fleet);
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'AppProject',
    metadata: argoMetadata(PLATFORM_PROJECT, { wave: SYNC_WAVE.projects }),
    spec: {
      description: 'Platform add-ons (pinned Helm charts) and their per-cluster config on every cluster that needs them',
      sourceRepos: [...new Set([...addons.map(([, a]) => a.repoURL), fleet.git.repoURL])].sort(),
      destinations: [...destinations.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, d]) => d),
      clusterResourceWhitelist: sortedUnion(CHART_CLUSTER_KINDS, config.cluster),
      namespaceResourceWhitelist: sortedUnion(CHART_NAMESPACED_KINDS, config.namespaced),
      orphanedResources: { warn: true },
    },
  };
};
