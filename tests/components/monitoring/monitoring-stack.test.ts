// The monitoring stack as Argo CD would apply it (real Kustomize builds of the shipped fleet).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMPONENTS } from '../../../scripts/components/catalog.ts';
import { OTEL_COLLECTOR, OTLP_GRPC_PORT, OTLP_HTTP_PORT } from '../../../scripts/components/telemetry.ts';
import { STACKS } from '../../../scripts/inventory/schema.ts';
import { componentMetrics } from '../../../scripts/monitoring/promql.ts';
import { recordedMetrics } from '../../../scripts/monitoring/recording-rules.ts';
import { ALERTS } from '../../../scripts/monitoring/rules.ts';
import { validateDashboardJson, validateRules } from '../../../scripts/monitoring/validate.ts';
import { DEFAULT_INVENTORY, loadFleet } from '../../support/fleet.ts';
import { podSpecOf, renderFleetBuilds, type BuiltObject, type RenderedFleet } from '../../support/rendered.ts';
import type { Fleet } from '../../../scripts/model/fleet.ts';

/* eslint-disable @typescript-eslint/no-explicit-any -- tests read loosely typed built objects */
let fleet: Fleet;
let rendered: RenderedFleet;
let clusters: string[];

beforeAll(async () => {
  fleet = await loadFleet(DEFAULT_INVENTORY);
  rendered = await renderFleetBuilds();
  clusters = fleet.clusters.filter((c) => c.stacks.includes('monitoring')).map((c) => c.name);
});
afterAll(async () => rendered?.dispose());

/** Every rule a cluster receives: rules ship with their components, in every stack's Application. */
const allRulesOf = (cluster: string): any[] =>
  STACKS.flatMap((stack) => (fleet.clusters.find((c) => c.name === cluster)!.stacks.includes(stack) ? rendered.objects(cluster, stack) : []))
    .filter((o) => o.kind === 'PrometheusRule')
    .flatMap((o) => (o.spec as any).groups.flatMap((g: any) => g.rules));
/** Every alert rule a cluster receives (recording rules have `record` instead of `alert`). */
const rulesOf = (cluster: string): any[] => allRulesOf(cluster).filter((r) => r.alert !== undefined);
/** Raw metrics the components declare and the series their recording rules write. */
const exposed = (): Set<string> => new Set([...componentMetrics([...COMPONENTS]), ...recordedMetrics(COMPONENTS.map((c) => c.metrics ?? []))]);

describe('monitoring stack on every cluster that runs it', () => {
  it('runs on every monitoring cluster of the default fleet', () => {
    expect(clusters.length).toBeGreaterThan(0);
  });

  it.each([
    ['Prometheus', 'prometheus'],
    ['Alertmanager', 'alertmanager'],
    ['AlertmanagerConfig', 'alertmanager'],
    ['Deployment', 'grafana'],
    ['StatefulSet', 'tempo'],
    ['Deployment', 'otel-collector'],
    ['PrometheusRule', 'prometheus-alerts'],
    ['ServiceMonitor', 'kubelet'],
    ['Ingress', 'grafana'],
  ])('%s/%s', (kind, name) => {
    for (const c of clusters) expect(rendered.find(c, 'monitoring', kind, name).metadata.namespace).toBe('monitoring');
  });

  it('storage class, retention and cluster label are patched per cluster', () => {
    for (const c of fleet.clusters.filter((x) => clusters.includes(x.name))) {
      const spec = rendered.find(c.name, 'monitoring', 'Prometheus', 'prometheus').spec as any;
      expect(spec.storage.volumeClaimTemplate.spec.storageClassName).toBe(c.storageClass);
      expect(spec.storage.volumeClaimTemplate.spec.resources.requests.storage).toBe('50Gi');
      expect(spec.retention).toBe('15d');
      expect(spec.externalLabels).toEqual({ cluster: c.name });
      const tempo = rendered.find(c.name, 'monitoring', 'StatefulSet', 'tempo').spec as any;
      expect(tempo.volumeClaimTemplates[0].spec.storageClassName).toBe(c.storageClass);
    }
  });

  it('Prometheus sends alerts to the Alertmanager Service', () => {
    for (const c of clusters) {
      const am = (rendered.find(c, 'monitoring', 'Prometheus', 'prometheus').spec as any).alerting.alertmanagers;
      const svc = rendered.find(c, 'monitoring', 'Service', am[0].name);
      expect(svc.metadata.namespace).toBe(am[0].namespace);
      expect((svc.spec as any).ports.map((p: any) => p.name)).toContain(am[0].port);
    }
  });
});

describe('Alertmanager routing', () => {
  it('critical → PagerDuty and Slack, warning → Slack, grouped, critical inhibits its warning twin', () => {
    for (const c of clusters) {
      const am = rendered.find(c, 'monitoring', 'Alertmanager', 'alertmanager').spec as any;
      expect(am.alertmanagerConfiguration.name).toBe('alertmanager');
      const cfg = rendered.find(c, 'monitoring', 'AlertmanagerConfig', 'alertmanager').spec as any;
      expect(cfg.route.groupBy).toEqual(['alertname', 'cluster', 'namespace']);
      // Which routes an alert of a severity matches (exact routing is tested by amtool in tests/monitoring).
      const receiversFor = (severity: string): string[] =>
        cfg.route.routes
          .filter((r: any) => r.matchers.some((m: any) => m.name === 'severity' && new RegExp(`^(?:${m.value})$`).test(severity)))
          .map((r: any) => r.receiver);
      const byName = (n: string): any => cfg.receivers.find((r: any) => r.name === n);
      expect(receiversFor('critical')).toEqual(['pagerduty', 'slack']);
      expect(receiversFor('warning')).toEqual(['slack']);
      expect(byName('pagerduty').pagerdutyConfigs).toHaveLength(1);
      expect(byName('slack').slackConfigs).toHaveLength(1);
      // The shipped fleet configures no e-mail receiver.
      expect(byName('email')).toBeUndefined();
      expect(cfg.inhibitRules).toContainEqual({
        sourceMatch: [{ name: 'severity', value: 'critical' }],
        targetMatch: [{ name: 'severity', value: 'warning' }],
        equal: ['alertname', 'cluster', 'namespace', 'job'],
      });
    }
  });

  it('every alertname an inhibit rule names is an alert the rules define', () => {
    const cfg = rendered.find('prod-eu-west-1', 'monitoring', 'AlertmanagerConfig', 'alertmanager').spec as any;
    const named = cfg.inhibitRules
      .flatMap((r: any) => [...r.sourceMatch, ...r.targetMatch])
      .filter((m: any) => m.name === 'alertname')
      .flatMap((m: any) => m.value.split('|'));
    expect(named.length).toBeGreaterThan(0);
    for (const n of named) expect(ALERTS.map((a) => a.alert)).toContain(n);
  });

  it('receiver credentials are secret references to an ExternalSecret target, never literals', () => {
    for (const c of clusters) {
      const cfg = rendered.find(c, 'monitoring', 'AlertmanagerConfig', 'alertmanager').spec as any;
      const refs = cfg.receivers.flatMap((r: any) => [
        ...(r.pagerdutyConfigs ?? []).map((p: any) => p.routingKey),
        ...(r.slackConfigs ?? []).map((s: any) => s.apiURL),
      ]);
      expect(refs.length).toBe(2);
      const es = rendered.find(c, 'monitoring', 'ExternalSecret', refs[0].name).spec as any;
      expect(es.secretStoreRef.kind).toBe('ClusterSecretStore');
      for (const ref of refs) {
        expect(ref).toEqual({ name: es.target.name, key: expect.any(String) });
        expect(es.data.map((d: any) => d.secretKey)).toContain(ref.key);
      }
      expect(JSON.stringify(cfg)).not.toMatch(/hooks\.slack\.com|routing_?key":\s*"/i);
    }
  });
});

describe('alert rules', () => {
  it('every rule has severity, summary, description and a runbook in docs/alerts.md of the fleet repo', () => {
    const repo = fleet.git.repoURL.replace(/\.git$/, '');
    for (const c of clusters) {
      for (const r of rulesOf(c)) {
        expect(['critical', 'warning']).toContain(r.labels.severity);
        expect(r.annotations.summary).toBeTruthy();
        expect(r.annotations.description).toBeTruthy();
        expect(r.annotations.runbook_url).toBe(`${repo}/blob/${fleet.git.targetRevision}/docs/alerts.md#${r.alert.toLowerCase()}`);
      }
    }
  });

  it('every rule expression parses and queries only exposed or exporter metrics', () => {
    for (const c of clusters) expect(validateRules(rulesOf(c), exposed())).toEqual([]);
  });

  it('every documented anchor exists in the generated docs/alerts.md', async () => {
    const { readFile } = await import('node:fs/promises');
    const doc = await readFile(`${rendered.root}/docs/alerts.md`, 'utf8');
    for (const c of clusters) for (const r of rulesOf(c)) expect(doc).toContain(`\n## ${r.alert}\n`);
  });

  it('rules ship with their component: in its namespace, named after it', () => {
    const rule = rendered.find('prod-eu-west-1', 'streaming', 'PrometheusRule', 'edge-cache-alerts');
    expect(rule.metadata.namespace).toBe('streaming');
    const alerts = (rule.spec as any).groups.flatMap((g: any) => g.rules).map((r: any) => r.alert);
    expect(alerts).toEqual(expect.arrayContaining(['ServiceDown', 'HlsHigh5xxRate', 'EdgeCacheHitRatioLow']));
    expect(rendered.find('prod-gpu-us-east-1', 'monitoring', 'PrometheusRule', 'prometheus-gpu-alerts').metadata.namespace).toBe('monitoring');
    expect(rendered.find('prod-eu-west-1', 'streaming', 'PrometheusRule', 'rtmp-origin-live-traffic-alerts').metadata.namespace).toBe('streaming');
  });

  it('no alert is rendered twice on a cluster', () => {
    for (const c of clusters) {
      const keys = rulesOf(c).map((r) => `${r.alert}/${r.labels.component ?? ''}`);
      expect(keys.length).toBe(new Set(keys).size);
    }
  });

  it('each service with a monitor gets a ServiceDown rule on its job', () => {
    const down = rulesOf('prod-eu-west-1').filter((r) => r.alert === 'ServiceDown');
    expect(down.map((r) => r.labels.component)).toEqual(expect.arrayContaining(['edge-cache', 'rtmp-origin', 'transcode-api', 'transcode-worker-cpu', 'otel-collector']));
    // PodMonitor jobs are namespace/name; ServiceMonitor jobs the Service name.
    expect(down.find((r) => r.labels.component === 'transcode-worker-cpu').expr).toBe('up{job="transcoding/transcode-worker-cpu"} == 0');
  });

  it.each([
    { cluster: 'prod-gpu-us-east-1', gpu: true },
    { cluster: 'prod-eu-west-1', gpu: false },
    { cluster: 'dev-k3d', gpu: false },
  ])('GPU rules only where the GPU exporter runs: $cluster → $gpu', ({ cluster, gpu }) => {
    const alerts = rulesOf(cluster).map((r) => r.alert);
    expect(alerts.includes('GpuTemperatureHigh')).toBe(gpu);
    expect(alerts.includes('GpuUtilisationSaturated')).toBe(gpu);
  });

  it.each([
    { cluster: 'prod-eu-west-1', expected: true },
    { cluster: 'staging-eu-west-1', expected: false },
    { cluster: 'prod-gpu-us-east-1', expected: false },
  ])('NoActivePublishers only where live streaming traffic is expected: $cluster → $expected', ({ cluster, expected }) => {
    expect(rulesOf(cluster).some((r) => r.alert === 'NoActivePublishers')).toBe(expected);
  });
});

describe('dashboards', () => {
  const dashboardMaps = (cluster: string): BuiltObject[] =>
    rendered.objects(cluster, 'monitoring').filter((o) => o.kind === 'ConfigMap' && o.metadata.name.startsWith('grafana-dashboard-') && o.metadata.name !== 'grafana-dashboard-provider');

  it('each cluster provisions the dashboards it has data for from ConfigMaps mounted (optionally) into Grafana', () => {
    for (const c of clusters) {
      const cluster = fleet.clusters.find((x) => x.name === c)!;
      const maps = dashboardMaps(c);
      const expectedUids = [
        ...(cluster.capabilities.includes('gpu') ? ['gpu'] : []),
        'storage-database',
        ...(cluster.stacks.includes('streaming') ? ['streaming'] : []),
        'system-overview',
        ...(cluster.stacks.includes('transcoding') ? ['transcoding'] : []),
      ];
      expect(maps.map((m) => m.metadata.name).sort(), c).toEqual(expectedUids.map((d) => `grafana-dashboard-${d}`));
      const volume = (podSpecOf(rendered.find(c, 'monitoring', 'Deployment', 'grafana')).volumes as any[]).find((v) => v.name === 'dashboards');
      // Every dashboard's ConfigMap is a source, optional: a cluster without one still starts Grafana.
      expect(volume.projected.sources.map((s: any) => s.configMap.name).sort()).toEqual(
        ['gpu', 'storage-database', 'streaming', 'system-overview', 'transcoding'].map((d) => `grafana-dashboard-${d}`),
      );
      for (const s of volume.projected.sources) expect(s.configMap.optional).toBe(true);
    }
  });

  it('every dashboard is valid JSON whose queries parse and reference exposed metrics', () => {
    for (const c of clusters) {
      for (const m of dashboardMaps(c)) {
        for (const [file, json] of Object.entries(m.data ?? {})) expect(validateDashboardJson(file, json, exposed())).toEqual([]);
      }
    }
  });

  it('Grafana reads its admin credentials from an ExternalSecret and is public on grafana.<domain> with TLS', () => {
    for (const c of fleet.clusters.filter((x) => clusters.includes(x.name))) {
      const env = podSpecOf(rendered.find(c.name, 'monitoring', 'Deployment', 'grafana')).containers[0]!.env as any[];
      const secretEnv = env.filter((e) => e.name.startsWith('GF_SECURITY_ADMIN_'));
      expect(secretEnv.map((e) => e.valueFrom.secretKeyRef.name)).toEqual(['grafana-admin', 'grafana-admin']);
      expect(env.find((e) => e.name === 'GF_SERVER_ROOT_URL').value).toBe(`https://grafana.${c.domain}/`);
      rendered.find(c.name, 'monitoring', 'ExternalSecret', 'grafana-admin');
      const ing = rendered.find(c.name, 'monitoring', 'Ingress', 'grafana') as any;
      expect(ing.spec.rules[0].host).toBe(`grafana.${c.domain}`);
      expect(ing.spec.tls[0].hosts).toEqual([`grafana.${c.domain}`]);
      expect(ing.metadata.annotations['cert-manager.io/cluster-issuer']).toBe(fleet.environments.find((e) => e.name === c.environment)!.clusterIssuer);
    }
  });
});

describe('tracing', () => {
  it('the collector Service is the endpoint apps are configured with, reachable from every stack namespace', () => {
    for (const c of clusters) {
      const svc = rendered.find(c, 'monitoring', 'Service', OTEL_COLLECTOR).spec as any;
      expect(svc.ports.map((p: any) => p.port)).toEqual(expect.arrayContaining([OTLP_GRPC_PORT, OTLP_HTTP_PORT]));
      const np = rendered.find(c, 'monitoring', 'NetworkPolicy', `${OTEL_COLLECTOR}-ingress`).spec as any;
      const rule = np.ingress.find((r: any) => r.ports.some((p: any) => p.port === OTLP_GRPC_PORT));
      expect(rule.from.map((f: any) => f.namespaceSelector.matchLabels['kubernetes.io/metadata.name']).sort()).toEqual([...STACKS, ...fleet.systems.map((sys) => sys.name)].sort());
      expect(rule.ports.map((p: any) => p.port).sort()).toEqual([OTLP_GRPC_PORT, OTLP_HTTP_PORT]);
      const config = rendered.find(c, 'monitoring', 'ConfigMap', `${OTEL_COLLECTOR}-config`).data!['config.yaml']!;
      expect(config).toContain('endpoint: tempo.monitoring.svc.cluster.local:4317');
    }
  });
});
