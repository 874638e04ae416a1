// apps/ (ApplicationSets) and argocd/ (AppProjects, bootstrap root Application).
//
// One ApplicationSet per (stack, environment): the sync policy and deletion safety are environment facts, so
// they are written literally instead of templated. Elements are written into the file (list generator):
// they cannot vanish when Git or an SCM API has an outage, which is how matrix/SCM generators have deleted
// whole fleets. The project is never templated.
import type { IApplication } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/Application';
import type { IApplicationSet } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/ApplicationSet';
import type { IAppProject } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/AppProject';
import type { Component, K8sObject } from '../components/component.ts';
import { stackNamespace } from '../components/stacks.ts';
import type { StackName } from '../inventory/schema.ts';
import { LABEL_CLUSTER, LABEL_ENVIRONMENT, LABEL_STACK, MANAGED_BY } from '../lib/labels.ts';
import {
  APPS_DIR,
  appSetPath,
  ARGOCD_BOOTSTRAP_DIR,
  ARGOCD_DIR,
  ARGOCD_NAMESPACE,
  ARGOCD_PROJECTS_DIR,
  clusterStackPath,
  posixJoin,
} from '../lib/layout.ts';
import type { Cluster, Environment, Fleet } from '../model/fleet.ts';
import type { GeneratedFile } from './generated-file.ts';
import { kustomizationFile, objectFileName, relativeDir } from './kustomize-files.ts';
import { fixedReplicas } from './render-overlays.ts';
import { yamlFile } from './serialize.ts';

export const BOOTSTRAP_PROJECT = 'bootstrap';
export const ROOT_APPLICATION = 'root';
const IN_CLUSTER = 'https://kubernetes.default.svc';

/** Kinds that are cluster-scoped; everything else an app emits is namespaced. */
const CLUSTER_SCOPED = new Set(['Namespace', 'ClusterRole', 'ClusterRoleBinding']);

const groupOf = (apiVersion: string): string => (apiVersion.includes('/') ? apiVersion.split('/')[0]! : '');

export interface GroupKind {
  readonly group: string;
  readonly kind: string;
}

/** The exact set of kinds a stack's objects use, split by scope: the project allows these and nothing else. */
export const kindsOf = (objects: readonly K8sObject[]): { cluster: GroupKind[]; namespaced: GroupKind[] } => {
  const key = (gk: GroupKind): string => `${gk.group}/${gk.kind}`;
  const cluster = new Map<string, GroupKind>();
  const namespaced = new Map<string, GroupKind>();
  for (const o of objects) {
    const gk = { group: groupOf(o.apiVersion), kind: o.kind };
    (CLUSTER_SCOPED.has(o.kind) ? cluster : namespaced).set(key(gk), gk);
  }
  const sorted = (m: Map<string, GroupKind>): GroupKind[] => [...m.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, v]) => v);
  return { cluster: sorted(cluster), namespaced: sorted(namespaced) };
};

const destinationOf = (c: Cluster): { name: string; server: string } => ({
  name: c.destination.name ?? '',
  server: c.destination.server ?? '',
});

const applicationSet = (
  fleet: Fleet,
  stack: StackName,
  env: Environment,
  clusters: readonly Cluster[],
  components: readonly Component[],
): IApplicationSet & K8sObject => {
  // Replicas owned by an HPA must not show as drift, or selfHeal would fight the autoscaler.
  const hpaManaged = components
    .filter((c) => fixedReplicas(c, env.apps[c.name] ?? {}) === undefined)
    .map((c) => ({ group: groupOf(c.workload.apiVersion), kind: c.workload.kind, name: c.workload.name, jsonPointers: ['/spec/replicas'] }))
    .sort((a, b) => a.name.localeCompare(b.name));
  const sp = env.syncPolicy;
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'ApplicationSet',
    metadata: {
      name: `${stack}-${env.name}`,
      namespace: ARGOCD_NAMESPACE,
      labels: { 'app.kubernetes.io/managed-by': MANAGED_BY, [LABEL_STACK]: stack, [LABEL_ENVIRONMENT]: env.name },
    },
    spec: {
      goTemplate: true,
      goTemplateOptions: ['missingkey=error'],
      generators: [
        {
          list: {
            elements: clusters.map((c) => ({
              cluster: c.name,
              region: c.region,
              destinationName: destinationOf(c).name,
              destinationServer: destinationOf(c).server,
              path: clusterStackPath(c.name, stack),
            })),
          },
        },
      ],
      // Never delete Applications (create-update), and if one is deleted anyway keep its resources running.
      syncPolicy: { applicationsSync: 'create-update', preserveResourcesOnDeletion: true },
      template: {
        metadata: {
          name: `{{.cluster}}-${stack}`,
          namespace: ARGOCD_NAMESPACE,
          labels: {
            [LABEL_CLUSTER]: '{{.cluster}}',
            [LABEL_ENVIRONMENT]: env.name,
            [LABEL_STACK]: stack,
            'streamfleet.io/region': '{{.region}}',
          },
        },
        spec: {
          project: stack,
          source: { repoURL: fleet.git.repoURL, targetRevision: fleet.git.targetRevision, path: '{{.path}}' },
          destination: { name: '{{.destinationName}}', server: '{{.destinationServer}}', namespace: stackNamespace(stack) },
          ignoreDifferences: hpaManaged.length > 0 ? hpaManaged : undefined,
          syncPolicy: {
            automated: sp.automated ? { allowEmpty: false, prune: sp.prune, selfHeal: sp.selfHeal } : undefined,
            retry: { limit: 5, backoff: { duration: '10s', factor: 2, maxDuration: '3m' } },
            syncOptions: ['PruneLast=true', 'RespectIgnoreDifferences=true'],
          },
        },
      },
    },
  };
};

const appProject = (fleet: Fleet, stack: StackName, clusters: readonly Cluster[], objects: readonly K8sObject[]): IAppProject & K8sObject => {
  const kinds = kindsOf(objects);
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'AppProject',
    metadata: { name: stack, namespace: ARGOCD_NAMESPACE, labels: { 'app.kubernetes.io/managed-by': MANAGED_BY, [LABEL_STACK]: stack } },
    spec: {
      description: `The ${stack} stack on every cluster that runs it`,
      sourceRepos: [fleet.git.repoURL],
      destinations: clusters.map((c) => ({ ...(c.destination.name ? { name: c.destination.name } : { server: c.destination.server }), namespace: stackNamespace(stack) })),
      clusterResourceWhitelist: kinds.cluster,
      namespaceResourceWhitelist: kinds.namespaced,
      orphanedResources: { warn: true },
    },
  };
};

/** The project of the root Application: it may only manage Argo CD's own objects in the hub's argocd namespace. */
const bootstrapProject = (fleet: Fleet): IAppProject & K8sObject => ({
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'AppProject',
  metadata: { name: BOOTSTRAP_PROJECT, namespace: ARGOCD_NAMESPACE, labels: { 'app.kubernetes.io/managed-by': MANAGED_BY } },
  spec: {
    description: 'Argo CD objects of this repository: AppProjects, ApplicationSets and the root Application',
    sourceRepos: [fleet.git.repoURL],
    destinations: [{ server: IN_CLUSTER, namespace: ARGOCD_NAMESPACE }],
    clusterResourceWhitelist: [],
    namespaceResourceWhitelist: [
      { group: 'argoproj.io', kind: 'AppProject' },
      { group: 'argoproj.io', kind: 'Application' },
      { group: 'argoproj.io', kind: 'ApplicationSet' },
    ],
  },
});

/** App of apps: syncs argocd/ (projects, itself) and apps/ (ApplicationSets). Applied once by hand, then self-managed. */
const rootApplication = (fleet: Fleet): IApplication & K8sObject => ({
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Application',
  metadata: { name: ROOT_APPLICATION, namespace: ARGOCD_NAMESPACE, labels: { 'app.kubernetes.io/managed-by': MANAGED_BY } },
  spec: {
    project: BOOTSTRAP_PROJECT,
    source: { repoURL: fleet.git.repoURL, targetRevision: fleet.git.targetRevision, path: ARGOCD_DIR },
    destination: { server: IN_CLUSTER, namespace: ARGOCD_NAMESPACE },
    // No prune: removing an ApplicationSet from Git must be a deliberate act in Argo CD, not a side effect.
    syncPolicy: { automated: { allowEmpty: false, prune: false, selfHeal: true } },
  },
});

export interface StackPlan {
  readonly stack: StackName;
  readonly clusters: readonly Cluster[];
  /** Components per cluster name. */
  readonly componentsByCluster: ReadonlyMap<string, readonly Component[]>;
  /** Every object the stack renders anywhere, for the project's kind whitelist. */
  readonly objects: readonly K8sObject[];
}

export const renderArgoCd = (fleet: Fleet, plans: readonly StackPlan[]): GeneratedFile[] => {
  const appSets: GeneratedFile[] = [];
  for (const plan of plans) {
    for (const env of fleet.environments) {
      const clusters = plan.clusters.filter((c) => c.environment === env.name);
      if (clusters.length === 0) continue;
      const comps = new Map<string, Component>();
      for (const c of clusters) for (const comp of plan.componentsByCluster.get(c.name) ?? []) comps.set(comp.name, comp);
      appSets.push({
        path: appSetPath(plan.stack, env.name),
        content: yamlFile(applicationSet(fleet, plan.stack, env, clusters, [...comps.values()])),
      });
    }
  }
  const projectsDir = posixJoin(ARGOCD_DIR, ARGOCD_PROJECTS_DIR);
  const projects = [bootstrapProject(fleet), ...plans.map((p) => appProject(fleet, p.stack, p.clusters, p.objects))];
  const projectFiles = projects.map((p) => ({ path: posixJoin(projectsDir, objectFileName(p)), content: yamlFile(p) }));
  const rootFile = { path: posixJoin(ARGOCD_DIR, ARGOCD_BOOTSTRAP_DIR, objectFileName(rootApplication(fleet))), content: yamlFile(rootApplication(fleet)) };
  const inDir = (dir: string, f: GeneratedFile): string => f.path.slice(dir.length + 1);
  return [
    ...appSets,
    kustomizationFile(APPS_DIR, 'Kustomization', { resources: appSets.map((f) => inDir(APPS_DIR, f)).sort() }),
    ...projectFiles,
    rootFile,
    kustomizationFile(ARGOCD_DIR, 'Kustomization', {
      resources: [...[rootFile, ...projectFiles].map((f) => inDir(ARGOCD_DIR, f)).sort(), relativeDir(ARGOCD_DIR, APPS_DIR)],
    }),
  ];
};
