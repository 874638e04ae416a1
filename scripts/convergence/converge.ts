// Every Application of one cluster, synced from an empty cluster the way Argo CD syncs: each Application on its own
// and at the same time (nothing orders Applications against each other), round after round — a round is one
// sync attempt of every Application not yet synced, the next round is its retry. Within one attempt, as
// gitops-engine pkg/sync/sync_context.go does at the pinned version:
// - before applying anything, every object whose kind the cluster does not serve fails the whole attempt, unless
//   dry run is skipped for it: SkipDryRunOnMissingResource in the Application's syncOptions (honoured from
//   Argo CD 3.1), the same option in the object's sync-options annotation, or its CRD being part of the same sync;
// - then phases (PreSync, Sync, PostSync) and waves in order; a wave holding an object whose kind is still not
//   served fails, after the rest of that wave (CRDs included) was applied; later waves wait for the next attempt.
// A chart object rendered only when the cluster serves some API (`.Capabilities.APIVersions.Has`) is left out until
// it does, as Argo CD's `helm template --api-versions` leaves it out.
import type { SimApplication, SimObject } from './types.ts';

export interface Served {
  /** API groups served whole: the Kubernetes built-in ones and the cluster's declared baseline. */
  readonly groups: ReadonlySet<string>;
  /** `group/kind` served because some CRD defines it. */
  readonly kinds: ReadonlySet<string>;
}

export interface ConvergeOptions {
  /** Whether the pinned Argo CD honours SkipDryRunOnMissingResource in an Application's syncOptions. */
  readonly appLevelSkipDryRun: boolean;
}

export interface AppOutcome {
  readonly app: SimApplication;
  /** Round (0 = first attempt) in which the Application synced completely; undefined when it never does. */
  readonly syncedIn: number | undefined;
  /** Kinds never served on the cluster (only when it never syncs). */
  readonly missing: readonly string[];
  /** Kinds whose CRD another Application installs, which this one had to wait for. */
  readonly waitedFor: readonly string[];
  /** True when an attempt failed before applying anything because dry run was not skipped for a missing kind. */
  readonly dryRunBlocked: boolean;
  /** True when that happened although the Application asks for SkipDryRunOnMissingResource (ignored by this version). */
  readonly appLevelSkipIgnored: boolean;
}

const PHASES = ['PreSync', 'Sync', 'PostSync'] as const;
const SKIP_DRY_RUN = 'SkipDryRunOnMissingResource=true';

export const kindKey = (group: string, kind: string): string => `${group}/${kind}`;

const hasOption = (options: readonly string[], option: string): boolean => options.some((o) => o.trim() === option);

/** Objects of one attempt, in the order Argo CD applies them: phase, then wave. */
const ordered = (objects: readonly SimObject[]): SimObject[] =>
  [...objects].sort((a, b) => PHASES.indexOf(a.phase) - PHASES.indexOf(b.phase) || a.wave - b.wave);

export const converge = (apps: readonly SimApplication[], served: Served, options: ConvergeOptions): AppOutcome[] => {
  const groups = new Set(served.groups);
  const kinds = new Set(served.kinds);
  // Groups with at least one served kind: what `.Capabilities.APIVersions.Has "<group>/<version>"` asks about.
  const kindGroups = new Set([...kinds].map((k) => k.slice(0, k.lastIndexOf('/'))));
  const isServed = (group: string, kind: string): boolean => groups.has(group) || kinds.has(kindKey(group, kind));
  const apiServed = (api: string): boolean => {
    const slash = api.lastIndexOf('/');
    const group = slash < 0 ? '' : api.slice(0, slash);
    return groups.has(group) || kindGroups.has(group);
  };
  const synced = new Map<SimApplication, number>();
  const waited = new Map<SimApplication, Set<string>>();
  const dryRunBlocked = new Set<SimApplication>();
  const skipIgnored = new Set<SimApplication>();

  for (let round = 0; synced.size < apps.length; round++) {
    const installed: string[] = [];
    for (const app of apps) {
      if (synced.has(app)) continue;
      const objects = app.objects.filter((o) => o.whenApi === undefined || apiServed(o.whenApi));
      const ownCrds = new Set(objects.flatMap((o) => (o.defines ? [kindKey(o.defines.group, o.defines.kind)] : [])));
      const missing = objects.filter((o) => !isServed(o.group, o.kind));
      for (const o of missing) if (!ownCrds.has(kindKey(o.group, o.kind))) (waited.get(app) ?? waited.set(app, new Set()).get(app)!).add(kindKey(o.group, o.kind));
      const appSkip = hasOption(app.syncOptions, SKIP_DRY_RUN);
      const blocking = missing.filter(
        (o) => !(appSkip && options.appLevelSkipDryRun) && !hasOption(o.syncOptions, SKIP_DRY_RUN) && !ownCrds.has(kindKey(o.group, o.kind)),
      );
      if (blocking.length > 0) {
        dryRunBlocked.add(app);
        if (appSkip && !options.appLevelSkipDryRun) skipIgnored.add(app);
        continue;
      }
      let failed = false;
      let current: string | undefined;
      for (const o of ordered(objects)) {
        const step = `${o.phase}/${o.wave}`;
        if (failed && step !== current) break;
        current = step;
        if (o.defines) installed.push(kindKey(o.defines.group, o.defines.kind));
        if (!isServed(o.group, o.kind) && !ownCrdsServedEarlier(o, objects, isServed)) failed = true;
      }
      if (!failed) synced.set(app, round);
    }
    const before = kinds.size;
    for (const k of installed) {
      kinds.add(k);
      kindGroups.add(k.slice(0, k.lastIndexOf('/')));
    }
    // Nothing new is served and nothing synced: further retries change nothing.
    if (kinds.size === before && ![...synced.values()].includes(round)) break;
  }

  return apps.map((app) => {
    const round = synced.get(app);
    const missing =
      round !== undefined
        ? []
        : [...new Set(app.objects.filter((o) => (o.whenApi === undefined || apiServed(o.whenApi)) && !isServed(o.group, o.kind)).map((o) => kindKey(o.group, o.kind)))].sort();
    return {
      app,
      syncedIn: round,
      missing,
      waitedFor: [...(waited.get(app) ?? [])].sort(),
      dryRunBlocked: dryRunBlocked.has(app),
      appLevelSkipIgnored: skipIgnored.has(app),
    };
  });
};

/**
 * An object whose CRD the same Application applies in an earlier phase or wave: by the time Argo CD reaches it the
 * CRD exists (Argo CD also orders CRDs before their objects within one wave).
 */
const ownCrdsServedEarlier = (o: SimObject, objects: readonly SimObject[], isServed: (g: string, k: string) => boolean): boolean =>
  isServed(o.group, o.kind) ||
  objects.some(
    (c) =>
      c.defines?.group === o.group &&
      c.defines.kind === o.kind &&
      (PHASES.indexOf(c.phase) < PHASES.indexOf(o.phase) || (c.phase === o.phase && c.wave <= o.wave)),
  );
