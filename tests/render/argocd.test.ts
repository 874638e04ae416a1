// The Argo CD side of the default fleet: safety rules of ApplicationSets and AppProjects, ordering of add-ons
// before stacks, progressive rollout, controller settings and cluster registration.
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { renderFleet } from '../../scripts/render/render-fleet.ts';
import type { Fleet } from '../../scripts/model/fleet.ts';
import { DEFAULT_INVENTORY, loadFleet } from '../support/fleet.ts';

// Parsed objects are untyped YAML; `any` keeps these assertions readable.
/* eslint-disable @typescript-eslint/no-explicit-any */
type Obj = any;

const objectsOf = (fleet: Fleet): Map<string, Obj> =>
  new Map(
    renderFleet(fleet)
      .filter((f) => (f.path.startsWith('apps/') || f.path.startsWith('argocd/')) && f.path.endsWith('.yaml'))
      .map((f) => [f.path, parse(f.content)]),
  );

const wave = (o: Obj): number => Number(o.metadata.annotations?.['argocd.argoproj.io/sync-wave'] ?? 0);
const strings = (v: unknown): string[] =>
  typeof v === 'string' ? [v] : Array.isArray(v) ? v.flatMap(strings) : v && typeof v === 'object' ? Object.entries(v).flatMap(([k, x]) => [k, ...strings(x)]) : [];

describe('Argo CD wiring (default fleet)', async () => {
  const fleet = await loadFleet(DEFAULT_INVENTORY);
  const objects = objectsOf(fleet);
  const ofKind = (kind: string): Obj[] => [...objects.values()].filter((o) => o?.kind === kind);
  const appSets = ofKind('ApplicationSet');
  const stackSets = appSets.filter((a) => a.metadata.labels['streamfleet.io/stack']);
  const addonSets = appSets.filter((a) => a.metadata.labels['streamfleet.io/addon']);

  it('has one ApplicationSet per stack and environment, and one per add-on', () => {
    expect(stackSets.map((a) => a.metadata.name).sort()).toEqual(
      // The built-in stacks and the shipped system (inventory/systems/api-platform.yaml), a stack of its own.
      ['api-platform', 'monitoring', 'streaming', 'transcoding'].flatMap((s) => ['dev', 'prod', 'staging'].map((e) => `${s}-${e}`)).sort(),
    );
    expect(addonSets.map((a) => a.metadata.name).sort()).toEqual(Object.keys(fleet.addons).map((n) => `addon-${n}`).sort());
  });

  it.each(['goTemplate', 'missingkey', 'project', 'policy'])('every ApplicationSet: %s', (rule) => {
    for (const a of appSets) {
      const spec = a.spec;
      if (rule === 'goTemplate') expect(spec.goTemplate, a.metadata.name).toBe(true);
      if (rule === 'missingkey') expect(spec.goTemplateOptions, a.metadata.name).toEqual(['missingkey=error']);
      if (rule === 'project') {
        expect(spec.template.spec.project, a.metadata.name).toMatch(/^[a-z0-9-]+$/);
        expect(spec.template.spec.project, a.metadata.name).not.toBe('default');
      }
      if (rule === 'policy') {
        expect(spec.syncPolicy, a.metadata.name).toEqual({ applicationsSync: 'create-update', preserveResourcesOnDeletion: true });
        expect(JSON.stringify(a), a.metadata.name).not.toContain('"allowEmpty":true');
        expect(spec.template.spec.syncPolicy.automated?.allowEmpty ?? false, a.metadata.name).toBe(false);
      }
      // Elements live in the file: no generator that can lose its elements in an outage.
      expect(spec.generators.map((g: Obj) => Object.keys(g)), a.metadata.name).toEqual([['list']]);
    }
  });

  it('uses each environment\'s sync policy literally', () => {
    for (const env of fleet.environments) {
      for (const a of stackSets.filter((s) => s.metadata.labels['streamfleet.io/environment'] === env.name)) {
        const automated = a.spec.template.spec.syncPolicy.automated;
        expect(automated, a.metadata.name).toEqual(
          env.syncPolicy.automated ? { allowEmpty: false, prune: env.syncPolicy.prune, selfHeal: env.syncPolicy.selfHeal } : undefined,
        );
      }
    }
  });

  const OTT = ['ott-auth', 'ott-cas', 'ott-catalog', 'ott-license', 'ott-subscription'];
  it('ignores only HPA-written replicas, per environment', () => {
    const prodStreaming = objects.get('apps/streaming-prod-applicationset.yaml');
    const devStreaming = objects.get('apps/streaming-dev-applicationset.yaml');
    const autoscaled = Object.entries(fleet.environments.find((e) => e.name === 'prod')!.apps)
      .filter(([name, settings]) => settings.autoscaling !== undefined && ['edge-cache', 'rtmp-origin', 'player'].concat(OTT).includes(name))
      .map(([name]) => name)
      .sort();
    expect(autoscaled.length).toBeGreaterThan(1);
    expect(prodStreaming.spec.template.spec.ignoreDifferences.map((d: Obj) => d.name)).toEqual(autoscaled);
    expect(prodStreaming.spec.template.spec.ignoreDifferences[0].managedFieldsManagers).toEqual(['kube-controller-manager']);
    expect(devStreaming.spec.template.spec.ignoreDifferences).toBeUndefined();
  });

  it('has no wildcard anywhere in an AppProject and nothing uses the default project', () => {
    const projects = ofKind('AppProject');
    expect(projects.map((p) => p.metadata.name).sort()).toEqual(['api-platform', 'argocd', 'bootstrap', 'monitoring', 'platform', 'streaming', 'transcoding']);
    for (const p of projects) expect(strings(p).filter((s) => s.includes('*')), p.metadata.name).toEqual([]);
    for (const a of ofKind('Application')) expect(a.spec.project).not.toBe('default');
  });

  it('limits each stack project to this repository, its clusters and the namespaces its objects use there', () => {
    const streaming = objects.get('argocd/projects/streaming-appproject.yaml');
    expect(streaming.spec.sourceRepos).toEqual([fleet.git.repoURL]);
    // Mesh clusters also write the Gateway's certificate into the gateway namespace; the others only their own.
    expect(streaming.spec.destinations).toEqual(
      fleet.clusters
        .filter((c) => c.stacks.includes('streaming'))
        .flatMap((c) => (c.capabilities.includes('mesh') ? ['istio-ingress', 'streaming'] : ['streaming']).map((namespace) => ({ name: c.name, namespace }))),
    );
    expect(streaming.spec.clusterResourceWhitelist).toEqual([{ group: '', kind: 'Namespace' }]);
  });

  it('applies projects, then the self-managed Argo CD, then everything one cluster can spoil in the last wave', () => {
    const waves = (kind: string): number[] => [...new Set(ofKind(kind).map(wave))];
    expect(waves('AppProject')).toEqual([-2]);
    expect(objects.get('argocd/argocd-application.yaml').metadata.annotations['argocd.argoproj.io/sync-wave']).toBe('-1');
    expect(waves('ApplicationSet')).toEqual([0]);
    expect(waves('ExternalSecret')).toEqual([0]);
    // Applications wait for CRDs another Application installs on their own: skipped dry run, unlimited retries on
    // the latest revision.
    for (const a of [...stackSets, ...addonSets]) {
      expect(a.spec.template.spec.syncPolicy.syncOptions, a.metadata.name).toContain('SkipDryRunOnMissingResource=true');
      expect(a.spec.template.spec.syncPolicy.retry, a.metadata.name).toMatchObject({ limit: -1, refresh: true });
    }
  });

  it('never lets a deletion reach Applications: finalizers on ApplicationSets, Delete=false on everything else the root holds', () => {
    for (const a of ofKind('ApplicationSet')) expect(a.metadata.finalizers, a.metadata.name).toEqual(['resources-finalizer.argocd.argoproj.io']);
    for (const kind of ['AppProject', 'Application', 'ExternalSecret']) {
      for (const o of ofKind(kind)) expect(o.metadata.annotations['argocd.argoproj.io/sync-options'], o.metadata.name).toBe('Prune=false,Delete=false');
    }
    const root = objects.get('argocd/bootstrap/root-application.yaml');
    expect(root.metadata.finalizers).toBeUndefined();
    expect(root.spec.syncPolicy.automated).toEqual({ allowEmpty: false, prune: true, selfHeal: true });
  });

  it('installs capability-gated add-ons only where the capability is', () => {
    const clustersOf = (name: string): string[] =>
      objects.get(`apps/addon-${name}-applicationset.yaml`).spec.generators[0].list.elements.map((e: Obj) => e.cluster);
    expect(clustersOf('gpu-operator')).toEqual(['prod-gpu-us-east-1']);
    expect(clustersOf('istiod')).toEqual(['prod-eu-west-1', 'prod-us-east-1', 'staging-eu-west-1']);
    expect(clustersOf('cert-manager')).toHaveLength(fleet.clusters.length);
    const ssa = objects.get('apps/addon-prometheus-operator-applicationset.yaml').spec.template.spec.syncPolicy.syncOptions;
    expect(ssa).toContain('ServerSideApply=true');
  });

  it('pins every add-on chart version and Argo CD itself', () => {
    for (const a of addonSets) {
      const chart = a.spec.template.spec.source ?? a.spec.template.spec.sources[0];
      expect(chart.targetRevision, a.metadata.name).toMatch(/^v?\d+\.\d+\.\d+/);
    }
    expect(objects.get('argocd/argocd-application.yaml').spec.source.targetRevision).toBe(fleet.argocd.chart.version);
  });

  it('configures the ApplicationSet controller so no ApplicationSet can delete an Application, identically for bootstrap and self-management', () => {
    const values = objects.get('argocd/bootstrap/argocd-values.yaml');
    expect(values.configs.params).toMatchObject({
      'applicationsetcontroller.policy': 'create-update',
      'applicationsetcontroller.enable.policy.override': false,
      'applicationsetcontroller.enable.leader.election': true,
      'applicationsetcontroller.enable.progressive.syncs': false,
    });
    expect(objects.get('argocd/argocd-application.yaml').spec.source.helm.valuesObject).toEqual(values);
  });

  it('registers every named cluster through an ExternalSecret with inventory labels, never a Secret', () => {
    const registrations = ofKind('ExternalSecret');
    expect(registrations.map((e) => e.metadata.name).sort()).toEqual(fleet.clusters.map((c) => `cluster-${c.name}`).sort());
    const gpu = registrations.find((e) => e.metadata.name === 'cluster-prod-gpu-us-east-1');
    expect(gpu.spec.target.template.metadata.labels).toMatchObject({
      'argocd.argoproj.io/secret-type': 'cluster',
      'streamfleet.io/environment': 'prod',
      'streamfleet.io/region': 'us-east-1',
      'streamfleet.io/capability-gpu': 'true',
    });
    expect(ofKind('Secret')).toEqual([]);
  });

  it('with progressive sync on: one ApplicationSet per stack, RollingSync steps in promotion order, each environment\'s prune', () => {
    const progressive = objectsOf({ ...fleet, argocd: { ...fleet.argocd, progressiveSync: true } });
    const sets = [...progressive.values()].filter((o) => o?.kind === 'ApplicationSet' && o.metadata.labels['streamfleet.io/stack']);
    expect(sets.map((s) => s.metadata.name).sort()).toEqual(['api-platform', 'monitoring', 'streaming', 'transcoding']);
    for (const s of sets) {
      const steps = s.spec.strategy.rollingSync.steps;
      expect(steps.map((st: Obj) => st.matchExpressions[0].values[0])).toEqual(['dev', 'staging', 'prod']);
      expect(steps.map((st: Obj) => st.maxUpdate)).toEqual(fleet.environments.map((e) => e.progressiveSync?.maxUpdate));
      expect(s.spec.template.metadata.labels['streamfleet.io/environment']).toBe('{{.environment}}');
      // RollingSync turns auto-sync off and prunes when automated.prune is true: the patch sets it per element.
      expect(s.spec.template.spec.syncPolicy.automated).toEqual({ allowEmpty: false, prune: false, selfHeal: false });
      expect(s.spec.templatePatch).toContain('prune: {{ .prune }}');
      const elements = s.spec.generators[0].list.elements as Obj[];
      for (const e of elements) {
        const env = fleet.environments.find((x) => x.name === e.environment)!;
        expect([e.autoSync, e.prune, e.selfHeal], e.cluster).toEqual([env.syncPolicy.automated ? 'true' : '', String(env.syncPolicy.prune), String(env.syncPolicy.selfHeal)]);
      }
    }
    expect(progressive.get('argocd/bootstrap/argocd-values.yaml').configs.params['applicationsetcontroller.enable.progressive.syncs']).toBe(true);
  });
});
