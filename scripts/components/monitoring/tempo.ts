// Tempo (single binary) stores the traces the OpenTelemetry collector forwards; Grafana queries it. One replica
// with a volume: the local backend cannot be shared between replicas, so more replicas would split the traces.
import type { IStatefulSet } from 'kubernetes-models/apps/v1/StatefulSet';
import { appLabels, selectorLabels } from '../../lib/labels.ts';
import { clusterMonitoringSettings } from '../../monitoring/settings.ts';
import type { BaseContext, Component, K8sObject } from '../component.ts';
import { configChecksumAnnotation, configMap, emptyDir, podDisruptionBudget, restrictedContainer, restrictedPod, service, toK8sResources } from '../builders.ts';
import { serviceMonitor } from '../monitors.ts';
import { allowIngress, fromApp, fromNamespace, MONITORING_NAMESPACE } from '../network-policies.ts';
import { OTEL_COLLECTOR, OTLP_GRPC_PORT } from '../telemetry.ts';

export const TEMPO = 'tempo';
export const TEMPO_HTTP_PORT = 3200;
const NAMESPACE = MONITORING_NAMESPACE;
const UID = 10001;
const DATA = '/var/tempo';
/** Retention written into the base config; clusters patch it from the inventory settings. */
const DEFAULT_RETENTION = '72h';

const defaults = {
  replicas: 1,
  resources: { requests: { cpu: '200m', memory: '512Mi' }, limits: { memory: '2Gi' } },
};

export const tempoConfig = (retention: string): string =>
  [
    'server:',
    `  http_listen_port: ${TEMPO_HTTP_PORT}`,
    'distributor:',
    '  receivers:',
    '    otlp:',
    '      protocols:',
    '        grpc:',
    `          endpoint: 0.0.0.0:${OTLP_GRPC_PORT}`,
    'compactor:',
    '  compaction:',
    `    block_retention: ${retention}`,
    'storage:',
    '  trace:',
    '    backend: local',
    '    local:',
    `      path: ${DATA}/traces`,
    '    wal:',
    `      path: ${DATA}/wal`,
    'usage_report:',
    '  reporting_enabled: false',
    '',
  ].join('\n');

const statefulSet = (ctx: BaseContext, config: string): IStatefulSet & K8sObject => ({
  apiVersion: 'apps/v1',
  kind: 'StatefulSet',
  metadata: { name: TEMPO, namespace: NAMESPACE, labels: appLabels(TEMPO, 'monitoring') },
  spec: {
    serviceName: `${TEMPO}-headless`,
    selector: { matchLabels: selectorLabels(TEMPO) },
    template: {
      metadata: { labels: appLabels(TEMPO, 'monitoring'), annotations: configChecksumAnnotation(config) },
      spec: {
        automountServiceAccountToken: false,
        enableServiceLinks: false,
        securityContext: restrictedPod(UID),
        terminationGracePeriodSeconds: 60,
        topologySpreadConstraints: [
          { labelSelector: { matchLabels: selectorLabels(TEMPO) }, maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway' },
        ],
        containers: [
          {
            name: TEMPO,
            image: ctx.repository('tempo'),
            args: ['-config.file=/etc/tempo/tempo.yaml'],
            ports: [
              { name: 'http', containerPort: TEMPO_HTTP_PORT, protocol: 'TCP' },
              { name: 'otlp-grpc', containerPort: OTLP_GRPC_PORT, protocol: 'TCP' },
            ],
            // Replaying the WAL after a restart takes a while: startup probe before liveness counts.
            startupProbe: { httpGet: { path: '/ready', port: 'http' }, periodSeconds: 5, failureThreshold: 60 },
            readinessProbe: { httpGet: { path: '/ready', port: 'http' }, periodSeconds: 10 },
            // /ready fails while the ingester joins its ring; liveness must only catch a hung process.
            livenessProbe: { tcpSocket: { port: 'http' }, periodSeconds: 20, failureThreshold: 6 },
            resources: toK8sResources(defaults.resources),
            securityContext: restrictedContainer(),
            volumeMounts: [
              { name: 'config', mountPath: '/etc/tempo', readOnly: true },
              { name: 'data', mountPath: DATA },
              { name: 'tmp', mountPath: '/tmp' },
            ],
          },
        ],
        volumes: [{ name: 'config', configMap: { name: `${TEMPO}-config` } }, emptyDir('tmp', '256Mi')],
      },
    },
    volumeClaimTemplates: [
      {
        apiVersion: 'v1',
        kind: 'PersistentVolumeClaim',
        metadata: { name: 'data' },
        spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '20Gi' } } },
      },
    ],
  },
});

const base = (ctx: BaseContext): K8sObject[] => {
  const config = tempoConfig(DEFAULT_RETENTION);
  return [
    configMap({ name: `${TEMPO}-config`, namespace: NAMESPACE, stack: 'monitoring', app: TEMPO, data: { 'tempo.yaml': config } }),
    statefulSet(ctx, config),
    service({
      name: TEMPO,
      namespace: NAMESPACE,
      stack: 'monitoring',
      app: TEMPO,
      ports: [
        { name: 'http', port: TEMPO_HTTP_PORT, targetPort: 'http', protocol: 'TCP' },
        { name: 'otlp-grpc', port: OTLP_GRPC_PORT, targetPort: 'otlp-grpc', protocol: 'TCP' },
      ],
    }),
    // The StatefulSet's governing Service only gives the pod its DNS identity, so it declares no port: with the
    // `http` port it carried before, the ServiceMonitor (which selects both Services by the same labels) scraped
    // Tempo twice, as job "tempo" and job "tempo-headless". A headless Service may have no ports.
    // Checked: kubernetes.io docs, kubectl reference `kubectl create service clusterip` ("Create a new ClusterIP
    // service named my-cs (in headless mode)": `--clusterip="None"` without `--tcp`).
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: `${TEMPO}-headless`, namespace: NAMESPACE, labels: appLabels(TEMPO, 'monitoring') },
      spec: { clusterIP: 'None', selector: selectorLabels(TEMPO) },
    },
    podDisruptionBudget({ app: TEMPO, namespace: NAMESPACE, stack: 'monitoring' }),
    serviceMonitor({ app: TEMPO, namespace: NAMESPACE, stack: 'monitoring', port: 'http' }),
    allowIngress({
      app: TEMPO,
      namespace: NAMESPACE,
      rules: [
        { from: [fromApp(OTEL_COLLECTOR)], ports: [OTLP_GRPC_PORT] },
        // Grafana queries and Prometheus scrapes, both in this namespace.
        { from: [fromNamespace(NAMESPACE)], ports: [TEMPO_HTTP_PORT] },
      ],
    }),
  ];
};

export const tempoComponent: Component = {
  name: TEMPO,
  stack: 'monitoring',
  description: 'Tempo (single binary) storing the traces of every app',
  requires: [],
  images: [{ image: 'tempo', via: 'transformer' }],
  workload: {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    name: TEMPO,
    resourcesPath: '/spec/template/spec/containers/0/resources',
    replicasVia: 'transformer',
  },
  defaults,
  base,
  clusterPatches: (ctx) => {
    const { tracesRetention } = clusterMonitoringSettings(ctx.fleet, ctx.environment, ctx.cluster);
    const config = tempoConfig(tracesRetention);
    const custom = tracesRetention !== DEFAULT_RETENTION;
    return [
      {
        target: { kind: 'StatefulSet', name: TEMPO },
        ops: [
          { op: 'add', path: '/spec/volumeClaimTemplates/0/spec/storageClassName', value: ctx.cluster.storageClass },
          // A changed config must roll the pod, as the base checksum does for the default config.
          ...(custom ? [{ op: 'replace' as const, path: '/spec/template/metadata/annotations', value: configChecksumAnnotation(config) }] : []),
        ],
      },
      ...(custom ? [{ target: { kind: 'ConfigMap', name: `${TEMPO}-config` }, ops: [{ op: 'replace' as const, path: '/data/tempo.yaml', value: config }] }] : []),
    ];
  },
};
