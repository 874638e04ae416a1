// Platform test support: the generated fleet (built with real Kustomize) plus the Applications Argo CD would
// create from it (offline ApplicationSet expansion), so add-on tests assert on what the cluster would receive.
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import { listApplications } from '../../scripts/argocd/list-applications.ts';
import type { ApplicationRecord } from '../../scripts/argocd/types.ts';
import { DEFAULT_INVENTORY } from '../support/fleet.ts';
import { renderFleetBuilds, type InventoryEdit, type RenderedFleet } from '../support/rendered.ts';

export interface PlatformFleet extends RenderedFleet {
  /** Every Application the ApplicationSets produce. */
  readonly applications: readonly ApplicationRecord[];
  /** The Application of add-on `addon` on `cluster`, or undefined. */
  readonly addonApp: (addon: string, cluster: string) => ApplicationRecord | undefined;
}

export const renderPlatformFleet = async (edits?: readonly InventoryEdit[]): Promise<PlatformFleet> => {
  const rendered = await renderFleetBuilds(edits === undefined ? {} : { edits });
  const { applications } = await listApplications(rendered.root);
  return {
    ...rendered,
    applications,
    addonApp: (addon, cluster) =>
      applications.find((a) => a.labels['streamfleet.io/addon'] === addon && a.labels['streamfleet.io/cluster'] === cluster),
  };
};

/** Index of a cluster in the shipped clusters.yaml, so edits name clusters rather than positions. */
export const clusterIndex = async (name: string): Promise<number> => {
  const doc = parse(await readFile(join(DEFAULT_INVENTORY, 'clusters.yaml'), 'utf8')) as { clusters: Array<{ name: string }> };
  const i = doc.clusters.findIndex((c) => c.name === name);
  if (i < 0) throw new Error(`no cluster ${name} in the shipped inventory`);
  return i;
};

/**
 * Helm values of an add-on Application as Argo CD would pass them: `valuesObject` of a single chart source, or the
 * values file its chart source names through the `$values` source (read from the generated tree at `root`).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests narrow what they read
export const helmValues = (app: ApplicationRecord, root: string): Record<string, any> => {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests narrow what they read
  const spec = app.manifest.spec as Record<string, any>;
  if (spec.source !== undefined) return spec.source.helm.valuesObject as Record<string, unknown>;
  const files = (spec.sources[0].helm.valueFiles ?? []) as string[];
  if (files.length !== 1 || !files[0]!.startsWith('$values/')) throw new Error(`${app.name}: expected one $values file, got ${JSON.stringify(files)}`);
  return parse(readFileSync(join(root, files[0]!.slice('$values/'.length)), 'utf8')) as Record<string, unknown>;
};
