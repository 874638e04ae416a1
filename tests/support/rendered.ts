// Rendered-output test support: generate a fleet into a temp folder and build every clusters/<cluster>/<stack>
// with the real Kustomize, so stack tests assert on what Argo CD would apply, not on the render's input.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseAllDocuments, parseDocument } from 'yaml';
import { main } from '../../scripts/cli/gen.ts';
import { buildMany } from '../../scripts/kustomize/build.ts';
import { detectEngine } from '../../scripts/kustomize/engine.ts';
import { findClusterStackTargets } from '../../scripts/kustomize/find-targets.ts';
import { captureIo, copyInventory, DEFAULT_INVENTORY, removeDir, tempDir } from './fleet.ts';

/** A built Kubernetes object, loosely typed: tests narrow what they read. */
export interface BuiltObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: Record<string, unknown> & { [key: string]: unknown };
  data?: Record<string, string>;
  [key: string]: unknown;
}

export interface RenderedFleet {
  /** Output root (generated tree). */
  readonly root: string;
  /** Built objects by `clusters/<cluster>/<stack>`. */
  readonly builds: ReadonlyMap<string, BuiltObject[]>;
  /** Objects of one cluster's stack; throws when the path was not built, so a typo cannot pass silently. */
  readonly objects: (cluster: string, stack: string) => BuiltObject[];
  /** The one object of that kind and name; throws when absent. */
  readonly find: (cluster: string, stack: string, kind: string, name: string) => BuiltObject;
  readonly dispose: () => Promise<void>;
}

/** One edit of an inventory file, applied through `yaml` so comments survive: set `path` to `value` (undefined deletes). */
export interface InventoryEdit {
  /** Relative to the inventory folder: `fleet.yaml`, `clusters.yaml`, `environments/dev.yaml`. */
  readonly file: string;
  readonly path: ReadonlyArray<string | number>;
  readonly value: unknown;
}

/** Copy the default inventory (or `from`) to a temp folder and apply edits; returns the new inventory folder. */
export const editedInventory = async (root: string, edits: readonly InventoryEdit[], from = DEFAULT_INVENTORY): Promise<string> => {
  const inventory = await copyInventory(from, root);
  for (const e of edits) {
    const file = join(inventory, e.file);
    const doc = parseDocument(await readFile(file, 'utf8'));
    if (e.value === undefined) doc.deleteIn(e.path as unknown[]);
    else doc.setIn(e.path as unknown[], e.value);
    await writeFile(file, doc.toString());
  }
  return inventory;
};

/**
 * Generate `inventory` (default: the shipped fleet, optionally edited) and build every cluster stack.
 * Fails the caller (throws) when gen exits non-zero or any build fails, with the output attached.
 */
export const renderFleetBuilds = async (opts: { inventory?: string; edits?: readonly InventoryEdit[] } = {}): Promise<RenderedFleet> => {
  const root = await tempDir('rendered-fleet');
  const out = join(root, 'out');
  const inventory = opts.edits !== undefined ? await editedInventory(root, opts.edits, opts.inventory) : (opts.inventory ?? DEFAULT_INVENTORY);
  const io = captureIo();
  const code = await main(['--inventory', inventory, '--out', out], io.io);
  if (code !== 0) throw new Error(`gen exited ${code}:\n${io.err()}${io.out()}`);
  const targets = await findClusterStackTargets(out);
  const results = await buildMany(await detectEngine(), targets.map((t) => t.dir));
  const builds = new Map<string, BuiltObject[]>();
  const failures: string[] = [];
  results.forEach((r, i) => {
    const path = targets[i]!.path;
    if (r.ok) builds.set(path, parseAllDocuments(r.yaml).map((d) => d.toJS() as BuiltObject));
    else failures.push(`${path}: ${r.error.message}`);
  });
  if (failures.length > 0) throw new Error(`kustomize failed:\n${failures.join('\n')}`);
  const objects = (cluster: string, stack: string): BuiltObject[] => {
    const got = builds.get(`clusters/${cluster}/${stack}`);
    if (got === undefined) throw new Error(`clusters/${cluster}/${stack} was not built; built: ${[...builds.keys()].join(', ')}`);
    return got;
  };
  return {
    root: out,
    builds,
    objects,
    find: (cluster, stack, kind, name) => {
      const o = objects(cluster, stack).find((x) => x.kind === kind && x.metadata.name === name);
      if (o === undefined) throw new Error(`no ${kind}/${name} in clusters/${cluster}/${stack}`);
      return o;
    },
    dispose: () => removeDir(root),
  };
};

/** Pod template spec of a workload (Deployment, StatefulSet, DaemonSet, Job) or CronJob. */
export const podSpecOf = (o: BuiltObject): Record<string, unknown> & { containers: Array<Record<string, unknown>> } => {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests narrow what they read
  const spec = o.spec as Record<string, any>;
  const template = o.kind === 'CronJob' ? spec.jobTemplate.spec.template : spec.template;
  return template.spec;
};
