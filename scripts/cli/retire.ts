// `pnpm retire cluster <name> [--dry-run | --yes] [--root DIR]` (not `remove`: `pnpm remove` is pnpm's own command,
// which uninstalls a dependency)
// Plans the removal (scaffold/remove-cluster.ts): the inventory entry, the generated files that go away and every
// Argo CD Application the ApplicationSets stop generating, computed with the removal guard. --dry-run prints it
// (exit 0); without --yes it prints it and exits 5; --yes is the one confirmation: the inventory is edited and
// `pnpm gen` runs with `--allow-removal` for exactly those Applications. The help text lives in commands.ts.
import { resolve } from 'node:path';
import { COMPONENTS, componentsFor } from '../components/catalog.ts';
import { InventoryError } from '../inventory/errors.ts';
import { parseInventory } from '../inventory/parse-inventory.ts';
import { didYouMean } from '../inventory/suggest.ts';
import { CliError, ExitCode } from '../lib/exit-codes.ts';
import type { Io } from '../lib/io.ts';
import { APPS_DIR, CLUSTERS_FILE } from '../lib/layout.ts';
import { parseCliArgs } from '../lib/parse-cli-args.ts';
import { cliMain, isEntryPoint, runMain } from '../lib/run-main.ts';
import type { Fleet } from '../model/fleet.ts';
import { readPreviousAppSets } from '../pipeline/read-previous-appsets.ts';
import { checkRemovalsBetween } from '../pipeline/removal-guard.ts';
import { renderFleet } from '../render/render-fleet.ts';
import { applyEdits, loadCurrent } from '../scaffold/inventory-edits.ts';
import { describeRemoval, lastClusterDependents, planRemoval, withoutCluster } from '../scaffold/remove-cluster.ts';
import { helpFor, usageFor } from './commands.ts';
import { main as gen } from './gen.ts';

const USAGE = usageFor('retire');

/** Every generated file of a fleet, as `pnpm gen` renders it (generate.ts, from a parsed model). */
const render = (fleet: Fleet): Array<{ path: string; content: string }> => {
  const all = [...COMPONENTS, ...componentsFor(fleet).filter((c) => !COMPONENTS.includes(c))];
  return renderFleet(fleet, all).map((f) => ({ path: f.path, content: f.content }));
};

const run = async (argv: string[], io: Io): Promise<number> => {
  const { values, positionals } = parseCliArgs(
    {
      args: argv,
      allowPositionals: true,
      options: {
        'dry-run': { type: 'boolean', default: false },
        yes: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
        root: { type: 'string', default: '.' },
      },
    },
    USAGE,
  );
  if (values.help) {
    io.stdout(helpFor('retire'));
    return ExitCode.Ok;
  }
  if (positionals[0] !== 'cluster' || positionals.length !== 2) throw new CliError(USAGE, ExitCode.BadInput);
  if (values['dry-run'] && values.yes) throw new CliError(`--dry-run and --yes exclude each other\n${USAGE}`, ExitCode.BadInput);
  const name = positionals[1]!;
  const root = resolve(values.root);
  const { inventoryDir, catalog, sources, fleet } = await loadCurrent(root);
  if (!fleet.clusters.some((c) => c.name === name)) {
    throw new CliError(`no cluster "${name}" in ${CLUSTERS_FILE}${didYouMean(name, fleet.clusters.map((c) => c.name))}\nnothing was written`, ExitCode.BadInput);
  }
  const dependents = lastClusterDependents(fleet, name);
  if (dependents.length > 0) {
    const env = fleet.clusters.find((c) => c.name === name)!.environment;
    throw new CliError(
      [
        `refusing to remove ${name}: it is the last cluster of environment ${env}, and the inventory still depends on ${env}:`,
        ...dependents.map((d) => `  - ${d}`),
        `Add another ${env} cluster first (pnpm new cluster NAME --like ${name}), or retire environment ${env} by hand`,
        `(re-point promotesTo, remove inventory/environments/${env}.yaml and this cluster in one change, then pnpm gen).`,
        'nothing was written',
      ].join('\n'),
      ExitCode.Precondition,
    );
  }
  const clustersSource = sources.find((s) => s.file.endsWith(`/${CLUSTERS_FILE}`))!;
  const edited = withoutCluster(clustersSource.text, name);
  if (edited === undefined) throw new CliError(`no entry named ${name} in ${clustersSource.file}\nnothing was written`, ExitCode.BadInput);
  let after: Fleet;
  try {
    after = parseInventory(sources.map((s) => (s === clustersSource ? { ...s, text: edited } : s)), catalog);
  } catch (e) {
    // Something else names the cluster (a policy exemption, a placement): the loader says where.
    if (e instanceof InventoryError) throw new CliError(`other inventory settings name ${name}; change them first:\n${e.message}\nnothing was written`, ExitCode.BadInput);
    throw e;
  }
  const afterFiles = render(after);
  const plan = planRemoval({ fleet, name, before: render(fleet), after: afterFiles, appsDir: APPS_DIR });
  // What `pnpm gen` will compare: the ApplicationSets on disk. They must lose exactly this cluster's Applications,
  // or --allow-removal would wave through (or trip on) changes this command did not plan.
  const onDisk = checkRemovalsBetween(
    await readPreviousAppSets(root),
    afterFiles.filter((f) => f.path.startsWith(`${APPS_DIR}/`) && f.path.endsWith('.yaml')),
    [],
  );
  const planned = new Set(plan.applications.map((a) => a.name));
  const unplanned = onDisk.removed.filter((a) => !planned.has(a.name));
  if (unplanned.length > 0) {
    throw new CliError(
      `the generated tree is not current: it also holds Applications the inventory no longer produces (${unplanned.map((a) => a.name).join(', ')}).\n` +
        'Run `pnpm gen` (or `pnpm gen --check` to see why) so that this removal is the only change, then run this again.\nnothing was written',
      ExitCode.Precondition,
    );
  }
  io.stdout(describeRemoval(plan, fleet.argocd.clusterSecretPrefix));
  if (values['dry-run']) {
    io.stdout('dry run: nothing was written\n');
    return ExitCode.Ok;
  }
  if (!values.yes) {
    io.stderr(`re-run with --yes to remove ${name}: pnpm retire cluster ${name} --yes\nnothing was written\n`);
    return ExitCode.Precondition;
  }
  const allow = onDisk.removed.flatMap((a) => ['--allow-removal', a.name]);
  const code = await applyEdits(root, inventoryDir, sources, new Map([[clustersSource.file, edited]]), catalog, io, gen, allow);
  if (code === ExitCode.Ok) io.stdout(`removed ${name}; commit inventory/ and the regenerated files, then follow the Argo CD steps above after the merge\n`);
  return code;
};

export const main = cliMain(run);

if (isEntryPoint(import.meta.url)) runMain(main);
