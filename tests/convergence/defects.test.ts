// Issue #14's eleven defects, each re-injected into a temp copy of the generated default fleet and caught by
// `pnpm validate`'s first-sync simulation with its own rule id. The pristine copy passes with no finding.
// Each case copies the pristine tree (with its validate build cache, so only the folders an edit touches are
// rebuilt) and runs validate in-process with --format json.
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isMap, isSeq, type Document, type YAMLMap } from 'yaml';

import { main as gen } from '../../scripts/cli/gen.ts';
import { main as validate } from '../../scripts/cli/validate.ts';
import { BUNDLED_CATALOGS } from '../../scripts/platform/chart-catalog/bundled.ts';
import type { ChartCatalog } from '../../scripts/platform/chart-catalog/index.ts';
import { captureIo, copyInventory, DEFAULT_INVENTORY, REPO_ROOT, removeDir, tempDir } from '../support/fleet.ts';
import { editYaml, generatedFleet, type JsonReport } from '../policy/tree.ts';

/** The catalog of argo-cd chart 7.7.11 (Argo CD v2.13.2, the version the fleet pinned before), for #3 and #7. */
const OLD_ARGOCD = JSON.parse(readFileSync(join(REPO_ROOT, 'tests/fixtures/chart-catalog/argo-cd-7.7.11.json'), 'utf8')) as ChartCatalog;

let pristine: string;
const temps: string[] = [];

interface Outcome {
  readonly code: number;
  readonly rules: string[];
  readonly findings: JsonReport['applications'][number]['findings'];
}

const run = async (root: string, charts: readonly ChartCatalog[] = BUNDLED_CATALOGS): Promise<Outcome> => {
  const io = captureIo();
  const code = await validate(['--root', root, '--format', 'json'], io.io, charts);
  if (code > 1) throw new Error(`validate exited ${code}: ${io.err()}`);
  const report = JSON.parse(io.out()) as JsonReport;
  // Blocking findings only: the shipped tree has WARN findings of its own (pod-security/user-ids, secrets/env, …),
  // and every rule of the simulation blocks.
  const findings = report.applications.flatMap((a) => a.findings).filter((f) => f.blocking);
  return { code, rules: [...new Set(findings.map((f) => f.rule))].sort(), findings };
};

const copy = async (): Promise<string> => {
  const root = await tempDir('defect');
  temps.push(root);
  cpSync(pristine, root, { recursive: true });
  return root;
};

const mapAt = (doc: Document, path: readonly (string | number)[]): YAMLMap => {
  const node = doc.getIn(path, true);
  if (!isMap(node)) throw new Error(`no map at ${path.join('.')}`);
  return node;
};

beforeAll(async () => {
  pristine = await generatedFleet('defects-pristine');
  // Prime the build cache the copies inherit.
  const outcome = await run(pristine);
  expect(outcome.findings).toEqual([]);
});
afterAll(async () => {
  for (const dir of [pristine, ...temps]) await removeDir(dir);
});

describe('the generated default fleet', () => {
  it('passes the first-sync simulation', async () => {
    const outcome = await run(pristine);
    expect(outcome).toMatchObject({ code: 0, rules: [] });
  });
});

describe('the simulation\'s other rules', () => {
  it('a kind nothing on the cluster serves: argocd/never-converges (and only that Application)', async () => {
    const root = await copy();
    editYaml(root, 'clusters/prod-us-east-1/streaming/kustomization.yaml', (doc) => {
      const resources = doc.get('resources', true);
      if (!isSeq(resources)) throw new Error('no resources');
      resources.add('route.yaml');
    });
    writeFileSync(
      join(root, 'clusters/prod-us-east-1/streaming/route.yaml'),
      'apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata:\n  name: hls\n  namespace: streaming\nspec: {}\n',
    );
    const outcome = await run(root);
    const never = outcome.findings.filter((f) => f.rule === 'argocd/never-converges');
    expect(never.map((f) => f.object)).toEqual(['Application/prod-us-east-1-streaming']);
    expect(never[0]?.message).toMatch(/gateway\.networking\.k8s\.io\/HTTPRoute is served neither/);
  });

  it('a finite retry where an Application waits for another\'s CRDs: argocd/retry-exhausts', async () => {
    const root = await copy();
    editYaml(root, 'apps/streaming-prod-applicationset.yaml', (doc) => doc.setIn(['spec', 'template', 'spec', 'syncPolicy', 'retry', 'limit'], 10));
    const outcome = await run(root);
    expect(outcome.rules).toEqual(['argocd/retry-exhausts']);
    expect(outcome.findings.map((f) => f.object)).toEqual(['Application/prod-eu-west-1-streaming', 'Application/prod-us-east-1-streaming']);
  });

  it('a template that does not render for one element: argocd/template-error, and the set generates nothing', async () => {
    const root = await copy();
    editYaml(root, 'apps/monitoring-dev-applicationset.yaml', (doc) => doc.setIn(['spec', 'template', 'metadata', 'labels', 'team'], '{{.team}}'));
    const outcome = await run(root);
    expect(outcome.rules).toContain('argocd/template-error');
    expect(outcome.findings.find((f) => f.rule === 'argocd/template-error')?.message).toMatch(/map has no entry for key "team"/);
  });

  it('a chart version without a catalog: argocd/objects-unknown', async () => {
    const root = await copy();
    editYaml(root, 'apps/addon-keda-applicationset.yaml', (doc) => doc.setIn(['spec', 'template', 'spec', 'source', 'targetRevision'], '2.99.0'));
    const outcome = await run(root);
    expect(outcome.rules).toContain('argocd/objects-unknown');
  });
});

describe('what only the expansion of the ApplicationSets sees (the Applications they generate)', () => {
  const DEV_MONITORING = 'apps/monitoring-dev-applicationset.yaml';
  const firstOf = (outcome: Outcome, rule: string): Outcome['findings'][number] | undefined => outcome.findings.find((f) => f.rule === rule);

  it('two ApplicationSets generating one Application name: argocd/application-duplicate', async () => {
    const root = await copy();
    editYaml(root, 'apps/streaming-dev-applicationset.yaml', (doc) => doc.setIn(['spec', 'template', 'metadata', 'name'], '{{.cluster}}-monitoring'));
    const outcome = await run(root);
    // validate builds the folder of one Application per name: the other one's objects are unknown too.
    expect(outcome.rules).toEqual(['argocd/application-duplicate', 'argocd/objects-unknown']);
    expect(firstOf(outcome, 'argocd/application-duplicate')).toMatchObject({
      object: 'Application/dev-k3d-monitoring',
      message: expect.stringMatching(/2 Applications are named argocd\/dev-k3d-monitoring: from ApplicationSet\/monitoring-dev, ApplicationSet\/streaming-dev|2 Applications are named argocd\/dev-k3d-monitoring: from ApplicationSet\/streaming-dev, ApplicationSet\/monitoring-dev/),
    });
  });

  it('a generated name that is not a DNS-1123 subdomain: argocd/application-name', async () => {
    const root = await copy();
    editYaml(root, DEV_MONITORING, (doc) => doc.setIn(['spec', 'template', 'metadata', 'name'], '{{.cluster}}_monitoring'));
    const outcome = await run(root);
    expect(outcome.rules).toEqual(['argocd/application-name']);
    expect(firstOf(outcome, 'argocd/application-name')).toMatchObject({ object: 'Application/dev-k3d_monitoring', message: expect.stringMatching(/not a DNS-1123 subdomain/) });
  });

  it('an AppProject the root does not hold: argocd/unknown-project', async () => {
    const root = await copy();
    editYaml(root, DEV_MONITORING, (doc) => doc.setIn(['spec', 'template', 'spec', 'project'], 'no-such-project'));
    const outcome = await run(root);
    expect(outcome.rules).toEqual(['argocd/unknown-project']);
    expect(firstOf(outcome, 'argocd/unknown-project')).toMatchObject({ object: 'Application/dev-k3d-monitoring', message: expect.stringMatching(/AppProject "no-such-project" is not among the root's objects/) });
  });

  it('a destination with both name and server: argocd/destination', async () => {
    const root = await copy();
    editYaml(root, DEV_MONITORING, (doc) => doc.setIn(['spec', 'generators', 0, 'list', 'elements', 0, 'destinationServer'], 'https://kubernetes.default.svc'));
    const outcome = await run(root);
    // Which cluster it lands on is unknown, so nothing there provides its kinds either.
    expect(outcome.rules).toEqual(['argocd/destination', 'argocd/never-converges']);
    expect(firstOf(outcome, 'argocd/destination')).toMatchObject({ object: 'Application/dev-k3d-monitoring', message: expect.stringMatching(/sets both name "dev-k3d" and server "https:\/\/kubernetes\.default\.svc"/) });
  });

  it('a source path missing from the repository: argocd/source', async () => {
    const root = await copy();
    editYaml(root, DEV_MONITORING, (doc) => doc.setIn(['spec', 'generators', 0, 'list', 'elements', 0, 'path'], 'clusters/dev-k3d/no-such-folder'));
    const outcome = await run(root);
    // A missing folder has no objects to know.
    expect(outcome.rules).toEqual(['argocd/objects-unknown', 'argocd/source']);
    expect(firstOf(outcome, 'argocd/source')).toMatchObject({ object: 'Application/dev-k3d-monitoring', message: expect.stringMatching(/path "clusters\/dev-k3d\/no-such-folder" does not exist in this repository/) });
  });
});

describe('each defect of #14, re-injected, is caught with its own rule', () => {
  it('#1 a templatePatch into helm.valuesObject (argo-cd#22850): argocd/template-patch', async () => {
    const root = await copy();
    editYaml(root, 'apps/addon-ingress-nginx-applicationset.yaml', (doc) => {
      const spec = mapAt(doc, ['spec', 'template', 'spec']);
      const sources = spec.get('sources', true);
      if (!isSeq(sources)) throw new Error('ingress-nginx has no sources');
      const chart = sources.items[0];
      spec.delete('sources');
      spec.set('source', chart);
      doc.setIn(['spec', 'template', 'spec', 'source', 'helm'], doc.createNode({ releaseName: 'ingress-nginx', valuesObject: { controller: { replicaCount: 2 } } }));
      doc.setIn(['spec', 'templatePatch'], 'spec:\n  source:\n    helm:\n      valuesObject:\n        controller:\n          service:\n            annotations:\n              a: "{{ .cluster }}"\n');
    });
    const outcome = await run(root);
    expect(outcome.rules).toContain('argocd/template-patch');
    expect(outcome.findings.find((f) => f.rule === 'argocd/template-patch')).toMatchObject({
      file: 'apps/addon-ingress-nginx-applicationset.yaml',
      message: expect.stringMatching(/RawExtension for the json field "controller"/),
    });
  });

  it('#2 the argocd AppProject without batch/Job (the chart\'s PreSync hook): argocd/project-denies', async () => {
    const root = await copy();
    editYaml(root, 'argocd/projects/argocd-appproject.yaml', (doc) => {
      const list = doc.getIn(['spec', 'namespaceResourceWhitelist'], true);
      if (!isSeq(list)) throw new Error('no whitelist');
      list.items = list.items.filter((i) => !(isMap(i) && i.get('kind') === 'Job'));
    });
    const outcome = await run(root);
    expect(outcome.rules).toEqual(['argocd/project-denies']);
    expect(outcome.findings[0]?.message).toMatch(/batch\/Job \(batch\/Job argocd\/argocd-redis-secret-init \(PreSync hook\)/);
  });

  it('#3 Application-level SkipDryRunOnMissingResource on Argo CD 2.13: argocd/skip-dry-run-ignored', async () => {
    const root = await copy();
    editYaml(root, 'inventory/fleet.yaml', (doc) => doc.setIn(['argocd', 'chart', 'version'], '7.7.11'));
    editYaml(root, 'argocd/argocd-application.yaml', (doc) => doc.setIn(['spec', 'source', 'targetRevision'], '7.7.11'));
    const outcome = await run(root, [...BUNDLED_CATALOGS.filter((c) => c.name !== 'argo-cd'), OLD_ARGOCD]);
    expect(outcome.rules).toContain('argocd/skip-dry-run-ignored');
    expect(outcome.findings.find((f) => f.rule === 'argocd/skip-dry-run-ignored')?.message).toMatch(/ignores SkipDryRunOnMissingResource/);
  });

  it('#4 an ApplicationSet without the resources finalizer, and policy override on: argocd/deletion-cascades', async () => {
    const root = await copy();
    editYaml(root, 'apps/streaming-prod-applicationset.yaml', (doc) => doc.deleteIn(['metadata', 'finalizers']));
    editYaml(root, 'argocd/argocd-application.yaml', (doc) =>
      doc.setIn(['spec', 'source', 'helm', 'valuesObject', 'configs', 'params', 'applicationsetcontroller.enable.policy.override'], true),
    );
    const outcome = await run(root);
    expect(outcome.rules).toEqual(['argocd/deletion-cascades']);
    expect(outcome.findings.map((f) => f.field)).toEqual(['spec.source.helm configs.params["applicationsetcontroller.enable.policy.override"]', 'metadata.finalizers']);
  });

  it('#5 a cluster registration in an earlier, health-gated wave: argocd/root-wave-held', async () => {
    const root = await copy();
    editYaml(root, 'argocd/clusters/cluster-prod-eu-west-1-externalsecret.yaml', (doc) => doc.setIn(['metadata', 'annotations', 'argocd.argoproj.io/sync-wave'], '-30'));
    const outcome = await run(root);
    expect(outcome.rules).toEqual(['argocd/root-wave-held']);
    expect(outcome.findings[0]).toMatchObject({ file: 'argocd/clusters/cluster-prod-eu-west-1-externalsecret.yaml', message: expect.stringMatching(/cluster prod-eu-west-1 alone/) });
  });

  it('#6 two ApplicationSet controllers without leader election: argocd/leader-election', async () => {
    const root = await copy();
    editYaml(root, 'argocd/argocd-application.yaml', (doc) =>
      doc.setIn(['spec', 'source', 'helm', 'valuesObject', 'configs', 'params', 'applicationsetcontroller.enable.leader.election'], false),
    );
    const outcome = await run(root);
    expect(outcome.rules).toContain('argocd/leader-election');
  });

  it('#7 Prune=confirm on Argo CD 2.13 (needs 2.14): argocd/feature-unsupported', async () => {
    const root = await copy();
    editYaml(root, 'inventory/fleet.yaml', (doc) => doc.setIn(['argocd', 'chart', 'version'], '7.7.11'));
    editYaml(root, 'argocd/argocd-application.yaml', (doc) => doc.setIn(['spec', 'source', 'targetRevision'], '7.7.11'));
    const outcome = await run(root, [...BUNDLED_CATALOGS.filter((c) => c.name !== 'argo-cd'), OLD_ARGOCD]);
    expect(outcome.rules).toContain('argocd/feature-unsupported');
    const messages = outcome.findings.filter((f) => f.rule === 'argocd/feature-unsupported').map((f) => f.message);
    expect(messages).toContainEqual(expect.stringMatching(/Prune=confirm.*needs Argo CD >= 2\.14\.0, pinned 2\.13\.2/));
  });

  it('#8 the Istio validators without their pinned failurePolicy (istiod rewrites it): argocd/runtime-drift', async () => {
    const root = await copy();
    editYaml(root, 'apps/addon-istiod-applicationset.yaml', (doc) => doc.deleteIn(['spec', 'template', 'spec', 'source', 'helm', 'valuesObject', 'base']));
    const outcome = await run(root);
    expect(outcome.rules).toEqual(['argocd/runtime-drift']);
    expect(outcome.findings[0]?.message).toMatch(/istio-validator-istio-system: \.webhooks\[\]\?\.failurePolicy is rewritten/);
  });

  it('#9 a root that does not prune retired ApplicationSets: argocd/appset-retirement', async () => {
    const root = await copy();
    editYaml(root, 'argocd/bootstrap/root-application.yaml', (doc) => doc.setIn(['spec', 'syncPolicy', 'automated', 'prune'], false));
    const outcome = await run(root);
    expect(outcome.rules).toEqual(['argocd/appset-retirement']);
  });

  it('#9 RollingSync without the per-environment prune: argocd/rolling-sync-prune', async () => {
    const root = await tempDir('defect-progressive');
    temps.push(root);
    const inventory = await copyInventory(DEFAULT_INVENTORY, root);
    editYaml(root, 'inventory/fleet.yaml', (doc) => doc.setIn(['argocd', 'progressiveSync'], true));
    const io = captureIo();
    expect(await gen(['--out', root, '--inventory', inventory], io.io)).toBe(0);
    expect((await run(root)).rules).toEqual([]);
    editYaml(root, 'apps/streaming-applicationset.yaml', (doc) => doc.deleteIn(['spec', 'templatePatch']));
    const outcome = await run(root);
    expect(outcome.rules).toEqual(['argocd/rolling-sync-prune']);
    // dev and staging prune; prod does not.
    expect(outcome.findings.map((f) => f.object)).toEqual(['Application/dev-k3d-streaming', 'Application/staging-eu-west-1-streaming']);
  });

  it('#10 the self-managed Argo CD before its AppProject: argocd/wave-order', async () => {
    const root = await copy();
    editYaml(root, 'argocd/argocd-application.yaml', (doc) => doc.setIn(['metadata', 'annotations', 'argocd.argoproj.io/sync-wave'], '-30'));
    const outcome = await run(root);
    expect(outcome.rules).toEqual(['argocd/wave-order']);
  });

  it('#11 a templatePatch value YAML 1.1 reads as a boolean: argocd/template-patch-yaml11', async () => {
    const root = await copy();
    editYaml(root, 'apps/addon-keda-applicationset.yaml', (doc) => doc.setIn(['spec', 'templatePatch'], 'metadata:\n  annotations:\n    streamfleet.io/canary: on\n'));
    const outcome = await run(root);
    expect(outcome.rules).toContain('argocd/template-patch-yaml11');
    expect(outcome.findings.find((f) => f.rule === 'argocd/template-patch-yaml11')?.message).toMatch(/YAML 1\.1 reads true, YAML 1\.2 "on"/);
  });
});
