// The example of docs/services.md ("When the spec cannot express it: write a TypeScript component"), kept here so
// `pnpm typecheck` compiles it against the real interfaces and example-component.test.ts renders it; the test also
// checks that the page shows this file's code unchanged.
import type { BaseContext, Component, K8sObject } from '../../scripts/components/component.ts';
import { deployment, emptyDir, podDisruptionBudget, restrictedContainer, service, toK8sResources } from '../../scripts/components/builders.ts';
import { allowIngress, fromApp } from '../../scripts/components/network-policies.ts';
import { stackNamespace } from '../../scripts/components/stacks.ts';

const NAME = 'price-feed';
/** A system's name: the component joins that system's stack and namespace. */
const STACK = 'shop';
const PORT = 8080;
const DEFAULTS = { replicas: 2, resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } } };

const base = (ctx: BaseContext): K8sObject[] => {
  const namespace = stackNamespace(STACK);
  const image = ctx.repository('price-feed');
  return [
    deployment({
      name: NAME,
      namespace,
      stack: STACK,
      uid: 10001,
      // What the service spec has no words for: an init container that migrates the schema before the app starts.
      initContainers: [{ name: 'migrate', image, args: ['migrate'], resources: toK8sResources(DEFAULTS.resources), securityContext: restrictedContainer() }],
      containers: [
        {
          name: 'app',
          image,
          ports: [{ name: 'http', containerPort: PORT, protocol: 'TCP' }],
          readinessProbe: { httpGet: { path: '/health/ready', port: 'http' }, periodSeconds: 5 },
          livenessProbe: { httpGet: { path: '/health', port: 'http' }, periodSeconds: 10, failureThreshold: 6 },
          resources: toK8sResources(DEFAULTS.resources),
          securityContext: restrictedContainer(),
          volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
        },
      ],
      volumes: [emptyDir('tmp', '64Mi')],
    }),
    service({ name: NAME, namespace, stack: STACK, app: NAME, ports: [{ name: 'http', port: PORT, targetPort: 'http', protocol: 'TCP' }] }),
    podDisruptionBudget({ app: NAME, namespace, stack: STACK }),
    // The namespace denies everything by default: the shop API may call it.
    allowIngress({ app: NAME, namespace, rules: [{ from: [fromApp('shop-api')], ports: [PORT] }] }),
  ];
};

export const priceFeed: Component = {
  name: NAME,
  stack: STACK,
  description: 'Price feed of the shop (migrates its schema in an init container)',
  requires: [],
  images: [{ image: 'price-feed', via: 'transformer' }],
  workload: { apiVersion: 'apps/v1', kind: 'Deployment', name: NAME, resourcesPath: '/spec/template/spec/containers/0/resources', replicasVia: 'transformer' },
  defaults: DEFAULTS,
  base,
};
