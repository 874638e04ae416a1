// The Argo CD Applications a revision of the tree produces, from its own committed ApplicationSets
// (apps/*.yaml through the removal guard's `applicationsOf`), with the cluster, stack and environment each
// belongs to. The inventory is read loosely here: a diff must work even for a revision whose inventory the
// current loader would reject.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

import { parse } from 'yaml';

import { analysePromotion } from '../inventory/promotion.ts';
import { CliError, ExitCode } from '../lib/exit-codes.ts';
import { APPS_DIR, CLUSTERS_DIR, CLUSTERS_FILE, ENVIRONMENTS_DIR, INVENTORY_DIR, posixJoin } from '../lib/layout.ts';
import { applicationsOf, type GeneratedApplication } from '../pipeline/removal-guard.ts';

export interface RevisionApp {
  readonly name: string;
  /** `kustomize`: syncs a `clusters/<cluster>/<stack>` folder of this repository; `chart`: a Helm chart. */
  readonly kind: 'kustomize' | 'chart';
  readonly cluster: string;
  /** The stack, or for a chart the ApplicationSet (e.g. `addon-cert-manager`). */
  readonly stack: string;
  readonly environment: string;
  /** Root-relative folder the Application syncs (kustomize only). */
  readonly path: string | undefined;
  readonly spec: GeneratedApplication;
}

export interface RevisionApps {
  readonly apps: ReadonlyMap<string, RevisionApp>;
  /** Environment names, first to last in the promotion order (prod last). */
  readonly environments: readonly string[];
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const readText = async (file: string): Promise<string | undefined> => {
  try {
    return await readFile(file, 'utf8');
  } catch {
    return undefined;
  }
};

const listYaml = async (dir: string): Promise<string[]> => {
  try {
    return (await readdir(dir)).filter((f) => f.endsWith('.yaml')).sort();
  } catch {
    return [];
  }
};

const safeParse = (text: string | undefined): unknown => {
  if (text === undefined) return undefined;
  try {
    return parse(text) as unknown;
  } catch {
    return undefined;
  }
};

interface ClusterFacts {
  readonly environmentOf: ReadonlyMap<string, string>;
  /** Argo CD destination (name or server) → cluster name. */
  readonly clusterOfDestination: ReadonlyMap<string, string>;
}

const clusterFacts = (doc: unknown): ClusterFacts => {
  const environmentOf = new Map<string, string>();
  const clusterOfDestination = new Map<string, string>();
  const list = isRecord(doc) && Array.isArray(doc.clusters) ? doc.clusters : [];
  for (const c of list) {
    if (!isRecord(c) || typeof c.name !== 'string') continue;
    if (typeof c.environment === 'string') environmentOf.set(c.name, c.environment);
    const d = isRecord(c.destination) ? c.destination : {};
    for (const key of ['name', 'server'] as const) if (typeof d[key] === 'string') clusterOfDestination.set(d[key], c.name);
  }
  return { environmentOf, clusterOfDestination };
};

const environmentOrder = async (inventory: string): Promise<string[]> => {
  const dir = join(inventory, ENVIRONMENTS_DIR);
  const edges = [];
  for (const file of await listYaml(dir)) {
    const doc = safeParse(await readText(join(dir, file)));
    const next = isRecord(doc) && typeof doc.promotesTo === 'string' ? doc.promotesTo : undefined;
    edges.push({ name: file.slice(0, -'.yaml'.length), promotesTo: next });
  }
  return [...(analysePromotion(edges, true).order ?? edges.map((e) => e.name))];
};

/** The Applications of the tree at `root`, keyed by name. */
export const readRevisionApps = async (root: string, label = root): Promise<RevisionApps> => {
  const texts = [];
  for (const file of await listYaml(join(root, APPS_DIR))) {
    texts.push({ path: posixJoin(APPS_DIR, file), content: (await readText(join(root, APPS_DIR, file))) ?? '' });
  }
  const inventory = join(root, INVENTORY_DIR);
  const facts = clusterFacts(safeParse(await readText(join(inventory, CLUSTERS_FILE))));
  let specs: GeneratedApplication[];
  try {
    specs = [...applicationsOf(texts).values()];
  } catch (e) {
    // A revision whose ApplicationSets cannot be expanded cannot be diffed; say which, not a stack trace.
    throw new CliError(`cannot list the Applications of ${label}: ${e instanceof Error ? e.message : String(e)}`, ExitCode.BadInput);
  }
  const apps = new Map<string, RevisionApp>();
  for (const spec of specs) {
    const parts = spec.source.split('/');
    const isPath = parts.length === 3 && parts[0] === CLUSTERS_DIR;
    const cluster = isPath ? (parts[1] ?? '') : (facts.clusterOfDestination.get(spec.destination) ?? spec.destination);
    apps.set(spec.name, {
      name: spec.name,
      kind: isPath ? 'kustomize' : 'chart',
      cluster,
      stack: isPath ? (parts[2] ?? '') : spec.applicationSet,
      environment: facts.environmentOf.get(cluster) ?? '?',
      path: isPath ? spec.source : undefined,
      spec,
    });
  }
  return { apps, environments: await environmentOrder(inventory) };
};
