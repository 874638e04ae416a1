// How a preset's defaults and the user's spec combine. The rule (also in types.ts PresetResult and docs):
//
// - the user's fields win: a field the user sets replaces the preset's, whole. Scalars, lists and objects alike
//   (`ports`, `args`, `configFiles`, `resources`, `metrics`, …): a user who sets `ports` states every port;
// - except three fields, merged by identity so a user can change one item without restating the others:
//   - `volumes` by `name` (a user volume named `data` replaces the preset's `data`; others are added),
//   - `probes` one by one (a user `readiness` replaces the preset's readiness; its startup and liveness stay),
//   - `env` by `name` (a user `POSTGRES_DB` replaces the preset's; others are added).
//   Items keep the preset's order, replaced in place; the user's new items follow in the user's order.
//
// A field the user leaves out (or sets to `undefined`) keeps the preset's value; nothing is deep-merged beyond the
// three rules above, so what a service runs is always either the preset's value or exactly the user's.
import type { EnvVar, Probes, ServiceSpec, Volume } from '../../../inventory/system-schema.ts';

/** `base` with the items of `over` replacing those of the same key in place, then the new ones appended. */
export const mergeByKey = <T>(base: readonly T[], over: readonly T[], key: (item: T) => string): T[] => {
  const overByKey = new Map(over.map((item) => [key(item), item]));
  const baseKeys = new Set(base.map(key));
  return [...base.map((item) => overByKey.get(key(item)) ?? item), ...over.filter((item) => !baseKeys.has(key(item)))];
};

const mergeVolumes = (base: readonly Volume[] | undefined, over: readonly Volume[] | undefined): Volume[] | undefined =>
  over === undefined ? base && [...base] : mergeByKey(base ?? [], over, (v) => v.name);

const mergeEnv = (base: readonly EnvVar[] | undefined, over: readonly EnvVar[] | undefined): EnvVar[] | undefined =>
  over === undefined ? base && [...base] : mergeByKey(base ?? [], over, (e) => e.name);

const mergeProbes = (base: Probes | undefined, over: Probes | undefined): Probes | undefined => {
  if (over === undefined) return base;
  const out: Probes = { ...base };
  for (const kind of ['startup', 'readiness', 'liveness'] as const) if (over[kind] !== undefined) out[kind] = over[kind];
  return out;
};

/** The preset's defaults completed by the user's spec, per the rule above. Neither input is modified. */
export const mergeSpec = (preset: ServiceSpec, user: ServiceSpec): ServiceSpec => {
  const out: Record<string, unknown> = { ...preset };
  for (const [field, value] of Object.entries(user)) if (value !== undefined) out[field] = value;
  const merged = out as ServiceSpec;
  const volumes = mergeVolumes(preset.volumes, user.volumes);
  const env = mergeEnv(preset.env, user.env);
  const probes = mergeProbes(preset.probes, user.probes);
  return {
    ...merged,
    ...(volumes !== undefined ? { volumes } : {}),
    ...(env !== undefined ? { env } : {}),
    ...(probes !== undefined ? { probes } : {}),
  };
};
