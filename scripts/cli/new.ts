// `pnpm new cluster <name> --env <env> --region <region> [--capability gpu,mesh] [--stacks a,b]
//   [--domain D] [--storage-class SC] [--load-balancer LB]`
// `pnpm new app <stack>/<name> --image <repository:tag> --port <port> [--public]`
// Adds the inventory entries (comment-preserving edits), validates the whole inventory with the loader — same
// messages as a hand edit, nothing written on error — then regenerates and prints what changed.
import { readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { catalogEntries, componentsFor } from '../components/catalog.ts';
import { InventoryError } from '../inventory/errors.ts';
import { parseInventory, type InventorySource } from '../inventory/parse-inventory.ts';
import { readInventorySources } from '../inventory/read-inventory.ts';
import { CAPABILITIES, LOAD_BALANCERS, STACKS, type Capability, type LoadBalancerFlavour, type StackName } from '../inventory/schema.ts';
import { CliError, ExitCode } from '../lib/exit-codes.ts';
import type { Io } from '../lib/io.ts';
import { CLUSTERS_FILE, ENVIRONMENTS_DIR, FLEET_FILE, INVENTORY_DIR } from '../lib/layout.ts';
import type { CatalogEntry, Fleet } from '../model/fleet.ts';
import { parseCliArgs } from '../lib/parse-cli-args.ts';
import { cliMain, isEntryPoint, runMain } from '../lib/run-main.ts';
import { addApp } from '../scaffold/add-app.ts';
import { appendCluster, resolveCluster } from '../scaffold/add-cluster.ts';
import { main as gen } from './gen.ts';

const USAGE = `usage: pnpm new cluster <name> --env ENV --region REGION [--capability gpu,mesh] [--stacks a,b]
                       [--domain DOMAIN] [--storage-class SC] [--load-balancer ${LOAD_BALANCERS.join('|')}] [--root DIR]
       pnpm new app <stack>/<name> --image REPOSITORY:TAG --port PORT [--public] [--root DIR]
Unset cluster options are taken from the clusters of the same environment. An app's tag is pinned in every
environment that runs its stack; promote it like any other.`;

const csv = <T extends string>(value: string | undefined, allowed: readonly T[], flag: string): T[] | undefined => {
  if (value === undefined) return undefined;
  const items = value.split(',').map((s) => s.trim()).filter(Boolean);
  const bad = items.filter((i) => !(allowed as readonly string[]).includes(i));
  if (bad.length > 0) throw new CliError(`${flag}: expected any of ${allowed.join(', ')}, found ${bad.map((b) => `"${b}"`).join(', ')}`, ExitCode.BadInput);
  return items as T[];
};

const run = async (argv: string[], io: Io): Promise<number> => {
  const parsed = parseCliArgs(
    {
      args: argv,
      allowPositionals: true,
      options: {
        env: { type: 'string' },
        region: { type: 'string' },
        capability: { type: 'string' },
        stacks: { type: 'string' },
        domain: { type: 'string' },
        'storage-class': { type: 'string' },
        'load-balancer': { type: 'string' },
        image: { type: 'string' },
        port: { type: 'string' },
        public: { type: 'boolean', default: false },
        root: { type: 'string', default: '.' },
      },
    },
    USAGE,
  );
  const { values, positionals } = parsed;
  if (positionals[0] === 'app' && positionals.length === 2) return newApp(positionals[1]!, values, io);
  if (positionals[0] !== 'cluster' || positionals.length !== 2 || !values.env || !values.region) {
    throw new CliError(USAGE, ExitCode.BadInput);
  }
  const root = resolve(values.root);
  const { inventoryDir, catalog, sources, fleet } = await loadCurrent(root);
  const loadBalancer = values['load-balancer'];
  if (loadBalancer !== undefined && !(LOAD_BALANCERS as readonly string[]).includes(loadBalancer)) {
    throw new CliError(`--load-balancer: expected one of ${LOAD_BALANCERS.join(', ')}, found "${loadBalancer}"`, ExitCode.BadInput);
  }
  const resolved = resolveCluster(fleet, {
    name: positionals[1]!,
    environment: values.env,
    region: values.region,
    capabilities: csv<Capability>(values.capability, CAPABILITIES, '--capability'),
    stacks: csv<StackName>(values.stacks, STACKS, '--stacks'),
    domain: values.domain,
    storageClass: values['storage-class'],
    loadBalancer: loadBalancer as LoadBalancerFlavour | undefined,
  });
  const clustersSource = sources.find((s) => s.file.endsWith(`/${CLUSTERS_FILE}`));
  if (!clustersSource) throw new CliError(`no ${CLUSTERS_FILE} in ${inventoryDir}`, ExitCode.BadInput);
  const missing = 'missing' in resolved ? `no cluster to copy defaults from; give ${resolved.missing.join(', ')}` : '';
  // With options missing, validate a stand-in entry anyway so that a bad name or environment is reported too.
  const candidate = 'missing' in resolved
    ? { name: positionals[1]!, environment: values.env, region: values.region, destination: { name: positionals[1]! }, domain: 'missing.invalid', storageClass: 'missing', loadBalancer: 'klipper', stacks: [...STACKS] }
    : resolved;
  const edited = appendCluster(clustersSource.text, candidate);
  if (missing) {
    // Still validate, so that a bad name or environment is reported along with the missing options.
    validateEdits(sources, new Map([[clustersSource.file, edited]]), catalog, missing);
    throw new CliError(`${missing}\nnothing was written`, ExitCode.BadInput);
  }
  io.stdout(`adding cluster ${candidate.name} to ${clustersSource.file}\n`);
  return applyEdits(root, inventoryDir, sources, new Map([[clustersSource.file, edited]]), catalog, io);
};

/** The inventory as it is now; scaffolding refuses to build on an inventory that is already broken. */
const loadCurrent = async (
  root: string,
): Promise<{ inventoryDir: string; catalog: CatalogEntry[]; sources: InventorySource[]; fleet: Fleet }> => {
  const inventoryDir = join(root, INVENTORY_DIR);
  const catalog = catalogEntries();
  const sources = await readInventorySources(inventoryDir);
  try {
    return { inventoryDir, catalog, sources, fleet: parseInventory(sources, catalog) };
  } catch (e) {
    if (e instanceof InventoryError) throw new CliError(`fix the inventory first:\n${e.message}`, ExitCode.BadInput);
    throw e;
  }
};

/** Parse the inventory with the edited texts; any issue → exit 2 with the loader's messages, nothing written. */
const validateEdits = (
  sources: readonly InventorySource[],
  edits: ReadonlyMap<string, string>,
  catalog: readonly CatalogEntry[],
  prefix = '',
): void => {
  try {
    parseInventory(sources.map((s) => ({ ...s, text: edits.get(s.file) ?? s.text })), catalog);
  } catch (e) {
    if (e instanceof InventoryError) throw new CliError(`${[prefix, e.message].filter(Boolean).join('\n')}\nnothing was written`, ExitCode.BadInput);
    throw e;
  }
};

/** Validate, write the edited inventory files (refusing if they changed meanwhile), regenerate; undo on failure. */
const applyEdits = async (
  root: string,
  inventoryDir: string,
  sources: readonly InventorySource[],
  edits: ReadonlyMap<string, string>,
  catalog: readonly CatalogEntry[],
  io: Io,
): Promise<number> => {
  validateEdits(sources, edits, catalog);
  // Source names are display paths; the file inside the inventory folder is its last one or two segments.
  const inInventory = (file: string): string => {
    const parts = file.split('/');
    return parts.at(-2) === ENVIRONMENTS_DIR ? join(ENVIRONMENTS_DIR, parts.at(-1)!) : parts.at(-1)!;
  };
  const targets = sources.filter((s) => edits.has(s.file)).map((s) => ({ source: s, abs: join(inventoryDir, inInventory(s.file)) }));
  for (const t of targets) {
    if ((await readFile(t.abs, 'utf8')) !== t.source.text) {
      throw new CliError(`${t.source.file} changed while this ran; run again`, ExitCode.Precondition);
    }
  }
  for (const t of targets) await writeFile(t.abs, edits.get(t.source.file)!);
  io.stdout(`edited ${targets.map((t) => t.source.file).join(', ')}\n`);
  const code = await gen(['--inventory', inventoryDir, '--out', root], io);
  if (code !== ExitCode.Ok) {
    for (const t of targets) await writeFile(t.abs, t.source.text);
    io.stderr('generation failed; the inventory files were restored\n');
  }
  return code;
};

const newApp = async (spec: string, values: Record<string, string | boolean | undefined>, io: Io): Promise<number> => {
  const [stack, name, ...rest] = spec.split('/');
  if (!stack || !name || rest.length > 0 || !(STACKS as readonly string[]).includes(stack)) {
    throw new CliError(`expected <stack>/<name> with a stack of ${STACKS.join(', ')}, found "${spec}"\n${USAGE}`, ExitCode.BadInput);
  }
  const port = Number(values.port);
  if (typeof values.image !== 'string' || !Number.isInteger(port)) throw new CliError(`--image and --port are required\n${USAGE}`, ExitCode.BadInput);
  const root = resolve(String(values.root ?? '.'));
  const { inventoryDir, catalog, sources, fleet } = await loadCurrent(root);
  const fleetSource = sources.find((s) => s.file.endsWith(`/${FLEET_FILE}`))!;
  const envSources = new Map(sources.filter((s) => s.file.includes(`/${ENVIRONMENTS_DIR}/`)).map((s) => [s.file.split('/').pop()!.replace(/\.yaml$/, ''), s]));
  const edits = addApp(
    fleet,
    { fleet: fleetSource.text, environments: new Map([...envSources].map(([env, s]) => [env, s.text])) },
    { stack: stack as StackName, name, image: values.image, port, public: values.public === true },
  );
  if ('error' in edits) throw new CliError(edits.error, ExitCode.BadInput);
  if (componentsFor(fleet).some((c) => c.name === name)) {
    throw new CliError(`app "${name}" exists already\nnothing was written`, ExitCode.BadInput);
  }
  const byFile = new Map<string, string>([[fleetSource.file, edits.fleet]]);
  for (const [env, text] of edits.environments) byFile.set(envSources.get(env)!.file, text);
  io.stdout(`adding app ${stack}/${name} (image ${edits.imageKey} pinned to "${edits.pin}" in ${[...edits.environments.keys()].join(', ') || 'no environment'})\n`);
  return applyEdits(root, inventoryDir, sources, byFile, catalog, io);
};

export const main = cliMain(run);

if (isEntryPoint(import.meta.url)) runMain(main);
