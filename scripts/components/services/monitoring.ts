// How Prometheus scrapes a service's `metrics` port: through its Service (ServiceMonitor) when it has one, else
// straight from the pods (PodMonitor, for workers without ports). The NetworkPolicy side is in network.ts.
import type { K8sObject } from '../component.ts';
import { podMonitor, serviceMonitor } from '../monitors.ts';
import { hasService } from './exposure.ts';
import type { SystemView } from './system-view.ts';
import type { ServiceInput } from './types.ts';

/**
 * The monitor of a service with `metrics`, with its path when the spec gives one (Prometheus' default is /metrics).
 * Checked: prometheus-operator/prometheus-operator @ v0.93.0 (the fleet pins v0.93.1; v0.93.1 is not tagged in the
 * mirror) : pkg/apis/monitoring/v1/types.go (Endpoint.port, Endpoint.path), podmonitor_types.go
 * (PodMetricsEndpoint.port, PodMetricsEndpoint.path).
 */
export const metricsMonitor = (view: SystemView, input: ServiceInput): K8sObject[] => {
  const metrics = input.spec.metrics;
  if (metrics === undefined) return [];
  const s = { app: input.name, namespace: view.namespace, stack: view.system.name, port: metrics.port };
  const path = metrics.path !== undefined ? { path: metrics.path } : {};
  if (hasService(input.spec)) {
    const m = serviceMonitor(s);
    return [{ ...m, spec: { ...m.spec!, endpoints: m.spec!.endpoints!.map((e) => ({ ...e, ...path })) } }];
  }
  const m = podMonitor(s);
  return [{ ...m, spec: { ...m.spec!, podMetricsEndpoints: m.spec!.podMetricsEndpoints!.map((e) => ({ ...e, ...path })) } }];
};
