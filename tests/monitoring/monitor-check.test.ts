// "A component with a metrics port and no monitor is an error": the check must name the component.
import { describe, expect, it } from 'vitest';
import type { K8sObject } from '../../scripts/components/component.ts';
import { deployment, service } from '../../scripts/components/builders.ts';
import { podMonitor, serviceMonitor } from '../../scripts/components/monitors.ts';
import { componentByName, componentsFor } from '../../scripts/components/catalog.ts';
import { unmonitoredMetricsPorts } from '../../scripts/monitoring/monitor-check.ts';
import { renderFleet } from '../../scripts/render/render-fleet.ts';
import { DEFAULT_INVENTORY, loadFleet } from '../support/fleet.ts';

const app = 'demo';
const ns = 'streaming';
const workload = (portName: string): K8sObject =>
  deployment({
    name: app,
    namespace: ns,
    stack: 'streaming',
    uid: 1000,
    containers: [{ name: 'c', image: 'x', ports: [{ name: 'http', containerPort: 8080 }, { name: portName, containerPort: 9102 }] }],
  });
const svc = (targetPort: string): K8sObject =>
  service({ name: app, namespace: ns, stack: 'streaming', app, ports: [{ name: 'metrics', port: 9102, targetPort }] });

describe('unmonitoredMetricsPorts', () => {
  it.each([
    { name: 'metrics port, no monitor', objects: [workload('metrics')], problem: true },
    { name: 'sidecar *-metrics port, no monitor', objects: [workload('nginx-metrics')], problem: true },
    { name: 'PodMonitor on the port', objects: [workload('metrics'), podMonitor({ app, namespace: ns, stack: 'streaming', port: 'metrics' })], problem: false },
    { name: 'PodMonitor on another port', objects: [workload('metrics'), podMonitor({ app, namespace: ns, stack: 'streaming', port: 'http' })], problem: true },
    {
      name: 'ServiceMonitor through a Service targeting the port',
      objects: [workload('metrics'), svc('metrics'), serviceMonitor({ app, namespace: ns, stack: 'streaming', port: 'metrics' })],
      problem: false,
    },
    {
      name: 'ServiceMonitor whose Service targets another port',
      objects: [workload('metrics'), svc('http'), serviceMonitor({ app, namespace: ns, stack: 'streaming', port: 'metrics' })],
      problem: true,
    },
    { name: 'ServiceMonitor without a Service', objects: [workload('metrics'), serviceMonitor({ app, namespace: ns, stack: 'streaming', port: 'metrics' })], problem: true },
    { name: 'no metrics port', objects: [workload('admin')], problem: false },
  ])('$name', ({ objects, problem }) => {
    const problems = unmonitoredMetricsPorts(app, objects);
    if (problem) expect(problems).toEqual([expect.stringMatching(/^component demo: Deployment\/demo has metrics port "[a-z-]+" \(9102\) but no ServiceMonitor or PodMonitor/)]);
    else expect(problems).toEqual([]);
  });
});

describe('the render refuses a component with an unscraped metrics port', () => {
  it('names the component', async () => {
    const fleet = await loadFleet(DEFAULT_INVENTORY);
    const edge = componentByName('edge-cache');
    const unmonitored = { ...edge, name: 'unmonitored-demo', base: () => [workload('metrics')] };
    expect(() => renderFleet(fleet, [...componentsFor(fleet), unmonitored])).toThrow(/component unmonitored-demo: Deployment\/demo has metrics port "metrics"/);
  });
});
