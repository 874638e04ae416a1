// checkApplications checks one cluster at a time and keeps only what the fleet-wide rules need; it must report
// exactly what checking every Application of the fleet at once reports, whatever the order of the Applications.
// No Kustomize here: build outputs are written directly.
import { beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';

import type { KustomizationGraph } from '../../scripts/kustomize/kustomization-graph.ts';
import type { PathRender } from '../../scripts/kustomize/render-applications.ts';
import { duplicateIds, silentFailures } from '../../scripts/kustomize/silent-failures.ts';
import type { Cluster, Fleet } from '../../scripts/model/fleet.ts';
import { checkApplications, type CheckInput } from '../../scripts/policy/check-applications.ts';
import { APP_RULES, CLUSTER_RULES, finalize, FLEET_RULES, type AppFinding } from '../../scripts/policy/run-policy.ts';
import { SourceIndex } from '../../scripts/policy/source-index.ts';
import type { AppContext, AppTarget, Finding } from '../../scripts/policy/types.ts';
import { minorOf } from '../../scripts/schemas/api-lifecycle.ts';
import { checkSchemas, preloadSchemas } from '../../scripts/schemas/check-schemas.ts';
import { parseBuildOutput } from '../../scripts/schemas/parse-output.ts';
import { SchemaRegistry } from '../../scripts/schemas/registry.ts';
import { DEFAULT_INVENTORY, loadFleet, REPO_ROOT } from '../support/fleet.ts';
import { deployment, ingress, service, workload, type Obj } from './objects.ts';

/** The whole-fleet check: every Application parsed and held, every rule run over all of them, then grouped. */
const wholeFleet = async (fleet: Fleet, registry: SchemaRegistry, inputs: readonly CheckInput[]): Promise<Map<string, Finding[]>> => {
  const raw: AppFinding[] = [];
  const contexts: AppContext[] = [];
  const parsed = inputs.map(({ target, render }) => {
    const file = render.graph.nodes[0]?.file ?? target.path;
    const base = { fleet, isProd: target.environment?.name === 'prod' };
    if (!render.ok) {
      raw.push({ app: { ...base, target, objects: [] }, rule: 'kustomize/build-failed', file, message: render.error ?? 'build failed' });
      return undefined;
    }
    const out = parseBuildOutput(render.yaml, target.namespace || undefined, file);
    const ctx: AppContext = { ...base, target, objects: out.objects };
    contexts.push(ctx);
    return { ctx, findings: [...out.findings, ...silentFailures(render.graph, out.objects), ...duplicateIds(out.objects)] };
  });
  const schemas = await preloadSchemas(registry, contexts.flatMap((c) => c.objects));
  const minor = fleet.kubernetesVersion === undefined ? undefined : minorOf(fleet.kubernetesVersion);
  for (const p of parsed) {
    if (p === undefined) continue;
    raw.push(...p.findings.map((f) => ({ ...f, app: p.ctx })), ...checkSchemas(p.ctx.objects, schemas, minor).map((f) => ({ ...f, app: p.ctx })));
  }
  raw.push(...contexts.flatMap((app) => APP_RULES.flatMap((rule) => rule(app).map((f) => ({ ...f, app })))));
  raw.push(...FLEET_RULES.flatMap(({ rule }) => rule(contexts)), ...CLUSTER_RULES.flatMap((rule) => rule(contexts)));
  const sources = new SourceIndex(REPO_ROOT);
  const renders = new Map(inputs.map((i) => [i.target.name, i.render]));
  const byApp = new Map<string, Finding[]>();
  for (const f of finalize(raw, fleet.policy?.exemptions ?? [], (x) => sources.fileOf((renders.get(x.app.target.name) as PathRender).graph, x.object!))) {
    byApp.set(f.application, [...(byApp.get(f.application) ?? []), f]);
  }
  return byApp;
};

const graph = (path: string): KustomizationGraph => ({
  nodes: [{ dir: path, file: `${path}/kustomization.yaml`, kind: 'Kustomization', patches: [], images: [], duplicateKeys: [], resourceFiles: [], children: [], remote: false }],
  digest: undefined,
});

const render = (path: string, objects: readonly Obj[] | undefined): PathRender => ({
  path,
  graph: graph(path),
  ok: objects !== undefined,
  yaml: (objects ?? []).map((o) => stringify(o)).join('---\n'),
  ...(objects === undefined ? { error: 'kustomize: accumulating resources: boom' } : {}),
  durationMs: 0,
  cached: true,
});

const configMap = (name: string, namespace: string, data: Record<string, string> = {}): Obj => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace }, data });

const monitored = (name: string, namespace: string): Obj[] =>
  workload(name, namespace, (d) => d.spec.template.spec.containers[0].ports.push({ name: 'metrics', containerPort: 9090 }));

const serviceMonitor = (name: string, namespace: string, app: string): Obj => ({
  apiVersion: 'monitoring.coreos.com/v1',
  kind: 'ServiceMonitor',
  metadata: { name, namespace },
  spec: { namespaceSelector: { any: true }, selector: { matchLabels: { 'app.kubernetes.io/name': app } }, endpoints: [{ port: 'metrics' }] },
});

const metricsService = (name: string, namespace: string): Obj =>
  service(name, namespace, (s) => {
    s.metadata.labels = { 'app.kubernetes.io/name': name };
    s.spec.ports.push({ name: 'metrics', port: 9090, targetPort: 'metrics' });
  });

const upstream = (svc: string, ns: string, port: number): Record<string, string> => ({ 'nginx.conf': `upstream origin {\n  server ${svc}.${ns}.svc.cluster.local:${port};\n}\n` });

describe('checkApplications', () => {
  let fleet: Fleet;
  let registry: SchemaRegistry;
  let inputs: CheckInput[];
  beforeAll(async () => {
    fleet = await loadFleet(DEFAULT_INVENTORY);
    registry = new SchemaRegistry();
    const prod = fleet.clusters.filter((c) => c.environment === 'prod');
    expect(prod.length).toBeGreaterThanOrEqual(2);
    const [a, b] = prod as [Cluster, Cluster];
    const environment = fleet.environments.find((e) => e.name === 'prod');
    const target = (cluster: Cluster, stack: string, namespace: string): AppTarget => ({
      name: `${cluster.name}-${stack}`,
      path: `clusters/${cluster.name}/${stack}`,
      project: stack,
      destination: cluster.name,
      namespace,
      cluster,
      ...(environment !== undefined ? { environment } : {}),
      stack,
    });
    const app = (cluster: Cluster, stack: string, objects: readonly Obj[] | undefined): CheckInput => {
      const t = target(cluster, stack, stack);
      return { target: t, render: render(t.path, objects) };
    };
    // Clusters interleaved, the root in the middle: grouping must not depend on the order.
    inputs = [
      app(a, 'streaming', [
        ingress('v-edge', 'streaming', 'v.example.net'),
        configMap('v-shared', 'streaming'),
        configMap('v-upstream-ok', 'streaming', upstream('v-origin', 'transcoding', 80)),
        configMap('v-upstream-other-cluster', 'streaming', upstream('v-only-on-b', 'transcoding', 80)),
        ...monitored('v-scraped', 'streaming'),
        metricsService('v-scraped', 'streaming'),
        ...monitored('v-unscraped', 'streaming'),
      ]),
      app(b, 'streaming', [ingress('v-edge', 'streaming', 'v.example.net'), configMap('v-shared', 'streaming'), service('v-only-on-b', 'transcoding')]),
      {
        target: { name: 'root', path: 'argocd', project: 'bootstrap', destination: 'in-cluster', namespace: 'argocd' },
        render: render('argocd', [configMap('v-hub', 'argocd'), ingress('v-hub', 'argocd', 'v.example.net')]),
      },
      app(a, 'transcoding', [
        service('v-origin', 'transcoding'),
        configMap('v-shared', 'streaming'),
        serviceMonitor('v-scraped', 'monitoring', 'v-scraped'),
        deployment('v-invalid', 'transcoding', (d) => (d.spec.replicas = 'two')),
      ]),
      app(b, 'transcoding', undefined),
      app(b, 'monitoring', [configMap('v-shared', 'streaming'), { apiVersion: 'example.com/v1', kind: 'Unknown', metadata: { name: 'v-unknown', namespace: 'monitoring' } }]),
    ];
  });

  it('reports what checking the whole fleet at once reports, in the same order', async () => {
    const expected = await wholeFleet(fleet, registry, inputs);
    const result = await checkApplications(REPO_ROOT, fleet, registry, inputs);
    expect(result.applications.map((a) => a.target.name)).toEqual(inputs.map((i) => i.target.name));
    for (const a of result.applications) expect(a.findings, a.target.name).toEqual(expected.get(a.target.name) ?? []);
    expect(result.objects).toBe(result.applications.reduce((n, a) => n + a.objects, 0));
  });

  it('compares Applications of one cluster for shared objects, edge upstreams and monitors, and Ingresses across the fleet', async () => {
    const result = await checkApplications(REPO_ROOT, fleet, registry, inputs);
    const rules = (name: string, prefix: string): string[] =>
      (result.applications.find((a) => a.target.name.endsWith(name))?.findings ?? []).filter((f) => f.rule.startsWith(prefix)).map((f) => `${f.rule} ${f.object ?? ''}`);
    const [a, b] = fleet.clusters.filter((c) => c.environment === 'prod') as [Cluster, Cluster];
    const cross = ['network/ingress-duplicate', 'argocd/shared-resource', 'domain/'];
    const crossOf = (name: string): string[] => cross.flatMap((p) => rules(name, p));
    expect(crossOf(`${a.name}-streaming`)).toEqual([
      'domain/edge-upstream ConfigMap streaming/v-upstream-other-cluster',
      'domain/metrics-monitor Deployment streaming/v-unscraped',
    ]);
    // The first of the fleet serves the host; the second cluster's Ingress and the hub's repeat it.
    expect(crossOf(`${b.name}-streaming`)).toEqual(['network/ingress-duplicate Ingress streaming/v-edge']);
    expect(crossOf('root')).toEqual(['network/ingress-duplicate Ingress argocd/v-hub']);
    // Shared only with the streaming Application of the same cluster.
    expect(crossOf(`${a.name}-transcoding`)).toEqual(['argocd/shared-resource ConfigMap streaming/v-shared']);
    expect(crossOf(`${b.name}-monitoring`)).toEqual(['argocd/shared-resource ConfigMap streaming/v-shared']);
    expect(rules(`${b.name}-monitoring`, 'schema/')).toEqual(['schema/no-schema Unknown monitoring/v-unknown']);
    expect(rules(`${a.name}-transcoding`, 'schema/')).toEqual(['schema/invalid Deployment transcoding/v-invalid']);
    expect(rules(`${b.name}-transcoding`, '')).toEqual(['kustomize/build-failed ']);
  });
});
