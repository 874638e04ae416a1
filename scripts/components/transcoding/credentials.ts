// Credentials of the transcoding stack, one ExternalSecret per app (least privilege: an app's Secret holds only
// what it uses). Remote keys name the store's entries; the platform team fills them per cluster.
import type { IEnvFromSource } from 'kubernetes-models/v1/EnvFromSource';
import type { IEnvVar } from 'kubernetes-models/v1/EnvVar';
import type { K8sObject } from '../component.ts';
import { externalSecret, type SecretKeyRef } from '../secrets.ts';
import { stackNamespace } from '../stacks.ts';

const NAMESPACE = stackNamespace('transcoding');

/** Store entries (JSON objects) and the Secret keys apps read from them. */
export const CREDENTIALS = {
  postgresUser: { secretKey: 'POSTGRES_USER', remoteKey: 'transcoding/postgres', property: 'username' },
  postgresPassword: { secretKey: 'POSTGRES_PASSWORD', remoteKey: 'transcoding/postgres', property: 'password' },
  redisPassword: { secretKey: 'REDIS_PASSWORD', remoteKey: 'transcoding/redis', property: 'password' },
  amqpUser: { secretKey: 'AMQP_USERNAME', remoteKey: 'transcoding/rabbitmq', property: 'username' },
  amqpPassword: { secretKey: 'AMQP_PASSWORD', remoteKey: 'transcoding/rabbitmq', property: 'password' },
  s3AccessKey: { secretKey: 'S3_ACCESS_KEY', remoteKey: 'transcoding/object-storage', property: 'access-key' },
  s3SecretKey: { secretKey: 'S3_SECRET_KEY', remoteKey: 'transcoding/object-storage', property: 'secret-key' },
} as const satisfies Record<string, SecretKeyRef>;

/** Name of the Secret (and its ExternalSecret) an app reads. */
export const credentialsName = (app: string): string => `${app}-credentials`;

export const appCredentials = (app: string, data: readonly SecretKeyRef[]): K8sObject =>
  externalSecret({ name: credentialsName(app), namespace: NAMESPACE, stack: 'transcoding', app, data });

/** All keys of the app's Secret as environment variables. */
export const credentialsEnvFrom = (app: string): IEnvFromSource => ({ secretRef: { name: credentialsName(app) } });

/** One key of the app's Secret under another variable name (images that expect their own names). */
export const secretEnv = (app: string, name: string, ref: SecretKeyRef): IEnvVar => ({
  name,
  valueFrom: { secretKeyRef: { name: credentialsName(app), key: ref.secretKey } },
});
