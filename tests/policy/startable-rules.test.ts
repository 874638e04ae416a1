// Table tests of the rules for workloads the API accepts but that never become ready (scripts/policy/rules/startable.ts):
// each violating variant gives exactly its finding, the compliant one none.
import { describe, expect, it } from 'vitest';

import { mountedVolumes, probePorts } from '../../scripts/policy/rules/startable.ts';
import { RULE_BY_ID } from '../../scripts/policy/rules.ts';
import type { AppContext, AppRule } from '../../scripts/policy/types.ts';
import { container, deployment, rendered, type Obj } from './objects.ts';

const ctx = (objects: readonly Obj[]): AppContext =>
  ({
    target: { name: 'app', path: 'clusters/x/api', project: 'api', destination: 'x', namespace: 'api' },
    objects: objects.map((o, i) => rendered(o, i + 1)),
    isProd: true,
  }) as unknown as AppContext;

interface Case {
  readonly name: string;
  readonly rule: string;
  readonly check: AppRule;
  readonly bad: Obj[];
  readonly good: Obj[];
}

const CASES: readonly Case[] = [
  {
    name: 'an http probe on an undeclared port name',
    rule: 'workloads/probe-port',
    check: probePorts,
    bad: [deployment('web', 'api', (d) => (container(d).readinessProbe = { httpGet: { path: '/ready', port: 'admin' } }))],
    good: [deployment('web', 'api')],
  },
  {
    name: 'a tcp probe on an undeclared port name',
    rule: 'workloads/probe-port',
    check: probePorts,
    bad: [deployment('web', 'api', (d) => (container(d).livenessProbe = { tcpSocket: { port: 'postgres' } }))],
    good: [deployment('web', 'api', (d) => (container(d).livenessProbe = { tcpSocket: { port: 5432 } }))],
  },
  {
    name: 'a mount of a volume the pod lacks',
    rule: 'workloads/mount-no-volume',
    check: mountedVolumes,
    bad: [deployment('db', 'api', (d) => (container(d).volumeMounts = [{ name: 'data', mountPath: '/var/lib/data' }]))],
    good: [
      deployment('db', 'api', (d) => {
        container(d).volumeMounts = [{ name: 'data', mountPath: '/var/lib/data' }];
        d.spec.template.spec.volumes = [{ name: 'data', emptyDir: {} }];
      }),
    ],
  },
];

describe('workloads that never become ready', () => {
  it.each(CASES)('$name: $rule', (c) => {
    expect(RULE_BY_ID.has(c.rule)).toBe(true);
    expect(c.check(ctx(c.bad)).map((f) => f.rule)).toEqual([c.rule]);
    expect(c.check(ctx(c.good))).toEqual([]);
  });

  it('names the port and the volume in words', () => {
    const [probe] = probePorts(ctx(CASES[0]!.bad));
    expect(probe!.message).toContain('"admin"');
    expect(probe!.field).toBe('spec.template.spec.containers[0].readinessProbe');
    const [mount] = mountedVolumes(ctx(CASES[2]!.bad));
    expect(mount!.message).toContain('"data"');
  });
});
