// Grafana: datasources (Prometheus, Alertmanager, Tempo) and dashboards provisioned from generated ConfigMaps,
// so every dashboard is code (scripts/monitoring/dashboards.ts) and a UI edit never drifts from Git.
// Admin credentials come from an ExternalSecret; public on grafana.<cluster domain> with the env's issuer.
import { CliError, ExitCode } from '../../lib/exit-codes.ts';
import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import { exportersOn, scaledByKeda } from '../../monitoring/alert-rules.ts';
import { DASHBOARDS, dashboardFiles } from '../../monitoring/dashboards.ts';
import { isMetricProvided, componentMetrics } from '../../monitoring/promql.ts';
import { recordedMetrics } from '../../monitoring/recording-rules.ts';
import { fleetMonitoringSettings } from '../../monitoring/settings.ts';
import { validateDashboardJson } from '../../monitoring/validate.ts';
import type { BaseContext, ClusterContext, Component, K8sObject } from '../component.ts';
import { runsOn } from '../placement.ts';
import {
  configChecksumAnnotation,
  configMap,
  deployment,
  emptyDir,
  podDisruptionBudget,
  restrictedContainer,
  service,
  tlsIngress,
  toK8sResources,
} from '../builders.ts';
import { allowEgress, allowIngress, fromApp, fromNamespace, INGRESS_NAMESPACE, MONITORING_NAMESPACE } from '../network-policies.ts';
import { externalSecret } from '../secrets.ts';
import { ALERTMANAGER, ALERTMANAGER_PORT } from './alertmanager.ts';
import { PROMETHEUS, PROMETHEUS_PORT } from './prometheus.ts';
import { TEMPO, TEMPO_HTTP_PORT } from './tempo.ts';

export const GRAFANA = 'grafana';
const NAMESPACE = MONITORING_NAMESPACE;
const HTTP_PORT = 3000;
const UID = 472; // the grafana image's user
export const GRAFANA_ADMIN_SECRET = 'grafana-admin';
const DASHBOARDS_DIR = '/var/lib/grafana-dashboards';

const defaults = {
  replicas: 1,
  resources: { requests: { cpu: '100m', memory: '256Mi' }, limits: { memory: '512Mi' } },
};

/** The pod annotation configChecksumAnnotation() writes. */
const CHECKSUM_KEY = Object.keys(configChecksumAnnotation(''))[0]!;

const svcUrl = (name: string, port: number): string => `http://${name}.${NAMESPACE}.svc.cluster.local:${port}`;

export const datasourcesYaml = (): string =>
  [
    'apiVersion: 1',
    'datasources:',
    '  - name: Prometheus',
    '    uid: prometheus',
    '    type: prometheus',
    '    access: proxy',
    `    url: ${svcUrl(PROMETHEUS, PROMETHEUS_PORT)}`,
    '    isDefault: true',
    '    editable: false',
    '    jsonData:',
    '      timeInterval: 30s',
    '  - name: Alertmanager',
    '    uid: alertmanager',
    '    type: alertmanager',
    '    access: proxy',
    `    url: ${svcUrl(ALERTMANAGER, ALERTMANAGER_PORT)}`,
    '    editable: false',
    '    jsonData:',
    '      implementation: prometheus',
    '  - name: Tempo',
    '    uid: tempo',
    '    type: tempo',
    '    access: proxy',
    `    url: ${svcUrl(TEMPO, TEMPO_HTTP_PORT)}`,
    '    editable: false',
    '    jsonData:',
    '      serviceMap:',
    '        datasourceUid: prometheus',
    '',
  ].join('\n');

export const dashboardProviderYaml = (): string =>
  [
    'apiVersion: 1',
    'providers:',
    '  - name: streamfleet',
    '    type: file',
    '    disableDeletion: true',
    '    allowUiUpdates: false',
    '    options:',
    `      path: ${DASHBOARDS_DIR}`,
    '',
  ].join('\n');

export const grafanaHost = (domain: string): string => `grafana.${domain}`;

export const dashboardConfigMapName = (uid: string): string => `${GRAFANA}-dashboard-${uid}`;

/** Raw metrics the components declare, plus the series their recording rules write (recording-rules.ts). */
const exposedBy = (components: readonly Component[]): Set<string> =>
  new Set([...componentMetrics(components), ...recordedMetrics(components.map((c) => c.metrics ?? []))]);

/**
 * Every dashboard with every panel, checked against every metric the fleet's components declare plus the known
 * exporters: a renamed metric or a broken query fails `pnpm gen` instead of shipping an empty panel anywhere.
 */
export const fleetDashboards = (ctx: BaseContext): Array<{ uid: string; json: string }> => {
  const exposed = exposedBy(ctx.components);
  const files = dashboardFiles(() => true);
  const problems = files.flatMap((d) => validateDashboardJson(d.uid, d.json, exposed));
  if (problems.length > 0) throw new CliError(`invalid Grafana dashboards:\n  ${problems.join('\n  ')}\nnothing was written`, ExitCode.Findings);
  return files;
};

/**
 * The dashboards of one cluster: each panel only where every series it reads exists there (components running on
 * the cluster, their recording rules, exporters present there; KEDA's scaler series only where a ScaledObject
 * scales a component), and a dashboard only with at least one panel. So the GPU dashboard exists on `gpu` clusters,
 * the streaming one where the streaming stack runs, Postgres panels where Postgres runs in the cluster.
 */
export const clusterDashboards = (ctx: ClusterContext): Array<{ uid: string; json: string }> => {
  const running = ctx.components.filter((c) => runsOn(ctx, c));
  const keda = running.some((c) => scaledByKeda(ctx, c, ctx.environment));
  const exporters = exportersOn(ctx.cluster).filter((e) => e.name !== 'keda' || keda);
  const exposed = exposedBy(running);
  return dashboardFiles((m) => isMetricProvided(m, exposed, exporters)).filter((d) => (JSON.parse(d.json) as { panels: unknown[] }).panels.length > 0);
};

const grafanaDeployment = (ctx: BaseContext, configs: string[]): IDeployment & K8sObject =>
  deployment({
    name: GRAFANA,
    namespace: NAMESPACE,
    stack: 'monitoring',
    uid: UID,
    terminationGracePeriodSeconds: 30,
    podAnnotations: configChecksumAnnotation(...configs),
    containers: [
      {
        name: GRAFANA,
        image: ctx.repository('grafana'),
        env: [
          { name: 'GF_ANALYTICS_CHECK_FOR_UPDATES', value: 'false' },
          { name: 'GF_ANALYTICS_REPORTING_ENABLED', value: 'false' },
          // No internet egress: do not try to download plugins at start.
          { name: 'GF_PLUGINS_PREINSTALL_DISABLED', value: 'true' },
          { name: 'GF_SECURITY_ADMIN_PASSWORD', valueFrom: { secretKeyRef: { name: GRAFANA_ADMIN_SECRET, key: 'admin-password' } } },
          { name: 'GF_SECURITY_ADMIN_USER', valueFrom: { secretKeyRef: { name: GRAFANA_ADMIN_SECRET, key: 'admin-user' } } },
        ],
        ports: [{ name: 'http', containerPort: HTTP_PORT, protocol: 'TCP' }],
        startupProbe: { httpGet: { path: '/api/health', port: 'http' }, periodSeconds: 5, failureThreshold: 30 },
        readinessProbe: { httpGet: { path: '/api/health', port: 'http' }, periodSeconds: 10 },
        // Liveness only asks whether the server answers at all: a slow database check must not restart the pod.
        livenessProbe: { tcpSocket: { port: 'http' }, periodSeconds: 20, failureThreshold: 6 },
        resources: toK8sResources(defaults.resources),
        securityContext: restrictedContainer(),
        volumeMounts: [
          { name: 'data', mountPath: '/var/lib/grafana' },
          { name: 'tmp', mountPath: '/tmp' },
          { name: 'datasources', mountPath: '/etc/grafana/provisioning/datasources', readOnly: true },
          { name: 'dashboard-provider', mountPath: '/etc/grafana/provisioning/dashboards', readOnly: true },
          { name: 'dashboards', mountPath: DASHBOARDS_DIR, readOnly: true },
        ],
      },
    ],
    volumes: [
      // Everything Grafana keeps is provisioned from Git; its sqlite database is scratch.
      emptyDir('data', '1Gi'),
      emptyDir('tmp', '256Mi'),
      { name: 'datasources', configMap: { name: `${GRAFANA}-datasources` } },
      { name: 'dashboard-provider', configMap: { name: `${GRAFANA}-dashboard-provider` } },
      // Every dashboard's ConfigMap, optional: a cluster renders only the dashboards it has data for (cluster hook).
      { name: 'dashboards', projected: { sources: DASHBOARDS.map((d) => ({ configMap: { name: dashboardConfigMapName(d.uid), optional: true } })) } },
    ],
  });

const base = (ctx: BaseContext): K8sObject[] => {
  const settings = fleetMonitoringSettings(ctx.fleet);
  // Validates every panel against the fleet (fails gen on a bad query); clusters ship their own subset.
  fleetDashboards(ctx);
  const datasources = datasourcesYaml();
  const provider = dashboardProviderYaml();
  return [
    externalSecret({
      name: GRAFANA_ADMIN_SECRET,
      namespace: NAMESPACE,
      stack: 'monitoring',
      app: GRAFANA,
      data: [
        { secretKey: 'admin-password', remoteKey: settings.grafanaSecretKey, property: 'admin-password' },
        { secretKey: 'admin-user', remoteKey: settings.grafanaSecretKey, property: 'admin-user' },
      ],
    }),
    configMap({ name: `${GRAFANA}-datasources`, namespace: NAMESPACE, stack: 'monitoring', app: GRAFANA, data: { 'datasources.yaml': datasources } }),
    configMap({ name: `${GRAFANA}-dashboard-provider`, namespace: NAMESPACE, stack: 'monitoring', app: GRAFANA, data: { 'provider.yaml': provider } }),
    grafanaDeployment(ctx, [datasources, provider]),
    service({
      name: GRAFANA,
      namespace: NAMESPACE,
      stack: 'monitoring',
      app: GRAFANA,
      ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }],
    }),
    podDisruptionBudget({ app: GRAFANA, namespace: NAMESPACE, stack: 'monitoring' }),
    allowIngress({ app: GRAFANA, namespace: NAMESPACE, rules: [{ from: [fromNamespace(INGRESS_NAMESPACE)], ports: [HTTP_PORT] }] }),
    allowEgress({
      app: GRAFANA,
      namespace: NAMESPACE,
      rules: [
        { to: [fromApp(PROMETHEUS)], ports: [PROMETHEUS_PORT] },
        { to: [fromApp(ALERTMANAGER)], ports: [ALERTMANAGER_PORT] },
        { to: [fromApp(TEMPO)], ports: [TEMPO_HTTP_PORT] },
      ],
    }),
  ];
};

export const grafanaComponent: Component = {
  name: GRAFANA,
  stack: 'monitoring',
  description: 'Grafana with provisioned datasources and generated dashboards',
  requires: [],
  images: [{ image: 'grafana', via: 'transformer' }],
  workload: {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    name: GRAFANA,
    resourcesPath: '/spec/template/spec/containers/0/resources',
    replicasVia: 'transformer',
  },
  defaults,
  base,
  // Links Grafana generates (alert notifications, share links, OAuth redirects) must use the public host.
  clusterPatches: (ctx) => [
    {
      target: { kind: 'Deployment', name: GRAFANA },
      ops: [
        { op: 'add', path: '/spec/template/spec/containers/0/env/-', value: { name: 'GF_SERVER_ROOT_URL', value: `https://${grafanaHost(ctx.cluster.domain)}/` } },
        // The cluster's dashboards roll the pods like the base configs do.
        {
          op: 'replace',
          path: `/spec/template/metadata/annotations/${CHECKSUM_KEY.replace(/\//g, '~1')}`,
          value: configChecksumAnnotation(datasourcesYaml(), dashboardProviderYaml(), ...clusterDashboards(ctx).map((d) => d.json))[CHECKSUM_KEY]!,
        },
      ],
    },
  ],
  cluster: (ctx) => [
    ...clusterDashboards(ctx).map((d) =>
      configMap({ name: dashboardConfigMapName(d.uid), namespace: NAMESPACE, stack: 'monitoring', app: GRAFANA, data: { [`${d.uid}.json`]: d.json } }),
    ),
    tlsIngress({
      name: GRAFANA,
      namespace: NAMESPACE,
      stack: 'monitoring',
      app: GRAFANA,
      host: grafanaHost(ctx.cluster.domain),
      clusterIssuer: ctx.environment.clusterIssuer,
      serviceName: GRAFANA,
      servicePort: 'http',
      // Each replica keeps its own sessions (sqlite on an emptyDir): keep a browser on one replica.
      annotations: { 'nginx.ingress.kubernetes.io/affinity': 'cookie', 'nginx.ingress.kubernetes.io/session-cookie-name': 'grafana-affinity' },
    }),
  ],
};
