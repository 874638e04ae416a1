// Inventory settings of the streaming stack: fleet-wide defaults (fleet.yaml `streaming:`), per-cluster overrides
// (clusters.yaml `streaming:`) and per-environment settings (environments/<env>.yaml `streaming:`). Every field is
// optional: the component code holds the defaults, so a small inventory stays small.
import { Type, type Static } from '@sinclair/typebox';

const strict = { additionalProperties: false } as const;

export const StreamingFleetSettingsSchema = Type.Object({}, { ...strict, description: 'Streaming settings for the whole fleet' });

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

export const StreamingEnvironmentSettingsSchema = Type.Object({}, { ...strict, description: 'Streaming settings of this environment' });

export type StreamingFleetSettings = Static<typeof StreamingFleetSettingsSchema>;
export type StreamingClusterSettings = Static<typeof StreamingClusterSettingsSchema>;
export type StreamingEnvironmentSettings = Static<typeof StreamingEnvironmentSettingsSchema>;
