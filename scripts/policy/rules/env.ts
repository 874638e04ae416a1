// Container environment: no variable defined twice in one container's env list.
import { objs, str } from '../json.ts';
import type { AppRule, RawFinding } from '../types.ts';
import { workloadOf } from '../workloads.ts';

/**
 * The API server accepts a repeated env name (the last one wins in the container) and only warns that the entry
 * "hides previous definition of …, which may be dropped when using apply": env is a list keyed by name, so a
 * merge (kubectl apply, a Kustomize strategic-merge patch, server-side apply) keeps one of the two, not
 * necessarily the one the file shows last.
 * Like that warning, a redefinition that builds on the previous value (`X=$(X):more`, no valueFrom) is allowed.
 * Checked: kubernetes/kubernetes @ 00f6e68e0a64b01450cf7ef7d533794b7ede409e : pkg/api/pod/warnings.go
 *   ("duplicate containers[*].env")
 */
export const duplicateEnv: AppRule = (ctx) => {
  const out: RawFinding[] = [];
  for (const o of ctx.objects) {
    const w = workloadOf(o);
    if (w?.podSpec === undefined) continue;
    for (const c of w.containers) {
      const seen = new Map<string, number>();
      objs(c.container.env).forEach((e, i) => {
        const name = str(e.name);
        if (name === undefined) return;
        const first = seen.get(name);
        if (first === undefined) {
          seen.set(name, i);
          return;
        }
        const ref = `$(${name})`;
        const value = str(e.value) ?? '';
        if (e.valueFrom === undefined && value !== ref && value.includes(ref)) return;
        out.push({ rule: 'workloads/duplicate-env', object: o, field: `${c.field}.env[${i}]`, message: `container ${c.name} defines ${name} again (first at env[${first}]): a merge or apply may keep either value` });
      });
    }
  }
  return out;
};
