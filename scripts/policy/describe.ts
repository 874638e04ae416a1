// How objects are named in reports: `Deployment streaming/edge-cache`, `ClusterRole monitoring-prometheus`.
import type { RenderedObject } from './types.ts';

export const describeObject = (o: Pick<RenderedObject, 'kind' | 'name' | 'effectiveNamespace'>): string =>
  o.effectiveNamespace === undefined ? `${o.kind} ${o.name}` : `${o.kind} ${o.effectiveNamespace}/${o.name}`;
