// `pnpm new cluster <name> --env <env> --region <region> [--capability gpu,mesh] [--stacks a,b]
//   [--domain D] [--storage-class SC] [--load-balancer LB]`
// Adds the inventory entry (comment-preserving edit), validates the whole inventory with the loader — same
// messages as a hand edit, nothing written on error — then regenerates and prints what changed.
import { readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { catalogEntries } from '../components/catalog.ts';
import { InventoryError } from '../inventory/errors.ts';
import { parseInventory } from '../inventory/parse-inventory.ts';
import { readInventorySources } from '../inventory/read-inventory.ts';
import { CAPABILITIES, LOAD_BALANCERS, STACKS, type Capability, type LoadBalancerFlavour, type StackName } from '../inventory/schema.ts';
import { CliError, ExitCode } from '../lib/exit-codes.ts';
import type { Io } from '../lib/io.ts';
import { CLUSTERS_FILE, INVENTORY_DIR } from '../lib/layout.ts';
import { cliMain, isEntryPoint, runMain } from '../lib/run-main.ts';
import { appendCluster, resolveCluster } from '../scaffold/add-cluster.ts';
import { main as gen } from './gen.ts';

const USAGE = `usage: pnpm new cluster <name> --env ENV --region REGION [--capability gpu,mesh] [--stacks a,b]
                       [--domain DOMAIN] [--storage-class SC] [--load-balancer ${LOAD_BALANCERS.join('|')}] [--root DIR]
Unset options are taken from the clusters of the same environment.`;

const csv = <T extends string>(value: string | undefined, allowed: readonly T[], flag: string): T[] | undefined => {
  if (value === undefined) return undefined;
  const items = value.split(',').map((s) => s.trim()).filter(Boolean);
  const bad = items.filter((i) => !(allowed as readonly string[]).includes(i));
  if (bad.length > 0) throw new CliError(`${flag}: expected any of ${allowed.join(', ')}, found ${bad.map((b) => `"${b}"`).join(', ')}`, ExitCode.BadInput);
  return items as T[];
};

const run = async (argv: string[], io: Io): Promise<number> => {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: true,
      options: {
        env: { type: 'string' },
        region: { type: 'string' },
        capability: { type: 'string' },
        stacks: { type: 'string' },
        domain: { type: 'string' },
        'storage-class': { type: 'string' },
        'load-balancer': { type: 'string' },
        root: { type: 'string', default: '.' },
      },
    });
  } catch (e) {
    throw new CliError(`${e instanceof Error ? e.message : String(e)}\n${USAGE}`, ExitCode.BadInput);
  }
  const { values, positionals } = parsed;
  if (positionals[0] !== 'cluster' || positionals.length !== 2 || !values.env || !values.region) {
    throw new CliError(USAGE, ExitCode.BadInput);
  }
  const root = resolve(values.root);
  const inventoryDir = join(root, INVENTORY_DIR);
  const catalog = catalogEntries();
  const sources = await readInventorySources(inventoryDir);
  let fleet;
  try {
    fleet = parseInventory(sources, catalog);
  } catch (e) {
    if (e instanceof InventoryError) throw new CliError(`fix the inventory first:\n${e.message}`, ExitCode.BadInput);
    throw e;
  }
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
  // Validate the edited inventory exactly as the loader validates hand edits: duplicates, names, unknown env…
  try {
    parseInventory(sources.map((s) => (s === clustersSource ? { ...s, text: edited } : s)), catalog);
  } catch (e) {
    if (e instanceof InventoryError) throw new CliError(`${[missing, e.message].filter(Boolean).join('\n')}\nnothing was written`, ExitCode.BadInput);
    throw e;
  }
  if (missing) throw new CliError(`${missing}\nnothing was written`, ExitCode.BadInput);
  const clustersPath = join(inventoryDir, CLUSTERS_FILE);
  // Re-read right before writing: refuse to clobber an edit made since we read it.
  if ((await readFile(clustersPath, 'utf8')) !== clustersSource.text) {
    throw new CliError(`${clustersPath} changed while this ran; run again`, ExitCode.Precondition);
  }
  await writeFile(clustersPath, edited);
  io.stdout(`added cluster ${candidate.name} to ${clustersSource.file}\n`);
  const code = await gen(['--inventory', inventoryDir, '--out', root], io);
  if (code !== ExitCode.Ok) {
    await writeFile(clustersPath, clustersSource.text);
    io.stderr(`generation failed; ${clustersSource.file} restored\n`);
  }
  return code;
};

export const main = cliMain(run);

if (isEntryPoint(import.meta.url)) runMain(main);
