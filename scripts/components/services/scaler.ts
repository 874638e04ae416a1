// What scales a system service when its environment autoscales it. Without `triggers`, nothing here: the default
// HorizontalPodAutoscaler v2 on CPU/memory utilisation (scaling.ts) applies. With `triggers`, a KEDA ScaledObject on
// them (keda-triggers.ts) and on the CPU/memory targets the environment sets, paced by the same HPA behaviour, plus
// the TriggerAuthentications, the ExternalSecret with their credentials and the NetworkPolicies admitting KEDA to
// the system's brokers it reads. Rendered by the environment overlay in place of the HPA.
import type { IScaledObject } from '@kubernetes-models/keda/keda.sh/v1alpha1/ScaledObject';
import type { ITriggerAuthentication } from '@kubernetes-models/keda/keda.sh/v1alpha1/TriggerAuthentication';
import type { Autoscaling } from '../../inventory/schema.ts';
import { appLabels } from '../../lib/labels.ts';
import type { BaseContext, Component, K8sObject, WorkloadRef } from '../component.ts';
import { PROMETHEUS, PROMETHEUS_PORT } from '../monitoring/prometheus.ts';
import { MONITORING_NAMESPACE } from '../network-policies.ts';
import { scalingBehavior } from '../scaling.ts';
import { externalSecret } from '../secrets.ts';
import { stackNamespace } from '../stacks.ts';
import { compileTriggers, kedaBrokerAccess, kedaNamespace } from './keda-triggers.ts';
import type { ServiceInput } from './types.ts';

type ScaleTrigger = NonNullable<IScaledObject['spec']>['triggers'][number];

/** In-cluster URL of the monitoring stack's Prometheus Service (monitoring/prometheus.ts: Service `prometheus`, port `web`). */
export const PROMETHEUS_ADDRESS = `http://${PROMETHEUS}.${MONITORING_NAMESPACE}.svc.cluster.local:${PROMETHEUS_PORT}`;

/** The ExternalSecret (and Secret) with every trigger credential of a service. */
export const kedaSecretName = (service: string): string => `${service}-keda`;

/**
 * KEDA's cpu/memory scalers: `metricType` on the trigger, `value` in its metadata. They need resource requests on
 * the container (KEDA's HPA computes utilisation against them).
 * Checked: kedacore/keda @ v2.20.2 : pkg/scalers/cpu_memory_scaler.go (`value` triggerMetadata; MetricType from the
 * trigger, Utilization|AverageValue; metadata `type` deprecated), same shape as transcoding/keda-scaler.ts.
 */
const utilizationTrigger = (type: 'cpu' | 'memory', percent: number): ScaleTrigger => ({ type, metricType: 'Utilization', metadata: { value: String(percent) } });

/** The ScaledObject and what its triggers need, for one environment's autoscaling of the service. */
const kedaObjects = (input: ServiceInput, workload: WorkloadRef, a: Autoscaling, ctx: BaseContext, environment: string): K8sObject[] => {
  const { system, name } = input;
  const namespace = stackNamespace(system.name);
  const labels = appLabels(name, system.name);
  const secretName = kedaSecretName(name);
  const compiled = compileTriggers(input.spec.triggers ?? [], { system, service: name, namespace, environment, prometheusAddress: PROMETHEUS_ADDRESS, secretName });

  const scaled: IScaledObject & K8sObject = {
    apiVersion: 'keda.sh/v1alpha1',
    kind: 'ScaledObject',
    metadata: { name, namespace, labels },
    spec: {
      scaleTargetRef: { apiVersion: workload.apiVersion, kind: workload.kind, name: workload.name },
      minReplicaCount: a.minReplicas,
      maxReplicaCount: a.maxReplicas,
      // KEDA's default is 30 s; a queue burst should be seen within one HPA sync. Same as the built-in workers.
      pollingInterval: 15,
      // Only matters for scaling to zero, which minReplicas ≥ 1 rules out; scale-in is paced by the behaviour below.
      cooldownPeriod: 300,
      advanced: { horizontalPodAutoscalerConfig: { behavior: scalingBehavior(a) } },
      // HPA semantics across triggers: the largest desired count wins, so a pod busy on CPU is kept even when its
      // queue is empty.
      triggers: [
        ...compiled.map((c) => c.trigger),
        ...(a.targetCPUUtilizationPercentage !== undefined ? [utilizationTrigger('cpu', a.targetCPUUtilizationPercentage)] : []),
        ...(a.targetMemoryUtilizationPercentage !== undefined ? [utilizationTrigger('memory', a.targetMemoryUtilizationPercentage)] : []),
      ],
    },
  };
  const auths = compiled.flatMap((c): K8sObject[] =>
    c.auth ? [{ apiVersion: 'keda.sh/v1alpha1', kind: 'TriggerAuthentication', metadata: { name: c.auth.name, namespace, labels }, spec: c.auth.spec } satisfies ITriggerAuthentication & K8sObject] : [],
  );
  const secrets = compiled.flatMap((c) => c.secrets);
  const brokers = [...new Map(compiled.flatMap((c) => (c.broker ? [[c.broker.service, c.broker] as const] : []))).values()];
  const keda = kedaNamespace(ctx.fleet);
  return [
    scaled,
    ...auths,
    ...(secrets.length > 0 ? [externalSecret({ name: secretName, namespace, stack: system.name, app: name, data: secrets })] : []),
    ...brokers.map((broker) => kedaBrokerAccess({ system: system.name, service: name, namespace, kedaNamespace: keda, broker })),
  ];
};

/** A KEDA ScaledObject (and its auth) for a service with `triggers`; undefined = the default CPU/memory HPA. */
export const serviceScaler = (input: ServiceInput, workload: WorkloadRef): Component['scaler'] =>
  input.spec.triggers && input.spec.triggers.length > 0
    ? (a: Autoscaling, ctx: BaseContext, environment) => kedaObjects(input, workload, a, ctx, environment.name)
    : undefined;
