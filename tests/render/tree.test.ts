// Structural properties of the rendered default fleet, checked on the file set (no Kustomize needed).
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { PLATFORM_CONFIG_DIR } from '../../scripts/lib/layout.ts';
import { renderFleet } from '../../scripts/render/render-fleet.ts';
import { DEFAULT_INVENTORY, loadFleet } from '../support/fleet.ts';

const dirOf = (p: string): string => p.slice(0, p.lastIndexOf('/'));
const join = (dir: string, rel: string): string => {
  const parts = dir.split('/');
  for (const seg of rel.split('/')) {
    if (seg === '..') parts.pop();
    else if (seg !== '.') parts.push(seg);
  }
  return parts.join('/');
};

describe('rendered tree (default fleet)', async () => {
  const fleet = await loadFleet(DEFAULT_INVENTORY);
  const files = renderFleet(fleet);
  const byPath = new Map(files.map((f) => [f.path, f.content]));
  const kustomizations = files.filter((f) => f.path.endsWith('/kustomization.yaml'));

  it('lists in every kustomization exactly the resource files of its folder, and only folders that exist', () => {
    for (const k of kustomizations) {
      const dir = dirOf(k.path);
      const doc = parse(k.content) as { resources?: string[]; components?: string[] };
      const refs = [...(doc.resources ?? []), ...(doc.components ?? [])];
      const localFiles = refs.filter((r) => r.endsWith('.yaml'));
      // Files this kustomization owns: under its folder, with no nearer kustomization.yaml above them.
      const owner = (p: string): string => {
        for (let d = dirOf(p); d.length > 0; d = d.includes('/') ? dirOf(d) : '') {
          if (byPath.has(`${d}/kustomization.yaml`)) return d;
        }
        return '';
      };
      const siblings = files
        .map((f) => f.path)
        .filter((p) => p.endsWith('.yaml') && !p.endsWith('/kustomization.yaml') && owner(p) === dir)
        // Only Kubernetes objects are resources; e.g. the Helm values file of the bootstrap is not.
        .filter((p) => parseAllDocuments(byPath.get(p)!).some((d) => 'kind' in (d.toJS() as object)));
      expect(localFiles.map((r) => `${dir}/${r}`).sort(), k.path).toEqual(siblings.sort());
      for (const r of refs.filter((x) => !x.endsWith('.yaml'))) {
        expect(byPath.has(`${join(dir, r)}/kustomization.yaml`), `${k.path} → ${r}`).toBe(true);
      }
    }
  });

  it('has one clusters/<cluster>/<stack> folder per (cluster, stack) in the inventory, plus each cluster\'s platform config, and no other', () => {
    const expected = fleet.clusters
      .flatMap((c) => [...c.stacks, PLATFORM_CONFIG_DIR].map((s) => `clusters/${c.name}/${s}/kustomization.yaml`))
      .sort();
    expect(kustomizations.map((k) => k.path).filter((p) => p.startsWith('clusters/')).sort()).toEqual(expected);
  });

  it('runs GPU workers only on clusters with the gpu capability', () => {
    for (const c of fleet.clusters.filter((x) => x.stacks.includes('transcoding'))) {
      const k = byPath.get(`clusters/${c.name}/transcoding/kustomization.yaml`)!;
      expect(k.includes('transcode-worker-gpu'), c.name).toBe(c.capabilities.includes('gpu'));
    }
  });

  it('never sets replicas for an app an HPA owns, and always sets them otherwise', () => {
    for (const env of fleet.environments) {
      for (const f of files.filter((x) => x.path.startsWith(`overlays/${env.name}/`) && x.path.endsWith('/kustomization.yaml'))) {
        const app = f.path.split('/')[3]!;
        const doc = parse(f.content) as { replicas?: unknown[]; resources?: string[]; patches?: Array<{ patch: string }> };
        const hpa = env.apps[app]?.autoscaling !== undefined;
        const setsReplicas = (doc.replicas?.length ?? 0) > 0 || (doc.patches ?? []).some((p) => p.patch.includes('/spec/replicas'));
        expect(setsReplicas, f.path).toBe(!hpa);
        // The default scaler is an HPA; queue consumers bring their own (a KEDA ScaledObject, which owns an HPA).
        expect((doc.resources ?? []).some((r) => /-(horizontalpodautoscaler|scaledobject)\.yaml$/.test(r)), f.path).toBe(hpa);
      }
    }
  });

  it('writes ApplicationSets that cannot mass-delete and never template the project', () => {
    const appSets = files.filter((f) => f.path.startsWith('apps/') && f.path.endsWith('-applicationset.yaml'));
    expect(appSets.length).toBeGreaterThan(0);
    for (const f of appSets) {
      const a = parse(f.content);
      expect(a.spec.goTemplate, f.path).toBe(true);
      expect(a.spec.goTemplateOptions, f.path).toEqual(['missingkey=error']);
      expect(a.spec.syncPolicy, f.path).toEqual({ applicationsSync: 'create-update', preserveResourcesOnDeletion: true });
      expect(a.spec.template.spec.project, f.path).not.toContain('{{');
      expect(JSON.stringify(a), f.path).not.toContain('allowEmpty":true');
      for (const el of a.spec.generators[0].list.elements.filter((e: { path?: string }) => e.path !== undefined)) {
        expect(byPath.has(`${el.path}/kustomization.yaml`), `${f.path}: ${el.path}`).toBe(true);
      }
    }
  });

  it('writes AppProjects without wildcards', () => {
    for (const f of files.filter((x) => x.path.startsWith('argocd/projects/'))) {
      expect(f.content, f.path).not.toMatch(/['"]?\*['"]?\s*$/m);
      expect(parse(f.content).metadata.name, f.path).not.toBe('default');
    }
  });

  it('pins every image of every environment through the overlays, never in base', () => {
    for (const f of files.filter((x) => x.path.startsWith('base/'))) {
      expect(f.content, f.path).not.toMatch(/image: \S+:\S+/);
    }
  });
});
