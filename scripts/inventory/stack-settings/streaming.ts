// Inventory settings of the streaming stack: fleet-wide defaults (fleet.yaml `streaming:`), per-cluster overrides
// (clusters.yaml `streaming:`) and per-environment settings (environments/<env>.yaml `streaming:`). Every field is
// optional: the component code holds the defaults (scripts/components/streaming/settings.ts), so a small
// inventory stays small.
import { Type, type Static } from '@sinclair/typebox';

const strict = { additionalProperties: false } as const;

const IngestAuthSchema = Type.Object(
  {
    enabled: Type.Optional(
      Type.Boolean({ description: 'Require a publish token on RTMP push (default true). Viewing (HLS/HTTP-FLV) never needs it.' }),
    ),
    remoteKey: Type.Optional(
      Type.String({
        minLength: 1,
        description: 'Key in the cluster secret store holding the publish token (default streaming/rtmp-publish-token); materialised by an ExternalSecret',
      }),
    ),
  },
  { ...strict, description: 'Publish (ingest) authentication of the RTMP origin' },
);

const OriginSchema = Type.Object(
  {
    hls: Type.Optional(Type.Boolean({ description: 'Serve HLS through the edge on cdn.<domain> and hls.<domain> (default true); the player needs it' })),
    httpFlv: Type.Optional(Type.Boolean({ description: 'Serve HTTP-FLV through the edge on flv.<domain> (default true)' })),
    gopCache: Type.Optional(
      Type.Integer({ minimum: 0, maximum: 10, description: 'GOPs xiu keeps per stream for instant playback start (default 1)' }),
    ),
    drainSeconds: Type.Optional(
      Type.Integer({
        minimum: 10,
        maximum: 1200,
        description:
          'How long a removed origin replica (rollout, scale-in) waits for its publishers to finish before it closes their connections so they reconnect to another replica (default 120)',
      }),
    ),
    logLevel: Type.Optional(
      Type.Unsafe<'error' | 'warn' | 'info' | 'debug' | 'trace'>({
        type: 'string',
        enum: ['error', 'warn', 'info', 'debug', 'trace'],
        description: 'xiu log level (default info)',
      }),
    ),
    ingestAuth: Type.Optional(IngestAuthSchema),
  },
  { ...strict, description: 'RTMP origin (xiu) configuration, rendered into its ConfigMap' },
);

const EdgeSchema = Type.Object(
  {
    segmentTtlSeconds: Type.Optional(
      Type.Integer({ minimum: 1, description: 'How long the edge caches media segments (default 600; a segment URI names its publish session, so its bytes never change)' }),
    ),
    cacheSize: Type.Optional(
      Type.String({ pattern: '^[0-9]+[mg]$', description: 'nginx proxy_cache max_size per pod (default 4g)' }),
    ),
  },
  { ...strict, description: 'CDN edge cache settings' },
);

export const StreamingFleetSettingsSchema = Type.Object(
  { origin: Type.Optional(OriginSchema), edge: Type.Optional(EdgeSchema) },
  { ...strict, description: 'Streaming settings for the whole fleet' },
);

/** How publishers reach the RTMP origin: its own TCP load balancer, or the ingress controller's TCP port map. */
export const RTMP_EXPOSURES = ['load-balancer', 'ingress-tcp'] as const;
export type RtmpExposure = (typeof RTMP_EXPOSURES)[number];

export const StreamingClusterSettingsSchema = Type.Object(
  {
    rtmpExposure: Type.Optional(
      Type.Unsafe<RtmpExposure>({
        type: 'string',
        enum: [...RTMP_EXPOSURES],
        description:
          'load-balancer (default): a Service of type LoadBalancer for RTMP 1935 with the cluster\'s load-balancer annotations; ' +
          'ingress-tcp: the ingress controller maps TCP 1935 to the origin (one public address for HTTP and RTMP)',
      }),
    ),
  },
  { ...strict, description: 'Streaming settings of this cluster' },
);

const LoadTestSchema = Type.Object(
  {
    vus: Type.Optional(Type.Integer({ minimum: 1, maximum: 5000, description: 'k6 virtual users (default 10)' })),
    duration: Type.Optional(Type.String({ pattern: '^[0-9]+[smh]$', description: 'k6 test duration (default 2m)' })),
    stream: Type.Optional(
      Type.String({ pattern: '^[a-z0-9-]+$', description: 'Live stream name the test plays (default loadtest)' }),
    ),
  },
  { ...strict, description: 'On-demand k6 load test (a suspended CronJob)' },
);

export const StreamingEnvironmentSettingsSchema = Type.Object(
  { loadTest: Type.Optional(LoadTestSchema) },
  { ...strict, description: 'Streaming settings of this environment' },
);

export type StreamingFleetSettings = Static<typeof StreamingFleetSettingsSchema>;
export type StreamingClusterSettings = Static<typeof StreamingClusterSettingsSchema>;
export type StreamingEnvironmentSettings = Static<typeof StreamingEnvironmentSettingsSchema>;
