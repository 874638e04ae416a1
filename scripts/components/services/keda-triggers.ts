// KEDA triggers of a system service: each spec trigger (system-schema.ts TriggerSchema) mapped onto the metadata,
// authentication and network access KEDA's scaler needs at the pinned version (inventory/fleet.yaml addons.keda:
// chart 2.20.2, appVersion 2.20.2). The scaler (scaler.ts) assembles the ScaledObject around them.
//
// Checked: kedacore/charts @ v2.20.2 : keda/Chart.yaml (appVersion 2.20.2); kedacore/keda @ v2.20.2 :
// pkg/scaling/scalers_builder.go (trigger types "aws-sqs-queue", "rabbitmq", "nats-jetstream", "prometheus").
import type { INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import type { IScaleTriggers } from '@kubernetes-models/keda/keda.sh/v1alpha1/ScaleTriggers';
import type { ITriggerAuthenticationSpec } from '@kubernetes-models/keda/keda.sh/v1alpha1/TriggerAuthenticationSpec';
import type { ServiceSpec, Trigger } from '../../inventory/system-schema.ts';
import { appLabels, selectorLabels } from '../../lib/labels.ts';
import type { Fleet, System } from '../../model/fleet.ts';
import type { K8sObject } from '../component.ts';
import { fromNamespace } from '../network-policies.ts';
import type { SecretKeyRef } from '../secrets.ts';
import { KEDA_NAMESPACE } from '../transcoding/rabbitmq.ts';

/** The namespace KEDA's operator runs in: the inventory's `addons.keda.namespace`, else the platform default. */
export const kedaNamespace = (fleet: Pick<Fleet, 'addons'>): string => fleet.addons['keda']?.namespace ?? KEDA_NAMESPACE;

/** Whether some system service scales on a Prometheus query: the monitoring stack's Prometheus must then admit KEDA. */
export const kedaReadsPrometheus = (fleet: Pick<Fleet, 'systems'>): boolean =>
  // `?? []`: hand-built fleets of older tests carry no systems.
  (fleet.systems ?? []).some((s) => Object.values(s.services).some((svc) => svc.triggers?.some((t) => t.prometheus !== undefined) ?? false));

/**
 * AMQP port of a rabbitmq preset service (container and Service port).
 * Checked: rabbitmq/rabbitmq-server @ v4.0.5 : deps/rabbit/Makefile (default `tcp_listeners` [5672]).
 */
export const RABBITMQ_AMQP_PORT = 5672;

/**
 * Monitoring (HTTP) port of a nats preset service, where KEDA reads `/jsz`. The preset must enable monitoring
 * (nats-server serves none unless `http_port`/`-m` is set) and publish this port on its Service.
 * Checked: nats-io/nats-server @ v2.14.5 : server/const.go (DEFAULT_HTTP_PORT = 8222).
 */
export const NATS_MONITORING_PORT = 8222;

/**
 * The account KEDA reads when the trigger names none: nats-server's global account, the one every client uses
 * when the server configures no accounts. KEDA itself has no default (it rejects a trigger without account).
 * Checked: nats-io/nats-server @ v2.14.5 : server/const.go (DEFAULT_GLOBAL_ACCOUNT = "$G"), server/accounts.go
 * (globalAccountName); kedacore/keda @ v2.20.2 : pkg/scalers/nats_jetstream_scaler.go parseNATSJetStreamMetadata
 * ("no account name or id given").
 */
export const NATS_DEFAULT_ACCOUNT = '$G';

/**
 * How KEDA authenticates to SQS with `podIdentity: aws`. Provider `aws` (`aws-eks` is deprecated and logs a removal
 * warning); identityOwner `workload`: KEDA reads the role ARN from the scaled workload's ServiceAccount annotation
 * `eks.amazonaws.com/role-arn` (required) and assumes that role with its own credentials, so it reads the queue with
 * the workload's permissions, not blanket ones of its own. The role's trust policy must admit KEDA's operator role.
 * Checked: kedacore/keda @ v2.20.2 : apis/keda/v1alpha1/triggerauthentication_types.go (PodIdentityProviderAws "aws",
 * AuthPodIdentity.identityOwner enum keda|workload, PodIdentityAnnotationEKS), pkg/scaling/resolver/scale_resolvers.go
 * (provider aws + IsWorkloadIdentityOwner → resolveServiceAccountAnnotation(..., required) → authParams awsRoleArn),
 * pkg/scalers/aws/aws_common.go GetAwsAuthorization (provider aws: UsingPodIdentity; `identityOwner` trigger metadata
 * is read only on the legacy non-pod-identity path, so the trigger does not set it).
 */
export const SQS_POD_IDENTITY: NonNullable<ITriggerAuthenticationSpec['podIdentity']> = { provider: 'aws', identityOwner: 'workload' };

/** The spec key of a trigger, and the kebab-case label its TriggerAuthentication and Secret keys carry. */
export type TriggerKind = 'sqs' | 'rabbitmq' | 'natsJetStream' | 'prometheus';
const KIND_LABEL: Readonly<Record<TriggerKind, string>> = { sqs: 'sqs', rabbitmq: 'rabbitmq', natsJetStream: 'nats-jetstream', prometheus: 'prometheus' };

export const triggerKind = (t: Trigger): TriggerKind => {
  if (t.sqs) return 'sqs';
  if (t.rabbitmq) return 'rabbitmq';
  if (t.natsJetStream) return 'natsJetStream';
  if (t.prometheus) return 'prometheus';
  throw new Error('a KEDA trigger needs exactly one of sqs, rabbitmq, natsJetStream or prometheus');
};

/** What the triggers of one service compile against. */
export interface TriggerContext {
  readonly system: System;
  /** The scaled service. */
  readonly service: string;
  readonly namespace: string;
  /** Replaces `{environment}` in trigger strings (per-environment queues, streams, queries). */
  readonly environment: string;
  /** In-cluster URL of the monitoring stack's Prometheus. */
  readonly prometheusAddress: string;
  /** Name of the ExternalSecret (and Secret) holding every trigger credential of the service. */
  readonly secretName: string;
}

/** One compiled trigger: its ScaledObject entry and what must exist for KEDA to read it. */
export interface CompiledTrigger {
  readonly trigger: IScaleTriggers;
  /** The TriggerAuthentication `trigger.authenticationRef` names, when the scaler needs credentials. */
  readonly auth?: { readonly name: string; readonly spec: ITriggerAuthenticationSpec };
  /** Store values the service's `<service>-keda` Secret must carry for `auth`. */
  readonly secrets: readonly SecretKeyRef[];
  /** A broker of the system KEDA's operator connects to: the pods and the container port it must be admitted to. */
  readonly broker?: { readonly service: string; readonly port: number };
}

const inEnvironment = (s: string, environment: string): string => s.replaceAll('{environment}', environment);

const serviceHost = (service: string, namespace: string, port: number): string => `${service}.${namespace}.svc.cluster.local:${port}`;

/** The spec of a service of the system that a trigger names, which must be of `preset`. */
const presetService = (ctx: TriggerContext, name: string, preset: 'rabbitmq' | 'nats'): ServiceSpec => {
  const spec = ctx.system.services[name];
  if (spec?.preset !== preset) {
    throw new Error(`${ctx.system.file}: services.${ctx.service}.triggers: "${name}" is not a ${preset} preset service of system ${ctx.system.name}`);
  }
  return spec;
};

/** TriggerAuthentication name (`<service>-<kind>`, `-2`… for a second trigger of the kind) and its Secret key prefix. */
const authName = (ctx: TriggerContext, kind: TriggerKind, ordinal: number): { name: string; prefix: string } => {
  const prefix = ordinal === 0 ? KIND_LABEL[kind] : `${KIND_LABEL[kind]}-${ordinal + 1}`;
  return { name: `${ctx.service}-${prefix}`, prefix };
};

/**
 * Amazon SQS queue depth (visible + in flight: `scaleOnInFlight` defaults to true, so workers busy with a message
 * keep their pods). The KEDA operator calls the SQS API from its own namespace, which our NetworkPolicies do not
 * govern (the chart renders none: kedacore/charts @ v2.20.2 : keda/values.yaml networkPolicy.enabled false), so
 * nothing is opened in the system's namespace; the workload's own `egress` covers its calls.
 * Checked: kedacore/keda @ v2.20.2 : pkg/scalers/aws_sqs_queue_scaler.go awsSqsQueueMetadata (`queueURL`
 * triggerMetadata;resolvedEnv; `queueLength` default 5; `awsRegion` triggerMetadata;authParams; `scaleOnInFlight`
 * default true), pkg/scalers/aws/aws_common.go GetAwsAuthorization (authParams `awsAccessKeyID`/`awsSecretAccessKey`).
 */
const sqsTrigger = (t: NonNullable<Trigger['sqs']>, ctx: TriggerContext, ordinal: number): CompiledTrigger => {
  const { name, prefix } = authName(ctx, 'sqs', ordinal);
  const secret = t.auth.secret;
  // The store value under `secret.key` is an object with these two properties (system-schema.ts says so).
  const secrets: SecretKeyRef[] = secret
    ? (['awsAccessKeyID', 'awsSecretAccessKey'] as const).map((p) => ({ secretKey: `${prefix}-${p}`, remoteKey: secret.key, property: p }))
    : [];
  const spec: ITriggerAuthenticationSpec = secret
    ? { secretTargetRef: secrets.map((s) => ({ parameter: s.property!, name: ctx.secretName, key: s.secretKey })) }
    : { podIdentity: { ...SQS_POD_IDENTITY } };
  return {
    trigger: {
      type: 'aws-sqs-queue',
      authenticationRef: { name },
      metadata: { queueURL: inEnvironment(t.queueURL, ctx.environment), queueLength: String(t.queueLength), awsRegion: t.region },
    },
    auth: { name, spec },
    secrets,
  };
};

/**
 * RabbitMQ queue depth, mode QueueLength. The broker is either a URL in the store (the TriggerAuthentication's
 * `host`; its scheme picks AMQP or the management API, `protocol` auto) or a rabbitmq preset service of the system,
 * read over AMQP at `<service>.<namespace>.svc.cluster.local:5672` with the preset's user.
 *
 * For a preset service the host carries no credentials: KEDA parses it and sets `username`/`password` from the
 * TriggerAuthentication itself (amqp.URI.String escapes them), so no URL is templated from a password that may hold
 * `@` or `/`. The preset's credentials are read from the store under the broker's `credentials.key`, properties
 * `username` and `password` (what the rabbitmq preset stores; docs/services.md lists them).
 *
 * Over AMQP KEDA counts only *ready* messages (QueueDeclarePassive), not those a consumer holds unacked; a queue
 * whose messages take long to process scales in while busy. The built-in workers read the management API for that
 * reason (transcoding/queue-trigger.ts); a `connection.secret` URL of `http(s)://` does the same here.
 *
 * Checked: kedacore/keda @ v2.20.2 : pkg/scalers/rabbitmq_scaler.go rabbitMQMetadata (`queueName`, `mode`, `value`
 * triggerMetadata; `host` triggerMetadata;authParams;resolvedEnv; `protocol` default auto → scheme amqp(s)/http(s);
 * `username`/`password` authParams, given together), NewRabbitMQScaler (AMQP: host parsed with amqp.ParseURI,
 * Username/Password replaced, String()); rabbitmq/amqp091-go @ v1.11.0 : uri.go (no path → vhost "/", String escapes
 * the user info).
 */
const rabbitmqTrigger = (t: NonNullable<Trigger['rabbitmq']>, ctx: TriggerContext, ordinal: number): CompiledTrigger => {
  const { name, prefix } = authName(ctx, 'rabbitmq', ordinal);
  const base = { mode: 'QueueLength', queueName: inEnvironment(t.queue, ctx.environment), value: String(t.value) };
  const { secret, service } = t.connection;
  if (secret) {
    const host: SecretKeyRef = { secretKey: `${prefix}-host`, remoteKey: secret.key, ...(secret.property ? { property: secret.property } : {}) };
    return {
      trigger: { type: 'rabbitmq', authenticationRef: { name }, metadata: base },
      auth: { name, spec: { secretTargetRef: [{ parameter: 'host', name: ctx.secretName, key: host.secretKey }] } },
      secrets: [host],
    };
  }
  if (!service) throw new Error(`${ctx.system.file}: services.${ctx.service}.triggers: rabbitmq needs connection.secret or connection.service`);
  const broker = presetService(ctx, service, 'rabbitmq');
  if (!broker.credentials) {
    throw new Error(`${ctx.system.file}: services.${service}.credentials: the rabbitmq service ${ctx.service} scales on needs credentials.key`);
  }
  const credentials = (['username', 'password'] as const).map(
    (p): SecretKeyRef => ({ secretKey: `${prefix}-${p}`, remoteKey: broker.credentials!.key, property: p }),
  );
  return {
    trigger: {
      type: 'rabbitmq',
      authenticationRef: { name },
      metadata: { host: `amqp://${serviceHost(service, ctx.namespace, RABBITMQ_AMQP_PORT)}`, protocol: 'amqp', ...base },
    },
    auth: { name, spec: { secretTargetRef: credentials.map((c) => ({ parameter: c.property!, name: ctx.secretName, key: c.secretKey })) } },
    secrets: credentials,
    broker: { service, port: RABBITMQ_AMQP_PORT },
  };
};

/**
 * NATS JetStream consumer lag, read from the nats preset service's monitoring endpoint (`/jsz`, plain HTTP: no
 * auth parameters). KEDA takes `host:port` without a scheme and adds `http://` itself (`useHttps` false).
 * Checked: kedacore/keda @ v2.20.2 : pkg/scalers/nats_jetstream_scaler.go natsJetStreamMetadata
 * (`natsServerMonitoringEndpoint` authParams;triggerMetadata, `account` authParams;triggerMetadata, `stream`,
 * `consumer`, `lagThreshold` default 10), getNATSJetStreamMonitoringURL (scheme + host + /jsz?acc=…).
 */
const natsTrigger = (t: NonNullable<Trigger['natsJetStream']>, ctx: TriggerContext): CompiledTrigger => {
  presetService(ctx, t.service, 'nats');
  return {
    trigger: {
      type: 'nats-jetstream',
      metadata: {
        natsServerMonitoringEndpoint: serviceHost(t.service, ctx.namespace, NATS_MONITORING_PORT),
        account: t.account ?? NATS_DEFAULT_ACCOUNT,
        stream: inEnvironment(t.stream, ctx.environment),
        consumer: inEnvironment(t.consumer, ctx.environment),
        lagThreshold: String(t.lagThreshold),
      },
    },
    secrets: [],
    broker: { service: t.service, port: NATS_MONITORING_PORT },
  };
};

/**
 * A PromQL query against the cluster's Prometheus (no auth: it is reached in-cluster; the monitoring stack's
 * NetworkPolicy admits the KEDA namespace when some service has such a trigger, monitoring/prometheus.ts).
 * Checked: kedacore/keda @ v2.20.2 : pkg/scalers/prometheus_scaler.go prometheusMetadata (`serverAddress`,
 * `query`, `threshold` float, all required triggerMetadata; `ignoreNullValues` default true).
 */
const prometheusTrigger = (t: NonNullable<Trigger['prometheus']>, ctx: TriggerContext): CompiledTrigger => ({
  trigger: {
    type: 'prometheus',
    metadata: { serverAddress: ctx.prometheusAddress, query: inEnvironment(t.query, ctx.environment), threshold: t.threshold },
  },
  secrets: [],
});

/** Every trigger of a service, in spec order; a kind's second trigger gets its own TriggerAuthentication. */
export const compileTriggers = (triggers: readonly Trigger[], ctx: TriggerContext): CompiledTrigger[] => {
  const seen = new Map<TriggerKind, number>();
  return triggers.map((t) => {
    const kind = triggerKind(t);
    const ordinal = seen.get(kind) ?? 0;
    seen.set(kind, ordinal + 1);
    switch (kind) {
      case 'sqs':
        return sqsTrigger(t.sqs!, ctx, ordinal);
      case 'rabbitmq':
        return rabbitmqTrigger(t.rabbitmq!, ctx, ordinal);
      case 'natsJetStream':
        return natsTrigger(t.natsJetStream!, ctx);
      case 'prometheus':
        return prometheusTrigger(t.prometheus!, ctx);
    }
  });
};

/**
 * Admits KEDA's operator to a broker's port. One policy per scaled service and broker (named after both), so two
 * consumers of one broker render two policies instead of one name in two overlays.
 */
export const kedaBrokerAccess = (s: {
  system: string;
  service: string;
  namespace: string;
  kedaNamespace: string;
  broker: { service: string; port: number };
}): INetworkPolicy & K8sObject => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata: { name: `${s.service}-keda-${s.broker.service}`, namespace: s.namespace, labels: appLabels(s.service, s.system) },
  spec: {
    podSelector: { matchLabels: selectorLabels(s.broker.service) },
    policyTypes: ['Ingress'],
    ingress: [{ from: [fromNamespace(s.kedaNamespace)], ports: [{ port: s.broker.port, protocol: 'TCP' }] }],
  },
});
