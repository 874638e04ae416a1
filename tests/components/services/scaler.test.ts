// The scaler of system services: no triggers → the default HPA v2 (CPU and memory, behaviour); triggers → a KEDA
// ScaledObject whose trigger metadata and TriggerAuthentications are what KEDA's scalers read at the pinned version.
// The key lists below are copied from kedacore/keda @ v2.20.2 (inventory/fleet.yaml addons.keda chart 2.20.2,
// kedacore/charts @ v2.20.2 : keda/Chart.yaml appVersion 2.20.2): the struct tags of each scaler's metadata.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import type { BaseContext, Component, WorkloadRef } from '../../../scripts/components/component.ts';
import { prometheusComponent } from '../../../scripts/components/monitoring/prometheus.ts';
import { horizontalPodAutoscaler } from '../../../scripts/components/scaling.ts';
import { kedaNamespace, kedaReadsPrometheus } from '../../../scripts/components/services/keda-triggers.ts';
import { serviceScaler } from '../../../scripts/components/services/scaler.ts';
import type { ServiceInput } from '../../../scripts/components/services/types.ts';
import type { Autoscaling } from '../../../scripts/inventory/schema.ts';
import type { ServiceSpec, Trigger } from '../../../scripts/inventory/system-schema.ts';
import type { Environment, Fleet, System } from '../../../scripts/model/fleet.ts';
import { REPO_ROOT } from '../../support/fleet.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests narrow what they read
type Loose = Record<string, any>;

/** awsSqsQueueMetadata fields read from triggerMetadata (pkg/scalers/aws_sqs_queue_scaler.go). */
const SQS_METADATA = ['queueLength', 'activationQueueLength', 'queueURL', 'awsRegion', 'awsEndpoint', 'scaleOnInFlight', 'scaleOnDelayed', 'identityOwner'];
/** Static-credential authParams (pkg/scalers/aws/aws_common.go GetAwsAuthorization). */
const SQS_AUTH_PARAMS = ['awsRegion', 'awsRoleArn', 'awsAccessKeyID', 'awsSecretAccessKey', 'awsSessionToken'];
/** rabbitMQMetadata fields read from triggerMetadata (pkg/scalers/rabbitmq_scaler.go). */
const RABBITMQ_METADATA = ['queueName', 'mode', 'queueLength', 'value', 'activationValue', 'host', 'protocol', 'vhostName', 'useRegex', 'excludeUnacknowledged', 'pageSize', 'operation', 'timeout', 'unsafeSsl'];
/** rabbitMQMetadata fields read from authParams. */
const RABBITMQ_AUTH_PARAMS = ['host', 'protocol', 'vhostName', 'username', 'password', 'ca', 'cert', 'key', 'keyPassword', 'tls'];
/** natsJetStreamMetadata fields read from triggerMetadata (pkg/scalers/nats_jetstream_scaler.go). */
const NATS_METADATA = ['account', 'accountID', 'stream', 'consumer', 'lagThreshold', 'activationLagThreshold', 'useHttps', 'natsServerMonitoringEndpoint'];
/** prometheusMetadata fields read from triggerMetadata (pkg/scalers/prometheus_scaler.go). */
const PROMETHEUS_METADATA = ['serverAddress', 'query', 'queryParameters', 'threshold', 'activationThreshold', 'namespace', 'customHeaders', 'ignoreNullValues', 'unsafeSsl', 'awsRegion', 'timeout', 'identityOwner'];

const WORKLOAD: WorkloadRef = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'worker', resourcesPath: '/spec/template/spec/containers/0/resources', replicasVia: 'transformer' };

const system = (services: Record<string, ServiceSpec>): System => ({
  name: 'shop',
  file: 'inventory/systems/shop.yaml',
  description: 'test system',
  services: { broker: { preset: 'rabbitmq', credentials: { key: 'shop/broker' } }, events: { preset: 'nats' }, ...services },
});

const fleet = (s: System): Fleet => ({ addons: { keda: { namespace: 'keda' } }, systems: [s] }) as unknown as Fleet;

const ENV = { name: 'staging' } as Environment;

const AUTOSCALING: Autoscaling = {
  minReplicas: 2,
  maxReplicas: 100,
  targetCPUUtilizationPercentage: 70,
  targetMemoryUtilizationPercentage: 80,
  scaleUp: { selectPolicy: 'Max', policies: [{ type: 'Percent', value: 50, periodSeconds: 60 }, { type: 'Pods', value: 10, periodSeconds: 60 }] },
  scaleDown: { policies: [{ type: 'Percent', value: 10, periodSeconds: 60 }] },
  scaleDownStabilizationSeconds: 300,
};

/** The scaler objects of a `worker` service with these triggers. */
const render = (triggers: Trigger[], a: Autoscaling = AUTOSCALING): { objects: Loose[]; byKind: (kind: string) => Loose[] } => {
  const sys = system({ worker: { image: 'worker', triggers } });
  const input: ServiceInput = { system: sys, name: 'worker', spec: sys.services['worker']! };
  const scaler = serviceScaler(input, WORKLOAD);
  expect(scaler).toBeDefined();
  const ctx: BaseContext = { fleet: fleet(sys), repository: (i) => `registry.example/${i}`, components: [] };
  const objects = scaler!(a, ctx, ENV) as Loose[];
  return { objects, byKind: (kind) => objects.filter((o) => o.kind === kind) };
};

const scaledObject = (objects: Loose[]): Loose => objects.find((o) => o.kind === 'ScaledObject')!;

describe('services without triggers', () => {
  it('have no scaler of their own: the default HPA applies', () => {
    const sys = system({ api: { image: 'api' } });
    expect(serviceScaler({ system: sys, name: 'api', spec: sys.services['api']! }, WORKLOAD)).toBeUndefined();
  });

  it('the default HPA v2 honours both CPU and memory targets and the behaviour', () => {
    const component = { name: 'api', stack: 'shop', workload: WORKLOAD } as unknown as Component;
    const hpa = horizontalPodAutoscaler(component, AUTOSCALING) as Loose;
    expect(hpa.spec.metrics).toEqual([
      { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } },
      { type: 'Resource', resource: { name: 'memory', target: { type: 'Utilization', averageUtilization: 80 } } },
    ]);
    expect([hpa.spec.minReplicas, hpa.spec.maxReplicas]).toEqual([2, 100]);
    expect(hpa.spec.behavior.scaleUp).toEqual({ stabilizationWindowSeconds: 0, selectPolicy: 'Max', policies: AUTOSCALING.scaleUp!.policies });
    expect(hpa.spec.behavior.scaleDown).toEqual({ stabilizationWindowSeconds: 300, selectPolicy: 'Max', policies: AUTOSCALING.scaleDown!.policies });
  });

  it('a memory target alone gives a memory-only HPA', () => {
    const component = { name: 'api', stack: 'shop', workload: WORKLOAD } as unknown as Component;
    const hpa = horizontalPodAutoscaler(component, { minReplicas: 1, maxReplicas: 3, targetMemoryUtilizationPercentage: 75 }) as Loose;
    expect(hpa.spec.metrics.map((m: Loose) => m.resource.name)).toEqual(['memory']);
  });
});

describe('the ScaledObject', () => {
  const { objects } = render([{ prometheus: { query: 'sum(rate(http_requests_total[1m]))', threshold: '100' } }]);
  const so = scaledObject(objects);

  it('targets the workload, with min/max and the HPA behaviour from the environment', () => {
    expect(so.apiVersion).toBe('keda.sh/v1alpha1');
    expect(so.metadata).toEqual({
      name: 'worker',
      namespace: 'shop',
      labels: { 'app.kubernetes.io/name': 'worker', 'app.kubernetes.io/component': 'worker', 'app.kubernetes.io/part-of': 'shop', 'app.kubernetes.io/managed-by': 'streamfleet-gen' },
    });
    expect(so.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'worker' });
    expect([so.spec.minReplicaCount, so.spec.maxReplicaCount]).toEqual([2, 100]);
    const behavior = so.spec.advanced.horizontalPodAutoscalerConfig.behavior;
    expect(behavior.scaleUp.policies).toEqual([{ type: 'Percent', value: 50, periodSeconds: 60 }, { type: 'Pods', value: 10, periodSeconds: 60 }]);
    expect(behavior.scaleDown).toEqual({ stabilizationWindowSeconds: 300, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 10, periodSeconds: 60 }] });
  });

  it('adds KEDA cpu/memory triggers (metricType Utilization, metadata value) for the targets set', () => {
    // pkg/scalers/cpu_memory_scaler.go: `value` from triggerMetadata, MetricType from the trigger.
    expect(so.spec.triggers.slice(1)).toEqual([
      { type: 'cpu', metricType: 'Utilization', metadata: { value: '70' } },
      { type: 'memory', metricType: 'Utilization', metadata: { value: '80' } },
    ]);
    const none = scaledObject(render([{ prometheus: { query: 'up', threshold: '1' } }], { minReplicas: 1, maxReplicas: 5 }).objects);
    expect(none.spec.triggers.map((t: Loose) => t.type)).toEqual(['prometheus']);
  });
});

describe('sqs trigger', () => {
  const queueURL = 'https://sqs.eu-west-1.amazonaws.com/123456789012/media-{environment}';

  it('pod identity: metadata queueURL/queueLength/awsRegion, TriggerAuthentication provider aws owned by the workload', () => {
    const { objects, byKind } = render([{ sqs: { queueURL, region: 'eu-west-1', queueLength: 5, auth: { podIdentity: 'aws' } } }]);
    const t = scaledObject(objects).spec.triggers[0];
    // scalers_builder.go: "aws-sqs-queue".
    expect(t).toEqual({
      type: 'aws-sqs-queue',
      authenticationRef: { name: 'worker-sqs' },
      metadata: { queueURL: 'https://sqs.eu-west-1.amazonaws.com/123456789012/media-staging', queueLength: '5', awsRegion: 'eu-west-1' },
    });
    for (const k of Object.keys(t.metadata)) expect(SQS_METADATA).toContain(k);
    // triggerauthentication_types.go: provider enum azure-workload|gcp|aws|aws-eks|none, identityOwner keda|workload.
    expect(byKind('TriggerAuthentication')).toEqual([
      expect.objectContaining({ metadata: expect.objectContaining({ name: 'worker-sqs', namespace: 'shop' }), spec: { podIdentity: { provider: 'aws', identityOwner: 'workload' } } }),
    ]);
    expect(byKind('ExternalSecret')).toEqual([]);
    // The KEDA operator calls AWS from its own namespace: nothing opens in ours.
    expect(byKind('NetworkPolicy')).toEqual([]);
  });

  it('secret: an ExternalSecret <service>-keda and secretTargetRef awsAccessKeyID/awsSecretAccessKey', () => {
    const { byKind } = render([{ sqs: { queueURL, region: 'eu-west-1', queueLength: 5, auth: { secret: { key: 'shop/sqs-reader' } } } }]);
    const [auth] = byKind('TriggerAuthentication');
    expect(auth!.spec).toEqual({
      secretTargetRef: [
        { parameter: 'awsAccessKeyID', name: 'worker-keda', key: 'sqs-awsAccessKeyID' },
        { parameter: 'awsSecretAccessKey', name: 'worker-keda', key: 'sqs-awsSecretAccessKey' },
      ],
    });
    for (const r of auth!.spec.secretTargetRef) expect(SQS_AUTH_PARAMS).toContain(r.parameter);
    const [es] = byKind('ExternalSecret');
    expect(es!.metadata).toMatchObject({ name: 'worker-keda', namespace: 'shop', labels: { 'app.kubernetes.io/name': 'worker', 'app.kubernetes.io/part-of': 'shop' } });
    expect(es!.spec.data).toEqual([
      { secretKey: 'sqs-awsAccessKeyID', remoteRef: { key: 'shop/sqs-reader', property: 'awsAccessKeyID' } },
      { secretKey: 'sqs-awsSecretAccessKey', remoteRef: { key: 'shop/sqs-reader', property: 'awsSecretAccessKey' } },
    ]);
  });
});

describe('rabbitmq trigger', () => {
  it('on a preset service: AMQP host without credentials, username/password from the broker credentials, KEDA admitted on 5672', () => {
    const { objects, byKind } = render([{ rabbitmq: { queue: 'jobs', value: 10, connection: { service: 'broker' } } }]);
    const t = scaledObject(objects).spec.triggers[0];
    expect(t).toEqual({
      type: 'rabbitmq',
      authenticationRef: { name: 'worker-rabbitmq' },
      // rabbitmq_scaler.go: KEDA sets username/password into the parsed AMQP URI itself.
      metadata: { host: 'amqp://broker.shop.svc.cluster.local:5672', protocol: 'amqp', mode: 'QueueLength', queueName: 'jobs', value: '10' },
    });
    for (const k of Object.keys(t.metadata)) expect(RABBITMQ_METADATA).toContain(k);
    const [auth] = byKind('TriggerAuthentication');
    expect(auth!.spec.secretTargetRef).toEqual([
      { parameter: 'username', name: 'worker-keda', key: 'rabbitmq-username' },
      { parameter: 'password', name: 'worker-keda', key: 'rabbitmq-password' },
    ]);
    for (const r of auth!.spec.secretTargetRef) expect(RABBITMQ_AUTH_PARAMS).toContain(r.parameter);
    expect(byKind('ExternalSecret')[0]!.spec.data).toEqual([
      { secretKey: 'rabbitmq-password', remoteRef: { key: 'shop/broker', property: 'password' } },
      { secretKey: 'rabbitmq-username', remoteRef: { key: 'shop/broker', property: 'username' } },
    ]);
    expect(byKind('NetworkPolicy')).toEqual([
      {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: expect.objectContaining({ name: 'worker-keda-broker', namespace: 'shop' }),
        spec: {
          podSelector: { matchLabels: { 'app.kubernetes.io/name': 'broker', 'app.kubernetes.io/component': 'broker' } },
          policyTypes: ['Ingress'],
          ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'keda' } } }], ports: [{ port: 5672, protocol: 'TCP' }] }],
        },
      },
    ]);
  });

  it('on a secret: the URL is the TriggerAuthentication host, protocol left to its scheme', () => {
    const { objects, byKind } = render([{ rabbitmq: { queue: 'jobs', value: 10, connection: { secret: { key: 'shop/amqp', property: 'url' } } } }]);
    expect(scaledObject(objects).spec.triggers[0].metadata).toEqual({ mode: 'QueueLength', queueName: 'jobs', value: '10' });
    expect(byKind('TriggerAuthentication')[0]!.spec).toEqual({ secretTargetRef: [{ parameter: 'host', name: 'worker-keda', key: 'rabbitmq-host' }] });
    expect(byKind('ExternalSecret')[0]!.spec.data).toEqual([{ secretKey: 'rabbitmq-host', remoteRef: { key: 'shop/amqp', property: 'url' } }]);
    expect(byKind('NetworkPolicy')).toEqual([]);
  });

  it('two triggers of one kind get distinct TriggerAuthentications and Secret keys, one ExternalSecret', () => {
    const { objects, byKind } = render([
      { rabbitmq: { queue: 'a', value: 1, connection: { service: 'broker' } } },
      { rabbitmq: { queue: 'b', value: 1, connection: { service: 'broker' } } },
    ]);
    expect(scaledObject(objects).spec.triggers.slice(0, 2).map((t: Loose) => t.authenticationRef.name)).toEqual(['worker-rabbitmq', 'worker-rabbitmq-2']);
    expect(byKind('TriggerAuthentication').map((a) => a.metadata.name)).toEqual(['worker-rabbitmq', 'worker-rabbitmq-2']);
    expect(byKind('ExternalSecret')).toHaveLength(1);
    expect(byKind('ExternalSecret')[0]!.spec.data.map((d: Loose) => d.secretKey)).toEqual(['rabbitmq-2-password', 'rabbitmq-2-username', 'rabbitmq-password', 'rabbitmq-username']);
    // One broker, one policy.
    expect(byKind('NetworkPolicy').map((p) => p.metadata.name)).toEqual(['worker-keda-broker']);
  });

  it('rejects a connection.service that is not a rabbitmq preset of the system', () => {
    expect(() => render([{ rabbitmq: { queue: 'a', value: 1, connection: { service: 'events' } } }])).toThrow(/services\.worker\.triggers: "events" is not a rabbitmq preset/);
  });
});

describe('natsJetStream trigger', () => {
  it('reads the nats service monitoring endpoint (8222) in account $G by default, and KEDA is admitted there', () => {
    const { objects, byKind } = render([{ natsJetStream: { service: 'events', stream: 'EXPORTS', consumer: 'data-export', lagThreshold: 10 } }]);
    const t = scaledObject(objects).spec.triggers[0];
    // scalers_builder.go: "nats-jetstream"; the endpoint is host:port (KEDA adds the scheme); no auth.
    expect(t).toEqual({
      type: 'nats-jetstream',
      metadata: { natsServerMonitoringEndpoint: 'events.shop.svc.cluster.local:8222', account: '$G', stream: 'EXPORTS', consumer: 'data-export', lagThreshold: '10' },
    });
    for (const k of Object.keys(t.metadata)) expect(NATS_METADATA).toContain(k);
    expect(byKind('TriggerAuthentication')).toEqual([]);
    expect(byKind('ExternalSecret')).toEqual([]);
    const [policy] = byKind('NetworkPolicy');
    expect(policy!.metadata.name).toBe('worker-keda-events');
    expect(policy!.spec.podSelector.matchLabels['app.kubernetes.io/name']).toBe('events');
    expect(policy!.spec.ingress).toEqual([{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'keda' } } }], ports: [{ port: 8222, protocol: 'TCP' }] }]);
  });

  it('passes an explicit account', () => {
    const { objects } = render([{ natsJetStream: { service: 'events', stream: 'S', consumer: 'c', lagThreshold: 3, account: 'APP' } }]);
    expect(scaledObject(objects).spec.triggers[0].metadata.account).toBe('APP');
  });
});

describe('prometheus trigger', () => {
  it('queries the monitoring stack Prometheus Service with no auth', () => {
    const { objects, byKind } = render([{ prometheus: { query: 'sum(queue_depth{env="{environment}"})', threshold: '2.5' } }]);
    const t = scaledObject(objects).spec.triggers[0];
    expect(t).toEqual({
      type: 'prometheus',
      metadata: { serverAddress: 'http://prometheus.monitoring.svc.cluster.local:9090', query: 'sum(queue_depth{env="staging"})', threshold: '2.5' },
    });
    for (const k of Object.keys(t.metadata)) expect(PROMETHEUS_METADATA).toContain(k);
    expect(byKind('TriggerAuthentication')).toEqual([]);
  });

  it("the monitoring stack's Prometheus admits the KEDA namespace only when a service has a prometheus trigger", () => {
    const policyFrom = (s: System): Loose[] => {
      const ctx: BaseContext = { fleet: fleet(s), repository: (i) => `registry.example/${i}`, components: [] };
      const policy = (prometheusComponent.base(ctx) as Loose[]).find((o) => o.kind === 'NetworkPolicy' && o.metadata.name === 'prometheus-ingress')!;
      return policy.spec.ingress[0].from;
    };
    const keda = { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'keda' } } };
    const withQuery = system({ worker: { image: 'worker', triggers: [{ prometheus: { query: 'up', threshold: '1' } }] } });
    const without = system({ worker: { image: 'worker', triggers: [{ natsJetStream: { service: 'events', stream: 'S', consumer: 'c', lagThreshold: 1 } }] } });
    expect(kedaReadsPrometheus({ systems: [withQuery] })).toBe(true);
    expect(policyFrom(withQuery)).toContainEqual(keda);
    expect(policyFrom(without)).not.toContainEqual(keda);
  });
});

describe('KEDA namespace', () => {
  it("is the inventory's addons.keda.namespace", () => {
    const fleetYaml = load(readFileSync(join(REPO_ROOT, 'inventory', 'fleet.yaml'), 'utf8')) as Loose;
    expect(kedaNamespace({ addons: fleetYaml.addons })).toBe(fleetYaml.addons.keda.namespace);
    expect(kedaNamespace({ addons: { keda: { namespace: 'autoscaling' } } } as unknown as Fleet)).toBe('autoscaling');
  });
});
