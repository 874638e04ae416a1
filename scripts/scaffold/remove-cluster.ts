// `pnpm retire cluster`: plan taking a cluster out of inventory/clusters.yaml. Pure: the inventory texts and the
// renders in, the plan out. The Applications it names are computed with the removal guard itself
// (checkRemovalsBetween), on the same before/after ApplicationSets `pnpm gen` compares, so `--allow-removal` for
// exactly these names is what gen needs — no more, no less.
import { isMap, isSeq, parseDocument } from 'yaml';
import { checkRemovalsBetween, type GeneratedApplication } from '../pipeline/removal-guard.ts';
import { removeSeqItem } from './yaml-insert.ts';
import type { Fleet } from '../model/fleet.ts';

type AppSetFile = { readonly path: string; readonly content: string };

/** The cluster's entry taken out of clusters.yaml, with its comment block; undefined when no entry has that name. */
export const withoutCluster = (clustersYaml: string, name: string): string | undefined => {
  const seq = parseDocument(clustersYaml).getIn(['clusters'], true);
  if (!isSeq(seq)) return undefined;
  const index = seq.items.findIndex((item) => isMap(item) && item.get('name') === name);
  return index === -1 ? undefined : removeSeqItem(clustersYaml, ['clusters'], index);
};

/**
 * Why the last cluster of an environment cannot go: what else in the inventory still configures the environment.
 * Empty when the cluster is not its environment's last.
 */
export const lastClusterDependents = (fleet: Fleet, name: string): string[] => {
  const cluster = fleet.clusters.find((c) => c.name === name);
  if (cluster === undefined) return [];
  const env = cluster.environment;
  if (fleet.clusters.some((c) => c.name !== name && c.environment === env)) return [];
  const environment = fleet.environments.find((e) => e.name === env);
  return [
    `inventory/environments/${env}.yaml configures it (its image pins and settings)`,
    ...fleet.environments.filter((e) => e.promotesTo === env).map((e) => `inventory/environments/${e.name}.yaml promotes to it (promotesTo: ${env})`),
    ...(environment?.promotesTo !== undefined ? [`it promotes to ${environment.promotesTo} (promotesTo in inventory/environments/${env}.yaml)`] : []),
  ];
};

export interface RemovalPlan {
  readonly cluster: string;
  readonly environment: string;
  readonly region: string;
  /** Every Argo CD Application the ApplicationSets stop generating, by name. */
  readonly applications: readonly GeneratedApplication[];
  /** Generated files that go away, folders collapsed (`clusters/x/` when every file under it goes). */
  readonly removed: readonly string[];
  /** Generated files that change (the ApplicationSets, projects, listings…). */
  readonly changed: readonly string[];
}

/** Removed paths, with a folder written once (`dir/ (n files)`) when every generated file under it goes. */
const collapse = (removed: readonly string[], kept: ReadonlySet<string>): string[] => {
  const keptDirs = new Set<string>();
  for (const path of kept) {
    const parts = path.split('/');
    for (let i = 1; i < parts.length; i++) keptDirs.add(parts.slice(0, i).join('/'));
  }
  const out = new Map<string, number>();
  for (const path of removed) {
    const parts = path.split('/');
    // The shortest folder of this path that keeps no file; the path itself when none.
    let key = path;
    for (let i = 1; i < parts.length; i++) {
      const dir = parts.slice(0, i).join('/');
      if (!keptDirs.has(dir)) {
        key = `${dir}/`;
        break;
      }
    }
    out.set(key, (out.get(key) ?? 0) + 1);
  }
  return [...out].map(([k, n]) => (k.endsWith('/') ? `${k}  (${n} file${n === 1 ? '' : 's'})` : k)).sort();
};

export const planRemoval = (input: {
  readonly fleet: Fleet;
  readonly name: string;
  /** Paths and contents of every generated file, rendered from the inventory before and after the edit. */
  readonly before: readonly AppSetFile[];
  readonly after: readonly AppSetFile[];
  readonly appsDir: string;
}): RemovalPlan => {
  const cluster = input.fleet.clusters.find((c) => c.name === input.name)!;
  const isAppSet = (f: AppSetFile): boolean => f.path.startsWith(`${input.appsDir}/`) && f.path.endsWith('.yaml');
  const check = checkRemovalsBetween(input.before.filter(isAppSet), input.after.filter(isAppSet), []);
  const afterByPath = new Map(input.after.map((f) => [f.path, f.content]));
  const removed = input.before.filter((f) => !afterByPath.has(f.path)).map((f) => f.path);
  const changed = input.before.filter((f) => afterByPath.has(f.path) && afterByPath.get(f.path) !== f.content).map((f) => f.path).sort();
  return {
    cluster: cluster.name,
    environment: cluster.environment,
    region: cluster.region,
    applications: check.removed,
    removed: collapse(removed, new Set(afterByPath.keys())),
    changed,
  };
};

const SHOWN_CHANGES = 12;

/**
 * The plan as printed, including what Argo CD does and does not do after the merge. Consistent with
 * docs/runbooks.md ("Recover from an accidental removal"): never a plain `argocd app delete`, which cascades.
 * Checked: argoproj/argo-cd @ v3.4.4 : cmd/argocd/commands/app.go (delete takes several APPNAMEs; `--cascade`
 * defaults to true and is sent only when given) and server/application/application.go Delete (no cascade flag →
 * the resources finalizer is added and the workloads are deleted; `--cascade=false` removes it: workloads stay).
 * Checked: external-secrets/external-secrets @ v2.9.0 : apis/externalsecrets/v1/externalsecret_types.go
 * (creationPolicy Owner sets the Secret's ownerReferences to the ExternalSecret, so deleting it deletes the Secret).
 */
export const describeRemoval = (plan: RemovalPlan, clusterSecretPrefix: string): string => {
  const n = plan.applications.length;
  const names = plan.applications.map((a) => a.name);
  const lines = [
    `plan: remove cluster ${plan.cluster} (${plan.environment}, region ${plan.region}) from inventory/clusters.yaml`,
    '',
    `Argo CD Applications the ApplicationSets stop generating (${n}):`,
    ...plan.applications.map((a) => `  - ${a.name}  (ApplicationSet ${a.applicationSet}, project ${a.project}, ${a.destination}/${a.namespace}, ${a.source})`),
    '',
    `generated files that go away:`,
    ...plan.removed.map((p) => `  - ${p}`),
  ];
  if (plan.changed.length > 0) {
    lines.push(`generated files that change (${plan.changed.length}):`, ...plan.changed.slice(0, SHOWN_CHANGES).map((p) => `  ~ ${p}`));
    if (plan.changed.length > SHOWN_CHANGES) lines.push(`  … and ${plan.changed.length - SHOWN_CHANGES} more`);
  }
  lines.push(
    '',
    'what happens in Argo CD once this is merged:',
    `  - nothing is deleted: the ApplicationSet controller runs with policy create-update, so the ${n} Application${n === 1 ? '' : 's'}`,
    '    stay, no longer owned by an ApplicationSet, and their workloads keep running;',
    `  - the cluster stays registered: its ExternalSecret argocd/cluster-${plan.cluster} is Prune=false,Delete=false.`,
    'to retire it, after the merge:',
    `  1. remove the Applications but keep the workloads (--cascade=false; a plain \`argocd app delete\` cascades`,
    '     by default and deletes the workloads too, see docs/runbooks.md):',
    `       argocd app delete --cascade=false ${names.join(' ')}`,
    `  2. forget the cluster: kubectl -n argocd delete externalsecret cluster-${plan.cluster}  (its Secret goes with it),`,
    `     then delete ${clusterSecretPrefix}/${plan.cluster} from the hub's secret store;`,
    '  3. tear the cluster down (or clean its workloads up) with your provider.',
    'changed your mind before step 1: git revert the commit; the ApplicationSets adopt the Applications again.',
    '',
  );
  return `${lines.join('\n')}\n`;
};
