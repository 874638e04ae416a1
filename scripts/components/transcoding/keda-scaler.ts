// Autoscaling of the workers: a KEDA ScaledObject on the jobs (waiting + running) of the RabbitMQ queue the worker
// consumes, and on CPU/memory where the environment sets targets, with a TriggerAuthentication reading the broker's
// management URL from a per-cluster ConfigMap and its user from a Secret that external-secrets materialises. Rendered
// by the environment overlay in place of the default HPA when the environment sets `autoscaling` for the worker.
import type { IScaledObject } from '@kubernetes-models/keda/keda.sh/v1alpha1/ScaledObject';
import type { ITriggerAuthentication } from '@kubernetes-models/keda/keda.sh/v1alpha1/TriggerAuthentication';
import type { Autoscaling } from '../../inventory/schema.ts';
import { appLabels } from '../../lib/labels.ts';
import { scalingBehavior, type ScalingPace } from '../scaling.ts';
import type { K8sObject } from '../component.ts';
import { externalSecret } from '../secrets.ts';
import { stackNamespace } from '../stacks.ts';
import { QUEUE_TRIGGER_CREDENTIALS, queueTrigger, queueTriggerAuthRefs } from './queue-trigger.ts';

const NAMESPACE = stackNamespace('transcoding');

export interface QueueScalerSpec {
  readonly app: string;
  readonly queue: string;
  /** Jobs per replica when the environment sets no `targetQueueLength`. */
  readonly defaultQueueLength: number;
  /** The worker's default pace (the seed's numbers); the environment may override each field. */
  readonly pace: ScalingPace;
}

type Trigger = NonNullable<IScaledObject['spec']>['triggers'][number];

/**
 * KEDA's cpu/memory scalers: `metricType` on the trigger, `value` in its metadata.
 * Checked: kedacore/keda @ v2.20.2 : pkg/scalers/cpu_memory_scaler.go (Value `value`, MetricType Utilization|AverageValue).
 * They need resource requests on the container, which every worker sets.
 */
const utilizationTrigger = (type: 'cpu' | 'memory', percent: number): Trigger => ({ type, metricType: 'Utilization', metadata: { value: String(percent) } });

export const kedaSecretName = (app: string): string => `${app}-keda`;

export const queueScaler = (s: QueueScalerSpec, a: Autoscaling): K8sObject[] => {
  const labels = appLabels(s.app, 'transcoding');
  const auth: ITriggerAuthentication & K8sObject = {
    apiVersion: 'keda.sh/v1alpha1',
    kind: 'TriggerAuthentication',
    metadata: { name: s.app, namespace: NAMESPACE, labels },
    spec: queueTriggerAuthRefs(s.app, kedaSecretName(s.app)),
  };
  const scaled: IScaledObject & K8sObject = {
    apiVersion: 'keda.sh/v1alpha1',
    kind: 'ScaledObject',
    metadata: { name: s.app, namespace: NAMESPACE, labels },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: s.app },
      minReplicaCount: a.minReplicas,
      maxReplicaCount: a.maxReplicas,
      pollingInterval: 15,
      // Scale-in is held back by the HPA behaviour below; the cooldown only matters for scale to zero.
      cooldownPeriod: 300,
      advanced: {
        horizontalPodAutoscalerConfig: {
          // Workers run long jobs; the pace (seed: CPU workers lose one pod per 2 minutes after a 10-minute window,
          // GPU workers one per 5 minutes after 15) only decides how soon an idle worker goes. A busy one is never
          // killed by it: the grace period covers the longest job (transcode-worker.ts).
          behavior: scalingBehavior(a, s.pace),
        },
      },
      // HPA semantics across triggers: the largest desired count wins, so a pool busy on CPU keeps its pods even
      // when the queue is empty.
      triggers: [
        // Jobs waiting + running per worker (management API): queue-trigger.ts says why not AMQP.
        queueTrigger({ app: s.app, queue: s.queue, value: a.targetQueueLength ?? s.defaultQueueLength }),
        ...(a.targetCPUUtilizationPercentage !== undefined ? [utilizationTrigger('cpu', a.targetCPUUtilizationPercentage)] : []),
        ...(a.targetMemoryUtilizationPercentage !== undefined ? [utilizationTrigger('memory', a.targetMemoryUtilizationPercentage)] : []),
      ],
    },
  };
  const secret = externalSecret({
    name: kedaSecretName(s.app),
    namespace: NAMESPACE,
    stack: 'transcoding',
    app: s.app,
    data: QUEUE_TRIGGER_CREDENTIALS,
  });
  return [scaled, auth, secret];
};
