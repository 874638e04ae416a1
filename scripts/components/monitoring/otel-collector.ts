// The OpenTelemetry collector every app exports traces to (endpoint in scripts/components/telemetry.ts): it
// receives OTLP over gRPC and HTTP from every stack namespace, batches, and forwards to Tempo.
import { allStacks } from '../../model/fleet.ts';
import type { BaseContext, Component, K8sObject } from '../component.ts';
import { configChecksumAnnotation, configMap, deployment, emptyDir, podDisruptionBudget, restrictedContainer, service, toK8sResources } from '../builders.ts';
import { serviceMonitor } from '../monitors.ts';
import { allowEgress, allowIngress, fromApp, fromNamespace, MONITORING_NAMESPACE } from '../network-policies.ts';
import { stackNamespace } from '../stacks.ts';
import { OTEL_COLLECTOR, OTLP_GRPC_PORT, OTLP_HTTP_PORT } from '../telemetry.ts';
import { TEMPO } from './tempo.ts';

const NAMESPACE = MONITORING_NAMESPACE;
const METRICS_PORT = 8888;
const HEALTH_PORT = 13133;
const UID = 10001;

const defaults = {
  replicas: 1,
  resources: { requests: { cpu: '100m', memory: '256Mi' }, limits: { memory: '512Mi' } },
};

export const TEMPO_OTLP_ENDPOINT = `${TEMPO}.${MONITORING_NAMESPACE}.svc.cluster.local:${OTLP_GRPC_PORT}`;

export const collectorConfig = (): string =>
  [
    'receivers:',
    '  otlp:',
    '    protocols:',
    '      grpc:',
    `        endpoint: 0.0.0.0:${OTLP_GRPC_PORT}`,
    '      http:',
    `        endpoint: 0.0.0.0:${OTLP_HTTP_PORT}`,
    'processors:',
    // Refuse data before the pod is OOM-killed; apps' SDKs retry.
    '  memory_limiter:',
    '    check_interval: 1s',
    '    limit_percentage: 80',
    '    spike_limit_percentage: 20',
    '  batch: {}',
    'exporters:',
    '  otlp/tempo:',
    `    endpoint: ${TEMPO_OTLP_ENDPOINT}`,
    '    tls:',
    '      insecure: true',
    'extensions:',
    '  health_check:',
    `    endpoint: 0.0.0.0:${HEALTH_PORT}`,
    'service:',
    '  extensions: [health_check]',
    '  telemetry:',
    '    metrics:',
    '      readers:',
    '        - pull:',
    '            exporter:',
    '              prometheus:',
    '                host: 0.0.0.0',
    `                port: ${METRICS_PORT}`,
    '  pipelines:',
    '    traces:',
    '      receivers: [otlp]',
    '      processors: [memory_limiter, batch]',
    '      exporters: [otlp/tempo]',
    '',
  ].join('\n');

const base = (ctx: BaseContext): K8sObject[] => {
  const config = collectorConfig();
  return [
    configMap({ name: `${OTEL_COLLECTOR}-config`, namespace: NAMESPACE, stack: 'monitoring', app: OTEL_COLLECTOR, data: { 'config.yaml': config } }),
    deployment({
      name: OTEL_COLLECTOR,
      namespace: NAMESPACE,
      stack: 'monitoring',
      uid: UID,
      terminationGracePeriodSeconds: 30,
      podAnnotations: configChecksumAnnotation(config),
      containers: [
        {
          name: 'collector',
          image: ctx.repository('otel-collector'),
          args: ['--config=/etc/otelcol/config.yaml'],
          env: [{ name: 'GOMEMLIMIT', value: '400MiB' }],
          ports: [
            { name: 'otlp-grpc', containerPort: OTLP_GRPC_PORT, protocol: 'TCP' },
            { name: 'otlp-http', containerPort: OTLP_HTTP_PORT, protocol: 'TCP' },
            { name: 'metrics', containerPort: METRICS_PORT, protocol: 'TCP' },
            { name: 'health', containerPort: HEALTH_PORT, protocol: 'TCP' },
          ],
          readinessProbe: { httpGet: { path: '/', port: 'health' }, periodSeconds: 5 },
          // Liveness: the process accepts connections; readiness: the pipelines are up (health_check extension).
          livenessProbe: { tcpSocket: { port: 'otlp-grpc' }, periodSeconds: 10, failureThreshold: 6 },
          resources: toK8sResources(defaults.resources),
          securityContext: restrictedContainer(),
          volumeMounts: [
            { name: 'config', mountPath: '/etc/otelcol', readOnly: true },
            { name: 'tmp', mountPath: '/tmp' },
          ],
        },
      ],
      volumes: [{ name: 'config', configMap: { name: `${OTEL_COLLECTOR}-config` } }, emptyDir('tmp', '64Mi')],
    }),
    // Named as telemetry.ts says: otel-collector.monitoring, the endpoint in every app's OTEL_EXPORTER_OTLP_ENDPOINT.
    service({
      name: OTEL_COLLECTOR,
      namespace: NAMESPACE,
      stack: 'monitoring',
      app: OTEL_COLLECTOR,
      ports: [
        { name: 'otlp-grpc', port: OTLP_GRPC_PORT, targetPort: 'otlp-grpc', protocol: 'TCP' },
        { name: 'otlp-http', port: OTLP_HTTP_PORT, targetPort: 'otlp-http', protocol: 'TCP' },
        { name: 'metrics', port: METRICS_PORT, targetPort: 'metrics', protocol: 'TCP' },
      ],
    }),
    podDisruptionBudget({ app: OTEL_COLLECTOR, namespace: NAMESPACE, stack: 'monitoring' }),
    serviceMonitor({ app: OTEL_COLLECTOR, namespace: NAMESPACE, stack: 'monitoring', port: 'metrics' }),
    allowIngress({
      app: OTEL_COLLECTOR,
      namespace: NAMESPACE,
      rules: [
        // Every stack namespace exports traces (their allow-otlp-egress policies are the other half).
        { from: allStacks(ctx.fleet).map((s) => fromNamespace(stackNamespace(s))), ports: [OTLP_GRPC_PORT, OTLP_HTTP_PORT] },
        { from: [fromNamespace(NAMESPACE)], ports: [METRICS_PORT] },
      ],
    }),
    allowEgress({ app: OTEL_COLLECTOR, namespace: NAMESPACE, rules: [{ to: [fromApp(TEMPO)], ports: [OTLP_GRPC_PORT] }] }),
  ];
};

export const otelCollectorComponent: Component = {
  name: OTEL_COLLECTOR,
  stack: 'monitoring',
  description: 'OpenTelemetry collector: OTLP from every app, traces to Tempo',
  requires: [],
  images: [{ image: 'otel-collector', via: 'transformer' }],
  workload: {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    name: OTEL_COLLECTOR,
    resourcesPath: '/spec/template/spec/containers/0/resources',
    replicasVia: 'transformer',
  },
  defaults,
  base,
};
