// The generic component behind apps declared in the inventory (`pnpm new app`): a hardened HTTP service with
// probes, a PodDisruptionBudget, a NetworkPolicy admitting the ingress controller, and optionally a public
// TLS host `<app>.<cluster domain>`.
import type { InventoryApp } from '../inventory/schema.ts';
import type { BaseContext, Component, K8sObject } from './component.ts';
import { deployment, emptyDir, podDisruptionBudget, restrictedContainer, service, tlsIngress, toK8sResources } from './builders.ts';
import { allowIngress, fromNamespace, INGRESS_NAMESPACE } from './network-policies.ts';
import { stackNamespace } from './stacks.ts';

const DEFAULTS = { replicas: 2, resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } } };

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
    service({ name, namespace, stack: app.stack, app: name, ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }] }),
    podDisruptionBudget({ app: name, namespace, stack: app.stack }),
    allowIngress({ app: name, namespace, rules: [{ from: [fromNamespace(INGRESS_NAMESPACE)], ports: [app.port] }] }),
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
    cluster: app.public
      ? ({ cluster, environment }) => [
          tlsIngress({
            name,
            namespace,
            stack: app.stack,
            app: name,
            host: `${name}.${cluster.domain}`,
            clusterIssuer: environment.clusterIssuer,
            serviceName: name,
            servicePort: 'http',
          }),
        ]
      : undefined,
  };
};
