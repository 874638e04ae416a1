// Dashboards are code: typed, laid out without overlaps, and refused by the render when a query cannot work.
import { describe, expect, it } from 'vitest';
import { COMPONENTS } from '../../scripts/components/catalog.ts';
import { fleetDashboards } from '../../scripts/components/monitoring/grafana.ts';
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

  it('optional panels disappear when no component exposes their metrics, others stay', () => {
    const transcoding = DASHBOARDS.find((d) => d.uid === 'transcoding')!;
    const titles = (p: (m: string) => boolean): string[] => (renderDashboard(transcoding, p).panels ?? []).map((x) => x.title ?? '');
    expect(titles(provided)).toContain('Queue depth');
    expect(titles((m) => provided(m) && !m.startsWith('rabbitmq_'))).not.toContain('Queue depth');
    expect(titles(() => false)).toContain('Jobs in progress');
  });

  it('the render refuses dashboards querying metrics no component of the fleet exposes', async () => {
    const fleet = await loadFleet(DEFAULT_INVENTORY);
    const withoutStreaming = COMPONENTS.filter((c) => c.stack !== 'streaming');
    expect(() => fleetDashboards({ fleet, components: withoutStreaming, repository: (i) => i })).toThrow(/dashboard streaming panel "Active publishers": metric xiu_active_publishers/);
  });
});
