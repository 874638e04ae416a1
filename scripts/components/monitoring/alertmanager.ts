// Alertmanager, run by the Prometheus operator. Routing: critical → PagerDuty, warning → Slack, grouped by
// alertname/cluster/namespace; a critical alert inhibits the warning of the same alertname on the same cluster.
// Receiver credentials come from an ExternalSecret; the config only references the Secret's keys.
import type { IAlertmanager } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/Alertmanager';
import type { IAlertmanagerConfig } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1alpha1/AlertmanagerConfig';
import type { INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { appLabels, selectorLabels } from '../../lib/labels.ts';
import { fleetMonitoringSettings } from '../../monitoring/settings.ts';
import type { BaseContext, Component, K8sObject } from '../component.ts';
import { podDisruptionBudget, restrictedPod, service, toK8sResources } from '../builders.ts';
import { allowIngress, fromNamespace, MONITORING_NAMESPACE } from '../network-policies.ts';
import { externalSecret } from '../secrets.ts';

export const ALERTMANAGER = 'alertmanager';
export const ALERTMANAGER_PORT = 9093;
/** Gossip port between Alertmanager replicas (TCP and UDP). */
const CLUSTER_PORT = 9094;
const NAMESPACE = MONITORING_NAMESPACE;
/** The Secret the ExternalSecret materialises; the AlertmanagerConfig reads its keys. */
export const RECEIVERS_SECRET = 'alertmanager-receivers';
export const PAGERDUTY_KEY = 'pagerduty-routing-key';
export const SLACK_KEY = 'slack-webhook-url';
/** Labels alerts are grouped by (one notification per group). */
export const GROUP_BY = ['alertname', 'cluster', 'namespace'] as const;

const defaults = {
  replicas: 1,
  resources: { requests: { cpu: '50m', memory: '128Mi' }, limits: { memory: '256Mi' } },
};

const alertmanager = (ctx: BaseContext): IAlertmanager & K8sObject => ({
  apiVersion: 'monitoring.coreos.com/v1',
  kind: 'Alertmanager',
  metadata: { name: ALERTMANAGER, namespace: NAMESPACE, labels: appLabels(ALERTMANAGER, 'monitoring') },
  spec: {
    // The AlertmanagerConfig below is the global configuration: the operator then does not restrict its routes
    // to alerts carrying namespace="monitoring", which it does for ordinary AlertmanagerConfigs.
    alertmanagerConfiguration: { name: ALERTMANAGER },
    image: ctx.repository('alertmanager'),
    // Same reason as Prometheus: the PDB, Service and NetworkPolicies select on the component labels.
    podMetadata: { labels: selectorLabels(ALERTMANAGER) },
    resources: toK8sResources(defaults.resources),
    // Silences and notification log survive a pod restart through the other replicas (gossip), not a volume.
    retention: '120h',
    securityContext: restrictedPod(1000),
  },
});

/**
 * An equality matcher leaves matchType out (the CRD default is `=`): a bare `=` in YAML is the 1.1 "value" tag to
 * YAML 1.1 parsers (PyYAML, yamllint), which then refuse the file.
 */
const matcher = (name: string, value: string, matchType: '=' | '=~' = '='): { name: string; value: string; matchType?: '=~' } => ({
  name,
  value,
  ...(matchType === '=~' ? { matchType } : {}),
});

const alertmanagerConfig = (slackChannel: string): IAlertmanagerConfig & K8sObject => ({
  apiVersion: 'monitoring.coreos.com/v1alpha1',
  kind: 'AlertmanagerConfig',
  metadata: { name: ALERTMANAGER, namespace: NAMESPACE, labels: appLabels(ALERTMANAGER, 'monitoring') },
  spec: {
    route: {
      // Anything without a known severity still reaches a human, on Slack.
      receiver: 'slack',
      groupBy: [...GROUP_BY],
      groupWait: '30s',
      groupInterval: '5m',
      repeatInterval: '4h',
      routes: [
        { receiver: 'pagerduty', matchers: [matcher('severity', 'critical')], repeatInterval: '1h' },
        { receiver: 'slack', matchers: [matcher('severity', 'warning')] },
      ],
    },
    receivers: [
      {
        name: 'pagerduty',
        pagerdutyConfigs: [
          {
            routingKey: { name: RECEIVERS_SECRET, key: PAGERDUTY_KEY },
            sendResolved: true,
            severity: 'critical',
            description: '{{ .CommonAnnotations.summary }}',
          },
        ],
      },
      {
        name: 'slack',
        slackConfigs: [
          {
            apiURL: { name: RECEIVERS_SECRET, key: SLACK_KEY },
            channel: slackChannel,
            sendResolved: true,
            title: '[{{ .Status | toUpper }}] {{ .CommonLabels.alertname }} on {{ .CommonLabels.cluster }}',
            text: '{{ range .Alerts }}{{ .Annotations.summary }}\n{{ .Annotations.description }}\nRunbook: {{ .Annotations.runbook_url }}\n{{ end }}',
          },
        ],
      },
    ],
    inhibitRules: [
      // The critical alert already pages; its warning twin would only add noise.
      { sourceMatch: [matcher('severity', 'critical')], targetMatch: [matcher('severity', 'warning')], equal: ['alertname', 'cluster'] },
      // Alerts with a warning and a critical threshold under two names: the critical one silences its warning twin.
      {
        sourceMatch: [matcher('alertname', 'PersistentVolumeFull')],
        targetMatch: [matcher('alertname', 'PersistentVolumeFillingUp')],
        equal: ['cluster', 'namespace', 'persistentvolumeclaim'],
      },
      {
        sourceMatch: [matcher('alertname', 'CertificateExpiryCritical')],
        targetMatch: [matcher('alertname', 'CertificateExpiringSoon')],
        equal: ['cluster', 'namespace', 'name'],
      },
      // When every origin is down, "no publishers" and per-target "down" alerts are consequences, not causes.
      {
        sourceMatch: [matcher('alertname', 'RtmpOriginDown')],
        targetMatch: [matcher('alertname', 'NoActivePublishers|ServiceDown', '=~')],
        equal: ['cluster'],
      },
    ],
  },
});

/** Alertmanager talks to PagerDuty and Slack (HTTPS, anywhere) and to its peers. */
const egress = (): INetworkPolicy & K8sObject => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata: { name: `${ALERTMANAGER}-egress`, namespace: NAMESPACE },
  spec: {
    podSelector: { matchLabels: selectorLabels(ALERTMANAGER) },
    policyTypes: ['Egress'],
    egress: [
      { ports: [{ port: 443, protocol: 'TCP' }] },
      {
        to: [{ podSelector: { matchLabels: selectorLabels(ALERTMANAGER) } }],
        ports: [
          { port: CLUSTER_PORT, protocol: 'TCP' },
          { port: CLUSTER_PORT, protocol: 'UDP' },
        ],
      },
    ],
  },
});

const peersIngress = (): INetworkPolicy & K8sObject => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata: { name: `${ALERTMANAGER}-peers-ingress`, namespace: NAMESPACE },
  spec: {
    podSelector: { matchLabels: selectorLabels(ALERTMANAGER) },
    policyTypes: ['Ingress'],
    ingress: [
      {
        from: [{ podSelector: { matchLabels: selectorLabels(ALERTMANAGER) } }],
        ports: [
          { port: CLUSTER_PORT, protocol: 'TCP' },
          { port: CLUSTER_PORT, protocol: 'UDP' },
        ],
      },
    ],
  },
});

const base = (ctx: BaseContext): K8sObject[] => {
  const settings = fleetMonitoringSettings(ctx.fleet);
  return [
    externalSecret({
      name: RECEIVERS_SECRET,
      namespace: NAMESPACE,
      stack: 'monitoring',
      app: ALERTMANAGER,
      data: [
        { secretKey: PAGERDUTY_KEY, remoteKey: settings.alertmanagerSecretKey, property: PAGERDUTY_KEY },
        { secretKey: SLACK_KEY, remoteKey: settings.alertmanagerSecretKey, property: SLACK_KEY },
      ],
    }),
    alertmanagerConfig(settings.slackChannel),
    alertmanager(ctx),
    service({
      name: ALERTMANAGER,
      namespace: NAMESPACE,
      stack: 'monitoring',
      app: ALERTMANAGER,
      ports: [{ name: 'web', port: ALERTMANAGER_PORT, targetPort: 'web', protocol: 'TCP' }],
    }),
    podDisruptionBudget({ app: ALERTMANAGER, namespace: NAMESPACE, stack: 'monitoring' }),
    // Prometheus (alerts) and Grafana (datasource) live in the monitoring namespace.
    allowIngress({ app: ALERTMANAGER, namespace: NAMESPACE, rules: [{ from: [fromNamespace(NAMESPACE)], ports: [ALERTMANAGER_PORT] }] }),
    peersIngress(),
    egress(),
  ];
};

export const alertmanagerComponent: Component = {
  name: ALERTMANAGER,
  stack: 'monitoring',
  description: 'Alertmanager (operator-managed): critical → PagerDuty, warning → Slack',
  requires: [],
  images: [{ image: 'alertmanager', via: 'patch', imagePath: '/spec/image', versionPath: '/spec/version' }],
  workload: {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'Alertmanager',
    name: ALERTMANAGER,
    resourcesPath: '/spec/resources',
    replicasVia: 'patch',
  },
  defaults,
  base,
};
