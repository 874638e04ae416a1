// Preset services through the compiler: each preset of a system (two postgres among them) compiles into a
// StatefulSet whose objects pass the repository's policy rules, with the exporter scraped through the Service and
// admitted from the monitoring namespace.
import { describe, expect, it } from 'vitest';
import type { BaseContext, ClusterContext, K8sObject } from '../../../scripts/components/component.ts';
import { systemComponents } from '../../../scripts/components/services/system-components.ts';
import { namespaceUnit } from '../../../scripts/components/stacks.ts';
import type { Cluster, Environment, Fleet, System } from '../../../scripts/model/fleet.ts';
import { APP_RULES, CLUSTER_RULES } from '../../../scripts/policy/run-policy.ts';
import { RULE_BY_ID } from '../../../scripts/policy/rules.ts';
import type { AppContext } from '../../../scripts/policy/types.ts';
import { rendered } from '../../policy/objects.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests narrow what they read
type Loose = Record<string, any>;

const SYSTEM: System = {
  name: 'shop',
  file: 'inventory/systems/shop.yaml',
  description: 'A test shop',
  services: {
    orders: { preset: 'postgres', credentials: { key: 'shop/orders-db' } },
    users: { preset: 'postgres', credentials: { key: 'shop/users-db' } },
    cache: { preset: 'redis', credentials: { key: 'shop/cache' } },
    events: { preset: 'nats' },
    files: { preset: 'minio', credentials: { key: 'shop/files' } },
    broker: { preset: 'rabbitmq', credentials: { key: 'shop/broker' } },
    api: {
      image: 'api',
      ports: [{ name: 'http', port: 8080 }],
      probes: { readiness: { http: { path: '/ready', port: 'http' } }, liveness: { http: { path: '/live', port: 'http' } } },
      env: [{ name: 'ORDERS_DB', fromService: { service: 'orders', port: 'postgres' } }],
      dependsOn: ['cache', 'events', 'files', 'broker', 'users'],
    },
  },
};

const DIGEST = `sha256:${'a'.repeat(64)}`;
const ctx: BaseContext = {
  fleet: { systems: [SYSTEM], addons: {}, kubernetesVersion: '1.32' } as unknown as Fleet,
  repository: (image) => `docker.io/library/${image}:1.0.0@${DIGEST}`,
  components: [],
};
const CLUSTER = { name: 'prod-eu', environment: 'prod', region: 'eu-west-1', destination: { name: 'prod-eu' }, domain: 'eu.example.com', storageClass: 'gp3', loadBalancer: 'aws-nlb', capabilities: [], stacks: ['shop'] } as unknown as Cluster;
const ENVIRONMENT = { name: 'prod', clusterIssuer: 'letsencrypt-prod', apps: {}, versions: {} } as unknown as Environment;
const clusterCtx: ClusterContext = { ...ctx, cluster: CLUSTER, environment: ENVIRONMENT };

const components = systemComponents(SYSTEM);
const objects = (name: string): Loose[] => components.find((c) => c.name === name)!.base(ctx) as Loose[];

describe('preset services', () => {
  it('compile into StatefulSets with their exporters and monitors', () => {
    for (const name of ['orders', 'users', 'cache', 'events', 'files', 'broker']) {
      const all = objects(name);
      expect(all.filter((o) => o.kind === 'StatefulSet').map((o) => o.metadata.name)).toEqual([name]);
      expect(all.filter((o) => o.kind === 'Service').map((o) => o.metadata.name).sort()).toEqual([name, `${name}-headless`]);
    }
    expect(components.find((c) => c.name === 'orders')!.images.map((i) => i.image)).toEqual(['postgres', 'postgres-exporter']);
  });

  it('two postgres services keep apart: their own databases, claims and secrets', () => {
    const env = (name: string): Loose[] => objects(name).find((o) => o.kind === 'StatefulSet')!.spec.template.spec.containers[0].env;
    expect(env('orders').find((e) => e.name === 'POSTGRES_DB')?.value).toBe('orders');
    expect(env('users').find((e) => e.name === 'POSTGRES_DB')?.value).toBe('users');
    expect(objects('orders').find((o) => o.kind === 'ExternalSecret')!.metadata.name).toBe('orders-env');
    expect(objects('users').find((o) => o.kind === 'ExternalSecret')!.metadata.name).toBe('users-env');
  });

  it('pass the repository\'s BLOCK and PROD rules', () => {
    const all: K8sObject[] = [...namespaceUnit('shop'), ...components.flatMap((c) => [...c.base(ctx), ...(c.cluster?.(clusterCtx) ?? [])])];
    const withReplicas = all.map((o) => (o.kind === 'Deployment' || o.kind === 'StatefulSet' ? { ...o, spec: { ...(o.spec as Loose), replicas: 2 } } : o));
    const app = {
      target: { name: 'prod-eu-shop', path: 'clusters/prod-eu/shop', project: 'shop', destination: 'prod-eu', namespace: 'shop', cluster: CLUSTER, environment: ENVIRONMENT, stack: 'shop' },
      objects: withReplicas.map((o, i) => rendered(o as Loose, i + 1)),
      fleet: ctx.fleet,
      isProd: true,
    } as unknown as AppContext;
    const findings = [...APP_RULES.flatMap((r) => r(app)), ...CLUSTER_RULES.flatMap((r) => r([app]))]
      .filter((f) => RULE_BY_ID.get(f.rule)?.severity !== 'WARN')
      .map((f) => `${f.rule} ${f.object?.kind ?? ''}/${f.object?.name ?? ''}: ${f.message}`);
    expect(findings).toEqual([]);
  });
});
