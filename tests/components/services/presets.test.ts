// Presets of declared systems: each completes a spec with defaults that work for its image (ports, probes the image
// can run, the image's uid, writable paths as volumes, exporter sidecars of the images PRESET_IMAGES names, metrics)
// and the user's fields win by the merge rule (presets/merge.ts).
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import type { IContainer } from 'kubernetes-models/v1/Container';
import { envSecretData, envSecretName } from '../../../scripts/components/services/env.ts';
import { NATS_MONITORING_PORT } from '../../../scripts/components/services/keda-triggers.ts';
import { applyPreset, PRESET_CREDENTIALS, presetRequiresCredentials } from '../../../scripts/components/services/presets/index.ts';
import { mergeByKey, mergeSpec } from '../../../scripts/components/services/presets/merge.ts';
import { postgres as transcodingPostgres } from '../../../scripts/components/transcoding/postgres.ts';
import type { System } from '../../../scripts/model/fleet.ts';
import { imageEntry, type UpstreamImage } from '../../../scripts/images/catalog.ts';
import { PRESET_IMAGES } from '../../../scripts/inventory/preset-images.ts';
import { PRESETS, ServiceSchema, type PresetName, type ServiceSpec } from '../../../scripts/inventory/system-schema.ts';

const repository = (image: string): string => `registry.test/${image}`;

/** A preset service as a user declares it: the preset, and credentials where the preset needs them. */
const declared = (preset: PresetName, extra: Partial<ServiceSpec> = {}): ServiceSpec => ({
  preset,
  ...(presetRequiresCredentials(preset) ? { credentials: { key: `shop/${preset}` } } : {}),
  ...extra,
});

const complete = (preset: PresetName, name = `my-${preset}`, extra: Partial<ServiceSpec> = {}) => applyPreset(name, declared(preset, extra));

const upstreamFacts = (image: string) => (imageEntry(image) as UpstreamImage).tags.map((t) => ({ tag: t.tag, facts: t.facts }));

const probesOf = (spec: ServiceSpec) => Object.entries(spec.probes ?? {}).filter((e): e is [string, NonNullable<ServiceSpec['probes']>['startup'] & object] => e[1] !== undefined);

const portNames = (spec: ServiceSpec): string[] => (spec.ports ?? []).map((p) => p.name);

const sidecarsOf = (preset: PresetName, name?: string): IContainer[] => complete(preset, name).sidecars(repository);

describe.each(PRESETS)('the %s preset', (preset) => {
  const { spec, metrics } = complete(preset);

  it('is a valid service spec (the schema the inventory loader applies)', () => {
    const validate = new Ajv({ allErrors: true, strict: false }).compile(ServiceSchema);
    expect(validate(spec), JSON.stringify(validate.errors)).toBe(true);
  });

  it('is a single-replica StatefulSet spread one per node, running the preset\'s image', () => {
    expect(spec).toMatchObject({ kind: 'StatefulSet', replicas: 1, spread: 'required', image: PRESET_IMAGES[preset].main });
  });

  it('keeps its state on a persistent `data` volume', () => {
    expect(spec.volumes?.find((v) => v.name === 'data')).toMatchObject({ persistent: { size: '10Gi' } });
  });

  it('has startup, readiness and liveness probes on declared ports, HTTP ones only on HTTP ports', () => {
    const ports = new Map((spec.ports ?? []).map((p) => [p.name, p]));
    expect(Object.keys(spec.probes ?? {}).sort()).toEqual(['liveness', 'readiness', 'startup']);
    for (const [kind, probe] of probesOf(spec)) {
      const port = probe.http?.port ?? probe.tcp?.port;
      if (port === undefined) continue;
      expect(ports.has(String(port)), `${kind} probe port ${port}`).toBe(true);
      if (probe.http) expect(ports.get(String(port))?.appProtocol, `${kind} probe`).toBe('http');
    }
  });

  it('runs exec probes only with programs every catalogued tag of its image ships', () => {
    for (const [kind, probe] of probesOf(spec)) {
      const cmd = probe.exec?.command[0];
      if (cmd === undefined) continue;
      for (const { tag, facts } of upstreamFacts(PRESET_IMAGES[preset].main)) {
        const ships = cmd.startsWith('/') ? Object.values(facts.paths).includes(cmd) : facts.tools.includes(cmd);
        expect(ships, `${kind} probe runs ${cmd}; ${preset}:${tag} lacks it`).toBe(true);
      }
    }
  });

  it('runs as the uid its image\'s Dockerfile sets, or a non-root uid where it sets none', () => {
    for (const { tag, facts } of upstreamFacts(PRESET_IMAGES[preset].main)) {
      if (facts.uid !== null) expect(spec.runAsUser, `${preset}:${tag}`).toBe(facts.uid);
      else expect(spec.runAsUser, `${preset}:${tag}`).toBeGreaterThanOrEqual(1000);
    }
  });

  it('declares non-HTTP ports as tcp', () => {
    for (const p of spec.ports ?? []) expect(['http', 'tcp'], p.name).toContain(p.appProtocol);
    expect((spec.ports ?? []).some((p) => p.appProtocol === 'tcp') || preset === 'minio').toBe(true);
  });

  it('is scraped on one of its ports and names the metrics found there', () => {
    expect(portNames(spec)).toContain(spec.metrics?.port);
    // MinIO serves its own metrics on the S3 port, opened to Prometheus without a token (presets/minio.ts).
    if (preset === 'minio') expect([spec.metrics, spec.env?.find((e) => e.name === 'MINIO_PROMETHEUS_AUTH_TYPE')?.value]).toEqual([{ port: 's3', path: '/minio/v2/metrics/cluster' }, 'public']);
    expect(metrics.length).toBeGreaterThan(0);
  });

  it('runs sidecars of exactly the images PRESET_IMAGES lists, each serving a declared port', () => {
    const sidecars = sidecarsOf(preset);
    expect(sidecars.map((c) => c.image)).toEqual(PRESET_IMAGES[preset].sidecars.map(repository));
    for (const c of sidecars) {
      expect(c.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, runAsNonRoot: true });
      for (const p of c.ports ?? []) expect(spec.ports?.find((sp) => sp.name === p.name)?.port, `${c.name} ${p.name}`).toBe(p.containerPort);
    }
  });

  it('reads credentials from the store under credentials.key with the documented properties, or needs none', () => {
    const expected = PRESET_CREDENTIALS[preset].map((c) => ({ name: c.env, secret: { key: `shop/${preset}`, property: c.property } }));
    expect(spec.env?.filter((e) => e.secret !== undefined) ?? []).toEqual(expected);
    expect(presetRequiresCredentials(preset)).toBe(preset !== 'nats');
  });

  it('invents no credentials when the service has none', () => {
    const bare = applyPreset('bare', { preset }).spec;
    expect(bare.env?.filter((e) => e.secret !== undefined) ?? []).toEqual([]);
  });

  it('sidecars read secrets only from keys the service\'s env Secret holds', () => {
    const held = new Set(envSecretData({ system: {} as System, name: `my-${preset}`, spec }).map((d) => d.secretKey));
    for (const c of sidecarsOf(preset)) {
      for (const e of c.env ?? []) {
        const ref = e.valueFrom?.secretKeyRef;
        if (ref === undefined) continue;
        expect(ref.name, `${c.name} ${e.name}`).toBe(envSecretName(`my-${preset}`));
        expect(held.has(ref.key), `${c.name} ${e.name} reads ${ref.key}`).toBe(true);
      }
    }
  });
});

describe('writable paths on a read-only root', () => {
  const mounts = (spec: ServiceSpec): string[] => (spec.volumes ?? []).map((v) => v.mountPath);

  it('postgres: the data volume holds PGDATA, the socket directory is an emptyDir', () => {
    const { spec } = complete('postgres');
    const pgdata = spec.env?.find((e) => e.name === 'PGDATA')?.value;
    const data = spec.volumes?.find((v) => v.name === 'data')?.mountPath;
    expect(pgdata?.startsWith(`${data}/`)).toBe(true);
    expect(spec.volumes?.find((v) => v.mountPath === '/var/run/postgresql')?.emptyDir).toBeDefined();
  });

  it('redis: the data volume is the `dir` of its redis.conf', () => {
    const { spec } = complete('redis');
    const conf = spec.configFiles?.find((f) => f.path === '/etc/redis/redis.conf')?.content ?? '';
    const dir = /^dir (\S+)$/m.exec(conf)?.[1];
    expect(dir).toBeDefined();
    expect(mounts(spec)).toContain(dir);
  });

  it('rabbitmq: data (also HOME) and log directories are volumes', () => {
    const { spec } = complete('rabbitmq');
    expect(mounts(spec)).toEqual(expect.arrayContaining(['/var/lib/rabbitmq', '/var/log/rabbitmq']));
    expect(spec.env?.find((e) => e.name === 'HOME')?.value).toBe('/var/lib/rabbitmq');
  });

  it('rabbitmq: the image\'s conf.d file that disables the management metrics collector is replaced', () => {
    const { spec } = complete('rabbitmq');
    const file = spec.configFiles?.find((f) => f.path === '/etc/rabbitmq/conf.d/20-management_agent.disable_metrics_collector.conf');
    expect(file?.content).toMatch(/^management_agent\.disable_metrics_collector = false$/m);
  });

  it('minio: serves from the data volume, certificates in /tmp', () => {
    const { spec } = complete('minio');
    expect(spec.args?.slice(0, 2)).toEqual(['server', '/data']);
    expect(mounts(spec)).toContain('/data');
    expect(spec.args?.[spec.args.indexOf('--certs-dir') + 1]?.startsWith('/tmp/')).toBe(true);
  });

  it('nats: the JetStream store is the data volume', () => {
    const { spec } = complete('nats');
    const args = spec.args ?? [];
    expect(args).toContain('--jetstream');
    expect(mounts(spec)).toContain(args[args.indexOf('--store_dir') + 1]);
  });
});

describe('the nats preset', () => {
  const { spec } = complete('nats');

  it('serves monitoring where KEDA\'s JetStream trigger reads it', () => {
    const args = spec.args ?? [];
    expect(Number(args[args.indexOf('--http_port') + 1])).toBe(NATS_MONITORING_PORT);
    expect(spec.ports?.find((p) => p.name === 'monitor')?.port).toBe(NATS_MONITORING_PORT);
  });

  it('does not read the image\'s config file (its cluster block publishes a route password)', () => {
    expect(spec.args).not.toContain('--config');
    expect(spec.command).toBeUndefined();
  });

  it('probes JetStream health as the server defines it, without a shell (the scratch image has none)', () => {
    expect(spec.probes?.startup?.http?.path).toBe('/healthz');
    expect(spec.probes?.readiness?.http?.path).toBe('/healthz?js-server-only=true');
    expect(spec.probes?.liveness?.http?.path).toBe('/healthz?js-enabled-only=true');
  });

  it('the exporter reads the pod\'s own monitoring port with the varz, connz and JetStream collectors', () => {
    const [exporter] = sidecarsOf('nats');
    expect(exporter?.args).toEqual(expect.arrayContaining(['-varz', '-connz', '-jsz=all', `http://127.0.0.1:${NATS_MONITORING_PORT}`]));
    expect(complete('nats').metrics.every((m) => m.startsWith('gnatsd_') || m.startsWith('jetstream_'))).toBe(true);
  });
});

describe('the user\'s fields win', () => {
  it('scalars and lists replace the preset\'s', () => {
    const { spec } = complete('postgres', 'db', { replicas: 0, args: ['-c', 'max_connections=50'], ports: [{ name: 'postgres', port: 5432, appProtocol: 'tcp' }] });
    expect(spec.replicas).toBe(0);
    expect(spec.args).toEqual(['-c', 'max_connections=50']);
    expect(portNames(spec)).toEqual(['postgres']);
    expect(spec.kind).toBe('StatefulSet');
  });

  it('objects replace whole (resources)', () => {
    const { spec } = complete('redis', 'cache', { resources: { limits: { memory: '2Gi' } } });
    expect(spec.resources).toEqual({ limits: { memory: '2Gi' } });
  });

  it('volumes merge by name: a user `data` replaces the preset\'s in place, new ones are added', () => {
    const { spec } = complete('postgres', 'db', {
      volumes: [
        { name: 'data', mountPath: '/var/lib/postgresql/data', persistent: { size: '200Gi', storageClass: 'fast' } },
        { name: 'scratch', mountPath: '/scratch', emptyDir: {} },
      ],
    });
    expect(spec.volumes?.map((v) => v.name)).toEqual(['data', 'run', 'scratch']);
    expect(spec.volumes?.[0]?.persistent).toEqual({ size: '200Gi', storageClass: 'fast' });
  });

  it('probes merge one by one', () => {
    const readiness = { tcp: { port: 'redis' }, periodSeconds: 3 };
    const { spec } = complete('redis', 'cache', { probes: { readiness } });
    expect(spec.probes?.readiness).toEqual(readiness);
    expect(spec.probes?.startup).toEqual(complete('redis').spec.probes?.startup);
    expect(spec.probes?.liveness).toEqual(complete('redis').spec.probes?.liveness);
  });

  it('env merges by name: a user value replaces the preset\'s in place, new variables follow', () => {
    const { spec } = complete('postgres', 'db', { env: [{ name: 'TZ', value: 'UTC' }, { name: 'POSTGRES_DB', value: 'orders' }] });
    expect(spec.env?.map((e) => e.name)).toEqual(['POSTGRES_DB', 'PGDATA', 'POSTGRES_USER', 'POSTGRES_PASSWORD', 'TZ']);
    expect(spec.env?.[0]).toEqual({ name: 'POSTGRES_DB', value: 'orders' });
  });

  it('the exporter follows a user database name', () => {
    const result = complete('postgres', 'db', { env: [{ name: 'POSTGRES_DB', value: 'orders' }] });
    const uri = result.sidecars(repository)[0]?.env?.find((e) => e.name === 'DATA_SOURCE_URI')?.value;
    expect(uri).toBe('127.0.0.1:5432/orders?sslmode=disable');
  });

  it('a user image replaces the preset\'s main image; the sidecars stay', () => {
    const result = complete('redis', 'cache', { image: 'valkey' });
    expect(result.spec.image).toBe('valkey');
    expect(result.sidecars(repository).map((c) => c.image)).toEqual([repository('redis-exporter')]);
  });

  it('mergeByKey keeps the base order, replaces in place and appends new items', () => {
    const key = (x: { k: string }) => x.k;
    expect(mergeByKey([{ k: 'a', v: 1 }, { k: 'b', v: 1 }], [{ k: 'c', v: 2 }, { k: 'a', v: 2 }], key)).toEqual([
      { k: 'a', v: 2 },
      { k: 'b', v: 1 },
      { k: 'c', v: 2 },
    ]);
  });

  it('mergeSpec ignores fields the user leaves undefined and modifies neither input', () => {
    const base: ServiceSpec = { replicas: 1, env: [{ name: 'A', value: '1' }] };
    const user: ServiceSpec = { replicas: undefined, env: [{ name: 'B', value: '2' }] };
    const merged = mergeSpec(base, user);
    expect(merged.replicas).toBe(1);
    expect(merged.env).toEqual([{ name: 'A', value: '1' }, { name: 'B', value: '2' }]);
    expect(base.env).toEqual([{ name: 'A', value: '1' }]);
    expect(user.env).toEqual([{ name: 'B', value: '2' }]);
  });
});

describe('two services of one preset', () => {
  it('get their own database, server name and exporter target', () => {
    const orders = complete('postgres', 'orders-db');
    const users = complete('postgres', 'users-db');
    expect(orders.spec.env?.find((e) => e.name === 'POSTGRES_DB')?.value).toBe('orders-db');
    expect(users.spec.env?.find((e) => e.name === 'POSTGRES_DB')?.value).toBe('users-db');
    const secretOf = (c: IContainer | undefined) => c?.env?.find((e) => e.name === 'DATA_SOURCE_PASS')?.valueFrom?.secretKeyRef?.name;
    expect(secretOf(orders.sidecars(repository)[0])).toBe(envSecretName('orders-db'));
    expect(secretOf(users.sidecars(repository)[0])).toBe(envSecretName('users-db'));

    const a = complete('nats', 'events').spec.args ?? [];
    const b = complete('nats', 'jobs').spec.args ?? [];
    expect(a[a.indexOf('--server_name') + 1]).toBe('events');
    expect(b[b.indexOf('--server_name') + 1]).toBe('jobs');
  });

  it('share no objects: changing one spec changes neither the other nor the built-in component', () => {
    const one = complete('postgres', 'one').spec;
    const two = complete('postgres', 'two').spec;
    one.volumes![0]!.persistent!.size = '1Ti';
    one.probes!.startup!.periodSeconds = 99;
    one.resources!.limits!['memory'] = '64Gi';
    expect(two.volumes?.[0]?.persistent?.size).toBe('10Gi');
    expect(two.probes?.startup?.periodSeconds).toBe(5);
    expect(transcodingPostgres.defaults.resources.limits?.['memory']).toBe('1Gi');
  });
});

describe('a service without a preset', () => {
  it('comes back as declared, with no sidecars or metrics', () => {
    const spec: ServiceSpec = { image: 'api-service', ports: [{ name: 'http', port: 8080 }] };
    const result = applyPreset('api', spec);
    expect(result.spec).toBe(spec);
    expect(result.sidecars(repository)).toEqual([]);
    expect(result.metrics).toEqual([]);
  });
});
