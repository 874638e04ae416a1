// Probes: readiness on every container behind a Service; liveness on long-running containers in prod, and a
// liveness check that is not the readiness check (an overloaded pod should be taken out of rotation, not killed).
import { isObject, obj, type JsonObject } from '../json.ts';
import type { AppRule, RawFinding } from '../types.ts';
import { serviceSelects, workloadOf } from '../workloads.ts';

const HANDLERS = ['httpGet', 'tcpSocket', 'exec', 'grpc'] as const;

/** The probe's action only (timings left out): what the kubelet actually checks. */
const handlerOf = (probe: JsonObject): string => {
  const stable = (v: unknown): unknown =>
    isObject(v) ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, stable(v[k])])) : Array.isArray(v) ? v.map(stable) : v;
  return JSON.stringify(HANDLERS.map((h) => stable(probe[h])));
};

export const probes: AppRule = (ctx) => {
  const out: RawFinding[] = [];
  const services = ctx.objects.filter((o) => o.kind === 'Service' && o.apiVersion === 'v1');
  for (const o of ctx.objects) {
    const w = workloadOf(o);
    if (w === undefined || w.podSpec === undefined) continue;
    const backed = services.some((s) => s.effectiveNamespace === o.effectiveNamespace && serviceSelects(obj(s.raw.spec).selector, w.podLabels));
    for (const c of w.containers) {
      if (c.init) continue;
      const readiness = c.container.readinessProbe;
      const liveness = c.container.livenessProbe;
      const label = `container ${c.name}`;
      if (backed && !isObject(readiness)) {
        out.push({ rule: 'probes/readiness', object: o, field: `${c.field}.readinessProbe`, message: `${label} receives Service traffic but has no readiness probe` });
      }
      if (ctx.isProd && w.longRunning && !isObject(liveness)) {
        out.push({ rule: 'probes/liveness', object: o, field: `${c.field}.livenessProbe`, message: `${label} has no liveness probe` });
      }
      if (isObject(readiness) && isObject(liveness) && handlerOf(readiness) === handlerOf(liveness)) {
        out.push({
          rule: 'probes/liveness-equals-readiness',
          object: o,
          field: `${c.field}.livenessProbe`,
          message: `${label}: liveness checks the same thing as readiness, so a slow pod is restarted instead of taken out of rotation`,
        });
      }
    }
  }
  return out;
};
