// How every autoscaled workload grows: fast (double, or +4 pods, every 30 s, whichever adds more), so a viewer
// spike or a queue burst is met within a minute. HPAs and KEDA's HPAs share it; scale-down differs per kind.
import type { IHorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import type { Autoscaling } from '../inventory/schema.ts';
import { appLabels } from '../lib/labels.ts';
import type { Component, K8sObject } from './component.ts';
import { stackNamespace } from './stacks.ts';

/** Mutable on purpose: it is assigned into kubernetes-models' HPA and ScaledObject types. */
export interface ScaleUpBehavior {
  stabilizationWindowSeconds: number;
  selectPolicy: 'Max';
  policies: Array<{ type: 'Percent' | 'Pods'; value: number; periodSeconds: number }>;
}

export const fastScaleUp = (a: Pick<Autoscaling, 'scaleUpStabilizationSeconds'>): ScaleUpBehavior => ({
  stabilizationWindowSeconds: a.scaleUpStabilizationSeconds ?? 0,
  selectPolicy: 'Max',
  policies: [
    { type: 'Percent', value: 100, periodSeconds: 30 },
    { type: 'Pods', value: 4, periodSeconds: 30 },
  ],
});

/** How fast replicas may go away, when a component needs its own pace (e.g. the origin drains one at a time). */
export interface ScaleDownPace {
  readonly policies: ReadonlyArray<{ type: 'Percent' | 'Pods'; value: number; periodSeconds: number }>;
}

/**
 * Scale up fast (double, or +4 pods, every 30 s), scale down slowly (5 min window, at most half the pods a minute)
 * unless the inventory or the component says otherwise.
 */
export const horizontalPodAutoscaler = (
  component: Component,
  a: Autoscaling,
  pace: ScaleDownPace = { policies: [{ type: 'Percent', value: 50, periodSeconds: 60 }] },
): IHorizontalPodAutoscaler & K8sObject => {
  const metrics: NonNullable<NonNullable<IHorizontalPodAutoscaler['spec']>['metrics']> = [];
  const cpu = a.targetCPUUtilizationPercentage ?? (a.targetMemoryUtilizationPercentage ? undefined : 70);
  if (cpu !== undefined) {
    metrics.push({ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: cpu } } });
  }
  if (a.targetMemoryUtilizationPercentage !== undefined) {
    metrics.push({
      type: 'Resource',
      resource: { name: 'memory', target: { type: 'Utilization', averageUtilization: a.targetMemoryUtilizationPercentage } },
    });
  }
  const w = component.workload;
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: component.name, namespace: stackNamespace(component.stack), labels: appLabels(component.name, component.stack) },
    spec: {
      scaleTargetRef: { apiVersion: w.apiVersion, kind: w.kind, name: w.name },
      minReplicas: a.minReplicas,
      maxReplicas: a.maxReplicas,
      metrics,
      behavior: {
        scaleUp: fastScaleUp(a),
        scaleDown: {
          stabilizationWindowSeconds: a.scaleDownStabilizationSeconds ?? 300,
          selectPolicy: 'Min',
          policies: pace.policies.map((p) => ({ ...p })),
        },
      },
    },
  };
};

