// The generic component behind apps declared in the inventory (`pnpm new app`): a hardened HTTP service with
// probes, a PodDisruptionBudget, a NetworkPolicy admitting the ingress controller, and optionally a public
// TLS host `<app>.<cluster domain>`.
import type { InventoryApp } from '../inventory/schema.ts';
import type { BaseContext, Component, K8sObject } from './component.ts';
import { deployment, emptyDir, podDisruptionBudget, restrictedContainer, service, tlsIngress, toK8sResources } from './builders.ts';
import { allowIngress, fromNamespace, INGRESS_NAMESPACE } from './network-policies.ts';
import { stackNamespace } from './stacks.ts';
import { authorizationPolicy, destinationRule, MESH_INGRESS_NAMESPACE, virtualService } from './streaming/mesh.ts';
import { onMesh } from './streaming/settings.ts';
import type { Fleet } from '../model/fleet.ts';

const DEFAULTS = { replicas: 2, resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } } };

/** The public host of an inventory-declared app: `<app>.<cluster domain>`. */
export const inventoryAppHost = (name: string, domain: string): string => `${name}.${domain}`;

/** Public hosts of the inventory's streaming apps on a cluster: the mesh gateway must serve them too. */
export const publicStreamingAppHosts = (fleet: Pick<Fleet, 'apps'>, domain: string): string[] =>
  Object.entries(fleet.apps ?? {})
    .filter(([, a]) => a.stack === 'streaming' && a.public === true)
    .map(([n]) => inventoryAppHost(n, domain))
    .sort();

export const httpServiceComponent = (name: string, app: InventoryApp): Component => {
  const namespace = stackNamespace(app.stack);
  const liveness = app.health?.liveness ?? '/health';
  const readiness = app.health?.readiness ?? '/health/ready';
  const base = (ctx: BaseContext): K8sObject[] => [
    deployment({
      name,
      namespace,
      stack: app.stack,
      uid: 10001,
      terminationGracePeriodSeconds: 30,
      containers: [
        {
          name: 'app',
          image: ctx.repository(app.image),
          ports: [{ name: 'http', containerPort: app.port, protocol: 'TCP' }],
          startupProbe: { httpGet: { path: liveness, port: 'http' }, periodSeconds: 2, failureThreshold: 30 },
          readinessProbe: { httpGet: { path: readiness, port: 'http' }, periodSeconds: 5 },
          livenessProbe: { httpGet: { path: liveness, port: 'http' }, periodSeconds: 10, failureThreshold: 6 },
          lifecycle: { preStop: { sleep: { seconds: 5 } } },
          resources: toK8sResources(DEFAULTS.resources),
          securityContext: restrictedContainer(),
          volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
        },
      ],
      volumes: [emptyDir('tmp', '128Mi')],
    }),
    // The Service listens on the app's own port: clients dial `<app>:<port>` as the app declares it.
    service({ name, namespace, stack: app.stack, app: name, ports: [{ name: 'http', port: app.port, targetPort: 'http', protocol: 'TCP' }] }),
    podDisruptionBudget({ app: name, namespace, stack: app.stack }),
    // The nginx ingress controller, and on mesh clusters the Istio gateway, may reach the app's port.
    allowIngress({
      app: name,
      namespace,
      rules: [{ from: [fromNamespace(INGRESS_NAMESPACE), ...(app.stack === 'streaming' ? [fromNamespace(MESH_INGRESS_NAMESPACE)] : [])], ports: [app.port] }],
    }),
  ];
  return {
    name,
    stack: app.stack,
    description: `HTTP service ${name} (declared in the inventory)`,
    requires: [],
    images: [{ image: app.image, via: 'transformer' }],
    workload: { apiVersion: 'apps/v1', kind: 'Deployment', name, resourcesPath: '/spec/template/spec/containers/0/resources', replicasVia: 'transformer' },
    defaults: DEFAULTS,
    base,
    ...(app.stack === 'streaming'
      ? {
          withCapability: {
            mesh: () => [
              destinationRule({ app: name, service: name, maxConnections: 1024 }),
              authorizationPolicy({ app: name, allows: app.public ? [{ namespaces: [MESH_INGRESS_NAMESPACE], ports: [app.port] }] : [] }),
            ],
          },
        }
      : {}),
    cluster: (ctx) => {
      // Streaming pods on mesh clusters sit behind STRICT mTLS and deny-by-default: the Istio gateway is their
      // only way in, so a public host is a VirtualService on the streaming gateway instead of an nginx Ingress.
      if (app.stack === 'streaming' && onMesh(ctx.cluster)) {
        return [
          ...(app.public ? [virtualService({ app: name, host: inventoryAppHost(name, ctx.cluster.domain), routes: [{ prefix: '/', service: name, port: app.port, kind: 'api' }] })] : []),
        ];
      }
      return app.public
        ? [
            tlsIngress({
              name,
              namespace,
              stack: app.stack,
              app: name,
              host: inventoryAppHost(name, ctx.cluster.domain),
              clusterIssuer: ctx.environment.clusterIssuer,
              serviceName: name,
              servicePort: 'http',
            }),
          ]
        : [];
    },
  };
};
