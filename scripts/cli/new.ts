// `pnpm new cluster <name> --env <env> --region <region> [--capability gpu,mesh] [--stacks a,b]
//   [--domain D] [--storage-class SC] [--load-balancer LB]`
// `pnpm new app <stack>/<name> --image <repository:tag> --port <port> [--public]`
// `pnpm new service <system>/<name> [--preset P] [--image IMAGE] [--port N] [--public HOST] [--dry-run]`
// Adds the inventory entries (comment-preserving edits), validates the whole inventory with the loader — same
// messages as a hand edit, nothing written on error — then regenerates and prints what changed.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
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
import { describePlan, planService, SERVICE_HELP, SERVICE_USAGE } from '../scaffold/add-service.ts';
import { PRESET_CREDENTIALS } from '../components/services/presets/index.ts';
import type { PresetName } from '../inventory/system-schema.ts';
import { appendCluster, resolveCluster } from '../scaffold/add-cluster.ts';
import { main as gen } from './gen.ts';

const USAGE = `usage: pnpm new cluster <name> --env ENV --region REGION [--capability gpu,mesh] [--stacks a,b]
                       [--domain DOMAIN] [--storage-class SC] [--load-balancer ${LOAD_BALANCERS.join('|')}] [--root DIR]
       pnpm new app <stack>/<name> --image REPOSITORY:TAG --port PORT [--public] [--root DIR]
       ${SERVICE_USAGE}
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
  // Its own flags: `--public` takes a host here, where `new app --public` is a switch.
  if (argv[0] === 'service') return newService(argv.slice(1), io);
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

/** The secret-store properties a preset reads from its credentials key, as its module declares them. */
const presetSecretProperties = (preset: PresetName): readonly string[] => PRESET_CREDENTIALS[preset].map((c) => c.property);

const isFsRefusal = (e: unknown): boolean =>
  e instanceof Error && 'code' in e && ['EACCES', 'EPERM', 'EROFS', 'EISDIR', 'ENOTDIR', 'ENOSPC', 'EEXIST'].includes(String(e.code));

/** `pnpm new service`: plan the system file edit (scaffold/add-service.ts), print it, write it unless --dry-run. */
const newService = async (argv: string[], io: Io): Promise<number> => {
  const { values, positionals } = parseCliArgs(
    {
      args: argv,
      allowPositionals: true,
      options: {
        preset: { type: 'string' },
        image: { type: 'string' },
        port: { type: 'string' },
        public: { type: 'string' },
        description: { type: 'string' },
        'dry-run': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
        root: { type: 'string', default: '.' },
      },
    },
    `usage: ${SERVICE_USAGE}`,
  );
  if (values.help) {
    io.stdout(`${SERVICE_HELP}\n`);
    return ExitCode.Ok;
  }
  if (positionals.length !== 1) throw new CliError(`usage: ${SERVICE_USAGE}`, ExitCode.BadInput);
  const root = resolve(values.root);
  const { inventoryDir, catalog, sources, fleet } = await loadCurrent(root);
  const system = positionals[0]!.split('/')[0]!;
  const current = sources.find((s) => s.file.endsWith(`/systems/${system}.yaml`));
  const plan = planService(
    { fleet, builtIn: catalog.map((c) => c.name), systemText: current?.text, secretProperties: presetSecretProperties },
    { spec: positionals[0]!, preset: values.preset, image: values.image, port: values.port, public: values.public, description: values.description },
  );
  if ('error' in plan) throw new CliError(`${plan.error}\nnothing was written`, ExitCode.BadInput);
  const target = join(inventoryDir, plan.file);
  try {
    if (!values['dry-run']) {
      if (current !== undefined && (await readFile(target, 'utf8')) !== current.text) {
        throw new CliError(`${current.file} changed while this ran; run again`, ExitCode.Precondition);
      }
      await mkdir(dirname(target), { recursive: true });
      // A new file is created exclusively: never over one that appeared meanwhile.
      await writeFile(target, plan.text, { flag: current === undefined ? 'wx' : 'w' });
    }
  } catch (e) {
    if (isFsRefusal(e)) throw new CliError(`cannot write ${INVENTORY_DIR}/${plan.file}: ${(e as Error).message}\nnothing was written`, ExitCode.FilesystemRefusal);
    throw e;
  }
  io.stdout(describePlan(plan, values['dry-run']));
  return ExitCode.Ok;
};

export const main = cliMain(run);

if (isEntryPoint(import.meta.url)) runMain(main);
