// KEDA's RabbitMQ trigger for a worker queue, counting the jobs in flight: ready + unacknowledged messages.
// Over AMQP KEDA declares the queue passively and gets only the *ready* count, so as workers take jobs the desired
// replica count falls and scale-in removes busy workers. Over HTTP (the broker's management API) it reads the
// queue's `messages` field, ready + unacked, unless `excludeUnacknowledged` is set (it is not, on purpose).
//
// Checked: kedacore/keda @ v2.20.2 : pkg/scalers/rabbitmq_scaler.go — getQueueStatus (HTTP: `messages` unless
// ExcludeUnacknowledged, then `messages_ready`; AMQP: QueueDeclarePassive's Messages = ready only),
// getQueueInfoViaHTTP (GET <host>/api/queues/<vhost>/<queueName>, basic auth from username/password when both set).
//
// The management URL differs per cluster (in-cluster Service or the managed broker's host) while the ScaledObject
// is rendered per environment, so KEDA reads it from a per-cluster ConfigMap derived from the inventory
// (endpointsFor) — the same resolver the apps and NetworkPolicies use — and only the credentials from the Secret.
import type { IScaleTriggers } from '@kubernetes-models/keda/keda.sh/v1alpha1/ScaleTriggers';
import type { ITriggerAuthenticationSpec } from '@kubernetes-models/keda/keda.sh/v1alpha1/TriggerAuthenticationSpec';
import { configMap } from '../builders.ts';
import type { K8sObject } from '../component.ts';
import type { SecretKeyRef } from '../secrets.ts';
import { stackNamespace } from '../stacks.ts';
import { CREDENTIALS } from './credentials.ts';
import type { TranscodingEndpoints } from './endpoints.ts';

const NAMESPACE = stackNamespace('transcoding');

/**
 * The apps configure no vhost (AMQP_HOST/AMQP_PORT only), so they use the broker's default vhost `/`; Amazon MQ's
 * default vhost is `/` too. Checked: kedacore/keda @ v2.20.2 : pkg/scalers/rabbitmq_scaler.go
 * getVhostAndPathFromURL — `vhostName` overrides the URL path and is query-escaped (`/` → `%2F`).
 */
export const RABBITMQ_VHOST = '/';

/** ConfigMap key holding the management API origin (no credentials: those come from the Secret). */
export const MANAGEMENT_URL_KEY = 'RABBITMQ_MANAGEMENT_URL';

export const kedaHostConfigMapName = (app: string): string => `${app}-keda-host`;

export interface QueueTriggerSpec {
  readonly app: string;
  readonly queue: string;
  /** Jobs (ready + in flight) per replica KEDA aims for. */
  readonly value: number;
}

/**
 * The `triggers[]` entry of the worker's ScaledObject. Every metadata key is a field of rabbitMQMetadata.
 * Checked: kedacore/keda @ v2.20.2 : pkg/scalers/rabbitmq_scaler.go (struct tags and Validate/validateTrigger).
 */
export const queueTrigger = (s: QueueTriggerSpec): IScaleTriggers => ({
  type: 'rabbitmq',
  // The TriggerAuthentication of the same name supplies host, username and password (authParams).
  authenticationRef: { name: s.app },
  metadata: {
    // Checked: `protocol` (triggerMetadata;authParams, default auto): `http` = management API, never AMQP.
    protocol: 'http',
    // Checked: `mode` QueueLength is allowed with either protocol; the metric is the queue's message count.
    mode: 'QueueLength',
    // Checked: `queueName` (required, triggerMetadata), query-escaped into the API path.
    queueName: s.queue,
    // Checked: `value` (float64, triggerMetadata): target messages per replica; must be non-zero with `mode`.
    value: String(s.value),
    // Checked: `vhostName` (triggerMetadata;authParams, optional): overrides the vhost of the host URL.
    vhostName: RABBITMQ_VHOST,
    // Deliberately no `excludeUnacknowledged` (default false): in-flight jobs must keep their workers.
  },
});

/** Store credentials KEDA's Secret must carry: the broker user the apps use (basic auth on the management API). */
export const QUEUE_TRIGGER_CREDENTIALS: readonly SecretKeyRef[] = [CREDENTIALS.amqpUser, CREDENTIALS.amqpPassword];

/**
 * The TriggerAuthentication's references: `host` from the per-cluster ConfigMap, `username`/`password` from the
 * ExternalSecret-managed Secret `secretName` (which must hold QUEUE_TRIGGER_CREDENTIALS).
 * Checked: kedacore/keda @ v2.20.2 : pkg/scalers/rabbitmq_scaler.go (`host` order triggerMetadata;authParams;
 * resolvedEnv; `username`/`password` authParams, given together), apis/keda/v1alpha1/triggerauthentication_types.go
 * (configMapTargetRef, secretTargetRef), pkg/scaling/resolver/scale_resolvers.go (both resolved into authParams).
 */
export const queueTriggerAuthRefs = (
  app: string,
  secretName: string,
): Required<Pick<ITriggerAuthenticationSpec, 'configMapTargetRef' | 'secretTargetRef'>> => ({
  configMapTargetRef: [{ parameter: 'host', name: kedaHostConfigMapName(app), key: MANAGEMENT_URL_KEY }],
  secretTargetRef: [
    { parameter: 'username', name: secretName, key: CREDENTIALS.amqpUser.secretKey },
    { parameter: 'password', name: secretName, key: CREDENTIALS.amqpPassword.secretKey },
  ],
});

/**
 * Per-cluster ConfigMap with the management API origin KEDA polls: the in-cluster Service on 15672 (HTTP) or the
 * managed broker's host on its HTTPS management port. KEDA's operator may read ConfigMaps in every namespace.
 * Checked: kedacore/charts @ v2.20.2 : keda/templates/manager/clusterrole.yaml (configmaps get/list/watch).
 */
export const kedaHostConfigMap = (app: string, endpoints: Pick<TranscodingEndpoints, 'rabbitmq'>): K8sObject =>
  configMap({
    name: kedaHostConfigMapName(app),
    namespace: NAMESPACE,
    stack: 'transcoding',
    app,
    data: { [MANAGEMENT_URL_KEY]: endpoints.rabbitmq.managementUrl },
  });
