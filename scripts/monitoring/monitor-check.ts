// "A component with a metrics port and no monitor is an error": a pure check over the components' base objects.
// A container port named `metrics` or `*-metrics` must be scraped by a PodMonitor (selecting the pods, on that
// port name) or a ServiceMonitor (selecting a Service of the component that targets that port) among the
// component's own objects, so adding a metrics port without its monitor fails `pnpm gen` naming the component.
import type { BaseContext, Component, K8sObject } from '../components/component.ts';

const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job']);

type Labels = Readonly<Record<string, string>>;

interface MetricsPort {
  readonly workload: string;
  readonly podLabels: Labels;
  readonly name: string;
  readonly number: number;
}

export const isMetricsPortName = (name: string): boolean => name === 'metrics' || name.endsWith('-metrics');

/** Whether every `selector` label is in `labels` (an empty selector selects nothing here: it is never intended). */
const selects = (selector: Labels | undefined, labels: Labels | undefined): boolean =>
  selector !== undefined &&
  Object.keys(selector).length > 0 &&
  Object.entries(selector).every(([k, v]) => labels?.[k] === v);

/* eslint-disable @typescript-eslint/no-explicit-any -- walks loosely typed K8sObjects of every kind */
const metricsPorts = (objects: readonly K8sObject[]): MetricsPort[] =>
  objects
    .filter((o) => WORKLOAD_KINDS.has(o.kind))
    .flatMap((o) => {
      const template = (o as any).spec?.template;
      const podLabels: Labels = template?.metadata?.labels ?? {};
      const containers: any[] = [...(template?.spec?.containers ?? []), ...(template?.spec?.initContainers ?? [])];
      return containers.flatMap((c) =>
        (c.ports ?? [])
          .filter((p: any) => typeof p.name === 'string' && isMetricsPortName(p.name))
          .map((p: any) => ({ workload: `${o.kind}/${o.metadata.name}`, podLabels, name: p.name as string, number: p.containerPort as number })),
      );
    });

const coveredByPodMonitor = (port: MetricsPort, objects: readonly K8sObject[]): boolean =>
  objects.some(
    (o: any) =>
      o.kind === 'PodMonitor' &&
      selects(o.spec?.selector?.matchLabels, port.podLabels) &&
      (o.spec?.podMetricsEndpoints ?? []).some((e: any) => e.port === port.name),
  );

const coveredByServiceMonitor = (port: MetricsPort, objects: readonly K8sObject[]): boolean =>
  objects.some((sm: any) => {
    if (sm.kind !== 'ServiceMonitor') return false;
    const endpointPorts = new Set((sm.spec?.endpoints ?? []).map((e: any) => e.port));
    return objects.some(
      (svc: any) =>
        svc.kind === 'Service' &&
        selects(sm.spec?.selector?.matchLabels, svc.metadata?.labels) &&
        selects(svc.spec?.selector, port.podLabels) &&
        (svc.spec?.ports ?? []).some(
          (p: any) =>
            endpointPorts.has(p.name) &&
            (p.targetPort === port.name || p.targetPort === port.number || (p.targetPort === undefined && p.port === port.number)),
        ),
    );
  });
/* eslint-enable @typescript-eslint/no-explicit-any */

/** Problems (one per unscraped metrics port) of one component's objects. */
export const unmonitoredMetricsPorts = (component: string, objects: readonly K8sObject[]): string[] =>
  metricsPorts(objects)
    .filter((p) => !coveredByPodMonitor(p, objects) && !coveredByServiceMonitor(p, objects))
    .map(
      (p) =>
        `component ${component}: ${p.workload} has metrics port "${p.name}" (${p.number}) but no ServiceMonitor or PodMonitor of the component scrapes it; add podMonitor()/serviceMonitor() from scripts/components/monitors.ts to its base objects`,
    );

/** Every unscraped metrics port of the fleet's components (excluding `skip`, e.g. the caller itself). */
export const checkMonitors = (ctx: BaseContext, skip: readonly string[] = []): string[] =>
  ctx.components
    .filter((c: Component) => !skip.includes(c.name))
    .flatMap((c) => unmonitoredMetricsPorts(c.name, c.base(ctx)));

/** Throws once with every problem, so `pnpm gen` fails naming each culprit. */
export const assertMonitored = (ctx: BaseContext, skip: readonly string[] = []): void => {
  const problems = checkMonitors(ctx, skip);
  if (problems.length > 0) throw new Error(`metrics ports without a monitor:\n  ${problems.join('\n  ')}`);
};
