// The service compiler: a system declared as data (model types, no preset) compiles into Components whose objects
// say what the spec says — Service ports as declared (not 80), secret env through an ExternalSecret, other services'
// addresses, claims, every probe kind, scheduling, public routes with their timeouts, load balancers, NetworkPolicies
// on both ends of each dependency, monitors — and pass the repository's own policy rules.
import { describe, expect, it } from 'vitest';
import type { BaseContext, ClusterContext, Component, K8sObject } from '../../../scripts/components/component.ts';
import { loadBalancerAnnotations } from '../../../scripts/components/load-balancer.ts';
import { serviceComponent } from '../../../scripts/components/services/service-component.ts';
import { systemComponents } from '../../../scripts/components/services/system-components.ts';
import { systemView } from '../../../scripts/components/services/system-view.ts';
import { namespaceUnit } from '../../../scripts/components/stacks.ts';
import type { ServiceSpec } from '../../../scripts/inventory/system-schema.ts';
import type { Cluster, Environment, Fleet, System } from '../../../scripts/model/fleet.ts';
import { APP_RULES, CLUSTER_RULES } from '../../../scripts/policy/run-policy.ts';
import { RULE_BY_ID } from '../../../scripts/policy/rules.ts';
import type { AppContext } from '../../../scripts/policy/types.ts';
import { rendered } from '../../policy/objects.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests narrow what they read
type Loose = Record<string, any>;

const SERVICES: Record<string, ServiceSpec> = {
  api: {
    image: 'api',
    command: ['/app/api'],
    args: ['--serve'],
    ports: [
      { name: 'http', port: 3000 },
      { name: 'grpc', port: 9090, appProtocol: 'grpc' },
    ],
    env: [
      { name: 'LOG_LEVEL', value: 'info' },
      { name: 'DB_PASSWORD', secret: { key: 'shop/db', property: 'password' } },
      { name: 'API_TOKEN', secret: { key: 'shop/api-token' } },
      { name: 'DATABASE_URL', fromService: { service: 'db', port: 'postgres', format: 'postgres://{host}:{port}/shop' } },
      { name: 'BROKER_ADDR', fromService: { service: 'broker', port: 'mqtt' } },
    ],
    probes: {
      startup: { http: { path: '/health', port: 'http' }, periodSeconds: 2, failureThreshold: 30 },
      readiness: { http: { path: '/health/ready', port: 'http' }, periodSeconds: 5 },
      liveness: { grpc: { port: 9090, service: 'liveness' }, timeoutSeconds: 3, initialDelaySeconds: 10 },
    },
    configFiles: [{ path: '/etc/api/config.yaml', content: 'mode: prod\n' }],
    volumes: [{ name: 'scratch', mountPath: '/scratch', emptyDir: { sizeLimit: '1Gi', medium: 'Memory' } }],
    metrics: { port: 'http', path: '/internal/metrics' },
    expose: { public: { host: 'api.{domain}', timeoutSeconds: 300, retries: { attempts: 2, perTryTimeoutSeconds: 100 } } },
    nodeSelector: { pool: 'media-processing' },
    tolerations: [{ key: 'pool', operator: 'Equal', value: 'media-processing', effect: 'NoSchedule' }],
    dependsOn: ['db'],
    egress: [{ cidr: '0.0.0.0/0', ports: [443] }],
    replicas: 3,
    resources: { requests: { cpu: '250m', memory: '256Mi' }, limits: { memory: '512Mi' } },
  },
  db: {
    image: 'postgres',
    kind: 'StatefulSet',
    runAsUser: 10999,
    terminationGracePeriodSeconds: 120,
    ports: [{ name: 'postgres', port: 5432, appProtocol: 'tcp' }],
    probes: {
      readiness: { exec: { command: ['pg_isready', '-h', '127.0.0.1'] }, periodSeconds: 10 },
      liveness: { tcp: { port: 'postgres' }, periodSeconds: 20, failureThreshold: 6 },
    },
    spread: 'required',
    volumes: [
      { name: 'data', mountPath: '/var/lib/postgresql/data', persistent: { size: '20Gi' } },
      { name: 'archive', mountPath: '/archive', persistent: { size: '5Gi', storageClass: 'slow', accessMode: 'ReadWriteOncePod' } },
    ],
  },
  broker: {
    image: 'mqtt',
    ports: [{ name: 'mqtt', port: 1883, servicePort: 8883, appProtocol: 'tcp' }],
    probes: { readiness: { tcp: { port: 'mqtt' } }, liveness: { tcp: { port: 'mqtt' }, periodSeconds: 30 } },
    expose: { loadBalancer: { ports: ['mqtt'] } },
  },
  uploads: {
    image: 'uploads',
    ports: [{ name: 'http', port: 8080 }],
    probes: { readiness: { http: { path: '/ready', port: 'http' } }, liveness: { http: { path: '/live', port: 8080 } } },
    volumes: [{ name: 'files', mountPath: '/files', persistent: { size: '10Gi' } }],
    spread: 'none',
  },
  worker: { image: 'worker', dependsOn: ['api'], probes: { liveness: { exec: { command: ['/app/healthcheck'] } } } },
  web: {
    image: 'web',
    ports: [{ name: 'http', port: 8080 }],
    probes: { readiness: { http: { path: '/', port: 'http' } }, liveness: { tcp: { port: 'http' } } },
    expose: { public: { host: 'www.example.org', path: '/shop', timeoutSeconds: 30, retries: { attempts: 3, perTryTimeoutSeconds: 10 }, via: 'mesh' } },
    placement: { capabilities: ['mesh'] },
  },
};

const SYSTEM: System = { name: 'shop', file: 'inventory/systems/shop.yaml', description: 'A test shop', services: SERVICES };

const DIGEST = `sha256:${'a'.repeat(64)}`;
/** Repositories as the overlays leave them (tag and digest), so the image rules see what a cluster gets. */
const ctx: BaseContext = {
  fleet: { systems: [SYSTEM], addons: {}, kubernetesVersion: '1.32' } as unknown as Fleet,
  repository: (image) => `docker.io/library/${image}:1.0.0@${DIGEST}`,
  components: [],
};

const cluster = (name: string, capabilities: Cluster['capabilities'] = []): Cluster =>
  ({
    name,
    environment: 'prod',
    region: 'eu-west-1',
    destination: { name },
    domain: 'eu.example.com',
    storageClass: 'gp3',
    loadBalancer: 'aws-nlb',
    capabilities,
    stacks: ['shop'],
  }) as Cluster;
const ENVIRONMENT = { name: 'prod', clusterIssuer: 'letsencrypt-prod', apps: {}, versions: {} } as unknown as Environment;
const clusterCtx = (c: Cluster = cluster('prod-eu', ['mesh'])): ClusterContext => ({ ...ctx, cluster: c, environment: ENVIRONMENT });

const components = systemComponents(SYSTEM);
const component = (name: string): Component => components.find((c) => c.name === name)!;
const baseOf = (name: string): Loose[] => component(name).base(ctx) as Loose[];
const find = (objects: readonly Loose[], kind: string, name: string): Loose => {
  const o = objects.find((x) => x.kind === kind && x.metadata.name === name);
  if (o === undefined) throw new Error(`no ${kind} ${name} among ${objects.map((x) => `${x.kind}/${x.metadata.name}`).join(', ')}`);
  return o;
};
const podSpec = (workload: Loose): Loose => workload.spec.template.spec;
const main = (workload: Loose): Loose => podSpec(workload).containers[0];

describe('the components of a system', () => {
  it('one per service, sorted, in the system\'s stack and namespace', () => {
    expect(components.map((c) => c.name)).toEqual(['api', 'broker', 'db', 'uploads', 'web', 'worker']);
    for (const c of components) {
      expect(c.stack).toBe('shop');
      for (const o of c.base(ctx)) expect(o.metadata.namespace).toBe('shop');
    }
  });

  it('carry images, workload, defaults and placement', () => {
    const api = component('api');
    expect(api.images).toEqual([{ image: 'api', via: 'transformer' }]);
    expect(api.workload).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'api', resourcesPath: '/spec/template/spec/containers/0/resources', replicasVia: 'transformer' });
    expect(api.defaults).toEqual({ replicas: 3, resources: SERVICES['api']!.resources });
    expect(component('db').workload.kind).toBe('StatefulSet');
    expect(component('uploads').defaults.replicas).toBe(2);
    expect(component('web').requires).toEqual(['mesh']);
    expect(component('web').enabled!(clusterCtx(cluster('plain')))).toBe(false);
    expect(component('web').enabled!(clusterCtx())).toBe(true);
    expect(component('api').scaler).toBeUndefined();
  });

  it('narrow placement by environment and cluster for system and service alike', () => {
    const placed = systemComponents({ ...SYSTEM, placement: { environments: ['prod'] }, services: { api: { ...SERVICES['api']!, placement: { clusters: ['prod-us'] } }, db: SERVICES['db']!, broker: SERVICES['broker']! } });
    const api = placed.find((c) => c.name === 'api')!;
    const db = placed.find((c) => c.name === 'db')!;
    expect(api.enabled!(clusterCtx(cluster('prod-us')))).toBe(true);
    expect(api.enabled!(clusterCtx(cluster('prod-eu')))).toBe(false);
    expect(db.enabled!(clusterCtx(cluster('prod-eu')))).toBe(true);
    expect(db.enabled!({ ...clusterCtx(cluster('dev')), cluster: { ...cluster('dev'), environment: 'dev' } })).toBe(false);
    expect(api.placement).toEqual([{ environments: ['prod'] }, { clusters: ['prod-us'] }]);
  });

  it('a service with KEDA triggers scales through its own scaler', () => {
    const queued = systemComponents({ ...SYSTEM, services: { q: { image: 'worker', triggers: [{ prometheus: { query: 'sum(queue_depth)', threshold: '10' } }] } } });
    expect(queued[0]!.scaler).toBeDefined();
  });
});

describe('ports', () => {
  it('the Service listens on the declared ports, not 80, with targetPort names and appProtocol', () => {
    expect(find(baseOf('api'), 'Service', 'api').spec.ports).toEqual([
      { name: 'http', port: 3000, targetPort: 'http', protocol: 'TCP', appProtocol: 'http' },
      { name: 'grpc', port: 9090, targetPort: 'grpc', protocol: 'TCP', appProtocol: 'kubernetes.io/h2c' },
    ]);
    expect(find(baseOf('broker'), 'Service', 'broker').spec.ports).toEqual([{ name: 'mqtt', port: 8883, targetPort: 'mqtt', protocol: 'TCP', appProtocol: 'tcp' }]);
    expect(main(find(baseOf('api'), 'Deployment', 'api')).ports).toEqual([
      { name: 'http', containerPort: 3000, protocol: 'TCP' },
      { name: 'grpc', containerPort: 9090, protocol: 'TCP' },
    ]);
  });

  it('a worker without ports has no Service', () => {
    expect(baseOf('worker').filter((o) => o.kind === 'Service')).toEqual([]);
  });
});

describe('the main container', () => {
  const api = find(baseOf('api'), 'Deployment', 'api');

  it('runs the image, command and args, hardened', () => {
    const c = main(api);
    expect(c.image).toBe(`docker.io/library/api:1.0.0@${DIGEST}`);
    expect(c.command).toEqual(['/app/api']);
    expect(c.args).toEqual(['--serve']);
    expect(c.securityContext).toMatchObject({ readOnlyRootFilesystem: true, runAsNonRoot: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
    expect(podSpec(api).securityContext).toMatchObject({ runAsUser: 10001, runAsNonRoot: true });
    expect(podSpec(find(baseOf('db'), 'StatefulSet', 'db')).securityContext).toMatchObject({ runAsUser: 10999, fsGroup: 10999 });
    expect(c.resources).toEqual({ requests: { cpu: '250m', memory: '256Mi' }, limits: { memory: '512Mi' } });
    expect(podSpec(api).terminationGracePeriodSeconds).toBe(30);
    expect(podSpec(find(baseOf('db'), 'StatefulSet', 'db')).terminationGracePeriodSeconds).toBe(120);
  });

  it('reads secrets through one ExternalSecret, never as values', () => {
    const env = main(api).env as Loose[];
    expect(env.find((e) => e.name === 'LOG_LEVEL')).toEqual({ name: 'LOG_LEVEL', value: 'info' });
    expect(env.find((e) => e.name === 'DB_PASSWORD')).toEqual({ name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'api-env', key: 'DB_PASSWORD' } } });
    const es = find(baseOf('api'), 'ExternalSecret', 'api-env');
    expect(es.spec.target.name).toBe('api-env');
    expect(es.spec.data).toEqual([
      { secretKey: 'API_TOKEN', remoteRef: { key: 'shop/api-token' } },
      { secretKey: 'DB_PASSWORD', remoteRef: { key: 'shop/db', property: 'password' } },
    ]);
    expect(baseOf('db').filter((o) => o.kind === 'ExternalSecret')).toEqual([]);
  });

  it('gets other services\' addresses with their Service port', () => {
    const env = main(api).env as Loose[];
    expect(env.find((e) => e.name === 'DATABASE_URL')!.value).toBe('postgres://db.shop.svc.cluster.local:5432/shop');
    // servicePort 8883, not the container port 1883.
    expect(env.find((e) => e.name === 'BROKER_ADDR')!.value).toBe('broker.shop.svc.cluster.local:8883');
  });

  it('maps every probe kind with its timing, and invents none', () => {
    const c = main(api);
    expect(c.startupProbe).toEqual({ httpGet: { path: '/health', port: 'http' }, periodSeconds: 2, failureThreshold: 30 });
    expect(c.readinessProbe).toEqual({ httpGet: { path: '/health/ready', port: 'http' }, periodSeconds: 5 });
    expect(c.livenessProbe).toEqual({ grpc: { port: 9090, service: 'liveness' }, timeoutSeconds: 3, initialDelaySeconds: 10 });
    const db = main(find(baseOf('db'), 'StatefulSet', 'db'));
    expect(db.readinessProbe).toEqual({ exec: { command: ['pg_isready', '-h', '127.0.0.1'] }, periodSeconds: 10 });
    expect(db.livenessProbe).toEqual({ tcpSocket: { port: 'postgres' }, periodSeconds: 20, failureThreshold: 6 });
    expect(db.startupProbe).toBeUndefined();
    const bare = serviceComponent(systemView({ ...SYSTEM, services: { bare: { image: 'api', ports: [{ name: 'http', port: 8080 }] } } }), 'bare');
    const c2 = main(find(bare.base(ctx) as Loose[], 'Deployment', 'bare'));
    expect([c2.startupProbe, c2.readinessProbe, c2.livenessProbe]).toEqual([undefined, undefined, undefined]);
  });

  it('mounts config files one by one from a ConfigMap, and rolls pods when they change', () => {
    const cm = find(baseOf('api'), 'ConfigMap', 'api-config');
    expect(cm.data).toEqual({ 'etc_api_config.yaml': 'mode: prod\n' });
    expect(main(api).volumeMounts).toContainEqual({ name: 'config-files', mountPath: '/etc/api/config.yaml', subPath: 'etc_api_config.yaml', readOnly: true });
    expect(podSpec(api).volumes).toContainEqual({ name: 'config-files', configMap: { name: 'api-config' } });
    const checksum = api.spec.template.metadata.annotations['streamfleet.io/config-checksum'];
    expect(checksum).toMatch(/^[0-9a-f]{16}$/);
    const changed = systemComponents({ ...SYSTEM, services: { ...SERVICES, api: { ...SERVICES['api']!, configFiles: [{ path: '/etc/api/config.yaml', content: 'mode: dev\n' }] } } });
    const after = find(changed.find((c) => c.name === 'api')!.base(ctx) as Loose[], 'Deployment', 'api');
    expect(after.spec.template.metadata.annotations['streamfleet.io/config-checksum']).not.toBe(checksum);
  });

  it('has emptyDirs with size limit and medium, and /tmp for the read-only root', () => {
    expect(podSpec(api).volumes).toContainEqual({ name: 'scratch', emptyDir: { medium: 'Memory', sizeLimit: '1Gi' } });
    expect(podSpec(api).volumes).toContainEqual({ name: 'tmp', emptyDir: { sizeLimit: '256Mi' } });
    expect(main(api).volumeMounts).toContainEqual({ name: 'tmp', mountPath: '/tmp' });
  });
});

describe('volumes', () => {
  it('a StatefulSet gets claim templates, a headless Service, and the cluster\'s storage class where the spec names none', () => {
    const objects = baseOf('db');
    const sts = find(objects, 'StatefulSet', 'db');
    expect(sts.spec.serviceName).toBe('db-headless');
    expect(find(objects, 'Service', 'db-headless').spec.clusterIP).toBe('None');
    expect(sts.spec.persistentVolumeClaimRetentionPolicy).toEqual({ whenDeleted: 'Retain', whenScaled: 'Retain' });
    expect(sts.spec.volumeClaimTemplates.map((t: Loose) => [t.metadata.name, t.spec])).toEqual([
      ['data', { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '20Gi' } } }],
      ['archive', { accessModes: ['ReadWriteOncePod'], resources: { requests: { storage: '5Gi' } }, storageClassName: 'slow' }],
    ]);
    expect(main(sts).volumeMounts).toContainEqual({ name: 'data', mountPath: '/var/lib/postgresql/data' });
    expect(component('db').clusterPatches!(clusterCtx())).toEqual([
      { target: { group: 'apps', version: 'v1', kind: 'StatefulSet', name: 'db' }, ops: [{ op: 'add', path: '/spec/volumeClaimTemplates/0/spec/storageClassName', value: 'gp3' }] },
    ]);
  });

  it('a Deployment gets a protected PersistentVolumeClaim and replaces pods instead of rolling them', () => {
    const objects = baseOf('uploads');
    const pvc = find(objects, 'PersistentVolumeClaim', 'uploads-files');
    expect(pvc.spec).toEqual({ accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '10Gi' } } });
    expect(pvc.metadata.annotations['argocd.argoproj.io/sync-options']).toBe('Delete=false,Prune=confirm');
    const d = find(objects, 'Deployment', 'uploads');
    expect(podSpec(d).volumes).toContainEqual({ name: 'files', persistentVolumeClaim: { claimName: 'uploads-files' } });
    expect(d.spec.strategy).toEqual({ type: 'Recreate' });
    expect(component('uploads').clusterPatches!(clusterCtx())).toEqual([
      { target: { version: 'v1', kind: 'PersistentVolumeClaim', name: 'uploads-files' }, ops: [{ op: 'add', path: '/spec/storageClassName', value: 'gp3' }] },
    ]);
  });
});

describe('scheduling', () => {
  it('node selector, tolerations and preferred spread', () => {
    const p = podSpec(find(baseOf('api'), 'Deployment', 'api'));
    expect(p.nodeSelector).toEqual({ pool: 'media-processing' });
    expect(p.tolerations).toEqual([{ key: 'pool', operator: 'Equal', value: 'media-processing', effect: 'NoSchedule' }]);
    expect(p.topologySpreadConstraints.map((t: Loose) => [t.topologyKey, t.whenUnsatisfiable])).toEqual([
      ['topology.kubernetes.io/zone', 'ScheduleAnyway'],
      ['kubernetes.io/hostname', 'ScheduleAnyway'],
    ]);
  });

  it('required spread keeps replicas on separate nodes; none sets no constraints', () => {
    const db = podSpec(find(baseOf('db'), 'StatefulSet', 'db'));
    expect(db.topologySpreadConstraints.map((t: Loose) => [t.topologyKey, t.whenUnsatisfiable])).toEqual([
      ['topology.kubernetes.io/zone', 'ScheduleAnyway'],
      ['kubernetes.io/hostname', 'DoNotSchedule'],
    ]);
    expect(podSpec(find(baseOf('uploads'), 'Deployment', 'uploads')).topologySpreadConstraints).toBeUndefined();
  });

  it('a PodDisruptionBudget of the shape the environment patches', () => {
    expect(find(baseOf('api'), 'PodDisruptionBudget', 'api').spec).toEqual({ maxUnavailable: 1, selector: { matchLabels: { 'app.kubernetes.io/name': 'api', 'app.kubernetes.io/component': 'api' } } });
  });
});

describe('exposure', () => {
  it('a public route through ingress-nginx: host from the domain, timeout and retries as annotations', () => {
    const ing = find(component('api').cluster!(clusterCtx()) as Loose[], 'Ingress', 'api');
    expect(ing.spec.rules[0].host).toBe('api.eu.example.com');
    expect(ing.spec.tls).toEqual([{ hosts: ['api.eu.example.com'], secretName: 'api-tls' }]);
    expect(ing.spec.rules[0].http.paths[0].backend).toEqual({ service: { name: 'api', port: { name: 'http' } } });
    expect(ing.metadata.annotations).toEqual({
      'cert-manager.io/cluster-issuer': 'letsencrypt-prod',
      'nginx.ingress.kubernetes.io/proxy-read-timeout': '100',
      'nginx.ingress.kubernetes.io/proxy-send-timeout': '100',
      'nginx.ingress.kubernetes.io/proxy-next-upstream': 'error timeout http_502 http_503 http_504',
      'nginx.ingress.kubernetes.io/proxy-next-upstream-tries': '3',
      'nginx.ingress.kubernetes.io/proxy-next-upstream-timeout': '300',
    });
  });

  it('a timeout alone bounds reads and writes', () => {
    const only = serviceComponent(
      systemView({ ...SYSTEM, services: { media: { image: 'media', ports: [{ name: 'http', port: 8080 }], expose: { public: { host: 'media.{domain}', timeoutSeconds: 300 } } } } }),
      'media',
    );
    const ing = find(only.cluster!(clusterCtx()) as Loose[], 'Ingress', 'media');
    expect(ing.metadata.annotations).toEqual({
      'cert-manager.io/cluster-issuer': 'letsencrypt-prod',
      'nginx.ingress.kubernetes.io/proxy-read-timeout': '300',
      'nginx.ingress.kubernetes.io/proxy-send-timeout': '300',
    });
  });

  it('a public route through the mesh gateway: Certificate, Gateway and a VirtualService with timeout and retries', () => {
    const objects = component('web').cluster!(clusterCtx()) as Loose[];
    const cert = find(objects, 'Certificate', 'shop-web-public');
    expect(cert.metadata.namespace).toBe('istio-ingress');
    expect(cert.spec).toMatchObject({ secretName: 'shop-web-public-tls', dnsNames: ['www.example.org'], issuerRef: { kind: 'ClusterIssuer', name: 'letsencrypt-prod' } });
    const gw = find(objects, 'Gateway', 'web-public');
    expect(gw.metadata.namespace).toBe('shop');
    expect(gw.spec.servers[1].tls).toMatchObject({ mode: 'SIMPLE', credentialName: 'shop-web-public-tls' });
    const vs = find(objects, 'VirtualService', 'web');
    expect(vs.spec).toEqual({
      gateways: ['shop/web-public'],
      hosts: ['www.example.org'],
      http: [
        {
          name: 'web',
          match: [{ uri: { prefix: '/shop' } }],
          route: [{ destination: { host: 'web.shop.svc.cluster.local', port: { number: 8080 } } }],
          timeout: '30s',
          retries: { attempts: 3, perTryTimeout: '10s' },
        },
      ],
    });
    expect(() => component('web').cluster!(clusterCtx(cluster('plain')))).toThrow(/no mesh capability/);
  });

  it('TCP through a load balancer of the cluster\'s flavour', () => {
    const lb = find(component('broker').cluster!(clusterCtx()) as Loose[], 'Service', 'broker-lb');
    expect(lb.spec).toMatchObject({ type: 'LoadBalancer', externalTrafficPolicy: 'Local', ports: [{ name: 'mqtt', port: 8883, targetPort: 'mqtt', protocol: 'TCP' }] });
    expect(lb.metadata.annotations).toEqual(loadBalancerAnnotations('aws-nlb'));
    const klipper = find(component('broker').cluster!(clusterCtx({ ...cluster('k3d'), loadBalancer: 'klipper' })) as Loose[], 'Service', 'broker-lb');
    expect(klipper.metadata.annotations).toBeUndefined();
  });
});

describe('network policies', () => {
  const policy = (service: string, direction: 'ingress' | 'egress'): Loose => find(baseOf(service), 'NetworkPolicy', `${service}-${direction}`);
  const namespacePeer = (ns: string): Loose => ({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': ns } } });
  const appPeer = (app: string): Loose => ({ podSelector: { matchLabels: { 'app.kubernetes.io/name': app, 'app.kubernetes.io/component': app } } });

  it('open both ends of a dependsOn edge on the callee\'s container ports', () => {
    // api dependsOn db: api may reach db, db admits api.
    expect(policy('api', 'egress').spec.egress).toContainEqual({ to: [appPeer('db')], ports: [{ port: 5432, protocol: 'TCP' }] });
    expect(policy('db', 'ingress').spec.ingress).toEqual([{ from: [appPeer('api')], ports: [{ port: 5432, protocol: 'TCP' }] }]);
    // worker dependsOn api.
    expect(policy('worker', 'egress').spec.egress).toEqual([{ to: [appPeer('api')], ports: [{ port: 3000, protocol: 'TCP' }, { port: 9090, protocol: 'TCP' }] }]);
    expect(policy('api', 'ingress').spec.ingress).toContainEqual({ from: [appPeer('worker')], ports: [{ port: 3000, protocol: 'TCP' }, { port: 9090, protocol: 'TCP' }] });
  });

  it('an env address makes a dependency too (container port, not the Service port)', () => {
    expect(policy('api', 'egress').spec.egress).toContainEqual({ to: [appPeer('broker')], ports: [{ port: 1883, protocol: 'TCP' }] });
    expect(policy('broker', 'ingress').spec.ingress).toContainEqual({ from: [appPeer('api')], ports: [{ port: 1883, protocol: 'TCP' }] });
  });

  it('admit the ingress controller, the mesh gateway, load-balancer clients and Prometheus', () => {
    expect(policy('api', 'ingress').spec.ingress).toContainEqual({ from: [namespacePeer('ingress-nginx')], ports: [{ port: 3000, protocol: 'TCP' }] });
    expect(policy('web', 'ingress').spec.ingress).toEqual([{ from: [namespacePeer('istio-ingress')], ports: [{ port: 8080, protocol: 'TCP' }] }]);
    expect(policy('broker', 'ingress').spec.ingress).toContainEqual({ from: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [{ port: 1883, protocol: 'TCP' }] });
    expect(policy('api', 'ingress').spec.ingress).toContainEqual({ from: [namespacePeer('monitoring')], ports: [{ port: 3000, protocol: 'TCP' }] });
  });

  it('let the spec\'s external destinations out', () => {
    expect(policy('api', 'egress').spec.egress).toContainEqual({ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [{ port: 443, protocol: 'TCP' }] });
  });

  it('a service nobody reaches has no ingress policy (deny-all holds)', () => {
    expect(baseOf('uploads').filter((o) => o.kind === 'NetworkPolicy')).toEqual([]);
  });
});

describe('what the compiler refuses', () => {
  const compile = (services: Record<string, ServiceSpec>, name: string, cluster = false): unknown => {
    const c = serviceComponent(systemView({ ...SYSTEM, services }), name);
    return cluster ? c.cluster!(clusterCtx()) : c.base(ctx);
  };

  it('an env address of a port the other service lacks', () => {
    expect(() => compile({ a: { image: 'api', env: [{ name: 'B', fromService: { service: 'b', port: 'http' } }] }, b: { image: 'api', ports: [{ name: 'grpc', port: 9090 }] } }, 'a')).toThrow(
      /service "b" has no port named "http"/,
    );
  });

  it('a public route without an http port to serve', () => {
    expect(() => compile({ a: { image: 'api', ports: [{ name: 'db', port: 5432, appProtocol: 'tcp' }], expose: { public: { host: 'a.{domain}' } } } }, 'a', true)).toThrow(/no http port to serve/);
  });
});

describe('monitoring', () => {
  it('a ServiceMonitor on the metrics port with its path', () => {
    const sm = find(baseOf('api'), 'ServiceMonitor', 'api');
    expect(sm.spec.endpoints).toEqual([{ port: 'http', path: '/internal/metrics' }]);
    expect(baseOf('db').filter((o) => o.kind === 'ServiceMonitor' || o.kind === 'PodMonitor')).toEqual([]);
  });
});

/** Findings of BLOCK and PROD rules on a system's objects on one cluster, as one prod Application. */
const policyFindings = (comps: readonly Component[]): string[] => {
  const c = clusterCtx();
  const objects: K8sObject[] = [...namespaceUnit('shop'), ...comps.flatMap((comp) => [...comp.base(ctx), ...(comp.cluster?.(c) ?? [])])];
  // Replicas as the environment overlay sets them (the base has none).
  const withReplicas = objects.map((o) => (o.kind === 'Deployment' || o.kind === 'StatefulSet' ? { ...o, spec: { ...(o.spec as Loose), replicas: 2 } } : o));
  const app = {
    target: { name: 'prod-eu-shop', path: 'clusters/prod-eu/shop', project: 'shop', destination: 'prod-eu', namespace: 'shop', cluster: c.cluster, environment: ENVIRONMENT, stack: 'shop' },
    objects: withReplicas.map((o, i) => rendered(o as Loose, i + 1)),
    fleet: ctx.fleet,
    isProd: true,
  } as unknown as AppContext;
  return [...APP_RULES.flatMap((r) => r(app)), ...CLUSTER_RULES.flatMap((r) => r([app]))]
    .filter((f) => RULE_BY_ID.get(f.rule)?.severity !== 'WARN')
    .map((f) => `${f.rule} ${f.object?.kind ?? ''}/${f.object?.name ?? ''}`);
};

describe('the compiled system under the repository\'s policy rules', () => {
  it('has no BLOCK or PROD finding', () => {
    expect(policyFindings(components)).toEqual([]);
  });

  it('a service without probes keeps none, and validate says so', () => {
    const bare = systemComponents({ ...SYSTEM, services: { bare: { image: 'api', ports: [{ name: 'http', port: 8080 }] } } });
    expect(policyFindings(bare)).toEqual(['probes/readiness Deployment/bare', 'probes/liveness Deployment/bare']);
  });
});
