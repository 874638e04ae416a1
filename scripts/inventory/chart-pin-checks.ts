// Every Helm chart the inventory pins (Argo CD and each add-on) must have a committed chart catalog at exactly
// that version: the AppProject whitelists are written from what the chart really renders, and `pnpm validate`
// simulates its first sync from it. A pin without one is an error at the pin, naming the command that writes it.
import type { CrossCheckInput, Report } from './cross-check-input.ts';
import { issueAt } from './cross-check-input.ts';
import { sameChartRepo, type ChartCatalog } from '../platform/chart-catalog/index.ts';

export function checkChartPins(input: CrossCheckInput, catalogs: readonly ChartCatalog[], report: Report): void {
  if (input.fleet === undefined) return;
  const { value, source } = input.fleet;
  const pins: Array<{ path: Array<string | number>; repoURL: string; chart: string; version: string }> = [
    { path: ['argocd', 'chart', 'version'], ...value.argocd.chart },
    ...Object.entries(value.addons).map(([name, a]) => ({ path: ['addons', name, 'version'], repoURL: a.repoURL, chart: a.chart, version: a.version })),
  ];
  for (const pin of pins) {
    const sameChart = catalogs.filter((c) => sameChartRepo(c.repoURL, pin.repoURL) && c.chart === pin.chart);
    if (sameChart.some((c) => c.version === pin.version)) continue;
    const known = sameChart.map((c) => c.version);
    report(
      issueAt(
        source,
        pin.path,
        'value',
        `no chart catalog for ${pin.chart} ${pin.version} from ${pin.repoURL}${known.length > 0 ? ` (catalogued: ${known.join(', ')})` : ''}: ` +
          'AppProjects and `pnpm validate` need what the chart renders at that version; run `pnpm charts:catalog` (docs/argocd.md "Upgrading Argo CD or a chart")',
      ),
    );
  }
}
