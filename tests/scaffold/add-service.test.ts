// `pnpm new service`: adds a service to a system file (created when absent) as a comment-preserving edit, from a
// preset or as a plain HTTP service; the result loads without issues; --dry-run and refusals write nothing.
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main as newCmd } from '../../scripts/cli/new.ts';
import { catalogEntries } from '../../scripts/components/catalog.ts';
import { InventoryError } from '../../scripts/inventory/errors.ts';
import { parseInventory } from '../../scripts/inventory/parse-inventory.ts';
import { readInventorySources } from '../../scripts/inventory/read-inventory.ts';
import { PRESETS, type PresetName } from '../../scripts/inventory/system-schema.ts';
import type { Fleet } from '../../scripts/model/fleet.ts';
import { describePlan, planService, SYSTEM_MODELINE } from '../../scripts/scaffold/add-service.ts';
import { PRESET_CREDENTIALS } from '../../scripts/components/services/presets/index.ts';
import { captureIo, copyInventory, DEFAULT_INVENTORY, removeDir, snapshotTree, tempDir } from '../support/fleet.ts';

/** A small system of our own (the shipped ones change as the fleet grows), with comments that must survive. */
const SHOP = `${SYSTEM_MODELINE}
# The shop: storefront API. Comments stay where they are.
schemaVersion: 1
description: Online shop
services:
  # The public storefront.
  storefront:
    image: api-service # reuses the API image
    ports:
      - { name: http, port: 8080 }
    probes:
      readiness: { http: { path: /health/ready, port: http } }
    replicas: 2
# Trailing note about the shop.
`;

let root: string;
let inventory: string;

beforeEach(async () => {
  root = await tempDir('new-service');
  inventory = await copyInventory(DEFAULT_INVENTORY, root);
  await rm(join(inventory, 'systems'), { recursive: true, force: true });
  await mkdir(join(inventory, 'systems'));
  await writeFile(join(inventory, 'systems', 'shop.yaml'), SHOP);
});
afterEach(async () => removeDir(root));

const run = async (...argv: string[]): Promise<{ code: number; out: string; err: string }> => {
  const c = captureIo();
  const code = await newCmd(['service', ...argv, '--root', root], c.io);
  return { code, out: c.out(), err: c.err() };
};

/** The inventory parsed as the loader does; any issue fails with the loader's own messages. */
const load = async (): Promise<Fleet> => {
  try {
    return parseInventory(await readInventorySources(inventory), catalogEntries());
  } catch (e) {
    if (e instanceof InventoryError) throw new Error(e.message, { cause: e });
    throw e;
  }
};

const systemFile = (name: string): Promise<string> => readFile(join(inventory, 'systems', `${name}.yaml`), 'utf8');

/** Declare a fleet image (as `pnpm new app` would) and pin it in every environment. */
const declareImage = async (name: string): Promise<void> => {
  const fleetPath = join(inventory, 'fleet.yaml');
  const fleet = await readFile(fleetPath, 'utf8');
  await writeFile(fleetPath, fleet.replace(/^images:\n/m, `images:\n  ${name}:\n    repository: ghcr.io/acme-media/${name}\n`));
  for (const env of ['dev', 'staging', 'prod']) {
    const path = join(inventory, 'environments', `${env}.yaml`);
    const text = await readFile(path, 'utf8');
    await writeFile(path, text.replace(/^versions:\n/m, `versions:\n  ${name}: "1.0.0"\n`));
  }
};

describe('pnpm new service', () => {
  it('starts from an inventory that loads', async () => {
    const fleet = await load();
    expect(fleet.systems.map((s) => s.name)).toEqual(['shop']);
  });

  it('adds a plain service to an existing system, keeping every byte of the file, and it loads', async () => {
    const r = await run('shop/checkout', '--image', 'api-service', '--port', '9000', '--public', 'checkout.{domain}');
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('edit inventory/systems/shop.yaml: services.checkout');
    expect(r.out).toContain('pnpm gen');
    const after = await systemFile('shop');
    // Only an insertion: the original text is a prefix-and-suffix of the new one, comments included.
    const at = after.indexOf('  checkout:\n');
    expect(at).toBeGreaterThan(0);
    const inserted = after.slice(at, at + after.length - SHOP.length);
    expect(after.replace(inserted, '')).toBe(SHOP);
    expect(inserted).toContain('port: 9000');
    expect(inserted).toContain('path: /health/ready');
    expect(inserted).toContain('path: /health\n');
    expect(inserted).toContain('replicas: 2');
    expect(inserted).toContain('host: checkout.{domain}');
    const fleet = await load();
    const checkout = fleet.systems.find((s) => s.name === 'shop')!.services.checkout!;
    expect(checkout.ports).toEqual([{ name: 'http', port: 9000 }]);
    expect(checkout.probes?.liveness?.http).toEqual({ path: '/health', port: 'http' });
    expect(checkout.expose?.public?.host).toBe('checkout.{domain}');
  });

  it('creates a new system file with the modeline; an undeclared image is a step to do, and then it loads', async () => {
    const r = await run('billing/invoices', '--image', 'invoices', '--description', 'Invoicing');
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('create inventory/systems/billing.yaml: services.invoices');
    expect(r.out).toMatch(/declare image "invoices" under images in inventory\/fleet\.yaml/);
    const text = await systemFile('billing');
    expect(text.split('\n')[0]).toBe('# yaml-language-server: $schema=../schema/system.schema.json');
    expect(text).toContain('description: "Invoicing"');
    await expect(load()).rejects.toThrow(/invoices/);
    await declareImage('invoices');
    const fleet = await load();
    expect(fleet.systems.find((s) => s.name === 'billing')?.services.invoices?.image).toBe('invoices');
  });

  it('gives a new system a true description when none is given', async () => {
    expect((await run('search/indexer', '--image', 'api-service')).code).toBe(0);
    expect(await systemFile('search')).toContain('description: "Services of search"');
  });

  it('writes nothing with --dry-run, and prints the same plan', async () => {
    const before = await snapshotTree(root);
    const r = await run('billing/invoices', '--image', 'api-service', '--dry-run');
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('would add');
    expect(r.out).toContain('create inventory/systems/billing.yaml');
    expect(r.out).toContain('nothing was written');
    expect(await snapshotTree(root)).toEqual(before);
  });

  it.each([
    ['a clash with a service of a system', ['shop/storefront', '--image', 'api-service'], /"storefront" is already a service of .*shop\.yaml/],
    ['a clash with a built-in component', ['shop/edge-cache', '--image', 'api-service'], /"edge-cache" is already a built-in component/],
    ['an unknown preset', ['shop/db', '--preset', 'mysql'], /--preset: expected one of postgres, redis, nats, minio, rabbitmq, found "mysql"/],
    ['a bad service name', ['shop/Db_1', '--image', 'api-service'], /DNS-1035/],
    ['a bad system name', ['Shop/db', '--image', 'api-service'], /DNS-1035/],
    ['a built-in stack as system', ['streaming/db', '--image', 'api-service'], /built-in stack/],
    ['a missing image', ['shop/web'], /needs --image/],
    ['a privileged port', ['shop/web', '--image', 'api-service', '--port', '80'], /1024–65535/],
    ['a bad public host', ['shop/web', '--image', 'api-service', '--public', 'Not A Host'], /services\.web\.expose\.public\.host/],
    ['a port on a preset', ['shop/db', '--preset', 'postgres', '--port', '5432'], /brings its own ports/],
    ['a description for an existing system', ['shop/web', '--image', 'api-service', '--description', 'x'], /exists/],
    ['no name', ['shop', '--image', 'api-service'], /expected <system>\/<name>/],
  ])('refuses %s with exit 2 and writes nothing', async (_, args, message) => {
    const before = await snapshotTree(root);
    const r = await run(...args);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
    expect(await snapshotTree(root)).toEqual(before);
  });

  it('refuses to write where the file system says no, with exit 3', async () => {
    // `systems` is a file: the folder for a new system file cannot be created.
    await rm(join(inventory, 'systems'), { recursive: true, force: true });
    await writeFile(join(inventory, 'systems'), 'not a folder\n');
    const r = await run('billing/invoices', '--image', 'api-service');
    expect(r.code, r.err).toBe(3);
    expect(r.err).toContain('nothing was written');
  });

  it('prints its help with exit 0', async () => {
    const c = captureIo();
    expect(await newCmd(['service', '--help'], c.io)).toBe(0);
    expect(c.out()).toContain('pnpm new service <system>/<name>');
  });
});

describe('pnpm new service with presets', () => {
  const properties = (p: PresetName): readonly string[] => PRESET_CREDENTIALS[p].map((c) => c.property);

  it.each(PRESETS.map((p) => [p]))('writes a minimal %s spec and names the secret-store properties to create', async (preset) => {
    const fleet = await load();
    const plan = planService({ fleet, builtIn: catalogEntries().map((c) => c.name), systemText: SHOP, secretProperties: properties }, { spec: `shop/${preset}-main`, preset });
    if ('error' in plan) throw new Error(plan.error);
    const needsSecret = properties(preset).length > 0;
    expect(plan.service).toEqual({ preset, ...(needsSecret ? { credentials: { key: `shop/${preset}-main` } } : {}) });
    const out = describePlan(plan, false);
    if (needsSecret) expect(out).toContain(`create secret-store key "shop/${preset}-main" with properties ${properties(preset).join(', ')}`);
    else expect(out).not.toContain('secret-store');
  });

  it('adds two postgres services to one system; their images are declared and pinned, and the result loads', async () => {
    const first = await run('shop/orders-db', '--preset', 'postgres');
    expect(first.code, first.err).toBe(0);
    expect(first.out).toContain('create secret-store key "shop/orders-db" with properties username, password');
    expect(first.out).not.toMatch(/declare image|pin image/);
    expect((await run('shop/ledger-db', '--preset', 'postgres')).code).toBe(0);
    const shop = (await load()).systems.find((s) => s.name === 'shop')!;
    expect(shop.services['orders-db']).toEqual({ preset: 'postgres', credentials: { key: 'shop/orders-db' } });
    expect(Object.keys(shop.services).sort()).toEqual(['ledger-db', 'orders-db', 'storefront']);
    expect(await systemFile('shop')).toContain('# Trailing note about the shop.\n');
  });

  it('refuses a public route on a preset', async () => {
    const r = await run('shop/db', '--preset', 'postgres', '--public', 'db.{domain}');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/internal/);
  });
});
