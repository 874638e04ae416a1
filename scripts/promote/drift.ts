// Differences between two environments that a promotion does not carry over, reported in the PR so a
// reviewer sees them: settings (replicas, autoscaling, resources, sync policy…), version pins outside the
// selection, and apps the target runs that the source environment never ran (their new version is untried).
import type { CatalogEntry, Environment, Fleet } from '../model/fleet.ts';
import type { PromotionPlan } from './plan.ts';
import { clustersRunning } from './plan.ts';

export interface DriftItem {
  /** Dotted field of the environment file, e.g. `apps.rtmp-origin.replicas`. */
  readonly field: string;
  readonly from: string;
  readonly to: string;
}

export interface Drift {
  readonly settings: readonly DriftItem[];
  /** Pins that still differ after the promotion (not selected, or not pinned in the source). */
  readonly versions: readonly DriftItem[];
  /** Warnings: changed apps that run in the target but on no cluster of the source. */
  readonly untried: readonly string[];
}

const ABSENT = '—';

const leaves = (value: unknown, prefix: string, out: Map<string, string>): void => {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) leaves(v, prefix === '' ? k : `${prefix}.${k}`, out);
  } else if (value !== undefined) {
    out.set(prefix, typeof value === 'string' ? value : JSON.stringify(value));
  }
};

/** The environment's settings as dotted leaves, without what promotion owns (versions, promotesTo, name). */
const settingsOf = (env: Environment): Map<string, string> => {
  const out = new Map<string, string>();
  const { clusterIssuer, syncPolicy, apps, progressiveSync } = env;
  leaves({ clusterIssuer, syncPolicy, apps, progressiveSync }, '', out);
  return out;
};

const compare = (a: Map<string, string>, b: Map<string, string>): DriftItem[] =>
  [...new Set([...a.keys(), ...b.keys()])]
    .sort()
    .filter((k) => a.get(k) !== b.get(k))
    .map((field) => ({ field, from: a.get(field) ?? ABSENT, to: b.get(field) ?? ABSENT }));

export const driftBetween = (fleet: Fleet, catalog: readonly CatalogEntry[], plan: PromotionPlan): Drift => {
  const from = fleet.environments.find((e) => e.name === plan.from);
  const to = fleet.environments.find((e) => e.name === plan.to);
  if (from === undefined || to === undefined) return { settings: [], versions: [], untried: [] };
  const promoted = new Map(plan.changes.map((c) => [c.image, c.after]));
  const toAfter = new Map(Object.entries(to.versions));
  for (const [image, v] of promoted) toAfter.set(image, v);
  const versions = compare(
    new Map([...Object.entries(from.versions)].map(([k, v]) => [`versions.${k}`, v])),
    new Map([...toAfter.entries()].map(([k, v]) => [`versions.${k}`, v])),
  );
  const untried: string[] = [];
  for (const row of plan.rows) {
    const app = catalog.find((c) => c.name === row.app);
    if (app === undefined || row.clusters.length === 0) continue;
    if (clustersRunning(fleet, catalog, plan.from, app).length === 0) {
      untried.push(
        `${row.app} runs on ${row.clusters.join(', ')} but on no ${plan.from} cluster: ${row.image} ${row.after} has not run in ${plan.from}`,
      );
    }
  }
  return { settings: compare(settingsOf(from), settingsOf(to)), versions, untried };
};
