// Ordering of the add-ons. Each add-on lists the add-ons whose CRDs or webhooks its chart needs at apply time
// (every chart that ships a ServiceMonitor needs the prometheus-operator CRDs; istiod needs istio-base's CRDs
// and the CNI node agent; the gateway needs istiod's injector). Its sync wave is the add-on base wave plus its
// depth in that graph, so CRD providers come first and nothing waits on something later than itself.
import type { Fleet } from '../model/fleet.ts';

export const ADDON_DEPENDENCIES: Readonly<Record<string, readonly string[]>> = {
  'prometheus-operator': [],
  'istio-base': [],
  'metrics-server': ['prometheus-operator'],
  'cert-manager': ['prometheus-operator'],
  'external-secrets': ['prometheus-operator'],
  'ingress-nginx': ['prometheus-operator'],
  keda: ['prometheus-operator'],
  'gpu-operator': ['prometheus-operator'],
  'istio-cni': ['istio-base'],
  istiod: ['istio-base', 'istio-cni'],
  'istio-ingressgateway': ['istiod'],
};

/**
 * Depth of every add-on of the fleet in the dependency graph (0 = needs nothing), ignoring dependencies the fleet
 * does not install. Throws on a cycle, naming it.
 */
export const addonDepths = (
  fleet: Pick<Fleet, 'addons'>,
  graph: Readonly<Record<string, readonly string[]>> = ADDON_DEPENDENCIES,
): Map<string, number> => {
  const names = Object.keys(fleet.addons).sort();
  const depths = new Map<string, number>();
  const visit = (name: string, path: readonly string[]): number => {
    const known = depths.get(name);
    if (known !== undefined) return known;
    if (path.includes(name)) throw new Error(`add-on dependency cycle: ${[...path, name].join(' → ')}`);
    const deps = (graph[name] ?? []).filter((d) => Object.hasOwn(fleet.addons, d));
    const depth = deps.length === 0 ? 0 : 1 + Math.max(...deps.map((d) => visit(d, [...path, name])));
    depths.set(name, depth);
    return depth;
  };
  for (const n of names) visit(n, []);
  return depths;
};
