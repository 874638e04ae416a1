// Handmade Argo CD objects for expansion tests: a root Application, AppProjects and ApplicationSets, each a
// fresh plain object so a test can change one field without touching the others.
import type { ExpandOptions } from '../../scripts/argocd/expand.ts';

export type Obj = Record<string, unknown>;

export const REPO = 'https://github.com/acme/gitops.git';

export const rootApp = (): Obj => ({
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Application',
  metadata: { name: 'root', namespace: 'argocd' },
  spec: {
    project: 'bootstrap',
    destination: { server: 'https://kubernetes.default.svc', namespace: 'argocd' },
    source: { repoURL: REPO, path: 'argocd', targetRevision: 'main' },
    syncPolicy: { automated: { prune: false, selfHeal: true } },
  },
});

export const project = (name: string, destinations: Obj[], sourceRepos: string[] = [REPO]): Obj => ({
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'AppProject',
  metadata: { name, namespace: 'argocd' },
  spec: { destinations, sourceRepos },
});

export const bootstrapProject = (): Obj => project('bootstrap', [{ server: 'https://kubernetes.default.svc', namespace: 'argocd' }]);
export const webProject = (): Obj => project('web', [{ name: 'c1', namespace: 'web' }, { name: 'c2', namespace: 'web' }]);

export interface AppSetSpec {
  generators: unknown[];
  goTemplate?: boolean;
  goTemplateOptions?: string[];
  syncPolicy?: Obj;
  template: Obj & { metadata: Obj & { labels?: Obj }; spec: Obj & { syncPolicy?: Obj; source?: Obj; destination?: Obj } };
  templatePatch?: string;
  strategy?: Obj;
}

export const elements = (...clusters: string[]): Obj[] => clusters.map((c) => ({ cluster: c, path: `clusters/${c}/web`, env: 'prod' }));

/** ApplicationSet `name` over clusters c1 and c2; `edit` changes the spec in place. */
export const appSet = (name = 'web', edit: (spec: AppSetSpec, metadata: Obj) => void = () => {}): Obj => {
  const metadata: Obj = { name, namespace: 'argocd' };
  const spec: AppSetSpec = {
    generators: [{ list: { elements: elements('c1', 'c2') } }],
    goTemplate: true,
    goTemplateOptions: ['missingkey=error'],
    syncPolicy: { applicationsSync: 'create-update', preserveResourcesOnDeletion: true },
    template: {
      metadata: { name: '{{.cluster}}-web', namespace: 'somewhere-else', labels: { 'example.com/cluster': '{{.cluster}}', 'example.com/env': '{{.env}}' } },
      spec: {
        project: 'web',
        destination: { name: '{{.cluster}}', server: '', namespace: 'web' },
        source: { repoURL: REPO, targetRevision: 'main', path: '{{.path}}' },
        syncPolicy: { automated: { prune: true, selfHeal: true }, syncOptions: ['PruneLast=true'] },
      },
    },
  };
  edit(spec, metadata);
  return { apiVersion: 'argoproj.io/v1alpha1', kind: 'ApplicationSet', metadata, spec };
};

/** A fleet that expands without findings: root, its project, the web project and one ApplicationSet. */
export const cleanFleet = (): Obj[] => [rootApp(), bootstrapProject(), webProject(), appSet()];

/** Folders that exist in the pretend repository. */
export const folders = (...extra: string[]): ExpandOptions => {
  const dirs = new Set(['.', 'argocd', 'clusters/c1/web', 'clusters/c2/web', 'clusters/c3/web', ...extra]);
  return { isDirectory: (p) => dirs.has(p) };
};
