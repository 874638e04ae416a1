// The core of `pnpm diff`: two checked-out trees in, one DiffReport out. Applications whose input key is the
// same at both revisions are skipped without rendering; the others are rendered through the cache and
// compared object by object.
import type { GeneratedApplication } from '../pipeline/removal-guard.ts';
import { compareObjects, type ObjectChange } from './compare-objects.ts';
import { inputKey, type FileHashMemo } from './input-key.ts';
import { parseObjects } from './objects.ts';
import type { Rendered, Renderer, RenderJob } from './renderer.ts';
import type { AppDiff, AppStatus, DiffReport, RevisionRef } from './report.ts';
import { readRevisionApps, type RevisionApp } from './revision-apps.ts';

export interface Tree {
  readonly root: string;
  readonly ref: RevisionRef;
}

export interface DiffInput {
  readonly base: Tree;
  readonly head: Tree;
  readonly renderer: Renderer;
  /** Engine name and version: part of every input key. */
  readonly engineId: string;
  /** Called at each long step (io.progress). */
  readonly progress?: (step: string) => void;
}

export interface DiffResult {
  readonly report: DiffReport;
  /** Head renders made for the diff, by Application name (reused by promote's validation). */
  readonly headRenders: ReadonlyMap<string, Rendered>;
}

const SPEC_FIELDS = ['project', 'destination', 'namespace', 'source'] as const;

const specChanges = (a: GeneratedApplication, b: GeneratedApplication): string[] =>
  SPEC_FIELDS.filter((f) => a[f] !== b[f]).map((f) => `${f}: ${a[f]} → ${b[f]}`);

const STATUS_ORDER: Record<AppStatus, number> = { removed: 0, added: 1, changed: 2 };

/** Deleted first (prod first), then new, then changed; within each, later environments first, then by name. */
export const compareAppDiffs = (a: AppDiff, b: AppDiff): number =>
  STATUS_ORDER[a.status] - STATUS_ORDER[b.status] ||
  b.envRank - a.envRank ||
  (a.cluster < b.cluster ? -1 : a.cluster > b.cluster ? 1 : 0) ||
  (a.stack < b.stack ? -1 : a.stack > b.stack ? 1 : 0);

/** The input key of an Application's folder in a tree (undefined for charts and uncacheable builds). */
export const appKey = async (root: string, app: RevisionApp, engineId: string, memo: FileHashMemo): Promise<string | undefined> =>
  app.path === undefined ? undefined : (await inputKey(root, app.path, engineId, memo)).key;

interface Pending {
  readonly name: string;
  readonly base: RevisionApp | undefined;
  readonly head: RevisionApp | undefined;
  readonly appChanges: string[];
  baseJob?: number;
  headJob?: number;
}

export const diffTrees = async ({ base, head, renderer, engineId, progress }: DiffInput): Promise<DiffResult> => {
  const started = performance.now();
  progress?.(`reading the Applications of ${base.ref.label} and ${head.ref.label}…`);
  const [before, after] = await Promise.all([readRevisionApps(base.root, base.ref.label), readRevisionApps(head.root, head.ref.label)]);
  const memos: [FileHashMemo, FileHashMemo] = [new Map(), new Map()];
  const names = [...new Set([...before.apps.keys(), ...after.apps.keys()])].sort();
  const jobs: RenderJob[] = [];
  const pending: Pending[] = [];
  let skipped = 0;
  let unchanged = 0;

  for (const name of names) {
    const a = before.apps.get(name);
    const b = after.apps.get(name);
    const appChanges = a !== undefined && b !== undefined ? specChanges(a.spec, b.spec) : [];
    const ka = a === undefined ? undefined : await appKey(base.root, a, engineId, memos[0]);
    const kb = b === undefined ? undefined : await appKey(head.root, b, engineId, memos[1]);
    const p: Pending = { name, base: a, head: b, appChanges };
    if (a !== undefined && b !== undefined) {
      const bothCharts = a.kind === 'chart' && b.kind === 'chart';
      const sameInputs = ka !== undefined && ka === kb;
      if (appChanges.length === 0 && (bothCharts || sameInputs)) {
        skipped++;
        unchanged++;
        continue;
      }
    }
    if (a?.path !== undefined) {
      p.baseJob = jobs.length;
      jobs.push({ root: base.root, path: a.path, key: ka });
    }
    if (b?.path !== undefined) {
      p.headJob = jobs.length;
      jobs.push({ root: head.root, path: b.path, key: kb });
    }
    pending.push(p);
  }

  progress?.(
    `rendering ${pending.length} of ${names.length} Applications with Kustomize (${jobs.length} builds; ${skipped} skipped, identical inputs)…`,
  );
  const rendered = await renderer.render(jobs);
  const headRenders = new Map<string, Rendered>();
  const envs = after.environments.length > 0 ? after.environments : before.environments;
  const apps: AppDiff[] = [];
  for (const p of pending) {
    const ra = p.baseJob === undefined ? undefined : rendered[p.baseJob];
    const rb = p.headJob === undefined ? undefined : rendered[p.headJob];
    if (rb !== undefined) headRenders.set(p.name, rb);
    const errors = [
      ...(ra !== undefined && !ra.ok ? [`base: ${ra.error}`] : []),
      ...(rb !== undefined && !rb.ok ? [`head: ${rb.error}`] : []),
    ];
    const objectsOf = (r: Rendered | undefined): ReturnType<typeof parseObjects> => (r?.ok ? parseObjects(r.yaml) : new Map());
    // A side that failed to build is not compared (it would look like every object was added or removed).
    const objects: ObjectChange[] = errors.length > 0 ? [] : compareObjects(objectsOf(ra), objectsOf(rb));
    const status: AppStatus = p.base === undefined ? 'added' : p.head === undefined ? 'removed' : 'changed';
    if (status === 'changed' && objects.length === 0 && p.appChanges.length === 0 && errors.length === 0) {
      unchanged++; // inputs differ (e.g. a comment), output does not
      continue;
    }
    const app = (p.head ?? p.base) as RevisionApp;
    const envRank = envs.indexOf(app.environment);
    apps.push({
      name: p.name,
      kind: app.kind,
      cluster: app.cluster,
      stack: app.stack,
      environment: app.environment,
      envRank,
      isLastEnvironment: envRank >= 0 && envRank === envs.length - 1,
      status,
      appChanges: p.appChanges,
      objects,
      counts: {
        added: objects.filter((o) => o.change === 'added').length,
        changed: objects.filter((o) => o.change === 'changed').length,
        removed: objects.filter((o) => o.change === 'removed').length,
      },
      errors,
    });
  }

  const report: DiffReport = {
    base: base.ref,
    head: head.ref,
    apps: apps.sort(compareAppDiffs),
    unchanged,
    stats: { skipped, built: renderer.stats.built, cacheHits: renderer.stats.cacheHits, durationMs: performance.now() - started },
  };
  return { report, headRenders };
};
