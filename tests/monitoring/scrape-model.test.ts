// The scrape model: target labels derived as the Prometheus operator does, and the gen-time check that every rule
// and dashboard query selects series some target of its cluster exposes.
import { beforeAll, describe, expect, it } from 'vitest';
import type { BaseContext, Component, K8sObject } from '../../scripts/components/component.ts';
import { componentByName, componentsFor } from '../../scripts/components/catalog.ts';
import { baseContextFor, environmentOf, runsOn } from '../../scripts/components/placement.ts';
import { exportersOn } from '../../scripts/monitoring/alert-rules.ts';
import { checkClusterQueries, checkSelectedSeries, clusterSeriesModel, vectorSelectors, type ClusterObjects } from '../../scripts/monitoring/monitor-check.ts';
import type { RelabelConfig } from '../../scripts/monitoring/prometheus-config.ts';
import { duplicateScrapes, relabel, scrapeJob, scrapeTargets } from '../../scripts/monitoring/scrape-model.ts';
import type { Fleet } from '../../scripts/model/fleet.ts';
import { DEFAULT_INVENTORY, loadFleet } from '../support/fleet.ts';

let fleet: Fleet;
let ctx: BaseContext;
beforeAll(async () => {
  fleet = await loadFleet(DEFAULT_INVENTORY);
  ctx = baseContextFor(fleet, componentsFor(fleet));
});
const base = (name: string): readonly K8sObject[] => componentByName(name).base(ctx);

/** A cluster's components' base objects (no Grafana: its dashboards are added per case). */
const clusterObjects = (clusterName: string, extra: readonly K8sObject[] = []): ClusterObjects => {
  const cluster = fleet.clusters.find((c) => c.name === clusterName)!;
  const cc = { ...ctx, cluster, environment: environmentOf(fleet, cluster) };
  const running = ctx.components.filter((c: Component) => runsOn(cc, c) && c.name !== 'grafana');
  return {
    cluster: clusterName,
    units: [...running.map((c) => ({ component: c.name, metrics: c.metrics ?? [], objects: c.base(ctx) })), { metrics: [], objects: extra }],
    exporters: exportersOn(cluster),
  };
};

const rule = (alert: string, expr: string): K8sObject =>
  ({
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PrometheusRule',
    metadata: { name: 'case', namespace: 'monitoring' },
    spec: { groups: [{ name: 'case', rules: [{ alert, expr, labels: { severity: 'warning' } }] }] },
  }) as K8sObject;

const dashboard = (title: string, expr: string): K8sObject =>
  ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'grafana-dashboard-case', namespace: 'monitoring' },
    data: { 'case.json': JSON.stringify({ uid: 'case', title: 'Case', panels: [{ title, targets: [{ expr }] }] }) },
  }) as K8sObject;

describe('scrapeJob: the job of the Service that has the endpoint port (operator derivation)', () => {
  it.each([
    // Before: the first Service with matching labels, the headless one without the metrics port.
    { component: 'postgres', job: 'postgres' },
    { component: 'redis', job: 'redis' },
    { component: 'rabbitmq', job: 'rabbitmq' },
    { component: 'tempo', job: 'tempo' },
    { component: 'transcode-worker-cpu', job: 'transcoding/transcode-worker-cpu' },
    { component: 'minio', job: undefined },
  ])('$component → $job', ({ component, job }) => {
    expect(scrapeJob(base(component))).toBe(job);
  });
});

describe('target labels', () => {
  it('postgres: job, namespace, service, pod, container and endpoint as the operator relabels them', () => {
    const [t, ...rest] = scrapeTargets(base('postgres'), []);
    expect(rest).toEqual([]);
    expect(t!.labels).toMatchObject({ job: 'postgres', namespace: 'transcoding', service: 'postgres', pod: 'postgres-0', endpoint: 'metrics', container: 'exporter' });
    expect(t!.scrapeConfig).toBe('serviceMonitor/transcoding/postgres/0');
  });
  it('PodMonitor: job <namespace>/<name>, no service label', () => {
    const [t] = scrapeTargets(base('transcode-worker-cpu'), []);
    expect(t!.labels.job).toBe('transcoding/transcode-worker-cpu');
    expect(t!.labels.service).toBeUndefined();
  });
  it('kubelet: jobLabel k8s-app of the operator-managed Service, node target', () => {
    const kubelet = scrapeTargets(base('prometheus')).filter((t) => t.monitor.name === 'kubelet');
    expect(kubelet.map((t) => t.labels)).toEqual([expect.objectContaining({ job: 'kubelet', namespace: 'kube-system', node: 'node-a', endpoint: 'https-metrics' })]);
  });
  it('Tempo is scraped once (the headless Service no longer exposes the http port)', () => {
    const targets = scrapeTargets(base('tempo'), []);
    expect(targets.map((t) => t.labels.job)).toEqual(['tempo']);
    expect(duplicateScrapes(targets)).toEqual([]);
  });
  it('a duplicate scrape is reported', () => {
    const tempo = base('tempo');
    const svc = tempo.find((o) => o.kind === 'Service' && o.metadata.name === 'tempo')!;
    const twin = { ...svc, metadata: { ...svc.metadata, name: 'tempo-twin' } } as K8sObject;
    expect(duplicateScrapes(scrapeTargets([...tempo, twin], []))).toEqual([expect.stringContaining('is scraped twice: as job="tempo"')]);
  });
});

describe('relabel (Prometheus semantics)', () => {
  it.each([
    { name: 'replace with default regex', labels: { a: 'x' }, cfg: [{ source_labels: ['a'], target_label: 'b' }], out: { a: 'x', b: 'x' }, kept: true },
    { name: 'empty replacement deletes', labels: { b: 'y' }, cfg: [{ source_labels: ['a'], target_label: 'b' }], out: {}, kept: true },
    { name: 'keep is anchored', labels: { a: 'metrics-x' }, cfg: [{ action: 'keep', source_labels: ['a'], regex: 'metrics' }], out: undefined, kept: false },
    { name: 'no match leaves the label', labels: { k: 'Pod' }, cfg: [{ source_labels: ['k'], regex: 'Node;(.*)', target_label: 'node', replacement: '${1}' }], out: { k: 'Pod' }, kept: true },
  ] as Array<{ name: string; labels: Record<string, string>; cfg: RelabelConfig[]; out: Record<string, string> | undefined; kept: boolean }>)('$name', ({ labels, cfg, out, kept }) => {
    const l = { ...labels } as Record<string, string>;
    expect(relabel(l, cfg)).toBe(kept);
    if (out) expect(l).toEqual(out);
  });
});

describe('vectorSelectors', () => {
  it('reads names and matchers, also under range selectors and __name__', () => {
    expect(vectorSelectors('rate(a_total{job="x", code=~"5.."}[5m]) / {__name__="b", pod!="p"}')).toEqual([
      { metric: 'a_total', matchers: [{ label: 'job', op: '=', value: 'x' }, { label: 'code', op: '=~', value: '5..' }] },
      { metric: 'b', matchers: [{ label: 'pod', op: '!=', value: 'p' }] },
    ]);
  });
});

describe('checkClusterQueries: every query selects series that exist on its cluster', () => {
  it.each([
    { name: 'ServiceDown on the headless job (never exists)', cluster: 'dev-k3d', objects: () => [rule('ServiceDown', 'up{job="postgres-headless"} == 0')], problem: /cluster dev-k3d: rule ServiceDown .*up\{job="postgres-headless"\} selects no series: no target exposing up has job="postgres-headless"/ },
    { name: 'ServiceDown on the real job', cluster: 'dev-k3d', objects: () => [rule('ServiceDown', 'up{job="postgres"} == 0')], problem: undefined },
    { name: 'a job that exists on dev but not on prod (dev)', cluster: 'dev-k3d', objects: () => [rule('RedisDown', 'up{job="redis"} == 0')], problem: undefined },
    { name: 'a job that exists on dev but not on prod (prod)', cluster: 'prod-eu-west-1', objects: () => [rule('RedisDown', 'up{job="redis"} == 0')], problem: /cluster prod-eu-west-1: rule RedisDown .*up\{job="redis"\} selects no series/ },
    // prod's broker is managed (Amazon MQ): no RabbitMQ exporter there. (Postgres/Redis no longer qualify: the
    // api-platform system runs its own presets on prod.)
    { name: 'a panel querying a metric absent from the cluster', cluster: 'prod-eu-west-1', objects: () => [dashboard('Queue depth', 'sum(rabbitmq_detailed_queue_messages_ready)')], problem: /cluster prod-eu-west-1: dashboard case panel "Queue depth": rabbitmq_detailed_queue_messages_ready\{\} selects no series: no target of the cluster exposes rabbitmq_detailed_queue_messages_ready/ },
    { name: 'the same panel where RabbitMQ runs', cluster: 'dev-k3d', objects: () => [dashboard('Queue depth', 'sum(rabbitmq_detailed_queue_messages_ready)')], problem: undefined },
    { name: 'a metric with a wrong namespace', cluster: 'dev-k3d', objects: () => [rule('X', 'pg_settings_max_connections{namespace="streaming"}')], problem: /no target exposing pg_settings_max_connections has namespace="streaming"/ },
    { name: 'a container regex that matches', cluster: 'dev-k3d', objects: () => [rule('X', 'up{job="postgres", container=~"exp.*"}')], problem: undefined },
    { name: 'an add-on job', cluster: 'prod-eu-west-1', objects: () => [rule('KsmDown', 'up{job="kube-state-metrics"} == 0')], problem: undefined },
    { name: 'an exporter metric with exporter labels', cluster: 'prod-eu-west-1', objects: () => [rule('X', 'kube_pod_container_status_restarts_total{namespace="streaming"}')], problem: undefined },
  ])('$name', ({ cluster, objects, problem }) => {
    const problems = checkClusterQueries([clusterObjects(cluster, objects())]);
    if (problem === undefined) expect(problems).toEqual([]);
    else expect(problems).toEqual([expect.stringMatching(problem)]);
  });

  it('models clusters of one shape once, but never merges clusters whose objects differ', () => {
    const broken = [rule('RedisDown', 'up{job="redis"} == 0')];
    const renamed = (c: ClusterObjects, name: string): ClusterObjects => ({ ...c, cluster: name });
    const dev = clusterObjects('dev-k3d', broken);
    // Same objects under two names: the same findings, each naming its own cluster.
    expect(checkClusterQueries([renamed(dev, 'a'), renamed(dev, 'b')])).toEqual([]);
    const prod = clusterObjects('prod-eu-west-1', broken);
    expect(checkClusterQueries([renamed(prod, 'a'), renamed(prod, 'b')])).toEqual([
      expect.stringMatching(/^cluster a: rule RedisDown /),
      expect.stringMatching(/^cluster b: rule RedisDown /),
    ]);
    // Objects that differ only where the model reads (the redis Service's port gone) are checked apart.
    const withoutRedisPort: ClusterObjects = {
      ...dev,
      cluster: 'c',
      units: dev.units.map((u) => ({
        ...u,
        objects: u.objects.map((o) =>
          o.kind === 'Service' && o.metadata.name === 'redis' ? ({ ...o, spec: { ...(o as unknown as { spec: object }).spec, ports: [] } } as K8sObject) : o,
        ),
      })),
    };
    expect(checkClusterQueries([renamed(dev, 'a'), withoutRedisPort])).toEqual([expect.stringMatching(/^cluster c: rule RedisDown /)]);
  });

  it('recording rules provide the series they record', () => {
    const model = clusterSeriesModel(clusterObjects('dev-k3d', [
      { ...rule('X', 'up'), spec: { groups: [{ name: 'r', rules: [{ record: 'job:up:sum', expr: 'sum by (job) (up)' }] }] } } as K8sObject,
    ]));
    expect(checkSelectedSeries(model, [{ where: 'panel', expr: 'job:up:sum{job="postgres"}' }])).toEqual([]);
  });
});
