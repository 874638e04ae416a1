// The Prometheus configuration the operator would generate for each cluster of the default fleet passes Prometheus'
// own checker. promtool comes from Debian's `prometheus` package (.ci/install-packages), which is 2.42 while the fleet
// pins Prometheus v3.1.0: the generated scrape configs use only fields both versions accept (no v3-only field such
// as fallback_scrape_protocol), so 2.42 validates them; a missing promtool fails the test, it is never skipped.
// Debian builds Prometheus without the Kubernetes service discovery ("field kubernetes_sd_configs not found in type
// config.ScrapeConfig"), so promtool checks a copy whose kubernetes_sd_configs are swapped for an empty static
// config; the SD blocks themselves are checked here against the two shapes the operator writes.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import type { K8sObject } from '../../scripts/components/component.ts';
import { componentsFor } from '../../scripts/components/catalog.ts';
import { baseContextFor, environmentOf, runsOn } from '../../scripts/components/placement.ts';
import { prometheusConfig, scrapeConfigs, monitorsOf } from '../../scripts/monitoring/prometheus-config.ts';
import type { Fleet } from '../../scripts/model/fleet.ts';
import { DEFAULT_INVENTORY, loadFleet } from '../support/fleet.ts';
import { promtool } from '../support/tools.ts';



/** The copy promtool checks: every kubernetes_sd_configs replaced, after checking it has the operator's shape. */
const forDebianPromtool = (config: Record<string, unknown>): Record<string, unknown> => {
  const swap = (c: Record<string, unknown>): Record<string, unknown> => {
    const { kubernetes_sd_configs: sd, ...rest } = c as { kubernetes_sd_configs: unknown };
    expect(sd).toEqual([expect.objectContaining({ role: expect.stringMatching(/^(endpoints|pod)$/) })]);
    for (const s of sd as Array<Record<string, unknown>>) {
      expect(Object.keys(s).filter((k) => k !== 'role' && k !== 'namespaces')).toEqual([]);
      if (s.namespaces !== undefined) expect(s.namespaces).toEqual({ names: expect.arrayContaining([expect.any(String)]) });
    }
    return { ...rest, static_configs: [{ targets: [] }] };
  };
  const c = config as { scrape_configs: Array<Record<string, unknown>>; alerting?: { alertmanagers: Array<Record<string, unknown>> } };
  return {
    ...config,
    scrape_configs: c.scrape_configs.map(swap),
    ...(c.alerting ? { alerting: { ...c.alerting, alertmanagers: c.alerting.alertmanagers.map(swap) } } : {}),
  };
};

let fleet: Fleet;
let dir: string;
/** The base objects of the components a cluster runs (monitors, Services, workloads, the Prometheus resource). */
const objectsOn = (clusterName: string): K8sObject[] => {
  const ctx = baseContextFor(fleet, componentsFor(fleet));
  const cluster = fleet.clusters.find((c) => c.name === clusterName)!;
  const cc = { ...ctx, cluster, environment: environmentOf(fleet, cluster) };
  // Grafana's dashboards do not bear on the scrape configuration.
  return ctx.components.filter((c) => runsOn(cc, c) && c.name !== 'grafana').flatMap((c) => c.base(ctx));
};

beforeAll(async () => {
  // Fail at once, with the fix, when promtool is missing; never skip.
  await promtool(['--version']);
  fleet = await loadFleet(DEFAULT_INVENTORY);
  dir = await mkdtemp(join(tmpdir(), 'prometheus-config-'));
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('promtool check config on the generated Prometheus configuration', () => {
  it('every cluster of the default fleet', async () => {
    expect(fleet.clusters.length).toBeGreaterThan(0);
    for (const cluster of fleet.clusters) {
      const config = prometheusConfig(objectsOn(cluster.name), { cluster: cluster.name });
      const file = join(dir, `${cluster.name}.yaml`);
      await writeFile(file, stringify(forDebianPromtool(config)));
      // --syntax-only: the bearer token file and rule files live in the Prometheus pod, not here; everything else
      // (SD configs, relabel regexes and actions, TLS and HTTP options) is validated.
      const out = await promtool(['check', 'config', '--syntax-only', file]);
      expect(out, cluster.name).toMatch(/SUCCESS/);
    }
  });

  it('a broken relabel regex is caught (the check is real)', async () => {
    const config = prometheusConfig(objectsOn(fleet.clusters[0]!.name)) as { scrape_configs: Array<{ relabel_configs: unknown[] }> };
    config.scrape_configs[0]!.relabel_configs.push({ action: 'keep', source_labels: ['a'], regex: '(' });
    const file = join(dir, 'broken.yaml');
    await writeFile(file, stringify(forDebianPromtool(config)));
    await expect(promtool(['check', 'config', '--syntax-only', file])).rejects.toThrow(/error parsing regexp|FAILED/);
  });
});

describe('scrape configs as the operator writes them', () => {
  it('a ServiceMonitor endpoint: job name, SD role and namespaces, port filter, job from the Service name', () => {
    const [pg] = scrapeConfigs(monitorsOf(objectsOn('dev-k3d'))).filter((s) => s.monitor.name === 'postgres');
    const c = pg!.config;
    expect(c.job_name).toBe('serviceMonitor/transcoding/postgres/0');
    expect(c.kubernetes_sd_configs).toEqual([{ role: 'endpoints', namespaces: { names: ['transcoding'] } }]);
    expect(c.relabel_configs).toContainEqual({ action: 'keep', source_labels: ['__meta_kubernetes_endpoint_port_name'], regex: 'metrics' });
    expect(c.relabel_configs).toContainEqual({ source_labels: ['__meta_kubernetes_service_name'], target_label: 'job', replacement: '${1}' });
    expect(c.relabel_configs).toContainEqual({ target_label: 'endpoint', replacement: 'metrics' });
  });
});
