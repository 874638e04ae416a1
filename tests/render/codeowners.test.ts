// CODEOWNERS from the inventory: GitHub picks the last matching line, so check who owns real paths.
import { describe, expect, it } from 'vitest';
import { InventoryError } from '../../scripts/inventory/errors.ts';
import { renderCodeowners } from '../../scripts/render/render-codeowners.ts';
import { renderFleet } from '../../scripts/render/render-fleet.ts';
import { DEFAULT_INVENTORY, loadFleet } from '../support/fleet.ts';
import { parseInventory } from '../../scripts/inventory/parse-inventory.ts';
import { readInventorySources } from '../../scripts/inventory/read-inventory.ts';
import { catalogEntries } from '../../scripts/components/catalog.ts';

/** CODEOWNERS pattern semantics for the forms we emit: anchored, `*` within one segment, trailing `/` = folder. */
const matches = (pattern: string, path: string): boolean => {
  if (pattern === '*') return true;
  const body = pattern.replace(/^\//, '');
  const re = body
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('[^/]*');
  return new RegExp(`^${re}${body.endsWith('/') ? '' : '$'}`).test(path);
};

const ownersOf = (codeowners: string, path: string): string[] => {
  let owners: string[] = [];
  for (const line of codeowners.split('\n')) {
    if (line.trim() === '' || line.startsWith('#')) continue;
    const [pattern, ...who] = line.trim().split(/\s+/);
    if (matches(pattern!, path)) owners = who;
  }
  return owners;
};

describe('CODEOWNERS', async () => {
  const fleet = await loadFleet(DEFAULT_INVENTORY);
  const [file] = renderCodeowners(fleet);

  it('is part of the generated tree', () => {
    expect(renderFleet(fleet).some((f) => f.path === '.github/CODEOWNERS')).toBe(true);
  });

  it.each([
    ['clusters/dev-k3d/streaming/kustomization.yaml', ['@acme-media/streaming', '@acme-media/platform']],
    ['overlays/staging/transcoding/transcode-api/kustomization.yaml', ['@acme-media/transcoding', '@acme-media/platform']],
    ['base/monitoring/prometheus/prometheus-prometheus.yaml', ['@acme-media/sre', '@acme-media/platform']],
    ['clusters/prod-eu-west-1/streaming/kustomization.yaml', ['@acme-media/platform']],
    ['overlays/prod/streaming/rtmp-origin/kustomization.yaml', ['@acme-media/platform']],
    ['inventory/environments/prod.yaml', ['@acme-media/platform']],
    ['inventory/environments/dev.yaml', ['@acme-media/streaming', '@acme-media/transcoding', '@acme-media/sre', '@acme-media/api-platform', '@acme-media/platform']],
    // A system's team (its file's `owners`) owns the file and its stack's paths outside protected environments.
    ['inventory/systems/api-platform.yaml', ['@acme-media/api-platform', '@acme-media/platform']],
    ['overlays/staging/api-platform/api-service/kustomization.yaml', ['@acme-media/api-platform', '@acme-media/platform']],
    ['clusters/dev-k3d/api-platform/kustomization.yaml', ['@acme-media/api-platform', '@acme-media/platform']],
    ['overlays/prod/api-platform/api-service/kustomization.yaml', ['@acme-media/platform']],
    ['apps/streaming-prod-applicationset.yaml', ['@acme-media/platform']],
    ['README.md', ['@acme-media/platform']],
  ])('%s is owned by %j', (path, owners) => {
    expect(ownersOf(file!.content, path)).toEqual(owners);
  });

  it('rejects a protected environment that does not exist, naming file, line and field', async () => {
    const sources = await readInventorySources(DEFAULT_INVENTORY, 'inventory');
    const edited = sources.map((s) => (s.file.endsWith('fleet.yaml') ? { ...s, text: s.text.replace('protectedEnvironments: [prod]', 'protectedEnvironments: [prd]') } : s));
    try {
      parseInventory(edited, catalogEntries());
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(InventoryError);
      expect((e as InventoryError).message).toMatch(/inventory\/fleet\.yaml:\d+:\d+ owners\.protectedEnvironments\[0\]: .*found "prd" \(did you mean "prod"\?\)/);
    }
  });
});
