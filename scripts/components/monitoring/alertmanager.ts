// Alertmanager, run by the Prometheus operator. Routing: critical → PagerDuty and Slack, warning → Slack, both (or
// the configured severities) also by e-mail where the inventory configures it; grouped by alertname/cluster/namespace.
// Inhibitions mute a consequence only on the same cluster and for the same service (see inhibitRules below).
// Receiver credentials come from an ExternalSecret; the config only references the Secret's keys.
import type { IAlertmanager } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/Alertmanager';
import type { IAlertmanagerConfig } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1alpha1/AlertmanagerConfig';
import type { INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { appLabels, selectorLabels } from '../../lib/labels.ts';
import type { Severity } from '../../monitoring/rules.ts';
import { fleetMonitoringSettings, type EmailReceiver, type FleetMonitoringSettings } from '../../monitoring/settings.ts';
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
/** Read only when the inventory's e-mail receiver names an SMTP user. */
export const SMTP_PASSWORD_KEY = 'smtp-auth-password';
/** Receiver names as written in the AlertmanagerConfig (the operator prefixes them with `monitoring/alertmanager/`). */
export const RECEIVERS = { pagerduty: 'pagerduty', slack: 'slack', email: 'email' } as const;
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

/** `severity` equal to one value, or one of several (`=~` is anchored by Alertmanager). */
const severityMatcher = (severities: readonly Severity[]): ReturnType<typeof matcher> =>
  severities.length === 1 ? matcher('severity', severities[0]!) : matcher('severity', severities.join('|'), '=~');

/**
 * Routes. Alertmanager stops at the first matching child unless it has `continue: true`, and the root's receiver is
 * used only when no child matched (Checked: prometheus/alertmanager @ v0.28.0 : dispatch/route.go Route.Match), so a
 * critical alert reaches Slack only through an explicit Slack route after the PagerDuty one continues.
 */
const routes = (email: EmailReceiver | undefined): Array<Record<string, unknown>> => [
  { receiver: RECEIVERS.pagerduty, matchers: [matcher('severity', 'critical')], continue: true, repeatInterval: '1h' },
  ...(email ? [{ receiver: RECEIVERS.email, matchers: [severityMatcher(email.severities)], continue: true }] : []),
  { receiver: RECEIVERS.slack, matchers: [severityMatcher(['critical', 'warning'])] },
];

type Receiver = NonNullable<IAlertmanagerConfig['spec']['receivers']>[number];
type InhibitRule = NonNullable<IAlertmanagerConfig['spec']['inhibitRules']>[number];

const emailReceiver = (email: EmailReceiver): Receiver => ({
  name: RECEIVERS.email,
  emailConfigs: [
    {
      to: email.to,
      from: email.from,
      smarthost: email.smarthost,
      sendResolved: true,
      ...(email.authUsername !== undefined
        ? { authUsername: email.authUsername, authPassword: { name: RECEIVERS_SECRET, key: SMTP_PASSWORD_KEY } }
        : {}),
    },
  ],
});

/**
 * Inhibitions. Alertmanager compares each `equal` label's value on source and target, a missing label counting as
 * empty (Checked: prometheus/alertmanager @ v0.28.0 : inhibit/inhibit.go InhibitRule.hasEqual), so every label
 * listed must be carried by both sides or by neither; tests/monitoring/alertmanager-inhibit.test.ts checks that
 * against the labels the rendered rules produce. `cluster` comes from Prometheus' external labels.
 */
const inhibitRules = (): InhibitRule[] => [
  // The critical alert already pages; its warning twin (same name, same target) would only add noise. Twins share
  // their expression, so namespace/job are carried by both or by neither.
  {
    sourceMatch: [matcher('severity', 'critical')],
    targetMatch: [matcher('severity', 'warning')],
    equal: ['alertname', 'cluster', 'namespace', 'job'],
  },
  // Alerts with a warning and a critical threshold under two names: the critical one silences its warning twin.
  {
    sourceMatch: [matcher('alertname', 'PersistentVolumeFull')],
    targetMatch: [matcher('alertname', 'PersistentVolumeFillingUp')],
    equal: ['cluster', 'namespace', 'persistentvolumeclaim'],
  },
  {
    sourceMatch: [matcher('alertname', 'CertificateExpiryCritical')],
    targetMatch: [matcher('alertname', 'CertificateExpiringSoon')],
    // cert-manager's ServiceMonitor does not honour labels (chart default honorLabels: false; Checked:
    // cert-manager/cert-manager @ v1.20.3 : deploy/charts/cert-manager/values.yaml), so the Certificate's namespace
    // arrives as exported_namespace and `namespace` is cert-manager's own; both are compared, which stays right
    // if honorLabels is ever turned on (exported_namespace then absent on both sides).
    equal: ['cluster', 'namespace', 'exported_namespace', 'name'],
  },
  // When every origin is down, its own per-target "down" alerts are consequences, not causes: only the origin's
  // (same job) on the same cluster; another service's ServiceDown still notifies. RtmpOriginDown aggregates
  // `by (job)`, so `job` is the service identity both sides carry (namespace is not on the source).
  {
    sourceMatch: [matcher('alertname', 'RtmpOriginDown')],
    targetMatch: [matcher('alertname', 'ServiceDown')],
    equal: ['cluster', 'job'],
  },
  // ... and "no publishers" on that cluster (a cluster-wide sum: it carries no other label to compare).
  {
    sourceMatch: [matcher('alertname', 'RtmpOriginDown')],
    targetMatch: [matcher('alertname', 'NoActivePublishers')],
    equal: ['cluster'],
  },
];

const alertmanagerConfig = (settings: FleetMonitoringSettings): IAlertmanagerConfig & K8sObject => ({
  apiVersion: 'monitoring.coreos.com/v1alpha1',
  kind: 'AlertmanagerConfig',
  metadata: { name: ALERTMANAGER, namespace: NAMESPACE, labels: appLabels(ALERTMANAGER, 'monitoring') },
  spec: {
    route: {
      // Anything without a known severity still reaches a human, on Slack.
      receiver: RECEIVERS.slack,
      groupBy: [...GROUP_BY],
      groupWait: '30s',
      groupInterval: '5m',
      repeatInterval: '4h',
      routes: routes(settings.email),
    },
    receivers: [
      {
        name: RECEIVERS.pagerduty,
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
        name: RECEIVERS.slack,
        slackConfigs: [
          {
            apiURL: { name: RECEIVERS_SECRET, key: SLACK_KEY },
            channel: settings.slackChannel,
            sendResolved: true,
            title: '[{{ .Status | toUpper }}] {{ .CommonLabels.alertname }} on {{ .CommonLabels.cluster }}',
            text: '{{ range .Alerts }}{{ .Annotations.summary }}\n{{ .Annotations.description }}\nRunbook: {{ .Annotations.runbook_url }}\n{{ end }}',
          },
        ],
      },
      ...(settings.email ? [emailReceiver(settings.email)] : []),
    ],
    inhibitRules: inhibitRules(),
  },
});

/**
 * Alertmanager talks to PagerDuty and Slack (HTTPS, anywhere), to the SMTP relay where e-mail is configured (its
 * port, anywhere) and to its peers.
 */
/** The SMTP relay's port, from `host:port` (the schema requires the port). */
const smtpPort = (email: EmailReceiver): number => Number(email.smarthost.slice(email.smarthost.lastIndexOf(':') + 1));

const egress = (email: EmailReceiver | undefined): INetworkPolicy & K8sObject => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata: { name: `${ALERTMANAGER}-egress`, namespace: NAMESPACE },
  spec: {
    podSelector: { matchLabels: selectorLabels(ALERTMANAGER) },
    policyTypes: ['Egress'],
    egress: [
      { ports: [{ port: 443, protocol: 'TCP' }] },
      ...(email && smtpPort(email) !== 443 ? [{ ports: [{ port: smtpPort(email), protocol: 'TCP' as const }] }] : []),
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
        ...(settings.email?.authUsername !== undefined
          ? [{ secretKey: SMTP_PASSWORD_KEY, remoteKey: settings.alertmanagerSecretKey, property: SMTP_PASSWORD_KEY }]
          : []),
      ],
    }),
    alertmanagerConfig(settings),
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
    egress(settings.email),
  ];
};

export const alertmanagerComponent: Component = {
  name: ALERTMANAGER,
  stack: 'monitoring',
  description: 'Alertmanager (operator-managed): critical → PagerDuty + Slack, warning → Slack, e-mail where configured',
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
