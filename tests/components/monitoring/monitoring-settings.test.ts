// Retention and volume size come from the inventory: cluster > environment > fleet > defaults (15d, 50Gi).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { DEFAULT_INVENTORY, loadFleet, removeDir, tempDir } from '../../support/fleet.ts';
import { editedInventory, renderFleetBuilds, type RenderedFleet } from '../../support/rendered.ts';
import { fleetMonitoringSettings } from '../../../scripts/monitoring/settings.ts';

const EMAIL = { to: 'oncall@example.org', from: 'alertmanager@example.org', smarthost: 'smtp.example.org:587' };

/* eslint-disable @typescript-eslint/no-explicit-any -- tests read loosely typed built objects */
let rendered: RenderedFleet;

beforeAll(async () => {
  const listed = parse(await readFile(join(DEFAULT_INVENTORY, 'clusters.yaml'), 'utf8')) as { clusters: Array<{ name: string }> };
  const gpu = listed.clusters.findIndex((c) => c.name === 'prod-gpu-us-east-1');
  rendered = await renderFleetBuilds({
    edits: [
      { file: 'fleet.yaml', path: ['monitoring', 'retention'], value: '10d' },
      { file: 'environments/prod.yaml', path: ['monitoring', 'retention'], value: '30d' },
      { file: 'environments/prod.yaml', path: ['monitoring', 'tracesRetention'], value: '168h' },
      { file: 'clusters.yaml', path: ['clusters', gpu, 'monitoring', 'storageSize'], value: '200Gi' },
    ],
  });
});
afterAll(async () => rendered?.dispose());

const prometheusSpec = (cluster: string): any => rendered.find(cluster, 'monitoring', 'Prometheus', 'prometheus').spec;

describe('monitoring settings precedence', () => {
  it.each([
    { cluster: 'dev-k3d', retention: '10d', size: '50Gi' },
    { cluster: 'staging-eu-west-1', retention: '10d', size: '50Gi' },
    { cluster: 'prod-eu-west-1', retention: '30d', size: '50Gi' },
    { cluster: 'prod-gpu-us-east-1', retention: '30d', size: '200Gi' },
  ])('$cluster: retention $retention, volume $size', ({ cluster, retention, size }) => {
    expect(prometheusSpec(cluster).retention).toBe(retention);
    expect(prometheusSpec(cluster).storage.volumeClaimTemplate.spec.resources.requests.storage).toBe(size);
  });

  it('trace retention reaches the Tempo config and rolls its pod', () => {
    const prod = rendered.find('prod-eu-west-1', 'monitoring', 'ConfigMap', 'tempo-config').data!['tempo.yaml'];
    const dev = rendered.find('dev-k3d', 'monitoring', 'ConfigMap', 'tempo-config').data!['tempo.yaml'];
    expect(prod).toContain('block_retention: 168h');
    expect(dev).toContain('block_retention: 72h');
    const checksum = (c: string): string =>
      (rendered.find(c, 'monitoring', 'StatefulSet', 'tempo').spec as any).template.metadata.annotations['streamfleet.io/config-checksum'];
    expect(checksum('prod-eu-west-1')).not.toBe(checksum('dev-k3d'));
  });
});

describe('monitoring settings validation', () => {
  it.each([
    { file: 'fleet.yaml', path: ['monitoring', 'retention'], value: '15 days' },
    { file: 'environments/dev.yaml', path: ['monitoring', 'storageSize'], value: '50GB' },
    { file: 'fleet.yaml', path: ['monitoring', 'slackChannel'], value: 'alerts' },
    { file: 'environments/dev.yaml', path: ['monitoring', 'slackChannel'], value: '#alerts' },
    // The e-mail receiver: fleet-wide, addresses and host:port checked, known severities only, no password field.
    { file: 'fleet.yaml', path: ['monitoring', 'email', 'to'], value: 'oncall' },
    { file: 'fleet.yaml', path: ['monitoring', 'email', 'smarthost'], value: 'smtp.example.org' },
    { file: 'fleet.yaml', path: ['monitoring', 'email', 'severities'], value: ['info'] },
    { file: 'fleet.yaml', path: ['monitoring', 'email', 'authPassword'], value: 'secret' },
    { file: 'environments/prod.yaml', path: ['monitoring', 'email'], value: EMAIL },
  ])('rejects $file $path = $value', async ({ file, path, value }) => {
    const root = await tempDir('monitoring-settings');
    try {
      // Field edits under `email` start from a valid receiver, so only the edited field is wrong.
      const base = file === 'fleet.yaml' && path[1] === 'email' && path.length > 2 ? [{ file, path: ['monitoring', 'email'], value: EMAIL }] : [];
      const inventory = await editedInventory(root, [...base, { file, path, value }]);
      await expect(loadFleet(inventory)).rejects.toThrow(new RegExp(path[path.length - 1]!));
    } finally {
      await removeDir(root);
    }
  });
});

describe('e-mail receiver setting', () => {
  it('loads from fleet.yaml; severities default to critical and warning', async () => {
    const root = await tempDir('monitoring-email');
    try {
      const inventory = await editedInventory(root, [{ file: 'fleet.yaml', path: ['monitoring', 'email'], value: EMAIL }]);
      const settings = fleetMonitoringSettings(await loadFleet(inventory));
      expect(settings.email).toEqual({ ...EMAIL, severities: ['critical', 'warning'] });
    } finally {
      await removeDir(root);
    }
  });

  it('is absent on the shipped fleet (no e-mail receiver)', async () => {
    expect(fleetMonitoringSettings(await loadFleet(DEFAULT_INVENTORY)).email).toBeUndefined();
  });
});
