// Which kinds Argo CD assesses health for at the pinned version. Only those can hold a sync wave: gitops-engine
// waits for every object of a wave to be healthy before the next wave, and an object without a health check
// "automatically succeeds" (gitops-engine pkg/sync/sync_context.go at v3.4.4).
// - built-in Go checks: gitops-engine pkg/health/health.go GetHealthCheckFunc at v3.4.4 (read by hand);
// - Lua checks: resource_customizations/<group>/<kind>/health.lua, listed by build-health-kinds.ts into
//   health-kinds.json (`_` in a group is a wildcard prefix, `_` as the kind matches every kind);
// - resource.customizations.health.<group_kind> in argocd-cm adds more (the chart's `configs.cm`), passed in here.
import { readFileSync } from 'node:fs';
import { toolPath } from '../lib/tool-root.ts';

const BUILT_IN = new Set([
  'apps/Deployment', 'apps/StatefulSet', 'apps/ReplicaSet', 'apps/DaemonSet',
  'extensions/Ingress', 'networking.k8s.io/Ingress', 'argoproj.io/Workflow', 'apiregistration.k8s.io/APIService',
  '/Service', '/PersistentVolumeClaim', '/Pod', 'batch/Job', 'autoscaling/HorizontalPodAutoscaler',
]);

interface HealthKinds {
  readonly source: string;
  readonly lua: readonly string[];
}

let lua: HealthKinds | undefined;
const luaKinds = (): HealthKinds => {
  lua ??= JSON.parse(readFileSync(toolPath('scripts', 'argocd', 'health-kinds.json'), 'utf8')) as HealthKinds;
  return lua;
};

const luaMatches = (pattern: string, group: string, kind: string): boolean => {
  const slash = pattern.lastIndexOf('/');
  const pGroup = pattern.slice(0, slash);
  const pKind = pattern.slice(slash + 1);
  const groupOk = pGroup.startsWith('_.') ? group.endsWith(pGroup.slice(1)) : pGroup === group;
  return groupOk && (pKind === '_' || pKind === kind);
};

/**
 * Whether Argo CD computes a health status for `group`/`kind`. `customized` are extra `group/kind` keys configured in
 * argocd-cm (`resource.customizations.health.<group>_<kind>`, group `''` written as empty).
 */
export const hasHealthCheck = (group: string, kind: string, customized: ReadonlySet<string> = new Set()): boolean =>
  BUILT_IN.has(`${group}/${kind}`) || customized.has(`${group}/${kind}`) || luaKinds().lua.some((p) => luaMatches(p, group, kind));

/** Where the Lua list came from, for messages and docs. */
export const healthKindsSource = (): string => luaKinds().source;
