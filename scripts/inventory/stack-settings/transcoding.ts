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
          // Checked (Amazon MQ developer guide, "Listener ports"): the web console and management API listen on
          // HTTPS 443 and 15671 of the broker's host name.
          managementPort: Type.Optional(
            Port('HTTPS port of the management API on the same host, which KEDA reads queue depths from (default 443, as on Amazon MQ)'),
          ),
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

const MaxJobSeconds = (flavour: string, dflt: number): ReturnType<typeof Type.Integer> =>
  Type.Integer({
    minimum: 300,
    maximum: 86400,
    description: `Longest ${flavour} job, in seconds (default ${dflt}): the worker fails a job that runs longer, and a stopping worker gets this long (+ 60 s) to finish its job`,
  });

/** Where a cluster's database backups are copied after each upload (a bucket in another region or store). */
export const BackupCopySchema = Type.Object(
  {
    endpoint: Type.String({ pattern: '^https?://[a-z0-9]([-a-z0-9.]*[a-z0-9])?(:[0-9]+)?$', description: 'S3 endpoint URL of the copy, e.g. https://s3.us-west-2.amazonaws.com' }),
    bucket: Type.String({ pattern: '^[a-z0-9][-a-z0-9.]{1,61}[a-z0-9]$', description: 'Bucket the dumps are copied to (versioning and the retention lifecycle rule are set on it too)' }),
    region: Type.String({ pattern: '^[a-z0-9-]+$', description: 'Region of the copy bucket (requests are signed for it)' }),
    cidrs: Cidrs,
  },
  {
    ...strict,
    description:
      'Copy every database backup of this cluster to a second bucket, normally in another region: the backup job uploads each dump there too, ' +
      'with the credentials of the store entry transcoding/backup-copy (properties access-key, secret-key). Per cluster, because the target ' +
      'bucket belongs to the cluster (as its backup bucket does); unset = no copy',
  },
);

export const TranscodingFleetSettingsSchema = Type.Object(
  {
    maxJobSeconds: Type.Optional(
      Type.Object(
        { cpu: Type.Optional(MaxJobSeconds('CPU-worker', 14400)), gpu: Type.Optional(MaxJobSeconds('GPU-worker', 3600)) },
        { ...strict, description: 'Longest transcoding job per worker flavour: sets the workers\' job timeout and termination grace period' },
      ),
    ),
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
    spot: Type.Optional(
      Type.Object(
        {
          nodeLabels: Type.Record(Type.String({ minLength: 1 }), Type.String(), {
            minProperties: 1,
            description: 'Labels of the spot pool\'s nodes, e.g. karpenter.sh/capacity-type: spot or eks.amazonaws.com/capacityType: SPOT',
          }),
          tolerations: Type.Optional(Type.Array(TolerationSchema, { description: 'Tolerations for the spot pool\'s taints' })),
        },
        {
          ...strict,
          description:
            'The cluster\'s spot/preemptible pool: CPU workers prefer it (preferred node affinity, falling back to on-demand nodes) and tolerate its taints; ' +
            'an interrupted job resumes from its last checkpoint (docs/stacks/transcoding.md, "Transcoding under load")',
        },
      ),
    ),
    backupCopy: Type.Optional(BackupCopySchema),
    external: Type.Optional(ExternalServicesSchema),
  },
  { ...strict, description: 'Transcoding settings of this cluster' },
);

export const TranscodingEnvironmentSettingsSchema = Type.Object({}, { ...strict, description: 'Transcoding settings of this environment' });

export type Toleration = Static<typeof TolerationSchema>;
export type ExternalServices = Static<typeof ExternalServicesSchema>;
export type BackupCopy = Static<typeof BackupCopySchema>;
export type TranscodingFleetSettings = Static<typeof TranscodingFleetSettingsSchema>;
export type TranscodingClusterSettings = Static<typeof TranscodingClusterSettingsSchema>;
export type TranscodingEnvironmentSettings = Static<typeof TranscodingEnvironmentSettingsSchema>;
