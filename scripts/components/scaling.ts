// How autoscaled workloads grow and shrink. Every HPA (and KEDA's HPA) gets an explicit `behavior`: the inventory's
// `scaleUp`/`scaleDown` when an environment sets them, else the component's own pace (the transcoding API and
// workers carry the seed's numbers), else the fleet default: up fast (double, or +4 pods, every 30 s, whichever adds
// more, so a viewer spike or a queue burst is met within a minute), down slowly (5-minute window, at most half the
// pods a minute).
import type { IHorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import type { Autoscaling, ScalingRules } from '../inventory/schema.ts';
import { appLabels } from '../lib/labels.ts';
import type { Component, K8sObject } from './component.ts';
import { stackNamespace } from './stacks.ts';

/** A component's default pace: rules and stabilization windows the inventory may override field by field. */
export interface ScalingPace {
  readonly scaleUp: ScalingRules;
  readonly scaleDown: ScalingRules;
  readonly scaleUpStabilizationSeconds: number;
  readonly scaleDownStabilizationSeconds: number;
}

export const DEFAULT_PACE: ScalingPace = {
  scaleUp: {
    selectPolicy: 'Max',
    policies: [
      { type: 'Percent', value: 100, periodSeconds: 30 },
      { type: 'Pods', value: 4, periodSeconds: 30 },
    ],
  },
  scaleDown: { selectPolicy: 'Min', policies: [{ type: 'Percent', value: 50, periodSeconds: 60 }] },
  scaleUpStabilizationSeconds: 0,
  scaleDownStabilizationSeconds: 300,
};

/** Mutable on purpose: it is assigned into kubernetes-models' HPA and ScaledObject types. */
export interface HpaScalingRules {
  stabilizationWindowSeconds: number;
  selectPolicy: 'Max' | 'Min';
  policies: Array<{ type: 'Percent' | 'Pods'; value: number; periodSeconds: number }>;
}

export interface HpaBehavior {
  scaleUp: HpaScalingRules;
  scaleDown: HpaScalingRules;
}

const rules = (r: ScalingRules, stabilizationWindowSeconds: number): HpaScalingRules => ({
  stabilizationWindowSeconds,
  // Written out even when it is Kubernetes' default (Max), so the tree says what the HPA does.
  selectPolicy: r.selectPolicy ?? 'Max',
  policies: r.policies.map((p) => ({ type: p.type, value: p.value, periodSeconds: p.periodSeconds })),
});

/** The HPA behavior of a component in an environment: inventory fields first, then the component's pace. */
export const scalingBehavior = (a: Autoscaling, pace: ScalingPace = DEFAULT_PACE): HpaBehavior => ({
  scaleUp: rules(a.scaleUp ?? pace.scaleUp, a.scaleUpStabilizationSeconds ?? pace.scaleUpStabilizationSeconds),
  scaleDown: rules(a.scaleDown ?? pace.scaleDown, a.scaleDownStabilizationSeconds ?? pace.scaleDownStabilizationSeconds),
});

type MetricSpec = NonNullable<NonNullable<IHorizontalPodAutoscaler['spec']>['metrics']>[number];

const utilization = (name: 'cpu' | 'memory', averageUtilization: number): MetricSpec => ({
  type: 'Resource',
  resource: { name, target: { type: 'Utilization', averageUtilization } },
});

/**
 * A HorizontalPodAutoscaler v2 on CPU and/or memory utilisation (CPU 70 % when the inventory names neither). `pace`
 * is the component's default behaviour; a component whose scale-down must follow its own constraint (the origin
 * drains one replica at a time) passes it and the inventory checks forbid overriding it.
 */
export const horizontalPodAutoscaler = (component: Component, a: Autoscaling, pace: ScalingPace = component.scalingPace ?? DEFAULT_PACE): IHorizontalPodAutoscaler & K8sObject => {
  const metrics: MetricSpec[] = [];
  const cpu = a.targetCPUUtilizationPercentage ?? (a.targetMemoryUtilizationPercentage ? undefined : 70);
  if (cpu !== undefined) metrics.push(utilization('cpu', cpu));
  if (a.targetMemoryUtilizationPercentage !== undefined) metrics.push(utilization('memory', a.targetMemoryUtilizationPercentage));
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
      behavior: scalingBehavior(a, pace),
    },
  };
};
