// Inventory settings of the transcoding stack: fleet-wide defaults (fleet.yaml `transcoding:`), per-cluster overrides
// (clusters.yaml `transcoding:`) and per-environment settings (environments/<env>.yaml `transcoding:`). Every field is
// optional: the component code holds the defaults, so a small inventory stays small.
import { Type, type Static } from '@sinclair/typebox';

const strict = { additionalProperties: false } as const;

const HOST = '^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$';
const CIDR = '^[0-9]{1,3}(\\.[0-9]{1,3}){3}/[0-9]{1,2}$';
const DNS1123_LABEL = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$';

const Port = (description: string): ReturnType<typeof Type.Integer> => Type.Integer({ minimum: 1, maximum: 65535, description });

const Cidrs = Type.Optional(
  Type.Array(Type.String({ pattern: CIDR }), {
    minItems: 1,
    uniqueItems: true,
    description:
      'Address ranges the managed service lives in, for the egress NetworkPolicy (a NetworkPolicy cannot match host names). ' +
      'Default 0.0.0.0/0 on the service port only: set the VPC subnets of the service to narrow it.',
  }),
);

export const TolerationSchema = Type.Object(
  {
    key: Type.String({ minLength: 1, description: 'Taint key' }),
    operator: Type.Optional(Type.Union([Type.Literal('Exists'), Type.Literal('Equal')], { description: 'Exists (default) or Equal' })),
    value: Type.Optional(Type.String({ description: 'Taint value (with operator Equal)' })),
    effect: Type.Optional(
      Type.Union([Type.Literal('NoSchedule'), Type.Literal('PreferNoSchedule'), Type.Literal('NoExecute')], { description: 'Taint effect' }),
    ),
  },
  { ...strict, description: 'A Kubernetes toleration' },
);

export const ExternalServicesSchema = Type.Object(
  {
    postgres: Type.Optional(
      Type.Object(
        {
          host: Type.String({ pattern: HOST, description: 'Managed Postgres host name (e.g. an RDS endpoint)' }),
          port: Type.Optional(Port('Port (default 5432)')),
          database: Type.Optional(Type.String({ pattern: '^[a-z_][a-z0-9_]*$', description: 'Database name (default transcode)' })),
          cidrs: Cidrs,
        },
        strict,
      ),
    ),
    redis: Type.Optional(
      Type.Object(
        {
          host: Type.String({ pattern: HOST, description: 'Managed Redis host name (e.g. an ElastiCache endpoint)' }),
          port: Type.Optional(Port('Port (default 6379)')),
          cidrs: Cidrs,
        },
        strict,
      ),
    ),
    rabbitmq: Type.Optional(
      Type.Object(
        {
          host: Type.String({ pattern: HOST, description: 'Managed RabbitMQ (AMQP) host name (e.g. an Amazon MQ broker)' }),
          port: Type.Optional(Port('AMQP port (default 5672; 5671 for AMQPS)')),
          cidrs: Cidrs,
        },
        strict,
      ),
    ),
    objectStorage: Type.Optional(
      Type.Object(
        {
          endpoint: Type.String({ pattern: '^https?://[a-z0-9]([-a-z0-9.]*[a-z0-9])?(:[0-9]+)?$', description: 'S3 endpoint URL, e.g. https://s3.us-east-1.amazonaws.com' }),
          bucket: Type.String({ pattern: '^[a-z0-9][-a-z0-9.]{1,61}[a-z0-9]$', description: 'Bucket for transcoded media' }),
          backupBucket: Type.Optional(Type.String({ pattern: '^[a-z0-9][-a-z0-9.]{1,61}[a-z0-9]$', description: 'Bucket for database backups (default: <bucket>-backups)' })),
          region: Type.Optional(Type.String({ pattern: '^[a-z0-9-]+$', description: 'Region (default: the cluster region)' })),
          cidrs: Cidrs,
        },
        strict,
      ),
    ),
  },
  {
    ...strict,
    description:
      'Managed services the stack uses instead of in-cluster ones: each one set here is not rendered on this cluster ' +
      '(no StatefulSet, no backup CronJob: the provider backs it up) and the apps get its endpoint',
  },
);

export const TranscodingFleetSettingsSchema = Type.Object(
  {
    backupRetentionDays: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 3650, description: 'Days database backups are kept in object storage (default 30)' }),
    ),
  },
  { ...strict, description: 'Transcoding settings for the whole fleet' },
);

export const TranscodingClusterSettingsSchema = Type.Object(
  {
    gpu: Type.Optional(
      Type.Object(
        {
          runtimeClassName: Type.Optional(Type.String({ pattern: DNS1123_LABEL, description: 'RuntimeClass of the GPU workers (e.g. nvidia, installed by the GPU operator)' })),
          nodeSelector: Type.Optional(
            Type.Record(Type.String({ minLength: 1 }), Type.String(), { description: 'Node selector of the GPU workers (default nvidia.com/gpu.present: "true")' }),
          ),
          tolerations: Type.Optional(Type.Array(TolerationSchema, { description: 'Tolerations of the GPU workers (default: the nvidia.com/gpu taint)' })),
        },
        { ...strict, description: 'GPU worker scheduling on this cluster' },
      ),
    ),
    spotTolerations: Type.Optional(
      Type.Array(TolerationSchema, { description: 'Tolerations letting the CPU workers run on spot/preemptible nodes (their jobs are requeued on eviction)' }),
    ),
    external: Type.Optional(ExternalServicesSchema),
  },
  { ...strict, description: 'Transcoding settings of this cluster' },
);

export const TranscodingEnvironmentSettingsSchema = Type.Object({}, { ...strict, description: 'Transcoding settings of this environment' });

export type Toleration = Static<typeof TolerationSchema>;
export type ExternalServices = Static<typeof ExternalServicesSchema>;
export type TranscodingFleetSettings = Static<typeof TranscodingFleetSettingsSchema>;
export type TranscodingClusterSettings = Static<typeof TranscodingClusterSettingsSchema>;
export type TranscodingEnvironmentSettings = Static<typeof TranscodingEnvironmentSettingsSchema>;
