// Managed regions of hand-written files: docs/argocd.md's table of pinned charts follows the pins and their chart
// catalogs. (The fleet drawing was README.md's region `fleet-diagram`; it is the whole file docs/fleet.md now, see
// render-fleet-doc.ts, and the writer drops a region no render produces from the ledger.)
import type { Fleet } from '../model/fleet.ts';
import { catalogOf } from '../platform/chart-footprint.ts';
import type { GeneratedFile } from './generated-file.ts';

export const CHART_PINS_REGION = 'chart-pins';
export const ARGOCD_DOC = 'docs/argocd.md';

const cell = (s: string): string => s.replace(/\|/g, '\\|');

/** One row per pinned chart: the pin, what it was checked against upstream, and where it runs. */
export const chartPinsTable = (fleet: Fleet): string => {
  const rows = [
    { entry: 'argo-cd', pin: fleet.argocd.chart, where: 'the hub (self-managed)' },
    ...Object.entries(fleet.addons).map(([entry, addon]) => ({
      entry,
      pin: addon,
      where: addon.requires !== undefined && addon.requires.length > 0 ? `clusters with ${addon.requires.map((r) => `\`${r}\``).join(', ')}` : 'every cluster',
    })),
  ];
  const lines = [
    '| entry | chart | version | app version | checked against (upstream @ tag : chart) | Kubernetes (Chart.yaml) | runs on |',
    '| --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const { entry, pin, where } of rows) {
    const catalog = catalogOf(pin);
    lines.push(
      `| \`${entry}\` | ${pin.chart} | ${pin.version} | ${catalog?.appVersion ?? '?'} | ${cell(catalog?.source ?? 'no catalog')} | ${cell(catalog?.kubeVersionConstraint ?? 'any')} | ${where} |`,
    );
  }
  return `${lines.join('\n')}\n`;
};

export const renderRegions = (fleet: Fleet): GeneratedFile[] => [
  { path: ARGOCD_DOC, region: CHART_PINS_REGION, content: chartPinsTable(fleet) },
];
