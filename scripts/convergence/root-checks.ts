// What the root Application itself must guarantee before any cluster matters: its waves cannot be held by one
// cluster, projects come before what uses them, and nothing it holds can delete a fleet's Applications — not a
// deleted ApplicationSet, not a deleted root, not an ApplicationSet that opts out of the controller's policy.
import { getIn, isArgoKind, isObject, objectId, stringAt, syncWaveOf, type JsonObject } from '../argocd/kube.ts';
import { hasHealthCheck } from '../argocd/health.ts';
import type { SimFinding } from './types.ts';

export const RESOURCES_FINALIZER = 'resources-finalizer.argocd.argoproj.io';
const SYNC_OPTIONS = 'argocd.argoproj.io/sync-options';
/** Policies under which the ApplicationSet controller never deletes an Application (applicationset/utils/policy.go). */
const NO_DELETE_POLICIES = new Set(['create-update', 'create-only']);

/** The ApplicationSet controller's settings, read from the self-managed Argo CD's chart values. */
export interface ControllerSettings {
  /** `applicationsetcontroller.policy`; undefined = the controller's default, "sync". */
  readonly policy: string | undefined;
  readonly policyOverride: boolean;
  readonly leaderElection: boolean;
  readonly applicationSetReplicas: number;
  /** `group/kind` keys with a health customization in argocd-cm. */
  readonly healthCustomizations: ReadonlySet<string>;
}

const truthy = (v: unknown): boolean => v === true || v === 'true';

/** Settings from the argo-cd chart values (`configs.params`, `applicationSet.replicas`, `configs.cm`). */
export const controllerSettings = (values: JsonObject): ControllerSettings => {
  const params = getIn(values, ['configs', 'params']);
  const p = isObject(params) ? params : {};
  const cm = getIn(values, ['configs', 'cm']);
  const customizations = new Set<string>();
  if (isObject(cm)) {
    for (const key of Object.keys(cm)) {
      const m = /^resource\.customizations\.health\.(.*)_([^_]+)$/.exec(key);
      if (m !== null) customizations.add(`${m[1]}/${m[2]}`);
    }
  }
  const replicas = getIn(values, ['applicationSet', 'replicas']);
  return {
    policy: typeof p['applicationsetcontroller.policy'] === 'string' ? p['applicationsetcontroller.policy'] : undefined,
    policyOverride: truthy(p['applicationsetcontroller.enable.policy.override']),
    leaderElection: truthy(p['applicationsetcontroller.enable.leader.election']),
    applicationSetReplicas: typeof replicas === 'number' ? replicas : 1,
    healthCustomizations: customizations,
  };
};

const refOf = (o: JsonObject): string => {
  const id = objectId(o);
  return `${id.kind}/${id.namespace !== undefined ? `${id.namespace}/` : ''}${id.name}`;
};

const syncOptionsOf = (o: JsonObject): string[] => (stringAt(o, ['metadata', 'annotations', SYNC_OPTIONS]) ?? '').split(',').map((s) => s.trim());

/** Clusters an ApplicationSet's list generators name (its health depends on each being registered). */
const clustersOfAppSet = (o: JsonObject): string[] => {
  const generators = getIn(o, ['spec', 'generators']);
  const out = new Set<string>();
  for (const g of Array.isArray(generators) ? generators : []) {
    const elements = getIn(g, ['list', 'elements']);
    for (const e of Array.isArray(elements) ? elements : []) {
      if (!isObject(e)) continue;
      const name = e.destinationName ?? e.cluster;
      if (typeof name === 'string' && name !== '') out.add(name);
    }
  }
  return [...out].sort();
};

/** Why one cluster can spoil this object's health, or undefined when none can (it still has a health check). */
const heldBy = (o: JsonObject): string => {
  if (isArgoKind(o, 'ApplicationSet')) {
    const clusters = clustersOfAppSet(o);
    return `it turns Degraded as soon as one of its Applications is invalid, e.g. when a cluster is not registered${clusters.length > 0 ? ` (${clusters.slice(0, 3).join(', ')}${clusters.length > 3 ? ', …' : ''})` : ''}`;
  }
  const cluster = stringAt(o, ['metadata', 'labels', 'streamfleet.io/cluster']);
  return `its health is assessed${cluster !== undefined ? `, and it belongs to cluster ${cluster} alone` : ''}`;
};

/**
 * #5: a wave of the root that is not its last is waited on until healthy; a Degraded object fails the sync and
 * every later wave is never applied. So only kinds without a health check may sit before the last wave.
 */
export const heldWaves = (objects: readonly JsonObject[], settings: ControllerSettings | undefined): SimFinding[] => {
  if (objects.length === 0) return [];
  const last = Math.max(...objects.map((o) => syncWaveOf(o).wave));
  return objects.flatMap((o) => {
    const { group, kind } = objectId(o);
    const wave = syncWaveOf(o).wave;
    if (wave >= last || !hasHealthCheck(group, kind, settings?.healthCustomizations)) return [];
    return [
      {
        rule: 'argocd/root-wave-held',
        object: refOf(o),
        field: 'metadata.annotations["argocd.argoproj.io/sync-wave"]',
        message: `wave ${wave} is not the root's last (${last}) and ${heldBy(o)}: while it is not Healthy the root applies none of waves ${wave + 1}…${last}, for every cluster; put it in the last wave`,
      },
    ];
  });
};

/** #10: an Application or ApplicationSet of the root must come after the AppProject it names. */
export const waveOrder = (objects: readonly JsonObject[], rootName: string): SimFinding[] => {
  const projectWave = new Map(objects.filter((o) => isArgoKind(o, 'AppProject')).map((p) => [objectId(p).name, syncWaveOf(p).wave] as const));
  return objects.flatMap((o) => {
    const isApp = isArgoKind(o, 'Application');
    if (!isApp && !isArgoKind(o, 'ApplicationSet')) return [];
    if (isApp && objectId(o).name === rootName) return [];
    const project = stringAt(o, isApp ? ['spec', 'project'] : ['spec', 'template', 'spec', 'project']);
    const pWave = project === undefined ? undefined : projectWave.get(project);
    const wave = syncWaveOf(o).wave;
    if (pWave === undefined || pWave < wave) return [];
    return [
      {
        rule: 'argocd/wave-order',
        object: refOf(o),
        field: 'metadata.annotations["argocd.argoproj.io/sync-wave"]',
        message: `wave ${wave} is not after its AppProject ${project}'s wave ${pWave}: on a new hub it is created before the project exists and its first syncs are refused`,
      },
    ];
  });
};

/**
 * #4: deleting an ApplicationSet or the root must never delete Applications. An ApplicationSet needs Argo CD's
 * resources finalizer and a controller policy that forbids deletes, fixed fleet-wide (policy override off);
 * every other object of the root needs Delete=false, since `argocd app delete root` cascades by default.
 */
export const deletionCascades = (objects: readonly JsonObject[], settings: ControllerSettings | undefined, rootName: string): SimFinding[] => {
  const out: SimFinding[] = [];
  const add = (o: JsonObject | undefined, field: string, message: string): void =>
    void out.push({ rule: 'argocd/deletion-cascades', object: o === undefined ? 'Application/argocd' : refOf(o), field, message });
  const appSets = objects.filter((o) => isArgoKind(o, 'ApplicationSet'));
  if (settings === undefined) {
    if (appSets.length > 0) add(undefined, 'spec.source.helm', 'no self-managed Argo CD Application: the ApplicationSet controller\'s policy cannot be shown to forbid deleting Applications');
  } else {
    if (settings.policyOverride) {
      add(undefined, 'spec.source.helm configs.params["applicationsetcontroller.enable.policy.override"]', 'policy override is on: any ApplicationSet can set applicationsSync: sync or create-delete and delete Applications; the fleet-wide policy is no ceiling');
    }
    if (!NO_DELETE_POLICIES.has(settings.policy ?? 'sync')) {
      add(undefined, 'spec.source.helm configs.params["applicationsetcontroller.policy"]', `the ApplicationSet controller's policy is ${JSON.stringify(settings.policy ?? 'sync (default)')}: it deletes Applications, and deleting an ApplicationSet deletes all of them`);
    }
  }
  for (const set of appSets) {
    const finalizers = getIn(set, ['metadata', 'finalizers']);
    if (!Array.isArray(finalizers) || !finalizers.includes(RESOURCES_FINALIZER)) {
      add(set, 'metadata.finalizers', `no ${RESOURCES_FINALIZER}: deleting this ApplicationSet lets Kubernetes garbage-collect every Application it generated (ownerReferences); with the finalizer and a no-delete policy the controller orphans them first`);
    }
  }
  for (const o of objects) {
    if (isArgoKind(o, 'ApplicationSet')) continue;
    if (isArgoKind(o, 'Application') && objectId(o).name === rootName) {
      const finalizers = getIn(o, ['metadata', 'finalizers']);
      if (Array.isArray(finalizers) && finalizers.includes(RESOURCES_FINALIZER)) add(o, 'metadata.finalizers', `the root carries ${RESOURCES_FINALIZER}: deleting it deletes what it holds`);
    }
    if (!syncOptionsOf(o).includes('Delete=false')) {
      add(o, `metadata.annotations["${SYNC_OPTIONS}"]`, 'no Delete=false: `argocd app delete root` (cascading by default) would delete it');
    }
  }
  return out;
};

/** #6: more than one ApplicationSet controller replica acts on every set twice without leader election. */
export const leaderElection = (settings: ControllerSettings | undefined): SimFinding[] =>
  settings !== undefined && settings.applicationSetReplicas > 1 && !settings.leaderElection
    ? [
        {
          rule: 'argocd/leader-election',
          object: 'Application/argocd',
          field: 'spec.source.helm applicationSet.replicas',
          message: `${settings.applicationSetReplicas} ApplicationSet controller replicas without applicationsetcontroller.enable.leader.election: every replica reconciles every ApplicationSet`,
        },
      ]
    : [];

/**
 * #9: an ApplicationSet that leaves Git (a retired add-on; the per-environment sets replaced by one RollingSync set)
 * must be deleted by the root, or it stays alive owning its Applications and the set replacing it cannot adopt them
 * (SetControllerReference refuses an Application another set controls). Deleting it is safe only when it orphans
 * (deletionCascades).
 */
export const appSetRetirement = (objects: readonly JsonObject[], root: JsonObject | undefined): SimFinding[] => {
  const prune = getIn(root, ['spec', 'syncPolicy', 'automated', 'prune']) === true && getIn(root, ['spec', 'syncPolicy', 'automated', 'enabled']) !== false;
  const out: SimFinding[] = [];
  if (root !== undefined && !prune && objects.some((o) => isArgoKind(o, 'ApplicationSet'))) {
    out.push({ rule: 'argocd/appset-retirement', object: refOf(root), field: 'spec.syncPolicy.automated.prune', message: 'the root does not prune: an ApplicationSet removed from Git (e.g. the per-environment sets when progressiveSync is switched on) stays alive and keeps its Applications from the set that replaces it' });
  }
  for (const o of objects) {
    if (isArgoKind(o, 'ApplicationSet') && syncOptionsOf(o).includes('Prune=false')) {
      out.push({ rule: 'argocd/appset-retirement', object: refOf(o), field: `metadata.annotations["${SYNC_OPTIONS}"]`, message: 'Prune=false: when this ApplicationSet leaves Git the root keeps it alive, owning Applications another set should adopt' });
    }
  }
  return out;
};
