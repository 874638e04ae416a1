// docs/services.md stays true: its complete example system loads without issues, and its TypeScript component is
// the compiled, rendered example of tests/docs/example-component.ts.
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogEntries, componentsFor } from '../../scripts/components/catalog.ts';
import { baseContextFor } from '../../scripts/components/placement.ts';
import { InventoryError } from '../../scripts/inventory/errors.ts';
import { parseInventory } from '../../scripts/inventory/parse-inventory.ts';
import { readInventorySources } from '../../scripts/inventory/read-inventory.ts';
import { copyInventory, DEFAULT_INVENTORY, loadFleet, REPO_ROOT, removeDir, SMALL_FLEET_INVENTORY, tempDir } from '../support/fleet.ts';
import { renderFleet } from '../../scripts/render/render-fleet.ts';
import { priceFeed } from './example-component.ts';

const DOC = join(REPO_ROOT, 'docs', 'services.md');
// The complete example moved from the README to docs/concepts/inventory.md ("Systems").
const INVENTORY_DOC = join(REPO_ROOT, 'docs', 'concepts', 'inventory.md');

/** The fenced blocks of a language, in order. */
const blocks = (text: string, lang: string): string[] => [...text.matchAll(new RegExp(`\`\`\`${lang}\\n([\\s\\S]*?)\`\`\`\\n`, 'g'))].map((m) => m[1]!);

describe('docs/services.md', () => {
  let root: string;
  beforeAll(async () => {
    root = await tempDir('services-doc');
  });
  afterAll(async () => removeDir(root));

  it('shows a complete example system that the inventory loads without issues', async () => {
    const example = blocks(await readFile(DOC, 'utf8'), 'yaml').find((b) => b.startsWith('# yaml-language-server'));
    expect(example).toBeDefined();
    const inventory = await copyInventory(DEFAULT_INVENTORY, root);
    // Only the example's system: the shipped systems are tested on their own.
    await rm(join(inventory, 'systems'), { recursive: true, force: true });
    await mkdir(join(inventory, 'systems'));
    await writeFile(join(inventory, 'systems', 'shop.yaml'), example!);
    try {
      const fleet = parseInventory(await readInventorySources(inventory), catalogEntries());
      expect(Object.keys(fleet.systems.find((s) => s.name === 'shop')!.services).sort()).toEqual(['order-worker', 'shop-api', 'shop-cache', 'shop-db']);
    } catch (e) {
      throw e instanceof InventoryError ? new Error(e.message, { cause: e }) : e;
    }
  });

  it('docs/concepts/inventory.md: the complete example system loads and renders once its images are declared and pinned', async () => {
    const example = blocks(await readFile(INVENTORY_DOC, 'utf8'), 'yaml').find((b) => b.startsWith('# inventory/systems/shop.yaml'));
    expect(example).toBeDefined();
    const inventory = await copyInventory(DEFAULT_INVENTORY, join(root, 'readme'));
    await rm(join(inventory, 'systems'), { recursive: true, force: true });
    await mkdir(join(inventory, 'systems'));
    await writeFile(join(inventory, 'systems', 'shop.yaml'), example!);
    // The example's own images, as `pnpm new service` asks for them: declared once, pinned where the system runs.
    const fleetFile = join(inventory, 'fleet.yaml');
    await writeFile(fleetFile, (await readFile(fleetFile, 'utf8')).replace('images:\n', 'images:\n  shop-web: {repository: ghcr.io/acme-media/shop-web}\n  shop-worker: {repository: ghcr.io/acme-media/shop-worker}\n'));
    for (const env of ['dev', 'prod']) {
      const file = join(inventory, 'environments', `${env}.yaml`);
      await writeFile(file, (await readFile(file, 'utf8')).replace('versions:\n', 'versions:\n  shop-web: "1.0.0"\n  shop-worker: "1.0.0"\n'));
    }
    try {
      const fleet = parseInventory(await readInventorySources(inventory), catalogEntries());
      const files = renderFleet(fleet);
      expect(files.some((f) => f.path === 'overlays/prod/shop/worker/worker-scaledobject.yaml')).toBe(true);
      expect(files.some((f) => f.path === 'argocd/projects/shop-appproject.yaml')).toBe(true);
    } catch (e) {
      throw e instanceof InventoryError ? new Error(e.message, { cause: e }) : e;
    }
  });

  it('shows the example component exactly as it is compiled', async () => {
    const source = await readFile(join(REPO_ROOT, 'tests', 'docs', 'example-component.ts'), 'utf8');
    const code = source.slice(source.indexOf('import type'));
    expect(blocks(await readFile(DOC, 'utf8'), 'ts')).toContain(code);
  });

  it('renders the example component hardened, with its init container', async () => {
    const loaded = await loadFleet(SMALL_FLEET_INVENTORY);
    // Step 3 of the page: the component's image is declared in fleet.yaml.
    const fleet = { ...loaded, images: { ...loaded.images, 'price-feed': { repository: 'ghcr.io/acme-media/price-feed' } } };
    const objects = priceFeed.base(baseContextFor(fleet, [...componentsFor(fleet), priceFeed]));
    expect(objects.map((o) => o.kind)).toEqual(['Deployment', 'Service', 'PodDisruptionBudget', 'NetworkPolicy']);
    const pod = (objects[0] as unknown as { spec: { template: { spec: { initContainers: Array<{ name: string; securityContext: { runAsNonRoot: boolean } }>; securityContext: { runAsNonRoot: boolean } } } } }).spec.template.spec;
    expect(pod.initContainers.map((c) => c.name)).toEqual(['migrate']);
    expect(pod.initContainers[0]!.securityContext.runAsNonRoot).toBe(true);
    expect(pod.securityContext.runAsNonRoot).toBe(true);
    expect(objects.every((o) => o.metadata.namespace === 'shop')).toBe(true);
  });
});
