// The streaming data path of one cluster, run for real on loopback: the generated edge nginx, one generated
// origin-http sidecar (nginx + njs) per origin replica, each in front of a xiu stand-in, and a DNS stub standing in
// for the cluster DNS that answers the headless Service with the replicas' addresses. Replica i listens on
// 127.0.0.(20+i) — loopback addresses, never reachable from outside — because the edge reaches every replica on the
// same port, as in a cluster where each pod has its own address; everything else binds 127.0.0.1.
//
// What is changed in the generated configs to run here, and nothing else (each change must match, see substitute):
// file paths (pid, temp, cache, njs, logs), listen addresses, the sidecar's xiu addresses (127.0.0.1 in a pod, the
// replica's loopback address here), the resolver (kube-dns → the stub), Debian's njs module path, and the HTTP-FLV
// idle timeouts (30 s → FLV_TEST_IDLE_SECONDS, so a test can outlast them quickly).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startDnsStub, type DnsStub } from './dns-stub.ts';
import { freePort, NJS_MODULE, requireNginx, startNginx, substitute, type RunningNginx } from './nginx.ts';
import { startXiuStandin, type XiuStandin } from './xiu-standin.ts';

export const FLV_TEST_IDLE_SECONDS = 2;

export interface GeneratedConfigs {
  readonly edge: string;
  readonly originHttp: string;
  readonly originJs: string;
  /** The headless Service's DNS name the edge resolves and sends as Host. */
  readonly replicasHost: string;
  readonly mediaPort: number;
  readonly apiPort: number;
  readonly flvPort: number;
  readonly flvIdleSeconds: number;
  readonly resolver: string;
}

export interface Replica {
  readonly name: string;
  readonly address: string;
  readonly xiu: XiuStandin;
  readonly sidecar: RunningNginx;
  /** Lines `<host> <uri> <status>` the sidecar logged: what the edge sent this replica. */
  readonly accessLog: string;
}

export interface Topology {
  readonly edgeUrl: string;
  readonly edge: RunningNginx;
  readonly edgeAccessLog: string;
  readonly replicas: readonly Replica[];
  readonly dns: DnsStub;
  /** Make the headless Service answer with these replicas (a scale change as the edge's DNS sees it). */
  scaleTo(replicas: readonly Replica[]): void;
  close(): Promise<void>;
}

const replicaAddress = (i: number): string => `127.0.0.${20 + i}`;

const sidecarFiles = (c: GeneratedConfigs, dir: string, address: string, workdir: string): Record<string, string> => {
  const conf = substitute(
    c.originHttp,
    [
      { from: 'load_module modules/ngx_http_js_module.so;', to: `load_module ${NJS_MODULE};` },
      { from: '/tmp/', to: `${dir}/tmp/`, count: 'all' },
      { from: 'js_path /etc/nginx/njs;', to: `js_path ${dir}/njs;` },
      { from: 'error_log /dev/stderr warn;', to: `error_log ${dir}/error.log info;` },
      { from: 'access_log off;', to: `log_format hosts '$http_host $request_uri $status'; access_log ${dir}/access.log hosts;` },
      { from: `listen ${c.mediaPort};`, to: `listen ${address}:${c.mediaPort};` },
      { from: `proxy_pass http://127.0.0.1:${c.flvPort};`, to: `proxy_pass http://${address}:${c.flvPort};` },
      { from: `proxy_read_timeout ${c.flvIdleSeconds}s;`, to: `proxy_read_timeout ${FLV_TEST_IDLE_SECONDS}s;` },
    ],
    'origin-http nginx.conf',
  );
  const js = substitute(
    c.originJs,
    [
      { from: `'http://127.0.0.1:${c.apiPort}/`, to: `'http://${address}:${c.apiPort}/` },
      { from: "const ROOT = '/var/lib/xiu';", to: `const ROOT = '${workdir}';` },
    ],
    'origin.js',
  );
  return { 'nginx.conf': conf, 'njs/origin.js': js };
};

const edgeFiles = (c: GeneratedConfigs, dir: string, port: number, dnsPort: number): Record<string, string> => ({
  'nginx.conf': substitute(
    c.edge,
    [
      { from: '/tmp/', to: `${dir}/tmp/`, count: 'all' },
      { from: 'error_log /dev/stderr warn;', to: `error_log ${dir}/error.log info;` },
      { from: /access_log syslog:[^;]+ edge;/.exec(c.edge)?.[0] ?? 'access_log syslog', to: `access_log ${dir}/access.log edge;` },
      { from: `resolver ${c.resolver} `, to: `resolver 127.0.0.1:${dnsPort} ` },
      { from: 'proxy_cache_path /var/cache/nginx/hls ', to: `proxy_cache_path ${dir}/cache ` },
      { from: 'listen 8080;', to: `listen 127.0.0.1:${port};` },
      { from: `proxy_read_timeout ${c.flvIdleSeconds}s;`, to: `proxy_read_timeout ${FLV_TEST_IDLE_SECONDS}s;` },
      { from: `proxy_send_timeout ${c.flvIdleSeconds}s;`, to: `proxy_send_timeout ${FLV_TEST_IDLE_SECONDS}s;` },
    ],
    'edge nginx.conf',
  ),
});

export const startTopology = async (c: GeneratedConfigs, root: string, replicaCount: number): Promise<Topology> => {
  requireNginx();
  const dns = await startDnsStub();
  const started: Array<{ close(): Promise<void> } | RunningNginx> = [];
  try {
    const replicas: Replica[] = [];
    for (let i = 0; i < replicaCount; i++) {
      const name = `r${i}`;
      const address = replicaAddress(i);
      const dir = join(root, name);
      const workdir = join(dir, 'xiu');
      mkdirSync(workdir, { recursive: true });
      const xiu = await startXiuStandin({ name, address, workdir, apiPort: c.apiPort, flvPort: c.flvPort });
      started.push(xiu);
      const sidecar = await startNginx({ dir, files: sidecarFiles(c, dir, address, workdir), host: address, port: c.mediaPort });
      started.push(sidecar);
      replicas.push({ name, address, xiu, sidecar, accessLog: join(dir, 'access.log') });
    }
    const edgeDir = join(root, 'edge');
    mkdirSync(join(edgeDir, 'cache'), { recursive: true });
    const port = await freePort();
    const edge = await startNginx({ dir: edgeDir, files: edgeFiles(c, edgeDir, port, dns.port), host: '127.0.0.1', port });
    started.push(edge);
    const topology: Topology = {
      edgeUrl: `http://127.0.0.1:${port}`,
      edge,
      edgeAccessLog: join(edgeDir, 'access.log'),
      replicas,
      dns,
      scaleTo: (set) => dns.setAddresses(c.replicasHost, set.map((r) => r.address)),
      close: async () => {
        for (const s of started.reverse()) await ('stop' in s ? s.stop() : s.close());
        await dns.close();
      },
    };
    topology.scaleTo(replicas);
    return topology;
  } catch (e) {
    for (const s of started.reverse()) await ('stop' in s ? s.stop() : s.close()).catch(() => undefined);
    await dns.close();
    throw e;
  }
};
