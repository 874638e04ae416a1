// How every autoscaled workload grows: fast (double, or +4 pods, every 30 s, whichever adds more), so a viewer
// spike or a queue burst is met within a minute. HPAs and KEDA's HPAs share it; scale-down differs per kind.
import type { Autoscaling } from '../inventory/schema.ts';

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
