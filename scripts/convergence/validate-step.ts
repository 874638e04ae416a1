// The first-sync simulation as a step of `pnpm validate`: it watches the built Application folders go by (keeping
// only what the simulation needs of each object), then runs on the root's folder, the chart catalog and the pins.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { parse } from 'yaml';

import { featureById, supportsFeature, unsupportedFeatures, usedFeatures } from '../argocd/features.ts';
import type { JsonObject } from '../argocd/kube.ts';
import type { KustomizationGraph } from '../kustomize/kustomization-graph.ts';
import { ARGOCD_DIR } from '../lib/layout.ts';
import type { Fleet } from '../model/fleet.ts';
import { BUNDLED_CATALOGS } from '../platform/chart-catalog/bundled.ts';
import { catalogFor, type ChartCatalog } from '../platform/chart-catalog/index.ts';
import { SourceIndex } from '../policy/source-index.ts';
import type { AppTarget, Finding, RenderedObject } from '../policy/types.ts';
import { runFirstSync } from './first-sync.ts';
import { toPolicyFindings } from './report.ts';
import { toSimObject } from './sim-objects.ts';
import type { SimFinding, SimObject } from './types.ts';

export interface FirstSyncReport {
  /** The Argo CD version the simulation ran against (the pinned chart's appVersion). */
  readonly argoCd: string | null;
  readonly applications: number;
  /** Per cluster: how many sync attempts its slowest Application needs (1 = first try); null = never. */
  readonly clusters: Record<string, number | null>;
  /** Time the simulation took after the builds (expansion, convergence, checks), for `pnpm bench`. */
  readonly ms: number;
}

export interface FirstSyncStep {
  readonly observe: (target: AppTarget, objects: readonly RenderedObject[]) => void;
  readonly run: (rootGraph: KustomizationGraph | undefined) => { findings: Finding[]; report: FirstSyncReport; summaryLine: string };
}

/** The Argo CD the fleet pins: the appVersion of the catalogued chart at the pinned version. */
export const pinnedArgoCd = (fleet: Fleet, catalogs: readonly ChartCatalog[]): string | undefined =>
  catalogFor(catalogs, fleet.argocd.chart)?.appVersion;

/** Only objects annotated for Argo CD can use a per-resource feature (sync options, hooks, compare options). */
const ARGOCD_ANNOTATION_PREFIX = 'argocd.argoproj.io/';

const refOf = (o: RenderedObject): string => `${o.kind}/${o.namespace !== undefined ? `${o.namespace}/` : ''}${o.name}`;

export const firstSyncStep = (repoRoot: string, fleet: Fleet, catalogs: readonly ChartCatalog[] = BUNDLED_CATALOGS): FirstSyncStep => {
  const built = new Map<string, SimObject[]>();
  let rootObjects: RenderedObject[] = [];
  // Per-resource annotations (Prune=confirm on a Namespace, …) count as features too; kept once per object.
  const resourceFeatures = new Map<string, JsonObject>();
  const observe = (target: AppTarget, objects: readonly RenderedObject[]): void => {
    built.set(target.path, objects.map((o) => toSimObject(o.raw, target.namespace || undefined)));
    if (target.path === ARGOCD_DIR) rootObjects = [...objects];
    for (const o of objects) {
      const annotations = (o.raw.metadata as { annotations?: Record<string, unknown> } | undefined)?.annotations;
      if (annotations === undefined || !Object.keys(annotations).some((k) => k.startsWith(ARGOCD_ANNOTATION_PREFIX))) continue;
      resourceFeatures.set(`${o.apiVersion}/${refOf(o)}`, { apiVersion: o.apiVersion, kind: o.kind, metadata: o.raw.metadata });
    }
  };

  const run = (rootGraph: KustomizationGraph | undefined): { findings: Finding[]; report: FirstSyncReport; summaryLine: string } => {
    const started = performance.now();
    const pinned = pinnedArgoCd(fleet, catalogs);
    const raw = rootObjects.map((o) => o.raw);
    const sources = new SourceIndex(repoRoot);
    const files = new Map<string, string>();
    for (const o of rootObjects) {
      const file = rootGraph !== undefined ? sources.fileOf(rootGraph, o) : ARGOCD_DIR;
      files.set(refOf(o), file);
      // The offline expansion names objects without their namespace (`ApplicationSet/streaming-prod`).
      files.set(`${o.kind}/${o.name}`, file);
    }
    const unknownVersion: SimFinding[] =
      pinned === undefined
        ? [{ rule: 'argocd/objects-unknown', object: 'Application/argocd', field: 'spec.source', message: `no chart catalog for ${fleet.argocd.chart.chart} ${fleet.argocd.chart.version}: the Argo CD version cannot be known, so its features and behaviour cannot be checked (run \`pnpm charts:catalog\`)` }]
        : [];
    const outcome = runFirstSync({
      fleet,
      repoRoot,
      rootObjects: raw,
      builtObjects: built,
      catalogs,
      readRepoYaml: (path) => {
        try {
          return parse(readFileSync(join(repoRoot, path), 'utf8')) as unknown;
        } catch {
          return undefined;
        }
      },
      appLevelSkipDryRun: pinned !== undefined && supportsFeature(featureById('app-sync-skip-dry-run-on-missing-resource'), pinned),
      unsupportedFeatures: (manifests) =>
        pinned === undefined
          ? []
          : unsupportedFeatures(usedFeatures([...manifests, ...resourceFeatures.values()]), pinned).map((f) => ({ rule: 'argocd/feature-unsupported', object: f.object, field: f.field, message: f.message })),
    });
    const findings = toPolicyFindings([...unknownVersion, ...outcome.findings], {
      fileOf: (ref) => files.get(ref),
      generatedBy: (app) => outcome.generatedBy.get(app),
      rootName: outcome.rootName,
      fallbackFile: ARGOCD_DIR,
    });
    const clusters: Record<string, number | null> = {};
    for (const [cluster, apps] of outcome.clusters) {
      const rounds = apps.map((a) => a.round);
      clusters[cluster] = rounds.some((r) => r === undefined) ? null : Math.max(0, ...(rounds as number[])) + 1;
    }
    const never = Object.values(clusters).filter((n) => n === null).length;
    const worst = Math.max(1, ...Object.values(clusters).filter((n): n is number => n !== null));
    const summaryLine =
      `first sync: Argo CD ${pinned ?? '(unknown)'}, ${outcome.applications} Applications on ${Object.keys(clusters).length} clusters from an empty hub: ` +
      `${never === 0 ? `every cluster converges in at most ${worst} sync attempt${worst === 1 ? '' : 's'}` : `${never} cluster${never === 1 ? '' : 's'} never converge${never === 1 ? 's' : ''}`}, ` +
      `${findings.length} finding${findings.length === 1 ? '' : 's'}\n`;
    return { findings, report: { argoCd: pinned ?? null, applications: outcome.applications, clusters, ms: Math.round(performance.now() - started) }, summaryLine };
  };
  return { observe, run };
};
