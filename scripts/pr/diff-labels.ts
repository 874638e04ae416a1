// Labels of a pull request from what its rendered diff touches: one per environment and per stack.
import type { DiffReport } from '../diff/report.ts';

export const diffLabels = (report: DiffReport): string[] =>
  [
    ...new Set(
      report.apps.flatMap((a) => [
        ...(a.environment ? [`env:${a.environment}`] : []),
        a.kind === 'chart' ? 'addons' : `stack:${a.stack}`,
      ]),
    ),
  ].sort();
