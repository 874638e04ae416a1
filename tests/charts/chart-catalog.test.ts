// The committed chart catalog (scripts/platform/chart-catalog/) is current: one entry per Helm chart the fleet
// pins, at the pinned version, rendered with the values the generator emits today. No upstream checkout needed:
// the digest of the values is recomputed here and compared with the one the builder recorded.
import { describe, expect, it } from 'vitest';

import { loadFleet, pinnedChartInputs, type ChartInputs } from '../../scripts/charts/chart-inputs.ts';
import { chartUpstream } from '../../scripts/charts/upstreams.ts';
import { chartCatalog, chartCatalogNames, type ChartCatalog } from '../../scripts/platform/chart-catalog/index.ts';

const fleet = await loadFleet('inventory');
const pinned = pinnedChartInputs(fleet);

/** The command a maintainer runs after changing a pin or a chart's values. */
const rebuild = (): string => {
  const repos = [...new Set(pinned.map((i) => chartUpstream(i.repoURL, i.chart)?.repo).filter((r): r is string => r !== undefined))].sort();
  return `pnpm charts:catalog ${repos.map((r) => `--source ${r}=<git-dir of https://github.com/${r}>`).join(' ')}`;
};

const load = (name: string): ChartCatalog | undefined => {
  try {
    return chartCatalog(name);
  } catch {
    return undefined;
  }
};

describe('chart catalog', () => {
  it('has exactly one entry per pinned chart', () => {
    expect(chartCatalogNames(), `catalog entries differ from the pinned charts; run: ${rebuild()}`).toEqual(pinned.map((i) => i.name));
  });

  it.each(pinned.map((i) => [i.name, i] as const))('%s: catalogued at the pinned chart version with the current values', (_name, inputs: ChartInputs) => {
    const catalog = load(inputs.name);
    expect(catalog, `no catalog for ${inputs.name}; run: ${rebuild()}`).toBeDefined();
    expect({ repoURL: catalog?.repoURL, chart: catalog?.chart, version: catalog?.version }, `${inputs.name} pin changed; run: ${rebuild()}`).toEqual({
      repoURL: inputs.repoURL,
      chart: inputs.chart,
      version: inputs.version,
    });
    expect(catalog?.valuesDigest, `${inputs.name}: values, release, namespace or Kubernetes version changed since the catalog was built; run: ${rebuild()}`).toBe(
      inputs.valuesDigest,
    );
    expect(catalog?.variants.length).toBe(inputs.variants.length);
    expect(catalog?.renderedWith).toMatchObject({ releaseName: inputs.releaseName, namespace: inputs.namespace, kubeVersion: `v${inputs.kubeVersion}` });
  });

  it.each(pinned.map((i) => [i.name] as const))('%s: every rendered kind has a scope and every hook its Argo CD phases', (name) => {
    const catalog = load(name);
    expect(catalog).toBeDefined();
    for (const k of catalog?.kinds ?? []) {
      expect(['Namespaced', 'Cluster']).toContain(k.scope);
      for (const o of k.objects) {
        if (k.scope === 'Cluster') expect(o.namespace).toBe('');
        else expect(o.namespace).not.toBe('');
        if (o.helmHook !== undefined) expect(o.argocdHookPhases).toBeDefined();
      }
    }
  });
});
