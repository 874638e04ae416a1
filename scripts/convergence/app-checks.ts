// Checks of one Application against what it applies: its AppProject must permit every object (Argo CD refuses the
// whole sync otherwise, hooks included: gitops-engine's permission validator runs on every task before anything is
// applied), fields its own controllers rewrite must be ignored, and RollingSync must prune where the environment does.
import { getIn, isObject, type JsonObject } from '../argocd/kube.ts';
import type { ProjectPermissions } from '../argocd/project-match.ts';
import type { SimApplication, SimFinding, SimObject } from './types.ts';

const list = (v: unknown): JsonObject[] => (Array.isArray(v) ? v.filter(isObject) : []);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

const describe = (o: SimObject): string =>
  `${o.group === '' ? '' : `${o.group}/`}${o.kind} ${o.namespace !== undefined ? `${o.namespace}/` : ''}${o.name}${o.phase !== 'Sync' ? ` (${o.phase} hook)` : ''}`;

/** #2: every object the Application applies, hooks included, against its AppProject's kinds and destinations. */
export const projectDenies = (app: SimApplication, project: ProjectPermissions | undefined, destination: { name?: string; server?: string }): SimFinding[] => {
  if (project === undefined) return [];
  const out: SimFinding[] = [];
  const seen = new Set<string>();
  for (const o of app.objects) {
    const key = `${o.group}/${o.kind}/${o.namespaced}/${o.namespace ?? ''}`;
    if (seen.has(key)) continue;
    seen.add(key);
    if (!project.kind(o)) {
      out.push({
        rule: 'argocd/project-denies',
        object: `Application/${app.name}`,
        field: o.namespaced ? 'AppProject spec.namespaceResourceWhitelist' : 'AppProject spec.clusterResourceWhitelist',
        cluster: app.cluster,
        message: `AppProject ${app.project} does not permit ${o.namespaced ? 'namespaced' : 'cluster-scoped'} ${o.group === '' ? 'core' : o.group}/${o.kind} (${describe(o)}, from the ${app.source}): Argo CD refuses the whole sync`,
      });
      continue;
    }
    const namespace = o.namespaced ? (o.namespace ?? app.destinationNamespace) : undefined;
    if (namespace !== undefined && !project.destination({ ...destination, namespace })) {
      out.push({
        rule: 'argocd/project-denies',
        object: `Application/${app.name}`,
        field: 'AppProject spec.destinations',
        cluster: app.cluster,
        message: `AppProject ${app.project} does not permit namespace ${namespace} on ${destination.name ?? destination.server ?? '?'} (${describe(o)}): Argo CD refuses the whole sync`,
      });
    }
  }
  return out;
};

/**
 * A field of an object an Application applies that a controller rewrites after every apply to another value (from
 * platform/runtime-mutations.ts, resolved against the Application's values): it must be pinned or ignored.
 */
export interface DriftingField {
  readonly group: string;
  readonly kind: string;
  /** Only this object; undefined = every object of the kind the Application applies. */
  readonly name?: string;
  /** As Argo CD's ignoreDifferences writes it: a jq path expression (`.webhooks[]?.failurePolicy`) or a JSON pointer. */
  readonly field: string;
  /** Who rewrites it, with the upstream source. */
  readonly why: string;
}

/** #8: objects whose fields a controller rewrites, not covered by the Application's ignoreDifferences. */
export const runtimeDrift = (app: SimApplication, manifest: JsonObject, mutations: readonly DriftingField[]): SimFinding[] => {
  if (mutations.length === 0) return [];
  const ignores = list(getIn(manifest, ['spec', 'ignoreDifferences']));
  const listed = (v: unknown, field: string): boolean => Array.isArray(v) && v.includes(field);
  const covered = (m: DriftingField, o: SimObject): boolean =>
    ignores.some(
      (i) =>
        str(i.group) === m.group &&
        str(i.kind) === m.kind &&
        (str(i.name) === '' || str(i.name) === o.name) &&
        (listed(i.jqPathExpressions, m.field) || listed(i.jsonPointers, m.field)),
    );
  const out: SimFinding[] = [];
  for (const m of mutations) {
    const hits = app.objects.filter((o) => o.group === m.group && o.kind === m.kind && (m.name === undefined || m.name === o.name));
    for (const o of hits) {
      if (covered(m, o)) continue;
      out.push({
        rule: 'argocd/runtime-drift',
        object: `Application/${app.name}`,
        field: 'spec.ignoreDifferences',
        cluster: app.cluster,
        message: `${describe(o)}: ${m.field} is rewritten after every apply (${m.why}); the Application stays OutOfSync and self-heal fights the controller for ever: pin the value in the chart values, or ignore the field`,
      });
    }
  }
  return out;
};

/**
 * #9: under RollingSync the ApplicationSet controller triggers every sync and prunes only when the Application's
 * automated.prune is true (syncDesiredApplications at v3.4.4); an environment that prunes needs it.
 */
export const rollingSyncPrune = (appName: string, manifest: JsonObject, wantsPrune: boolean): SimFinding[] => {
  if (!wantsPrune) return [];
  const automated = getIn(manifest, ['spec', 'syncPolicy', 'automated']);
  if (isObject(automated) && automated.prune === true) return [];
  return [
    {
      rule: 'argocd/rolling-sync-prune',
      object: `Application/${appName}`,
      field: 'spec.syncPolicy.automated.prune',
      message: 'its environment prunes, but RollingSync-triggered syncs prune only when the Application\'s automated.prune is true: removed resources would stay for ever',
    },
  ];
};
