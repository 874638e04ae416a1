// Availability: prod workloads run at least two replicas and have a PodDisruptionBudget; StatefulSets have a
// headless governing Service; a workload an autoscaler targets does not also fix its replica count; several
// replicas are spread over nodes (a warning).
import { arr, obj, str } from '../json.ts';
import type { AppRule, RawFinding, RenderedObject } from '../types.ts';
import { groupOf, selects, workloadOf } from '../workloads.ts';

interface Scaler {
  readonly object: RenderedObject;
  readonly targetKind: string;
  readonly targetName: string;
  readonly minReplicas: number;
  readonly maxReplicas: number;
}

/** HPAs and KEDA ScaledObjects with the workload they scale. */
export const scalersOf = (objects: readonly RenderedObject[]): Scaler[] =>
  objects.flatMap((o): Scaler[] => {
    const spec = obj(o.raw.spec);
    if (o.kind === 'HorizontalPodAutoscaler' && groupOf(o.apiVersion) === 'autoscaling') {
      const ref = obj(spec.scaleTargetRef);
      return [{ object: o, targetKind: str(ref.kind) ?? '', targetName: str(ref.name) ?? '', minReplicas: typeof spec.minReplicas === 'number' ? spec.minReplicas : 1, maxReplicas: typeof spec.maxReplicas === 'number' ? spec.maxReplicas : 1 }];
    }
    if (o.kind === 'ScaledObject' && groupOf(o.apiVersion) === 'keda.sh') {
      const ref = obj(spec.scaleTargetRef);
      const min = typeof spec.minReplicaCount === 'number' ? spec.minReplicaCount : 0;
      // KEDA's default maxReplicaCount. Checked: kedacore/keda @ v2.20.2 : apis/keda/v1alpha1/scaledobject_types.go (defaultHPAMaxReplicas)
      const max = typeof spec.maxReplicaCount === 'number' ? spec.maxReplicaCount : 100;
      return [{ object: o, targetKind: str(ref.kind) ?? 'Deployment', targetName: str(ref.name) ?? '', minReplicas: min, maxReplicas: max }];
    }
    return [];
  });

/**
 * Whether the pods are spread: topologySpreadConstraints, or a pod anti-affinity term (required or preferred).
 * Operator-managed pods (Prometheus) carry both fields in the custom resource's spec.
 */
const spreads = (podSpec: unknown): boolean => {
  const spec = obj(podSpec);
  const anti = obj(obj(spec.affinity).podAntiAffinity);
  return arr(spec.topologySpreadConstraints).length > 0 || arr(anti.requiredDuringSchedulingIgnoredDuringExecution).length > 0 || arr(anti.preferredDuringSchedulingIgnoredDuringExecution).length > 0;
};

/** How many replicas a workload may run: a fixed count, or its autoscaler's maximum. */
const maxReplicas = (w: { readonly replicas: number | undefined }, scaler: Scaler | undefined): number => scaler?.maxReplicas ?? w.replicas ?? 1;

export const availability: AppRule = (ctx) => {
  const out: RawFinding[] = [];
  const scalers = scalersOf(ctx.objects);
  const pdbs = ctx.objects.filter((o) => o.kind === 'PodDisruptionBudget' && groupOf(o.apiVersion) === 'policy');
  for (const o of ctx.objects) {
    const w = workloadOf(o);
    if (w === undefined) continue;
    const scaler = scalers.find((s) => s.targetKind === o.kind && s.targetName === o.name && s.object.effectiveNamespace === o.effectiveNamespace);
    if (scaler !== undefined && w.replicas !== undefined) {
      out.push({
        rule: 'availability/hpa-replicas',
        object: o,
        field: 'spec.replicas',
        message: `replicas is fixed at ${w.replicas} while ${scaler.object.kind} ${scaler.object.name} scales it: every sync resets the autoscaler's count`,
      });
    }
    if (ctx.isProd && w.scalable && w.longRunning) {
      const count = scaler !== undefined ? scaler.minReplicas : (w.replicas ?? 1);
      if (count < 2) {
        const how = scaler !== undefined ? `${scaler.object.kind} ${scaler.object.name} minimum is ${count}` : `runs ${count} replica${count === 1 ? '' : 's'}`;
        out.push({ rule: 'availability/replicas', object: scaler?.object ?? o, field: scaler !== undefined ? 'spec.minReplicas' : 'spec.replicas', message: `${o.kind} ${o.name} ${how}; prod needs at least 2` });
      }
    }
    if (ctx.isProd && w.longRunning && o.kind !== 'DaemonSet') {
      const covered = pdbs.some((p) => p.effectiveNamespace === o.effectiveNamespace && selects(obj(p.raw.spec).selector, w.podLabels));
      if (!covered) out.push({ rule: 'availability/pdb', object: o, message: 'no PodDisruptionBudget selects its pods' });
    }
    // Replicas the scheduler may stack on one node or zone fail together: spread what runs more than one.
    if (w.scalable && w.longRunning && maxReplicas(w, scaler) > 1 && !spreads(w.podSpec ?? o.raw.spec)) {
      out.push({
        rule: 'availability/spread',
        object: o,
        field: `${w.podSpecField ?? 'spec'}.topologySpreadConstraints`,
        message: `${o.kind} runs up to ${maxReplicas(w, scaler)} replicas with no topologySpreadConstraints or pod anti-affinity: they may share one node`,
      });
    }
    if (o.kind === 'StatefulSet') {
      const serviceName = str(obj(o.raw.spec).serviceName);
      const svc = ctx.objects.find((s) => s.kind === 'Service' && s.name === serviceName && s.effectiveNamespace === o.effectiveNamespace);
      if (serviceName === undefined || svc === undefined || obj(svc.raw.spec).clusterIP !== 'None') {
        const why = serviceName === undefined ? 'has no serviceName' : svc === undefined ? `names Service ${serviceName}, which is not in the Application` : `names Service ${serviceName}, which is not headless (clusterIP: None)`;
        out.push({ rule: 'availability/headless-service', object: o, field: 'spec.serviceName', message: `StatefulSet ${why}` });
      }
    }
  }
  return out;
};
