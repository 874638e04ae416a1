// `pnpm new cluster <name> [--like PEER] [--env ENV] [--region REGION] [--capability gpu,mesh] [--stacks a,b]
//   [--domain D] [--storage-class SC] [--load-balancer LB] [--dry-run]`
// `pnpm new app <stack>/<name> --image <repository:tag> --port <port> [--public] [--dry-run]`
// `pnpm new service <system>/<name> [--preset P] [--image IMAGE] [--port N] [--public HOST] [--dry-run]`
// Adds the inventory entries (comment-preserving edits), prints the plan, validates the whole inventory with the
// loader — same messages as a hand edit, nothing written on error — then regenerates and prints what changed.
// The help texts live in commands.ts (helpFor).
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { componentsFor } from '../components/catalog.ts';
import { CAPABILITIES, LOAD_BALANCERS, STACKS, type Capability, type LoadBalancerFlavour, type StackName } from '../inventory/schema.ts';
import { CliError, ExitCode } from '../lib/exit-codes.ts';
import type { Io } from '../lib/io.ts';
import { CLUSTERS_FILE, ENVIRONMENTS_DIR, FLEET_FILE, INVENTORY_DIR } from '../lib/layout.ts';
import { parseCliArgs } from '../lib/parse-cli-args.ts';
import { cliMain, isEntryPoint, runMain } from '../lib/run-main.ts';
import { addApp } from '../scaffold/add-app.ts';
import { describePlan, planService, SERVICE_HELP, SERVICE_USAGE } from '../scaffold/add-service.ts';
import { PRESET_CREDENTIALS } from '../components/services/presets/index.ts';
import type { PresetName } from '../inventory/system-schema.ts';
import { describeClusterPlan, planCluster } from '../scaffold/add-cluster.ts';
import { applyEdits, loadCurrent, validateEdits } from '../scaffold/inventory-edits.ts';
import { unifiedDiff } from '../writer/unified-diff.ts';
import { didYouMean } from '../inventory/suggest.ts';
import { helpFor, usageFor } from './commands.ts';
import { main as gen } from './gen.ts';

const USAGE = usageFor('new');

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
        like: { type: 'string' },
        'dry-run': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
        root: { type: 'string', default: '.' },
      },
    },
    USAGE,
  );
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout(helpFor('new'));
    return ExitCode.Ok;
  }
  if (positionals[0] === 'app' && positionals.length === 2) return newApp(positionals[1]!, values, io);
  if (positionals[0] !== 'cluster' || positionals.length !== 2) throw new CliError(USAGE, ExitCode.BadInput);
  const root = resolve(values.root);
  const { inventoryDir, catalog, sources, fleet } = await loadCurrent(root);
  const envs = fleet.environments.map((e) => e.name);
  if (values.env !== undefined && !envs.includes(values.env)) {
    throw new CliError(`--env ${values.env}: no environment "${values.env}" (${ENVIRONMENTS_DIR}/${values.env}.yaml)${didYouMean(values.env, envs)}; environments: ${envs.join(', ')}\nnothing was written`, ExitCode.BadInput);
  }
  const loadBalancer = values['load-balancer'];
  if (loadBalancer !== undefined && !(LOAD_BALANCERS as readonly string[]).includes(loadBalancer)) {
    throw new CliError(`--load-balancer: expected one of ${LOAD_BALANCERS.join(', ')}, found "${loadBalancer}"`, ExitCode.BadInput);
  }
  const clustersSource = sources.find((s) => s.file.endsWith(`/${CLUSTERS_FILE}`));
  if (!clustersSource) throw new CliError(`no ${CLUSTERS_FILE} in ${inventoryDir}`, ExitCode.BadInput);
  const plan = planCluster(clustersSource.text, {
    name: positionals[1]!,
    like: values.like,
    environment: values.env,
    region: values.region,
    capabilities: csv<Capability>(values.capability, CAPABILITIES, '--capability'),
    stacks: csv<StackName>(values.stacks, STACKS, '--stacks'),
    domain: values.domain,
    storageClass: values['storage-class'],
    loadBalancer: loadBalancer as LoadBalancerFlavour | undefined,
  });
  if ('missing' in plan) {
    throw new CliError(`cannot add cluster ${positionals[1]!}; give:\n${plan.missing.map((m) => `  ${m}`).join('\n')}\nnothing was written`, ExitCode.BadInput);
  }
  const edits = new Map([[clustersSource.file, plan.text]]);
  // The loader's verdict before anything is printed as a plan: a bad name or a clash is reported, nothing written.
  validateEdits(sources, edits, catalog);
  io.stdout(describeClusterPlan(plan, values['dry-run']));
  if (values['dry-run']) {
    io.stdout('dry run: nothing was written\n');
    return ExitCode.Ok;
  }
  const code = await applyEdits(root, inventoryDir, sources, edits, catalog, io, gen);
  if (code === ExitCode.Ok) io.stdout(`next: pnpm validate, then commit inventory/ and the regenerated files\n`);
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
  const dryRun = values['dry-run'] === true;
  io.stdout(`${dryRun ? 'would add' : 'adding'} app ${stack}/${name} (image ${edits.imageKey} pinned to "${edits.pin}" in ${[...edits.environments.keys()].join(', ') || 'no environment'})\n`);
  if (dryRun) {
    validateEdits(sources, byFile, catalog);
    const changed = sources.filter((s) => byFile.has(s.file) && byFile.get(s.file) !== s.text);
    for (const s of changed) io.stdout(`${unifiedDiff(s.text, byFile.get(s.file)!, `a/${s.file}`, `b/${s.file}`).join('\n')}\n`);
    io.stdout('dry run: nothing was written\n');
    return ExitCode.Ok;
  }
  return applyEdits(root, inventoryDir, sources, byFile, catalog, io, gen);
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
