// Container resources: cpu and memory requests, a memory limit, no CPU limit (a warning), and GPUs requested
// exactly as limited.
import { obj, str } from '../json.ts';
import type { AppRule, RawFinding } from '../types.ts';
import { workloadOf } from '../workloads.ts';

const GPU_RESOURCE = /^(nvidia\.com|amd\.com|gpu\.intel\.com)\/gpu$/;

const check = (resources: unknown, label: string, field: string, push: (rule: string, field: string, message: string) => void): void => {
  const requests = obj(obj(resources).requests);
  const limits = obj(obj(resources).limits);
  const missing = ['cpu', 'memory'].filter((k) => requests[k] === undefined);
  if (missing.length > 0) push('resources/requests', `${field}.requests`, `${label} has no ${missing.join(' or ')} request`);
  if (limits.memory === undefined) push('resources/memory-limit', `${field}.limits.memory`, `${label} has no memory limit`);
  // A CPU limit throttles the container by CFS quota even when the node has idle CPU (latency spikes in every
  // period it uses up); the request already guarantees its share. A warning: a limit can be a deliberate cap.
  if (limits.cpu !== undefined) push('resources/cpu-limit', `${field}.limits.cpu`, `${label} has a CPU limit (${String(limits.cpu)}): it is throttled even when the node has idle CPU`);
  for (const key of new Set([...Object.keys(requests), ...Object.keys(limits)])) {
    if (!GPU_RESOURCE.test(key)) continue;
    if (String(requests[key] ?? '') !== String(limits[key] ?? '')) {
      push('resources/gpu-limits', `${field}`, `${label}: ${key} request ${String(requests[key] ?? 'unset')} differs from limit ${String(limits[key] ?? 'unset')}`);
    }
  }
};

export const resources: AppRule = (ctx) => {
  const out: RawFinding[] = [];
  for (const o of ctx.objects) {
    const w = workloadOf(o);
    if (w === undefined) continue;
    const push = (rule: string, field: string, message: string): void => void out.push({ rule, object: o, field, message });
    if (w.podSpec === undefined) {
      check(obj(o.raw.spec).resources, 'the main container', 'spec.resources', push);
      continue;
    }
    for (const c of w.containers) {
      check(c.container.resources, `container ${str(c.container.name) ?? c.name}`, `${c.field}.resources`, push);
    }
  }
  return out;
};
