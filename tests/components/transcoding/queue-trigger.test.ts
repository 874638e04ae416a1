// KEDA's RabbitMQ trigger counts the jobs in flight (ready + unacked) over the management API, and the broker
// exposes that API to KEDA only. Checked against kedacore/keda @ v2.20.2 : pkg/scalers/rabbitmq_scaler.go (the
// metadata keys below are its rabbitMQMetadata fields read from triggerMetadata; with protocol http, QueueLength is
// the queue's `messages` = ready + unacknowledged unless excludeUnacknowledged is true).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CREDENTIALS } from '../../../scripts/components/transcoding/credentials.ts';
import { endpointsFor, IN_CLUSTER_ENDPOINTS } from '../../../scripts/components/transcoding/endpoints.ts';
import {
  kedaHostConfigMap,
  kedaHostConfigMapName,
  MANAGEMENT_URL_KEY,
  QUEUE_TRIGGER_CREDENTIALS,
  queueTrigger,
  queueTriggerAuthRefs,
} from '../../../scripts/components/transcoding/queue-trigger.ts';
import type { Cluster } from '../../../scripts/model/fleet.ts';
import { DEFAULT_INVENTORY, loadFleet } from '../../support/fleet.ts';
import { renderFleetBuilds, type BuiltObject, type RenderedFleet } from '../../support/rendered.ts';
import { ingressPaths } from './policy-paths.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests narrow what they read
type Loose = Record<string, any>;

/** rabbitMQMetadata fields whose `order` includes triggerMetadata (v2.20.2). */
const KEDA_TRIGGER_METADATA_KEYS = [
  'queueName', 'mode', 'queueLength', 'value', 'activationValue', 'host', 'protocol', 'vhostName', 'useRegex',
  'excludeUnacknowledged', 'pageSize', 'operation', 'timeout', 'unsafeSsl',
];
/** rabbitMQMetadata fields whose `order` includes authParams (v2.20.2), as TriggerAuthentication parameters. */
const KEDA_AUTH_PARAMS = ['host', 'protocol', 'vhostName', 'username', 'password', 'ca', 'cert', 'key', 'keyPassword', 'tls'];

describe('queue trigger (KEDA rabbitmq, HTTP)', () => {
  const trigger = queueTrigger({ app: 'transcode-worker-cpu', queue: 'transcode.jobs', value: 10 });

  it('counts ready + unacked over the management API: protocol http, QueueLength, no excludeUnacknowledged', () => {
    expect(trigger.type).toBe('rabbitmq');
    expect(trigger.authenticationRef).toEqual({ name: 'transcode-worker-cpu' });
    expect(trigger.metadata).toEqual({ protocol: 'http', mode: 'QueueLength', queueName: 'transcode.jobs', value: '10', vhostName: '/' });
    expect(trigger.metadata).not.toHaveProperty('excludeUnacknowledged');
    for (const key of Object.keys(trigger.metadata)) expect(KEDA_TRIGGER_METADATA_KEYS, key).toContain(key);
  });

  it('authenticates with host from the per-cluster ConfigMap and the broker user from the Secret', () => {
    const refs = queueTriggerAuthRefs('transcode-worker-cpu', 'transcode-worker-cpu-keda');
    expect(refs.configMapTargetRef).toEqual([{ parameter: 'host', name: kedaHostConfigMapName('transcode-worker-cpu'), key: MANAGEMENT_URL_KEY }]);
    expect(refs.secretTargetRef).toEqual([
      { parameter: 'username', name: 'transcode-worker-cpu-keda', key: CREDENTIALS.amqpUser.secretKey },
      { parameter: 'password', name: 'transcode-worker-cpu-keda', key: CREDENTIALS.amqpPassword.secretKey },
    ]);
    for (const r of [...refs.configMapTargetRef, ...refs.secretTargetRef]) expect(KEDA_AUTH_PARAMS).toContain(r.parameter);
    // The Secret the ExternalSecret builds must hold exactly the keys the refs read.
    expect(QUEUE_TRIGGER_CREDENTIALS.map((c) => c.secretKey).sort()).toEqual(refs.secretTargetRef.map((r) => r.key).sort());
  });

  it('the host ConfigMap holds the management origin of the cluster, without credentials or path', () => {
    const cm = kedaHostConfigMap('transcode-worker-cpu', IN_CLUSTER_ENDPOINTS);
    expect(cm.metadata).toMatchObject({ name: 'transcode-worker-cpu-keda-host', namespace: 'transcoding' });
    expect(cm.data).toEqual({ [MANAGEMENT_URL_KEY]: 'http://rabbitmq.transcoding.svc.cluster.local:15672' });
  });
});

describe('management API endpoints', () => {
  let clusters: readonly Cluster[];
  beforeAll(async () => {
    clusters = (await loadFleet(DEFAULT_INVENTORY)).clusters;
  });
  const cluster = (name: string): Cluster => clusters.find((c) => c.name === name)!;

  it.each([
    ['dev-k3d', 'http://rabbitmq.transcoding.svc.cluster.local:15672', 15672],
    ['staging-eu-west-1', 'http://rabbitmq.transcoding.svc.cluster.local:15672', 15672],
    // Amazon MQ: HTTPS on 443 of the broker's host name (the AMQPS port 5671 stays the apps').
    ['prod-eu-west-1', 'https://b-3f1e2d4c-euw1.mq.eu-west-1.amazonaws.com', 443],
    ['prod-us-east-1', 'https://b-7a6b5c4d-use1.mq.us-east-1.amazonaws.com', 443],
  ])('%s: %s', (name, url, port) => {
    const e = endpointsFor(cluster(name)).rabbitmq;
    expect([e.managementUrl, e.managementPort]).toEqual([url, port]);
    // KEDA takes the last path segment of the host as the vhost: an origin leaves it to `vhostName`.
    expect(new URL(e.managementUrl).pathname).toBe('/');
  });

  it('a managed broker may name another management port', () => {
    const e = endpointsFor({ region: 'x', transcoding: { external: { rabbitmq: { host: 'mq.example.internal', port: 5671, managementPort: 15671 } } } });
    expect([e.rabbitmq.managementUrl, e.rabbitmq.managementPort, e.rabbitmq.port]).toEqual(['https://mq.example.internal:15671', 15671, 5671]);
  });
});

describe('in-cluster RabbitMQ serves the management API to KEDA only (rendered)', () => {
  let fleet: RenderedFleet;
  beforeAll(async () => {
    fleet = await renderFleetBuilds();
  });
  afterAll(async () => fleet.dispose());

  const rabbit = (cluster: string, kind: string, name: string): BuiltObject => fleet.find(cluster, 'transcoding', kind, name);

  it.each(['dev-k3d', 'staging-eu-west-1'])('%s: management plugin on 15672 with the metrics collector on', (cluster) => {
    const data = rabbit(cluster, 'ConfigMap', 'rabbitmq-config').data!;
    expect(data.enabled_plugins).toBe('[rabbitmq_management,rabbitmq_prometheus].\n');
    const conf = data['rabbitmq.conf']!.split('\n');
    expect(conf).toContain('management.tcp.port = 15672');
    expect(conf).toContain('management_agent.disable_metrics_collector = false');
  });

  it.each(['dev-k3d', 'staging-eu-west-1'])('%s: container and ClusterIP Service expose 15672 as `management`', (cluster) => {
    const sts = rabbit(cluster, 'StatefulSet', 'rabbitmq') as Loose;
    expect(sts.spec.template.spec.containers[0].ports).toContainEqual({ name: 'management', containerPort: 15672, protocol: 'TCP' });
    const svc = rabbit(cluster, 'Service', 'rabbitmq') as Loose;
    expect(svc.spec.ports).toContainEqual({ name: 'management', port: 15672, targetPort: 'management', protocol: 'TCP' });
  });

  it.each(['dev-k3d', 'staging-eu-west-1'])('%s: 15672 only from the keda namespace, which no longer reaches AMQP', (cluster) => {
    const paths = ingressPaths(fleet.objects(cluster, 'transcoding')).filter((p) => p.includes('-> rabbitmq:'));
    expect(paths.filter((p) => p.endsWith(':15672'))).toEqual(['ns:keda -> rabbitmq:15672']);
    expect(paths.filter((p) => p.startsWith('ns:keda '))).toEqual(['ns:keda -> rabbitmq:15672']);
  });

  it('nothing else routes to the management port (no Ingress, no other Service)', () => {
    for (const o of fleet.objects('staging-eu-west-1', 'transcoding')) {
      if (o.kind === 'Ingress') expect(JSON.stringify(o.spec)).not.toMatch(/rabbitmq|15672/);
      if (o.kind === 'Service' && o.metadata.name !== 'rabbitmq') expect(JSON.stringify(o.spec)).not.toContain('15672');
    }
  });
});
