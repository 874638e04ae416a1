// `pnpm fleet` views of the default fleet.
import { describe, expect, it } from 'vitest';
import { main } from '../../scripts/cli/fleet.ts';
import { COMPONENTS } from '../../scripts/components/catalog.ts';
import { clusterTable, fleetMermaid, versionTable } from '../../scripts/fleet/fleet-views.ts';
import { captureIo, DEFAULT_INVENTORY, loadFleet } from '../support/fleet.ts';

describe('pnpm fleet', async () => {
  const fleet = await loadFleet(DEFAULT_INVENTORY);

  it('lists every cluster with its stacks', () => {
    const lines = clusterTable(fleet).split('\n');
    expect(lines).toHaveLength(fleet.clusters.length + 1);
    expect(lines.find((l) => l.startsWith('prod-gpu-us-east-1'))).toMatch(/prod\s+us-east-1\s+gpu\s+-\s+yes\s+yes/);
  });

  it('marks versions that differ from the previous environment', () => {
    expect(versionTable(fleet)).toMatch(/ott-auth\s+1\.3\.0\s+1\.3\.0\s+1\.2\.1 \*/);
  });

  it('draws hub → environments → clusters → stacks, with the promotion order', () => {
    const m = fleetMermaid(fleet, COMPONENTS);
    expect(m.startsWith('flowchart LR\n')).toBe(true);
    expect(m).toContain('["prod-gpu-us-east-1<br/>us-east-1<br/>gpu"]');
    // The GPU farm uses managed databases and queues: API and both worker flavours only (placement honours `enabled`).
    expect(m).toContain('c2 --> s2_0["transcoding: 3 apps"]');
    // dev runs Postgres, Redis, RabbitMQ and MinIO in-cluster beside the API and the CPU workers.
    expect(m).toContain('c0 --> s0_1["transcoding: 6 apps"]');
    expect(m).toContain('["monitoring: 5 apps"]');
    expect(m.match(/hub --> c\d+/g)).toHaveLength(fleet.clusters.length);
    expect(m).toContain('env0 -. promote .-> env1');
  });

  it('prints each format and rejects unknown ones', async () => {
    for (const format of ['text', 'markdown', 'mermaid']) {
      const c = captureIo();
      expect(await main(['--format', format, '--inventory', DEFAULT_INVENTORY], c.io)).toBe(0);
      expect(c.out().length).toBeGreaterThan(100);
    }
    expect(await main(['--format', 'svg', '--inventory', DEFAULT_INVENTORY], captureIo().io)).toBe(2);
  });
});
