// The add-on dependency graph that sets the sync waves: depths from the fleet's own add-ons only, and a cycle
// is refused by name rather than ordered arbitrarily.
import { describe, expect, it } from 'vitest';
import type { Addon } from '../../scripts/inventory/schema.ts';
import { ADDON_DEPENDENCIES, addonDepths } from '../../scripts/platform/addon-order.ts';

const addon: Addon = { repoURL: 'https://charts.example.com', chart: 'x', version: '1.0.0', namespace: 'x' };
const fleetOf = (...names: string[]): { addons: Record<string, Addon> } => ({ addons: Object.fromEntries(names.map((n) => [n, addon])) });

describe('add-on order', () => {
  it.each([
    { name: 'the Istio chain', addons: ['istio-base', 'istio-cni', 'istiod', 'istio-ingressgateway'], depths: { 'istio-base': 0, 'istio-cni': 1, istiod: 2, 'istio-ingressgateway': 3 } },
    { name: 'istiod without the CNI add-on', addons: ['istio-base', 'istiod'], depths: { 'istio-base': 0, istiod: 1 } },
    { name: 'monitors without the operator installed', addons: ['keda', 'cert-manager'], depths: { keda: 0, 'cert-manager': 0 } },
    { name: 'an add-on the graph does not know', addons: ['prometheus-operator', 'my-addon'], depths: { 'prometheus-operator': 0, 'my-addon': 0 } },
  ])('orders $name', ({ addons, depths }) => {
    expect(Object.fromEntries(addonDepths(fleetOf(...addons)))).toEqual(depths);
  });

  it('names only dependencies that are add-ons of the graph', () => {
    const known = new Set(Object.keys(ADDON_DEPENDENCIES));
    for (const [name, deps] of Object.entries(ADDON_DEPENDENCIES)) for (const d of deps) expect(known.has(d), `${name} → ${d}`).toBe(true);
  });

  it('refuses a cycle, naming it', () => {
    const graph = { ...ADDON_DEPENDENCIES, 'istio-base': ['istio-ingressgateway'] };
    expect(() => addonDepths(fleetOf('istio-base', 'istio-cni', 'istiod', 'istio-ingressgateway'), graph)).toThrow(
      /add-on dependency cycle: .*istio-base → .*istio-base/,
    );
  });
});
