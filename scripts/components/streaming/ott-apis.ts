// OTT APIs of the source design: auth (login, JWT issuing), subscription (entitlements), catalog, license (DRM)
// and CAS. Our own images, one small HTTP service each, all behind `api.<cluster domain>` with one path prefix per
// API. They keep no datastore in the cluster: each verifies JWTs against auth's JWKS and asks subscription for
// entitlements, so their only in-cluster dependencies are each other (NetworkPolicies allow exactly those).
// Signing and DRM keys come from ExternalSecrets.
import type { IIngress } from 'kubernetes-models/networking.k8s.io/v1/Ingress';
import type { IEnvVar } from 'kubernetes-models/v1/EnvVar';
import { appLabels } from '../../lib/labels.ts';
import type { BaseContext, ClusterContext, Component, K8sObject } from '../component.ts';
import { deployment, emptyDir, INGRESS_CLASS, podDisruptionBudget, restrictedContainer, service, toK8sResources } from '../builders.ts';
import { HTTP_METRICS } from '../metrics.ts';
import { serviceMonitor } from '../monitors.ts';
import { allowEgress, allowIngress, fromApp, fromNamespace, INGRESS_NAMESPACE, MONITORING_NAMESPACE } from '../network-policies.ts';
import { externalSecret, type SecretKeyRef } from '../secrets.ts';
import { stackNamespace } from '../stacks.ts';
import { otelEnv } from '../telemetry.ts';
import { authorizationPolicy, destinationRule, MESH_INGRESS_NAMESPACE, permissivePorts, virtualService } from './mesh.ts';
import { onMesh, streamingHosts } from './settings.ts';

const NAMESPACE = stackNamespace('streaming');
export const OTT_HTTP_PORT = 8080;
export const OTT_METRICS_PORT = 9090;
/** The one Ingress (and VirtualService) for api.<domain>: one host, one certificate, a path per API. */
export const OTT_API_ROUTE = 'ott-api';
export const OTT_LIVENESS = '/health';
export const OTT_READINESS = '/health/ready';

export interface OttApiSpec {
  /** Short name: the image is `ott-<name>`, the path `/<name>`. */
  readonly name: 'auth' | 'subscription' | 'catalog' | 'license' | 'cas';
  readonly description: string;
  /** Other OTT APIs this one calls. */
  readonly dependsOn: readonly OttApiSpec['name'][];
  /** Keys of the ExternalSecret `ott-<name>-keys`, mounted read-only at /var/run/secrets/ott. */
  readonly secrets: readonly SecretKeyRef[];
  readonly defaults: { readonly replicas: number; readonly resources: { requests: Record<string, string>; limits: Record<string, string> } };
}

export const OTT_APIS: readonly OttApiSpec[] = [
  {
    name: 'auth',
    description: 'OTT auth API: login, JWT issuing, JWKS',
    dependsOn: [],
    secrets: [{ secretKey: 'jwt-signing-key', remoteKey: 'streaming/ott/auth', property: 'jwtSigningKey' }],
    defaults: { replicas: 2, resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } } },
  },
  {
    name: 'subscription',
    description: 'OTT subscription API: plans and entitlements',
    dependsOn: ['auth'],
    secrets: [],
    defaults: { replicas: 2, resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } } },
  },
  {
    name: 'catalog',
    description: 'OTT catalog API: titles, live channels, playback URLs',
    dependsOn: ['auth'],
    secrets: [],
    defaults: { replicas: 2, resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } } },
  },
  {
    name: 'license',
    description: 'OTT license API: DRM licenses for entitled viewers',
    dependsOn: ['auth', 'subscription'],
    secrets: [
      { secretKey: 'drm-content-keys', remoteKey: 'streaming/ott/license', property: 'contentKeys' },
      { secretKey: 'drm-signing-key', remoteKey: 'streaming/ott/license', property: 'signingKey' },
    ],
    defaults: { replicas: 2, resources: { requests: { cpu: '200m', memory: '128Mi' }, limits: { memory: '256Mi' } } },
  },
  {
    name: 'cas',
    description: 'OTT conditional access (CAS) API: entitlement control messages',
    dependsOn: ['auth', 'subscription'],
    secrets: [{ secretKey: 'cas-master-key', remoteKey: 'streaming/ott/cas', property: 'masterKey' }],
    defaults: { replicas: 2, resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } } },
  },
];

export const ottAppName = (name: OttApiSpec['name']): string => `ott-${name}`;
const SECRETS_DIR = '/var/run/secrets/ott';

/** Env prefix per dependency; `AUTH_*` would read as a credential name to the secrets policy, hence IDENTITY. */
const DEPENDENCY_ENV: Record<OttApiSpec['name'], string> = { auth: 'IDENTITY', subscription: 'SUBSCRIPTION', catalog: 'CATALOG', license: 'LICENSE', cas: 'CAS' };

/** Where an API finds the ones it calls (in-cluster Service URLs, never the public host). */
const dependencyEnv = (spec: OttApiSpec): IEnvVar[] =>
  spec.dependsOn.map((d) => ({ name: `${DEPENDENCY_ENV[d]}_URL`, value: `http://${ottAppName(d)}.${NAMESPACE}.svc.cluster.local` }));

const base = (spec: OttApiSpec) => (ctx: BaseContext): K8sObject[] => {
  const app = ottAppName(spec.name);
  const secretName = `${app}-keys`;
  const hasSecrets = spec.secrets.length > 0;
  const dependents = OTT_APIS.filter((a) => a.dependsOn.includes(spec.name)).map((a) => ottAppName(a.name));
  return [
    ...(hasSecrets ? [externalSecret({ name: secretName, namespace: NAMESPACE, stack: 'streaming', app, data: spec.secrets })] : []),
    deployment({
      name: app,
      namespace: NAMESPACE,
      stack: 'streaming',
      uid: 10001,
      terminationGracePeriodSeconds: 30,
      containers: [
        {
          name: 'api',
          image: ctx.repository(app),
          env: [
            { name: 'HTTP_PORT', value: String(OTT_HTTP_PORT) },
            { name: 'METRICS_PORT', value: String(OTT_METRICS_PORT) },
            { name: 'ROUTE_PREFIX', value: `/${spec.name}` },
            ...(spec.name === 'auth' ? [] : [{ name: 'JWKS_URL', value: `http://${ottAppName('auth')}.${NAMESPACE}.svc.cluster.local/auth/.well-known/jwks.json` }]),
            ...dependencyEnv(spec),
            ...(hasSecrets ? [{ name: 'KEYS_DIR', value: SECRETS_DIR }] : []),
            ...otelEnv(app, 'streaming'),
          ],
          ports: [
            { name: 'http', containerPort: OTT_HTTP_PORT, protocol: 'TCP' },
            { name: 'metrics', containerPort: OTT_METRICS_PORT, protocol: 'TCP' },
          ],
          startupProbe: { httpGet: { path: OTT_LIVENESS, port: 'http' }, periodSeconds: 2, failureThreshold: 30 },
          readinessProbe: { httpGet: { path: OTT_READINESS, port: 'http' }, periodSeconds: 5 },
          livenessProbe: { httpGet: { path: OTT_LIVENESS, port: 'http' }, periodSeconds: 10, failureThreshold: 6 },
          lifecycle: { preStop: { sleep: { seconds: 5 } } },
          resources: toK8sResources(spec.defaults.resources),
          securityContext: restrictedContainer(),
          volumeMounts: [
            { name: 'tmp', mountPath: '/tmp' },
            ...(hasSecrets ? [{ name: 'keys', mountPath: SECRETS_DIR, readOnly: true }] : []),
          ],
        },
      ],
      volumes: [emptyDir('tmp', '64Mi'), ...(hasSecrets ? [{ name: 'keys', secret: { secretName, defaultMode: 0o440 } }] : [])],
    }),
    service({
      name: app,
      namespace: NAMESPACE,
      stack: 'streaming',
      app,
      ports: [
        { name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' },
        { name: 'metrics', port: OTT_METRICS_PORT, targetPort: 'metrics', protocol: 'TCP' },
      ],
    }),
    podDisruptionBudget({ app, namespace: NAMESPACE, stack: 'streaming' }),
    serviceMonitor({ app, namespace: NAMESPACE, stack: 'streaming', port: 'metrics' }),
    allowIngress({
      app,
      namespace: NAMESPACE,
      rules: [
        { from: [fromNamespace(INGRESS_NAMESPACE), fromNamespace(MESH_INGRESS_NAMESPACE), ...dependents.map(fromApp)], ports: [OTT_HTTP_PORT] },
        { from: [fromNamespace(MONITORING_NAMESPACE)], ports: [OTT_METRICS_PORT] },
      ],
    }),
    ...(spec.dependsOn.length > 0
      ? [allowEgress({ app, namespace: NAMESPACE, rules: [{ to: spec.dependsOn.map((d) => fromApp(ottAppName(d))), ports: [OTT_HTTP_PORT] }] })]
      : []),
  ];
};

/** api.<domain>: one Ingress, one path per API, one certificate (not five for the same host). */
const apiIngress = (ctx: ClusterContext): IIngress & K8sObject => {
  const host = streamingHosts(ctx.cluster.domain).api;
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: {
      name: OTT_API_ROUTE,
      namespace: NAMESPACE,
      labels: appLabels(OTT_API_ROUTE, 'streaming'),
      annotations: {
        'cert-manager.io/cluster-issuer': ctx.environment.clusterIssuer,
        'nginx.ingress.kubernetes.io/proxy-read-timeout': '30',
        'nginx.ingress.kubernetes.io/proxy-body-size': '1m',
      },
    },
    spec: {
      ingressClassName: INGRESS_CLASS,
      rules: [
        {
          host,
          http: {
            paths: OTT_APIS.map((a) => ({
              path: `/${a.name}`,
              pathType: 'Prefix' as const,
              backend: { service: { name: ottAppName(a.name), port: { name: 'http' } } },
            })),
          },
        },
      ],
      tls: [{ hosts: [host], secretName: `${OTT_API_ROUTE}-tls` }],
    },
  };
};

/** Objects of api.<domain> itself: rendered once, by the auth API (every API runs on every streaming cluster). */
const apiRoute = (ctx: ClusterContext): K8sObject[] =>
  onMesh(ctx.cluster)
    ? [
        virtualService({
          app: OTT_API_ROUTE,
          host: streamingHosts(ctx.cluster.domain).api,
          routes: OTT_APIS.map((a) => ({ prefix: `/${a.name}`, service: ottAppName(a.name), port: 80, kind: 'api' as const })),
        }),
      ]
    : [apiIngress(ctx)];

const meshPolicies = (spec: OttApiSpec) => (): K8sObject[] => {
  const app = ottAppName(spec.name);
  const dependents = OTT_APIS.filter((a) => a.dependsOn.includes(spec.name));
  return [
    destinationRule({ app, service: app, maxConnections: 1024 }),
    permissivePorts({ app, ports: [OTT_METRICS_PORT] }),
    authorizationPolicy({
      app,
      allows: [
        { namespaces: [MESH_INGRESS_NAMESPACE], ports: [OTT_HTTP_PORT] },
        ...(dependents.length > 0 ? [{ namespaces: [NAMESPACE], ports: [OTT_HTTP_PORT] }] : []),
        { ports: [OTT_METRICS_PORT] },
      ],
    }),
  ];
};

export const ottApiComponent = (spec: OttApiSpec): Component => {
  const app = ottAppName(spec.name);
  return {
    name: app,
    stack: 'streaming',
    description: spec.description,
    requires: [],
    metrics: Object.values(HTTP_METRICS),
    images: [{ image: app, via: 'transformer' }],
    workload: { apiVersion: 'apps/v1', kind: 'Deployment', name: app, resourcesPath: '/spec/template/spec/containers/0/resources', replicasVia: 'transformer' },
    defaults: spec.defaults,
    base: base(spec),
    withCapability: { mesh: meshPolicies(spec) },
    ...(spec.name === 'auth' ? { cluster: apiRoute } : {}),
  };
};

export const OTT_API_COMPONENTS: readonly Component[] = OTT_APIS.map(ottApiComponent);
