// Where alert rules ship and the check that keeps every shipped rule answerable on every cluster that receives it.
import { beforeAll, describe, expect, it } from 'vitest';
import { COMPONENTS, componentByName, componentsFor } from '../../scripts/components/catalog.ts';
import type { Component, K8sObject } from '../../scripts/components/component.ts';
import { baseContextFor } from '../../scripts/components/placement.ts';
import { alertClusters, checkRuleCoverage, componentAlertRules, liveTrafficAlertRules } from '../../scripts/monitoring/alert-rules.ts';
import { renderAlertsDoc } from '../../scripts/monitoring/alerts-doc.ts';
import { ALERTS } from '../../scripts/monitoring/rules.ts';
import type { Fleet } from '../../scripts/model/fleet.ts';
import { DEFAULT_INVENTORY, loadFleet } from '../support/fleet.ts';

let fleet: Fleet;
beforeAll(async () => {
  fleet = await loadFleet(DEFAULT_INVENTORY);
});

const cache = new Map<Component, K8sObject[]>();
const baseObjects = (c: Component): K8sObject[] => {
  if (!cache.has(c)) cache.set(c, c.base(baseContextFor(fleet, COMPONENTS)));
  return cache.get(c)!;
};

/** The catalog with one component replaced. */
const replacing = (name: string, change: (c: Component) => Component): Component[] => COMPONENTS.map((c) => (c.name === name ? change(c) : c));

describe('checkRuleCoverage', () => {
  it('finds nothing on the shipped fleet', () => {
    expect(checkRuleCoverage(baseContextFor(fleet, COMPONENTS), fleet.clusters, baseObjects)).toEqual([]);
  });

  it.each([
    {
      name: 'a rule over a metric no component running there exposes',
      components: (): Component[] => replacing('edge-cache', (c) => ({ ...c, metrics: [] })),
      expected: /cluster \S+: .*EdgeCacheHitRatioLow.*edge_http_response_count_total/,
    },
    {
      name: 'a capability rule whose owner has no unit for the capability',
      components: (): Component[] => replacing('prometheus', (c) => ({ ...c, withCapability: undefined })),
      expected: /alert GpuTemperatureHigh: prometheus has no gpu unit/,
    },
    {
      name: 'a fixed rule whose owner is not a component of the fleet',
      components: (): Component[] => COMPONENTS.filter((c) => c.name !== 'rabbitmq'),
      expected: /alert TranscodeQueueDepthHigh: owner rabbitmq is not a component of the fleet/,
    },
  ])('reports $name', ({ components, expected }) => {
    const cs = components();
    // Base objects (scrape jobs) of the shipped catalog: some bases (Grafana's dashboards) refuse the broken catalog.
    const problems = checkRuleCoverage(baseContextFor(fleet, cs), fleet.clusters, (c) => baseObjects(COMPONENTS.find((x) => x.name === c.name) ?? c));
    expect(problems.join('\n')).toMatch(expected);
  });
});

describe('rule objects', () => {
  it('every fixed alert names an owner; per-component and per-ScaledObject alerts none', () => {
    for (const a of ALERTS) expect(a.perComponent === undefined && a.perScaledObject === undefined, a.alert).toBe(a.owner !== undefined);
  });

  it('KEDA queue alerts ship only with components a ScaledObject scales, in that environment', () => {
    const ctx = baseContextFor(fleet, COMPONENTS);
    const names = (c: Component): string[] =>
      fleet.environments.flatMap((e) => liveTrafficAlertRules(ctx, c, e).map((o) => `${e.name}/${o.metadata.name}`)).filter((n) => n.endsWith('-autoscaling-alerts'));
    const worker = COMPONENTS.find((c) => c.name === 'transcode-worker-cpu')!;
    const origin = COMPONENTS.find((c) => c.name === 'rtmp-origin')!;
    expect(names(worker)).toContain('prod/transcode-worker-cpu-autoscaling-alerts');
    // The origin autoscales with an HPA, not KEDA: no KEDA series exist for it.
    expect(names(origin)).toEqual([]);
  });

  it('the RabbitMQ backlog alert ships only with ScaledObjects that have a rabbitmq trigger', () => {
    const all = componentsFor(fleet);
    const ctx = baseContextFor(fleet, all);
    const backlog = (name: string): string[] =>
      fleet.environments.flatMap((e) =>
        liveTrafficAlertRules(ctx, componentByName(name, all), e)
          // eslint-disable-next-line @typescript-eslint/no-explicit-any -- reads the rendered spec
          .flatMap((o) => (o.spec as any).groups.flatMap((g: any) => g.rules))
          .filter((r: { alert: string }) => r.alert === 'TranscodeWorkerQueueBacklog')
          .map((r: { expr: string }) => `${e.name}: ${r.expr}`),
      );
    const worker = backlog('transcode-worker-cpu');
    expect(worker).toContainEqual(expect.stringMatching(/^prod: .*scaledObject="transcode-worker-cpu", scaler="rabbitMQScaler"/));
    for (const r of worker) expect(r).toMatch(/scaler="rabbitMQScaler"/);
    // api-platform's workers scale on SQS and NATS JetStream: KEDA reports no rabbitMQScaler series for them.
    expect(backlog('media-processor')).toEqual([]);
    expect(backlog('data-export-worker')).toEqual([]);
  });

  it("a component's rules carry its name, namespace and the runbook of each alert", () => {
    const ctx = baseContextFor(fleet, COMPONENTS);
    const origin = COMPONENTS.find((c) => c.name === 'rtmp-origin')!;
    const [rule] = componentAlertRules(ctx, origin, baseObjects(origin));
    expect(rule?.metadata).toMatchObject({ name: 'rtmp-origin-alerts', namespace: 'streaming' });
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- reads the rendered spec
    const alerts = (rule!.spec as any).groups.flatMap((g: any) => g.rules).map((r: any) => r.alert);
    expect(alerts).toContain('RtmpOriginDown');
    expect(alerts).not.toContain('NoActivePublishers');
  });

  it('live-traffic rules only in the environment that promotes nowhere', () => {
    const ctx = baseContextFor(fleet, COMPONENTS);
    const origin = COMPONENTS.find((c) => c.name === 'rtmp-origin')!;
    const byEnv = Object.fromEntries(fleet.environments.map((e) => [e.name, liveTrafficAlertRules(ctx, origin, e).length]));
    expect(byEnv).toEqual({ dev: 0, staging: 0, prod: 1 });
  });
});

describe('docs/alerts.md says where each alert can fire', () => {
  it('lists, per alert, the clusters whose rules contain it', () => {
    const ctx = baseContextFor(fleet, COMPONENTS);
    const placement = alertClusters(ctx, fleet.clusters, baseObjects);
    const doc = renderAlertsDoc(placement)[0]!.content;
    for (const a of ALERTS) {
      const section = doc.slice(doc.indexOf(`\n## ${a.alert}\n`)).split('\n## ')[1]!;
      expect(section, a.alert).toMatch(/- Can fire on:( \*\*no cluster\*\*|\n {2}- `)/);
      for (const c of placement.get(a.alert) ?? []) expect(section, a.alert).toContain(`\n  - \`${c}\`\n`);
    }
    expect(placement.get('GpuTemperatureHigh')).toEqual(['prod-gpu-us-east-1']);
    expect(placement.get('PostgresConnectionsHigh')).toEqual(['dev-k3d', 'staging-eu-west-1']);
    expect(placement.get('TranscodeWorkerQueueBacklog')).toContain('prod-eu-west-1');
    expect(placement.get('RtmpOriginDown')).not.toContain('prod-gpu-us-east-1');
  });
});
