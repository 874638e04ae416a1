// The streaming stack's inventory settings with their defaults applied: one place that knows the defaults, so
// components, tests and docs agree on them.
import type { Cluster, Environment, Fleet } from '../../model/fleet.ts';
import type { RtmpExposure } from '../../inventory/stack-settings/streaming.ts';

export interface OriginSettings {
  readonly hls: boolean;
  readonly httpFlv: boolean;
  readonly gopCache: number;
  /** Upper bound of a removed replica's drain (see rtmp-origin.ts); its grace period adds a margin. */
  readonly drainSeconds: number;
  readonly logLevel: string;
  readonly ingestAuth: { readonly enabled: boolean; readonly remoteKey: string };
}

export interface EdgeSettings {
  readonly segmentTtlSeconds: number;
  readonly cacheSize: string;
}

export interface LoadTestSettings {
  readonly vus: number;
  readonly duration: string;
  readonly stream: string;
}

export const originSettings = (fleet: Pick<Fleet, 'streaming'>): OriginSettings => {
  const o = fleet.streaming?.origin ?? {};
  return {
    hls: o.hls ?? true,
    httpFlv: o.httpFlv ?? true,
    gopCache: o.gopCache ?? 1,
    drainSeconds: o.drainSeconds ?? 120,
    logLevel: o.logLevel ?? 'info',
    ingestAuth: {
      enabled: o.ingestAuth?.enabled ?? true,
      remoteKey: o.ingestAuth?.remoteKey ?? 'streaming/rtmp-publish-token',
    },
  };
};

export const edgeSettings = (fleet: Pick<Fleet, 'streaming'>): EdgeSettings => ({
  segmentTtlSeconds: fleet.streaming?.edge?.segmentTtlSeconds ?? 600,
  cacheSize: fleet.streaming?.edge?.cacheSize ?? '4g',
});

export const rtmpExposure = (cluster: Pick<Cluster, 'streaming'>): RtmpExposure => cluster.streaming?.rtmpExposure ?? 'load-balancer';

export const loadTestSettings = (env: Pick<Environment, 'streaming'>): LoadTestSettings => ({
  vus: env.streaming?.loadTest?.vus ?? 10,
  duration: env.streaming?.loadTest?.duration ?? '2m',
  stream: env.streaming?.loadTest?.stream ?? 'loadtest',
});

/** Mesh clusters route public HTTP through the Istio ingress gateway instead of ingress-nginx. */
export const onMesh = (cluster: Pick<Cluster, 'capabilities'>): boolean => cluster.capabilities.includes('mesh');

/** Public hosts of a cluster's streaming stack. */
export const streamingHosts = (domain: string): { hls: string; flv: string; cdn: string; play: string; api: string } => ({
  api: `api.${domain}`,
  cdn: `cdn.${domain}`,
  flv: `flv.${domain}`,
  hls: `hls.${domain}`,
  play: `play.${domain}`,
});
