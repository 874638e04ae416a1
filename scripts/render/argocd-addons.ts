// Platform add-ons: one ApplicationSet per add-on (a pinned Helm chart), one Application per cluster that
// needs it, in the `platform` project; plus one ApplicationSet for the per-cluster platform config (ClusterIssuers,
// ClusterSecretStore) that the charts' CRDs make possible. Nothing orders these Applications against the stacks'
// (ApplicationSets are all in the root's last wave, see ROOT_WAVE): each one skips the dry run of kinds whose CRD
// another Application installs and retries until they exist; `pnpm validate`'s first-sync simulation proves that
// every cluster converges.
import type { IApplicationSet } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/ApplicationSet';
import type { IAppProject } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/AppProject';
import { ADDON_VALUES } from '../components/addon-values.ts';
import type { K8sObject } from '../components/component.ts';
import type { Addon } from '../inventory/schema.ts';
import { LABEL_CLUSTER, LABEL_ENVIRONMENT, LABEL_REGION, LABEL_PREFIX } from '../lib/labels.ts';
import { ADDON_VALUES_DIR, ARGOCD_NAMESPACE, CLUSTERS_DIR, PLATFORM_CONFIG_DIR, posixJoin } from '../lib/layout.ts';
import type { Cluster, Fleet } from '../model/fleet.ts';
import { hasClusterValues } from '../platform/addon-cluster-values.ts';
import { catalogOf, chartFootprint, sortedUnion, type GroupKind } from '../platform/chart-footprint.ts';
import { certManagerNamespace } from '../platform/cluster-issuers.ts';
import { platformConfigObjects } from '../platform/render-platform.ts';
import { addonIgnoreDifferences } from '../platform/runtime-mutations.ts';
import { appProject, APPSET_FINALIZERS, argoMetadata, destinationElement, projectDestination, RETRY, ROOT_WAVE } from './argocd-objects.ts';

export const PLATFORM_PROJECT = 'platform';
const LABEL_ADDON = `${LABEL_PREFIX}/addon`;
const LABEL_PLATFORM_CONFIG = `${LABEL_PREFIX}/platform-config`;
export const PLATFORM_CONFIG_APPSET = 'addon-platform-config';
/** The `ref` of the second source through which an add-on reads its per-cluster values file. */
export const VALUES_SOURCE_REF = 'values';

/** Clusters an add-on is installed on: those with every capability it requires. */
export const clustersForAddon = (fleet: Fleet, addon: Addon): Cluster[] =>
  fleet.clusters.filter((c) => (addon.requires ?? []).every((cap) => c.capabilities.includes(cap)));

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

/**
 * The chart source, and for an add-on whose values depend on the cluster a second source naming this repository:
 * the chart then reads `$values/clusters/<cluster>/addons/<add-on>.yaml` (multi-source Applications, Argo CD ≥ 2.6).
 */
const addonSources = (fleet: Fleet, name: string, addon: Addon): Record<string, unknown> => {
  const chart = { repoURL: addon.repoURL, chart: addon.chart, targetRevision: addon.version };
  if (!hasClusterValues(name)) return { source: { ...chart, helm: { releaseName: name, valuesObject: ADDON_VALUES[name] ?? {} } } };
  const valuesFile = `$${VALUES_SOURCE_REF}/${posixJoin(CLUSTERS_DIR, '{{.cluster}}', ADDON_VALUES_DIR, `${name}.yaml`)}`;
  return {
    sources: [
      { ...chart, helm: { releaseName: name, valueFiles: [valuesFile] } },
      { repoURL: fleet.git.repoURL, targetRevision: fleet.git.targetRevision, ref: VALUES_SOURCE_REF },
    ],
  };
};

export const addonApplicationSet = (fleet: Fleet, name: string, addon: Addon): IApplicationSet & K8sObject => {
  const ignore = addonIgnoreDifferences(name);
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'ApplicationSet',
    metadata: argoMetadata(`addon-${name}`, { labels: { [LABEL_ADDON]: name }, wave: ROOT_WAVE.fleet, finalizers: APPSET_FINALIZERS }),
    spec: {
      goTemplate: true,
      goTemplateOptions: ['missingkey=error'],
      generators: [{ list: { elements: clustersForAddon(fleet, addon).map(baseElement) } }],
      syncPolicy: { applicationsSync: 'create-update', preserveResourcesOnDeletion: true },
      template: {
        metadata: { name: `{{.cluster}}-${name}`, namespace: ARGOCD_NAMESPACE, labels: labelsTemplate({ [LABEL_ADDON]: name }) },
        spec: {
          project: PLATFORM_PROJECT,
          ...addonSources(fleet, name, addon),
          destination: { name: '{{.destinationName}}', server: '{{.destinationServer}}', namespace: addon.namespace },
          // Fields the add-on's own controllers rewrite after every apply (webhook failurePolicy, caBundle): without
          // these, self-heal and the controller would fight for ever (platform/runtime-mutations.ts).
          ...(ignore.length > 0 ? { ignoreDifferences: ignore } : {}),
          syncPolicy: {
            // Add-ons heal themselves but are never pruned automatically: CRDs and their data outlive a typo.
            automated: { allowEmpty: false, prune: false, selfHeal: true },
            retry: RETRY,
            syncOptions: [
              'CreateNamespace=true',
              // ServiceMonitors and other kinds whose CRD another add-on installs: apply the rest now, retry those.
              'SkipDryRunOnMissingResource=true',
              ...(addon.serverSideApply ? ['ServerSideApply=true'] : []),
              ...(ignore.length > 0 ? ['RespectIgnoreDifferences=true'] : []),
            ],
          },
        },
      },
    },
  };
};

/**
 * Every cluster's clusters/<cluster>/platform folder: the issuers and the secret store whose CRDs the cert-manager
 * and external-secrets Applications install, and which the stacks' Certificates and ExternalSecrets name.
 */
export const platformConfigApplicationSet = (fleet: Fleet): IApplicationSet & K8sObject => ({
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'ApplicationSet',
  metadata: argoMetadata(PLATFORM_CONFIG_APPSET, { labels: { [LABEL_PLATFORM_CONFIG]: 'true' }, wave: ROOT_WAVE.fleet, finalizers: APPSET_FINALIZERS }),
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

/** CreateNamespace=true: Argo CD creates the destination namespace, and checks the Namespace against the project. */
const CREATED_NAMESPACE = { group: '', kind: 'Namespace' };

/** Cluster-scoped kinds of the platform config render (everything it emits without a namespace). */
const CONFIG_CLUSTER_KINDS = new Set(['ClusterIssuer', 'ClusterSecretStore']);


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

/**
 * The add-ons' project: each add-on's chart at its pinned version may create exactly what its catalog says it
 * renders (hooks included), in the namespaces its objects use, on the clusters that install it; plus the
 * Namespaces CreateNamespace=true makes and the per-cluster platform config.
 */
export const platformProject = (fleet: Fleet): IAppProject & K8sObject => {
  const addons = Object.entries(fleet.addons);
  const destinations = new Map<string, Record<string, string>>();
  const allow = (c: Cluster, namespace: string): void => {
    const d = projectDestination(c, namespace);
    destinations.set(JSON.stringify(d), d);
  };
  const footprints = addons.map(([, addon]) => ({ addon, footprint: chartFootprint(catalogOf(addon)) }));
  for (const { addon, footprint } of footprints) {
    for (const c of clustersForAddon(fleet, addon)) for (const ns of new Set([addon.namespace, ...footprint.namespaces])) allow(c, ns);
  }
  for (const c of fleet.clusters) allow(c, certManagerNamespace(fleet));
  const config = platformConfigKinds(fleet);
  const CHART_CLUSTER_KINDS = [CREATED_NAMESPACE, ...footprints.flatMap((f) => f.footprint.cluster)];
  const CHART_NAMESPACED_KINDS = footprints.flatMap((f) => f.footprint.namespaced);
  return appProject(PLATFORM_PROJECT, {
    description: 'Platform add-ons (pinned Helm charts) and their per-cluster config on every cluster that needs them',
    sourceRepos: [...new Set([...addons.map(([, a]) => a.repoURL), fleet.git.repoURL])].sort(),
    destinations: [...destinations.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, d]) => d),
    clusterResourceWhitelist: sortedUnion(CHART_CLUSTER_KINDS, config.cluster),
    namespaceResourceWhitelist: sortedUnion(CHART_NAMESPACED_KINDS, config.namespaced),
    orphanedResources: { warn: true },
  });
};
