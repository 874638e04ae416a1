// The first-sync simulation: from an empty hub and empty clusters, what Argo CD does with this repository.
// 1. The root applies argocd/ wave by wave (root-checks.ts: no wave one cluster can hold, projects first, nothing
//    that can delete Applications, RollingSync prunes, retired sets are pruned).
// 2. Its ApplicationSets generate Applications (expanded offline with Argo CD's template and templatePatch semantics;
//    an element that fails to render or patch stops the whole set, as GenerateApplications does).
// 3. Every Application, on its cluster, syncs on its own and retries (converge.ts): every kind must be served by
//    Kubernetes, the cluster's declared baseline or a CRD some Application on that cluster installs; its AppProject
//    must permit every object (chart hooks included); fields controllers rewrite must be ignored.
// 4. Every Argo CD field, sync option and annotation used must exist in the pinned Argo CD (features.ts).
// Pure: the caller passes the objects (built by Kustomize, or from the chart catalog) and the pinned facts.
import { expansionOnlyRules } from '../argocd/app-checks.ts';
import type { ApplicationRecord, Finding as ArgoFinding } from '../argocd/types.ts';
import { getIn, isArgoKind, isObject, objectId, stringAt, type JsonObject } from '../argocd/kube.ts';
import { IN_CLUSTER_NAME, IN_CLUSTER_SERVER } from '../argocd/kube.ts';
import { permissionsOf } from '../argocd/project-match.ts';
import { projectDenies, rollingSyncPrune, runtimeDrift, type DriftingField } from './app-checks.ts';
import { converge, type Served } from './converge.ts';
import { appSetRetirement, controllerSettings, deletionCascades, heldWaves, leaderElection, waveOrder, type ControllerSettings } from './root-checks.ts';
import type { ObjectSource, SimApplication, SimFinding, SimObject } from './types.ts';

export interface AppObjects {
  readonly objects: readonly SimObject[];
  readonly source: ObjectSource;
}

export interface SimulationInput {
  /** Every object the root applies (the built argocd/ folder). */
  readonly rootObjects: readonly JsonObject[];
  /** Name of the root Application (it syncs argocd/ and manages itself). */
  readonly rootName: string;
  /** Every Application: the root's own and the generated ones, as expanded offline. */
  readonly applications: readonly ApplicationRecord[];
  /** Findings of the offline expansion (template and templatePatch errors). */
  readonly expansionFindings: readonly ArgoFinding[];
  /** What an Application applies; undefined when it cannot be known offline (reported). */
  readonly objectsOf: (app: ApplicationRecord) => AppObjects | undefined;
  /** What a cluster serves before anything syncs to it (by cluster key: destination name, or server URL). */
  readonly servedOn: (cluster: string) => Served;
  /** Whether the pinned Argo CD honours SkipDryRunOnMissingResource in an Application's syncOptions. */
  readonly appLevelSkipDryRun: boolean;
  /** Fields controllers rewrite at run time to something other than what this Application applies. */
  readonly mutationsOf: (app: ApplicationRecord) => readonly DriftingField[];
  /** Whether the environment of a generated Application prunes (for RollingSync). */
  readonly wantsPrune: (app: ApplicationRecord) => boolean;
  /** Argo CD features the manifests use that the pinned version lacks. */
  readonly unsupportedFeatures: (manifests: readonly JsonObject[]) => SimFinding[];
}

export interface SimulationResult {
  readonly findings: readonly SimFinding[];
  /** Per cluster key: Applications and the round each synced in (undefined = never). */
  readonly clusters: ReadonlyMap<string, ReadonlyArray<{ readonly app: string; readonly round: number | undefined }>>;
}

/** The hub is Argo CD's in-cluster: named `in-cluster` or by its server URL. */
export const HUB = IN_CLUSTER_NAME;

export const clusterKeyOf = (app: ApplicationRecord): string => {
  const { name, server } = app.destination;
  if (name === IN_CLUSTER_NAME || server === IN_CLUSTER_SERVER) return HUB;
  return name ?? server ?? '';
};

const EXPANSION_RULES: Readonly<Record<string, string>> = {
  'template-patch-error': 'argocd/template-patch',
  'template-patch-yaml11': 'argocd/template-patch-yaml11',
  'template-patch-unknown-field': 'argocd/template-patch',
  'template-error': 'argocd/template-error',
  'template-unsupported': 'argocd/template-error',
  // `pnpm apps`'s findings only the expansion sees (generated Applications' names, projects, destinations, sources).
  ...expansionOnlyRules(),
};

/** The self-managed Argo CD's chart values: the Application of the root whose chart is argo-cd. */
const argoCdSettings = (rootObjects: readonly JsonObject[]): ControllerSettings | undefined => {
  const self = rootObjects.find((o) => isArgoKind(o, 'Application') && stringAt(o, ['spec', 'source', 'chart']) === 'argo-cd');
  const values = getIn(self, ['spec', 'source', 'helm', 'valuesObject']);
  return isObject(values) ? controllerSettings(values) : undefined;
};

const retryLimitOf = (manifest: JsonObject): number | undefined => {
  const limit = getIn(manifest, ['spec', 'syncPolicy', 'retry', 'limit']);
  return typeof limit === 'number' ? limit : getIn(manifest, ['spec', 'syncPolicy', 'retry']) !== undefined ? 0 : undefined;
};

const toSimApplication = (app: ApplicationRecord, objects: AppObjects): SimApplication => {
  const options = getIn(app.manifest, ['spec', 'syncPolicy', 'syncOptions']);
  return {
    name: app.name,
    cluster: clusterKeyOf(app),
    project: app.project,
    destinationNamespace: app.destination.namespace,
    objects: objects.objects,
    source: objects.source,
    syncOptions: Array.isArray(options) ? options.filter((o): o is string => typeof o === 'string') : [],
    retryLimit: retryLimitOf(app.manifest),
    automated: isObject(getIn(app.manifest, ['spec', 'syncPolicy', 'automated'])),
  };
};

const convergenceFindings = (apps: readonly SimApplication[], served: Served, appLevelSkipDryRun: boolean): { findings: SimFinding[]; rounds: Array<{ app: string; round: number | undefined }> } => {
  const outcomes = converge(apps, served, { appLevelSkipDryRun });
  const findings: SimFinding[] = [];
  const providers = (kind: string): string[] =>
    apps.filter((a) => a.objects.some((o) => o.defines !== undefined && `${o.defines.group}/${o.defines.kind}` === kind)).map((a) => a.name);
  for (const o of outcomes) {
    const { app } = o;
    const base = { object: `Application/${app.name}`, cluster: app.cluster };
    if (o.syncedIn === undefined) {
      findings.push({
        ...base,
        rule: 'argocd/never-converges',
        field: 'spec.destination',
        message: `never syncs on ${app.cluster}: ${o.missing.join(', ')} ${o.missing.length === 1 ? 'is' : 'are'} served neither by Kubernetes, nor by the cluster's declared baseline, nor by a CRD any Application on it installs`,
      });
      continue;
    }
    if (o.appLevelSkipIgnored) {
      findings.push({
        ...base,
        rule: 'argocd/skip-dry-run-ignored',
        field: 'spec.syncPolicy.syncOptions',
        message: `waits for ${o.waitedFor.join(', ')} from ${[...new Set(o.waitedFor.flatMap(providers))].join(', ') || 'another Application'}, and the pinned Argo CD ignores SkipDryRunOnMissingResource in syncOptions: every attempt fails its dry run and applies nothing until then (annotate the objects instead, or pin Argo CD ≥ 3.1)`,
      });
    }
    if (o.syncedIn > 0 && !(app.retryLimit !== undefined && app.retryLimit < 0)) {
      findings.push({
        ...base,
        rule: 'argocd/retry-exhausts',
        field: 'spec.syncPolicy.retry.limit',
        message: `syncs only after ${[...new Set(o.waitedFor.flatMap(providers))].join(', ') || 'other Applications'} install ${o.waitedFor.join(', ')} (${o.syncedIn} failed attempt${o.syncedIn === 1 ? '' : 's'} first); ${app.retryLimit === undefined ? 'without retry' : `with retry limit ${app.retryLimit}`} it stops trying if that takes longer, and a new cluster never converges on its own`,
      });
    }
  }
  return { findings, rounds: outcomes.map((o) => ({ app: o.app.name, round: o.syncedIn })) };
};

export const simulateFirstSync = (input: SimulationInput): SimulationResult => {
  const findings: SimFinding[] = [];
  const settings = argoCdSettings(input.rootObjects);
  const root = input.rootObjects.find((o) => isArgoKind(o, 'Application') && objectId(o).name === input.rootName);

  // 1. The root's own guarantees.
  findings.push(
    ...heldWaves(input.rootObjects, settings),
    ...waveOrder(input.rootObjects, input.rootName),
    ...deletionCascades(input.rootObjects, settings, input.rootName),
    ...leaderElection(settings),
    ...appSetRetirement(input.rootObjects, root),
  );

  // 2. What the offline expansion found, under the simulation's rule ids.
  for (const f of input.expansionFindings) {
    const rule = EXPANSION_RULES[f.code];
    if (rule !== undefined) findings.push({ rule, object: f.object, ...(f.field !== undefined ? { field: f.field } : {}), message: f.message });
  }

  // 3. Every Application on its cluster.
  const projects = new Map(input.rootObjects.filter((o) => isArgoKind(o, 'AppProject')).map((p) => [objectId(p).name, permissionsOf(p)] as const));
  const byCluster = new Map<string, SimApplication[]>();
  for (const app of input.applications) {
    const objects = input.objectsOf(app);
    if (objects === undefined) {
      findings.push({ rule: 'argocd/objects-unknown', object: `Application/${app.name}`, field: 'spec.source', cluster: clusterKeyOf(app), message: 'what this Application applies cannot be known offline (a chart without a catalog entry, or a folder that did not build): it cannot be shown to converge' });
      continue;
    }
    const sim = toSimApplication(app, objects);
    const list = byCluster.get(sim.cluster);
    if (list === undefined) byCluster.set(sim.cluster, [sim]);
    else list.push(sim);
    findings.push(...projectDenies(sim, projects.get(app.project), app.destination), ...runtimeDrift(sim, app.manifest, input.mutationsOf(app)));
    if (app.sync.mode === 'rolling' || (app.sync.steps !== undefined && app.applicationSet !== undefined)) findings.push(...rollingSyncPrune(app.name, app.manifest, input.wantsPrune(app)));
  }
  const clusters = new Map<string, Array<{ app: string; round: number | undefined }>>();
  for (const [cluster, apps] of [...byCluster.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const result = convergenceFindings(apps, input.servedOn(cluster), input.appLevelSkipDryRun);
    findings.push(...result.findings);
    clusters.set(cluster, result.rounds);
  }

  // 4. Features of the pinned version.
  findings.push(...input.unsupportedFeatures([...input.rootObjects, ...input.applications.map((a) => a.manifest)]));
  return { findings, clusters };
};
