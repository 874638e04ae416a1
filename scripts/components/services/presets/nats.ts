// The nats preset: one nats-server with JetStream on a persistent volume, its HTTP monitoring port (health probes,
// KEDA's JetStream scaler) and the prometheus-nats-exporter sidecar. A NATS cluster (routes, JetStream
// replication across 3+ servers) is out of scope: the server runs without a cluster block.
//
// Images: docker.io/library/nats `<version>-scratch` (the server binary alone; no shell, so every probe is HTTP)
// and docker.io/natsio/prometheus-nats-exporter. Neither image sets a USER: both run as the pod's user.
import type { IContainer } from 'kubernetes-models/v1/Container';
import type { ServiceSpec } from '../../../inventory/system-schema.ts';
import { PRESET_IMAGES } from '../../../inventory/preset-images.ts';
import { restrictedContainer, toK8sResources } from '../../builders.ts';
import { NATS_MONITORING_PORT } from '../keda-triggers.ts';
import { DEFAULT_UID } from '../workload.ts';
import { dataVolume, type Preset } from './preset.ts';

/** Client port. Checked: nats-io/nats-server @ v2.14.5 : main.go usage (`-p, --port <port>`, default 4222). */
export const NATS_CLIENT_PORT = 4222;

/** The exporter's listen port. Checked: nats-io/prometheus-nats-exporter @ v0.20.1 : exporter/exporter.go (DefaultListenPort 7777). */
export const NATS_EXPORTER_PORT = 7777;

/** JetStream's store: the server keeps its files in `<store_dir>/jetstream`, on the data volume. */
const STORE_DIR = '/data';

/**
 * The server's flags. Without `--config` the image's nats-server.conf (its CMD) is not read: that file declares a
 * cluster listener on 6222 with a published route password. `--server_name` is the service's name: the exporter
 * labels metrics with it (stable across restarts, unlike the generated server id) and two nats services differ.
 * Checked: nats-io/nats-server @ v2.14.5 : main.go usage and server/opts.go ConfigureOptions (`--jetstream`/`-js`,
 * `--store_dir`/`-sd`, `--http_port`/`-m`, `--port`/`-p`, `--server_name`/`-n`); server/jetstream.go
 * (EnableJetStream/dynJetStreamConfig: StoreDir joined with "jetstream"; without a store_dir the store goes to the
 * OS temp dir, "data could be lost"; max store defaults to the disk available there, max memory to 3/4 of the
 * host's memory or of GOMEMLIMIT when lower); nats-io/nats-docker @ v2.14.5 : 2.14.x/scratch/Dockerfile
 * (ENTRYPOINT ["/nats-server"], CMD ["--config", "nats-server.conf"], no USER), 2.14.x/scratch/nats-server.conf.
 */
const serverArgs = (service: string): string[] => [
  '--server_name',
  service,
  '--port',
  String(NATS_CLIENT_PORT),
  '--http_port',
  String(NATS_MONITORING_PORT),
  '--jetstream',
  '--store_dir',
  STORE_DIR,
];

/**
 * Health: `/healthz` answers 200 when the server accepts connections and, with JetStream on, when JetStream is
 * enabled and (single server) its streams and consumers are recovered; `js-server-only=true` stops after the
 * connection check, `js-enabled-only=true` after the "JetStream enabled" check. Startup waits for full recovery
 * (a large store takes minutes), readiness needs only the listener, liveness restarts a server whose JetStream
 * switched itself off (e.g. a full or failed store) — the probes and timings of the NATS Helm chart.
 * Checked: nats-io/nats-server @ v2.14.5 : server/monitor.go (HandleHealthz, healthz: readyForConnections, then
 * JSServerOnly return, JetStream enabled check, JSEnabledOnly return, stream/consumer recovery), server/server.go
 * (HealthzPath "/healthz"); nats-io/k8s @ 957650f (chart nats 2.14.2) : helm/charts/nats/files/stateful-set/
 * nats-container.yaml (startup /healthz period 10 failure 90; readiness /healthz?js-server-only=true; liveness
 * /healthz?js-enabled-only=true period 30 failure 3; timeouts 5).
 */
const probes = (): NonNullable<ServiceSpec['probes']> => ({
  startup: { http: { path: '/healthz', port: 'monitor' }, initialDelaySeconds: 10, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 90 },
  readiness: { http: { path: '/healthz?js-server-only=true', port: 'monitor' }, initialDelaySeconds: 10, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 3 },
  liveness: { http: { path: '/healthz?js-enabled-only=true', port: 'monitor' }, initialDelaySeconds: 10, periodSeconds: 30, timeoutSeconds: 5, failureThreshold: 3 },
});

/**
 * The exporter's flags: general (varz), connection (connz) and every JetStream metric (jsz=all: server, account,
 * stream and consumer), labelled with the server name, read from the pod's own monitoring port.
 * Checked: nats-io/prometheus-nats-exporter @ v0.20.1 : main.go (flags `-port`, `-varz`, `-connz`, `-jsz`,
 * `-use_internal_server_name`; the monitoring URL is the one positional argument), exporter/exporter.go (jsz filter
 * "all"; scrape path DefaultScrapePath "/metrics", the only HTTP handler).
 */
const exporterArgs = [
  `-port=${NATS_EXPORTER_PORT}`,
  '-varz',
  '-connz',
  '-jsz=all',
  '-use_internal_server_name',
  `http://127.0.0.1:${NATS_MONITORING_PORT}`,
];

/**
 * Metric names of those collectors. Without `-prefix`, varz/connz metrics are `gnatsd_<endpoint>_<name>` (varz
 * names are the /varz JSON keys) and JetStream metrics `jetstream_<subsystem>_<name>`.
 * Checked: nats-io/prometheus-nats-exporter @ v0.20.1 : collector/collector.go (CoreSystem "gnatsd",
 * JetStreamSystem "jetstream", newPrometheusGaugeVec namespace/subsystem/name, objectToMetrics: JSON numbers become
 * gauges), collector/connz.go (num_connections), collector/jsz.go (server total_streams/total_consumers/
 * max_storage, stream total_messages, consumer num_pending/num_ack_pending); nats-io/nats-server @ v2.14.5 :
 * server/monitor.go Varz JSON tags (connections, slow_consumers, in_msgs, out_msgs, in_bytes, out_bytes, mem).
 */
export const NATS_METRICS = [
  'gnatsd_varz_connections',
  'gnatsd_varz_slow_consumers',
  'gnatsd_varz_in_msgs',
  'gnatsd_varz_out_msgs',
  'gnatsd_varz_in_bytes',
  'gnatsd_varz_out_bytes',
  'gnatsd_varz_mem',
  'gnatsd_connz_num_connections',
  'jetstream_server_total_streams',
  'jetstream_server_total_consumers',
  'jetstream_server_max_storage',
  'jetstream_stream_total_messages',
  'jetstream_consumer_num_pending',
  'jetstream_consumer_num_ack_pending',
] as const;

/**
 * The exporter sidecar: HTTP only on /metrics, so its probes are TCP. It listens only once it has read the server
 * name from /varz (retrying every 30 s meanwhile), so its startup probe allows as long as the server's own.
 * Checked: nats-io/prometheus-nats-exporter @ v0.20.1 : collector/collector.go getServerKeyFromVarz (retries until
 * /varz answers), main.go (`-ri` default DefaultRetryIntervalSecs 30, AddServer before Start).
 */
const exporter = (image: string): IContainer => ({
  name: 'exporter',
  image,
  args: [...exporterArgs],
  ports: [{ name: 'metrics', containerPort: NATS_EXPORTER_PORT, protocol: 'TCP' }],
  startupProbe: { tcpSocket: { port: 'metrics' }, periodSeconds: 10, failureThreshold: 90 },
  readinessProbe: { tcpSocket: { port: 'metrics' }, periodSeconds: 10 },
  livenessProbe: { tcpSocket: { port: 'metrics' }, periodSeconds: 20 },
  resources: toK8sResources({ requests: { cpu: '20m', memory: '32Mi' }, limits: { memory: '128Mi' } }),
  securityContext: restrictedContainer(),
});

const defaults = (service: string): ServiceSpec => ({
  image: PRESET_IMAGES.nats.main,
  kind: 'StatefulSet',
  ports: [
    { name: 'client', port: NATS_CLIENT_PORT, appProtocol: 'tcp' },
    { name: 'monitor', port: NATS_MONITORING_PORT, appProtocol: 'http' },
    { name: 'metrics', port: NATS_EXPORTER_PORT, appProtocol: 'http' },
  ],
  args: serverArgs(service),
  volumes: [dataVolume(STORE_DIR)],
  probes: probes(),
  resources: { requests: { cpu: '100m', memory: '256Mi', 'ephemeral-storage': '64Mi' }, limits: { memory: '1Gi', 'ephemeral-storage': '256Mi' } },
  // The image sets no USER (scratch: no passwd either): the house default uid for such images.
  runAsUser: DEFAULT_UID,
  replicas: 1,
  spread: 'required',
  metrics: { port: 'metrics' },
});

export const natsPreset: Preset = {
  // No credentials: clients connect without authentication, admitted only by the NetworkPolicies.
  credentials: [],
  defaults,
  sidecars: () => (repository) => PRESET_IMAGES.nats.sidecars.map((image) => exporter(repository(image))),
  metrics: NATS_METRICS,
};
