// Dashboards are code: typed, laid out without overlaps, and refused by the render when a query cannot work.
import { describe, expect, it } from 'vitest';
import { COMPONENTS } from '../../scripts/components/catalog.ts';
import { clusterDashboards, fleetDashboards } from '../../scripts/components/monitoring/grafana.ts';
import { DASHBOARDS, renderDashboard } from '../../scripts/monitoring/dashboards.ts';
import { componentMetrics, isMetricProvided } from '../../scripts/monitoring/promql.ts';
import { DEFAULT_INVENTORY, loadFleet } from '../support/fleet.ts';

const exposed = componentMetrics(COMPONENTS);
const provided = (m: string): boolean => isMetricProvided(m, exposed);

describe('dashboards', () => {
  it.each(DASHBOARDS.map((d) => ({ uid: d.uid, d })))('$uid: unique panel ids, no overlapping panels, one query each at least', ({ d }) => {
    const dash = renderDashboard(d, provided);
    const panels = (dash.panels ?? []) as Array<{ id: number; gridPos: { x: number; y: number; w: number; h: number }; targets: unknown[] }>;
    expect(panels.length).toBeGreaterThan(0);
    expect(new Set(panels.map((p) => p.id)).size).toBe(panels.length);
    const cells = panels.map((p) => `${p.gridPos.x},${p.gridPos.y}`);
    expect(new Set(cells).size).toBe(cells.length);
    for (const p of panels) expect(p.targets.length).toBeGreaterThan(0);
  });

  it('panels disappear where their series do not exist, others stay', () => {
    const transcoding = DASHBOARDS.find((d) => d.uid === 'transcoding')!;
    const titles = (p: (m: string) => boolean): string[] => (renderDashboard(transcoding, p).panels ?? []).map((x) => x.title ?? '');
    expect(titles(provided)).toContain('Queue depth (in-cluster RabbitMQ)');
    expect(titles((m) => provided(m) && !m.startsWith('rabbitmq_'))).not.toContain('Queue depth (in-cluster RabbitMQ)');
    expect(titles((m) => provided(m) && !m.startsWith('rabbitmq_'))).toContain('Jobs in progress');
    expect(titles(() => false)).toEqual([]);
  });

  it.each([
    ['dev-k3d', ['storage-database', 'streaming', 'system-overview', 'transcoding'], ['Postgres connections', 'Queue depth (in-cluster RabbitMQ)'], ['Queue depth seen by KEDA']],
    ['prod-eu-west-1', ['storage-database', 'streaming', 'system-overview', 'transcoding'], ['Queue depth seen by KEDA'], ['Postgres connections', 'Queue depth (in-cluster RabbitMQ)']],
    ['prod-gpu-us-east-1', ['gpu', 'storage-database', 'system-overview', 'transcoding'], ['GPU memory used / free', 'Queue depth seen by KEDA'], ['Active publishers']],
  ])('%s ships the dashboards and panels it has data for', async (name, uids, has, lacks) => {
    const fleet = await loadFleet(DEFAULT_INVENTORY);
    const cluster = fleet.clusters.find((c) => c.name === name)!;
    const environment = fleet.environments.find((e) => e.name === cluster.environment)!;
    const dashboards = clusterDashboards({ fleet, components: COMPONENTS, repository: (i) => i, cluster, environment });
    expect(dashboards.map((d) => d.uid).sort()).toEqual(uids);
    const titles = dashboards.flatMap((d) => (JSON.parse(d.json) as { panels: Array<{ title: string }> }).panels.map((p) => p.title));
    for (const t of has) expect(titles).toContain(t);
    for (const t of lacks) expect(titles).not.toContain(t);
  });

  it('the render refuses dashboards querying metrics no component of the fleet exposes', async () => {
    const fleet = await loadFleet(DEFAULT_INVENTORY);
    const withoutStreaming = COMPONENTS.filter((c) => c.stack !== 'streaming');
    expect(() => fleetDashboards({ fleet, components: withoutStreaming, repository: (i) => i })).toThrow(/dashboard streaming panel "Active publishers": metric xiu_active_publishers/);
  });
});
