// Read the facts the preview shows out of one Application manifest: destination, sources, sync policy, labels.
// Empty strings count as unset, as they do for Argo CD (`server: ""` is no server).
import { getIn, isObject, stringAt, stringMapAt, type JsonObject } from './kube.ts';
import { normalizeRepoURL } from './project-match.ts';
import { type RollingSync, stepOf } from './rolling-sync.ts';
import type { DestinationSummary, SourceSummary, SyncSummary } from './types.ts';

const nonEmpty = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);

export const destinationOf = (app: JsonObject): DestinationSummary => {
  const d = getIn(app, ['spec', 'destination']);
  const o = isObject(d) ? d : {};
  const name = nonEmpty(o.name);
  const server = nonEmpty(o.server);
  const namespace = nonEmpty(o.namespace);
  return { ...(name !== undefined ? { name } : {}), ...(server !== undefined ? { server } : {}), ...(namespace !== undefined ? { namespace } : {}) };
};

const sourceOf = (s: unknown, rootRepo: string | undefined): SourceSummary => {
  const o = isObject(s) ? s : {};
  const repoURL = typeof o.repoURL === 'string' ? o.repoURL : '';
  const fields = { path: nonEmpty(o.path), chart: nonEmpty(o.chart), targetRevision: nonEmpty(o.targetRevision), ref: nonEmpty(o.ref) };
  const defined = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as Partial<typeof fields>;
  const inRepo = rootRepo !== undefined && repoURL !== '' && normalizeRepoURL(repoURL) === normalizeRepoURL(rootRepo);
  return { repoURL, ...defined, inRepo };
};

/** `spec.sources` when non-empty (multi-source wins over `source`), else `spec.source`, else the hydrator's sync source. */
export const sourcesOf = (app: JsonObject, rootRepo: string | undefined): SourceSummary[] => {
  const spec = isObject(app.spec) ? app.spec : {};
  if (Array.isArray(spec.sources) && spec.sources.length > 0) return spec.sources.map((s) => sourceOf(s, rootRepo));
  if (isObject(spec.source)) return [sourceOf(spec.source, rootRepo)];
  if (isObject(spec.sourceHydrator)) {
    const h = spec.sourceHydrator;
    return [sourceOf({ repoURL: getIn(h, ['drySource', 'repoURL']), path: getIn(h, ['syncSource', 'path']), targetRevision: getIn(h, ['syncSource', 'targetBranch']) }, rootRepo)];
  }
  return [];
};

/** Sync behaviour; under RollingSync the ApplicationSet controller disables auto-sync and syncs by step. */
export const syncOf = (app: JsonObject, labels: Readonly<Record<string, string>>, rolling: RollingSync | undefined): SyncSummary => {
  const automated = getIn(app, ['spec', 'syncPolicy', 'automated']);
  // `automated.enabled: false` (Argo CD 3.x) keeps the settings but turns auto-sync off.
  const auto = isObject(automated) && automated.enabled !== false;
  const prune = isObject(automated) && automated.prune === true;
  const selfHeal = isObject(automated) && automated.selfHeal === true;
  if (rolling === undefined) return auto ? { mode: 'auto', prune, selfHeal } : { mode: 'manual', prune: false, selfHeal: false };
  const step = stepOf(rolling, labels);
  const rollingPrune = isObject(automated) && typeof automated.prune === 'boolean' ? automated.prune : rolling.defaultPrune;
  return step === undefined
    ? { mode: 'manual', prune: false, selfHeal: false, steps: rolling.steps.length }
    : { mode: 'rolling', prune: rollingPrune, selfHeal: false, step, steps: rolling.steps.length };
};

export const nameOf = (app: JsonObject): string => stringAt(app, ['metadata', 'name']) ?? '';
export const projectOf = (app: JsonObject): string => stringAt(app, ['spec', 'project']) ?? '';
export const labelsOf = (app: JsonObject): Record<string, string> => stringMapAt(app, ['metadata', 'labels']);

/** Repository-relative paths and chart references, for the table. */
export const describeSource = (s: SourceSummary): string => {
  if (s.chart !== undefined) return `${s.chart}@${s.targetRevision ?? '*'}`;
  if (s.ref !== undefined && s.path === undefined) return `$${s.ref}`;
  const path = s.path ?? '.';
  return s.inRepo ? path : `${s.repoURL}//${path}`;
};
