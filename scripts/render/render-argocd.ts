// apps/ (ApplicationSets of the stacks and add-ons) and argocd/ (AppProjects, cluster registrations,
// bootstrap). Each stack's AppProject allows exactly the kinds that stack renders.
import type { IAppProject } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/AppProject';
import type { Component, K8sObject } from '../components/component.ts';
import { stackNamespace } from '../components/stacks.ts';
import { capabilityUnitsOn } from '../components/placement.ts';
import { isClusterScoped } from '../schemas/scope.ts';
import type { StackName } from '../inventory/schema.ts';
import {
  APPS_DIR,
  ARGOCD_BOOTSTRAP_DIR,
  ARGOCD_CLUSTERS_DIR,
  ARGOCD_DIR,
  ARGOCD_PROJECTS_DIR,
  ARGOCD_VALUES_FILE,
  NAMESPACE_UNIT,
  posixJoin,
} from '../lib/layout.ts';
import type { Cluster, Fleet } from '../model/fleet.ts';
import { addonApplicationSet, clustersForAddon, platformConfigApplicationSet, platformProject } from './argocd-addons.ts';
import { renderAddonValues } from '../platform/addon-cluster-values.ts';
import {
  argoCdProject,
  argoCdValues,
  bootstrapProject,
  clusterSecret,
  rootApplication,
  selfManagedArgoCd,
} from './argocd-bootstrap.ts';
import { appProject, projectDestination, stackLabels } from './argocd-objects.ts';
import type { GroupKind } from '../platform/chart-footprint.ts';
import { stackApplicationSet } from './argocd-stack-appsets.ts';
import type { GeneratedFile } from './generated-file.ts';
import type { BaseUnit } from './render-base.ts';
import { kustomizationFile, objectFiles, relativeDir } from './kustomize-files.ts';
import { generatedHeader, yamlBody } from './serialize.ts';

const groupOf = (apiVersion: string): string => (apiVersion.includes('/') ? apiVersion.split('/')[0]! : '');

export type { GroupKind } from '../platform/chart-footprint.ts';

/** The exact set of kinds a stack's objects use, split by scope: the project allows these and nothing else. */
export const kindsOf = (objects: readonly K8sObject[]): { cluster: GroupKind[]; namespaced: GroupKind[] } => {
  const key = (gk: GroupKind): string => `${gk.group}/${gk.kind}`;
  const cluster = new Map<string, GroupKind>();
  const namespaced = new Map<string, GroupKind>();
  for (const o of objects) {
    const gk = { group: groupOf(o.apiVersion), kind: o.kind };
    (isClusterScoped(o.apiVersion, o.kind) ? cluster : namespaced).set(key(gk), gk);
  }
  const sorted = (m: Map<string, GroupKind>): GroupKind[] => [...m.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, v]) => v);
  return { cluster: sorted(cluster), namespaced: sorted(namespaced) };
};

/**
 * The namespaces a cluster's Application of this stack writes to: the stack's own plus any other its objects name
 * (e.g. a mesh Gateway's certificate in the gateway namespace). One destination per (cluster, namespace) and no
 * wildcard, so a stack can never write into a namespace its rendered objects do not use on that cluster.
 */
export const namespacesOnCluster = (plan: StackPlan, cluster: Cluster): string[] => {
  const components = plan.componentsByCluster.get(cluster.name) ?? [];
  const units = [NAMESPACE_UNIT, ...components.map((c) => c.name), ...capabilityUnitsOn(cluster, components).map((u) => u.unit)];
  const names = new Set([stackNamespace(plan.stack)]);
  for (const unit of units) for (const ns of unitNamespaces(plan, unit)) names.add(ns);
  for (const ns of namespacesOf(plan.clusterObjects.get(cluster.name) ?? [])) names.add(ns);
  return [...names].sort();
};

const namespacesOf = (objects: readonly K8sObject[]): string[] => [
  ...new Set(objects.flatMap((o) => (o.metadata.namespace !== undefined && !isClusterScoped(o.apiVersion, o.kind) ? [o.metadata.namespace] : []))),
];

/** Namespaces of one base unit's objects, once per plan: a thousand clusters share a few dozen units. */
const unitNamespaceCache = new WeakMap<StackPlan, Map<string, readonly string[]>>();
const unitNamespaces = (plan: StackPlan, unit: string): readonly string[] => {
  let perPlan = unitNamespaceCache.get(plan);
  if (perPlan === undefined) unitNamespaceCache.set(plan, (perPlan = new Map()));
  let names = perPlan.get(unit);
  if (names === undefined) perPlan.set(unit, (names = namespacesOf(plan.baseUnits.find((u) => u.unit === unit)?.objects ?? [])));
  return names;
};

const stackProject = (fleet: Fleet, plan: StackPlan): IAppProject & K8sObject => {
  const { stack, clusters, objects } = plan;
  const kinds = kindsOf(objects);
  return appProject(
    stack,
    {
      description: fleet.systems.find((s) => s.name === stack)?.description ?? `The ${stack} stack on every cluster that runs it`,
      sourceRepos: [fleet.git.repoURL],
      destinations: clusters.flatMap((c) => namespacesOnCluster(plan, c).map((ns) => projectDestination(c, ns))),
      clusterResourceWhitelist: kinds.cluster,
      namespaceResourceWhitelist: kinds.namespaced,
      orphanedResources: { warn: true },
    },
    stackLabels(stack),
  );
};

export interface StackPlan {
  readonly stack: StackName;
  readonly clusters: readonly Cluster[];
  /** Components per cluster name. */
  readonly componentsByCluster: ReadonlyMap<string, readonly Component[]>;
  /** Base units (namespace first, then apps), each rendered once. */
  readonly baseUnits: readonly BaseUnit[];
  /** Each cluster's own objects (hosts), rendered once. */
  readonly clusterObjects: ReadonlyMap<string, readonly K8sObject[]>;
  /** Every object the stack renders anywhere, for the project's kind whitelist. */
  readonly objects: readonly K8sObject[];
}

const stackAppSets = (fleet: Fleet, plan: StackPlan): K8sObject[] => {
  const componentsOf = (clusters: readonly Cluster[]): Component[] => {
    const byName = new Map<string, Component>();
    for (const c of clusters) for (const comp of plan.componentsByCluster.get(c.name) ?? []) byName.set(comp.name, comp);
    return [...byName.values()];
  };
  if (fleet.argocd.progressiveSync) {
    const environments = fleet.environments.filter((e) => plan.clusters.some((c) => c.environment === e.name));
    return [stackApplicationSet({ fleet, stack: plan.stack, environments, clusters: plan.clusters, components: componentsOf(plan.clusters), progressive: true })];
  }
  return fleet.environments.flatMap((env) => {
    const clusters = plan.clusters.filter((c) => c.environment === env.name);
    if (clusters.length === 0) return [];
    return [stackApplicationSet({ fleet, stack: plan.stack, environments: [env], clusters, components: componentsOf(clusters), progressive: false })];
  });
};

export const renderArgoCd = (fleet: Fleet, plans: readonly StackPlan[]): GeneratedFile[] => {
  const appSets = [
    ...plans.flatMap((p) => stackAppSets(fleet, p)),
    ...Object.entries(fleet.addons).map(([name, addon]) => addonApplicationSet(fleet, name, addon)),
    platformConfigApplicationSet(fleet),
  ];
  const appFiles = objectFiles(APPS_DIR, appSets);

  const projects = [bootstrapProject(fleet), argoCdProject(fleet), platformProject(fleet), ...plans.map((p) => stackProject(fleet, p))];
  const projectFiles = objectFiles(posixJoin(ARGOCD_DIR, ARGOCD_PROJECTS_DIR), projects);
  const registered = fleet.clusters.filter((c) => c.destination.name !== undefined);
  const clusterFiles = objectFiles(posixJoin(ARGOCD_DIR, ARGOCD_CLUSTERS_DIR), registered.map((c) => clusterSecret(fleet, c)));
  const bootstrapDir = posixJoin(ARGOCD_DIR, ARGOCD_BOOTSTRAP_DIR);
  const rootFiles = objectFiles(bootstrapDir, [rootApplication(fleet)]);
  const selfFiles = objectFiles(ARGOCD_DIR, [selfManagedArgoCd(fleet)]);
  const valuesFile: GeneratedFile = {
    path: posixJoin(bootstrapDir, ARGOCD_VALUES_FILE),
    content: generatedHeader() + yamlBody(argoCdValues(fleet)),
  };

  const inDir = (dir: string, f: GeneratedFile): string => f.path.slice(dir.length + 1);
  const addonValues = renderAddonValues(fleet, (name) => clustersForAddon(fleet, fleet.addons[name]!));
  return [
    ...addonValues,
    ...appFiles,
    kustomizationFile(APPS_DIR, 'Kustomization', { resources: appFiles.map((f) => inDir(APPS_DIR, f)).sort() }),
    ...projectFiles,
    ...clusterFiles,
    ...rootFiles,
    ...selfFiles,
    valuesFile,
    kustomizationFile(ARGOCD_DIR, 'Kustomization', {
      resources: [
        ...[...rootFiles, ...selfFiles, ...projectFiles, ...clusterFiles].map((f) => inDir(ARGOCD_DIR, f)).sort(),
        relativeDir(ARGOCD_DIR, APPS_DIR),
      ],
    }),
  ];
};

