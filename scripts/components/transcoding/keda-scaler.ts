// Queue-depth autoscaling of the workers: a KEDA ScaledObject on the RabbitMQ queue the worker consumes, with a
// TriggerAuthentication reading the broker URL from a Secret that external-secrets materialises. Rendered by the
// environment overlay in place of the default HPA when the environment sets `autoscaling` for the worker.
import { fastScaleUp } from '../scaling.ts';
import type { IScaledObject } from '@kubernetes-models/keda/keda.sh/v1alpha1/ScaledObject';
import type { ITriggerAuthentication } from '@kubernetes-models/keda/keda.sh/v1alpha1/TriggerAuthentication';
import type { Autoscaling } from '../../inventory/schema.ts';
import { appLabels } from '../../lib/labels.ts';
import type { K8sObject } from '../component.ts';
import { externalSecret } from '../secrets.ts';
import { stackNamespace } from '../stacks.ts';
import { CREDENTIALS } from './credentials.ts';

const NAMESPACE = stackNamespace('transcoding');

export interface QueueScalerSpec {
  readonly app: string;
  readonly queue: string;
  /** Messages waiting per replica when the environment sets no `targetQueueLength`. */
  readonly defaultQueueLength: number;
}

export const kedaSecretName = (app: string): string => `${app}-keda`;

export const queueScaler = (s: QueueScalerSpec, a: Autoscaling): K8sObject[] => {
  const labels = appLabels(s.app, 'transcoding');
  const auth: ITriggerAuthentication & K8sObject = {
    apiVersion: 'keda.sh/v1alpha1',
    kind: 'TriggerAuthentication',
    metadata: { name: s.app, namespace: NAMESPACE, labels },
    spec: { secretTargetRef: [{ parameter: 'host', name: kedaSecretName(s.app), key: CREDENTIALS.amqpUrl.secretKey }] },
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
          behavior: {
            scaleUp: fastScaleUp(a),
            // Workers run long jobs: remove them slowly so a short lull does not kill busy pods' successors.
            scaleDown: {
              stabilizationWindowSeconds: a.scaleDownStabilizationSeconds ?? 300,
              selectPolicy: 'Min',
              policies: [{ type: 'Pods', value: 1, periodSeconds: 60 }],
            },
          },
        },
      },
      triggers: [
        {
          type: 'rabbitmq',
          authenticationRef: { name: s.app },
          metadata: {
            protocol: 'amqp',
            queueName: s.queue,
            mode: 'QueueLength',
            value: String(a.targetQueueLength ?? s.defaultQueueLength),
          },
        },
      ],
    },
  };
  const secret = externalSecret({
    name: kedaSecretName(s.app),
    namespace: NAMESPACE,
    stack: 'transcoding',
    app: s.app,
    data: [CREDENTIALS.amqpUrl],
  });
  return [scaled, auth, secret];
};
