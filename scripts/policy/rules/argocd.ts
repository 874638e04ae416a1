// Argo CD objects: least-privilege projects (no `*`), nothing in the default project, ApplicationSets that cannot
// render a wrong project or an empty value, and automated sync that never applies an empty tree.
import { checkApplicationSet, emptyListGenerators, externalGenerators } from '../../argocd/appset-checks.ts';
import { syncWaveOf } from '../../argocd/kube.ts';
import { arr, dig, obj, objs, str } from '../json.ts';
import type { AppContext, AppRule, RawFinding, RenderedObject } from '../types.ts';
import { groupOf } from '../workloads.ts';

// Sync options that keep a resource when Argo CD would delete (Application deleted) or prune it (file gone).
// Checked: argoproj/argo-cd @ v3.4.4 : gitops-engine/pkg/sync/common/types.go (SyncOptionDelete "Delete",
// SyncOptionPrune "Prune", values "false" and "confirm"; annotation argocd.argoproj.io/sync-options).
const SYNC_OPTIONS = 'argocd.argoproj.io/sync-options';
const KEEPS = (options: readonly string[], option: 'Delete' | 'Prune'): boolean => options.includes(`${option}=false`) || options.includes(`${option}=confirm`);
const syncOptionsOf = (o: RenderedObject): string[] =>
  (str(obj(obj(o.raw.metadata).annotations)[SYNC_OPTIONS]) ?? '')
    .split(',')
    .map((x) => x.trim())
    .filter((x) => x !== '');

/**
 * The deletion safety valves on data: a Namespace (deleting it deletes every PVC in it) or a PersistentVolumeClaim
 * must carry Delete=false|confirm and Prune=false|confirm, and a StatefulSet must not delete its claims.
 */
const dataProtection = (o: RenderedObject): RawFinding[] => {
  const group = groupOf(o.apiVersion);
  if ((o.kind === 'Namespace' || o.kind === 'PersistentVolumeClaim') && group === '') {
    const options = syncOptionsOf(o);
    const missing = (['Delete', 'Prune'] as const).filter((x) => !KEEPS(options, x));
    if (missing.length === 0) return [];
    const what = o.kind === 'Namespace' ? 'the namespace and every PersistentVolumeClaim in it' : 'the claim and its volume';
    return [{ rule: 'argocd/namespace-protection', object: o, field: `metadata.annotations["${SYNC_OPTIONS}"]`, message: `no ${missing.map((m) => `${m}=false or ${m}=confirm`).join(', ')}: Argo CD ${missing.includes('Delete') ? 'deletes' : 'prunes'} ${what} without asking` }];
  }
  if (o.kind === 'StatefulSet' && group === 'apps') {
    const policy = obj(obj(o.raw.spec).persistentVolumeClaimRetentionPolicy);
    return (['whenDeleted', 'whenScaled'] as const)
      .filter((k) => policy[k] === 'Delete')
      .map((k) => ({ rule: 'argocd/namespace-protection', object: o, field: `spec.persistentVolumeClaimRetentionPolicy.${k}`, message: `${k}: Delete removes the StatefulSet's volumes with it; keep Retain` }));
  }
  return [];
};

/** `pnpm apps`'s own checks of an ApplicationSet that validate's other rules do not already make, by rule id. */
const APPSET_CODE_RULES: Readonly<Record<string, string>> = {
  'applications-sync': 'argocd/applications-sync',
  'rolling-sync-operator': 'argocd/rolling-sync',
  'template-option': 'argocd/template-error',
};

/** ApplicationSet safety: deletion valves, generators that are empty or read outside this repository. */
const appSetSafety = (o: RenderedObject, ctx: AppContext): RawFinding[] => {
  const spec = obj(o.raw.spec);
  const out: RawFinding[] = [];
  for (const f of checkApplicationSet(o.raw, `ApplicationSet/${o.name}`)) {
    const rule = APPSET_CODE_RULES[f.code] ?? (f.code === 'allow-empty' && f.field === 'spec.templatePatch' ? 'argocd/allow-empty' : undefined);
    if (rule !== undefined) out.push({ rule, object: o, ...(f.field !== undefined ? { field: f.field } : {}), message: f.message });
  }
  // Checked: argoproj/argo-cd @ v3.4.4 : pkg/apis/application/v1alpha1/applicationset_types.go
  // (ApplicationSetSyncPolicy.PreserveResourcesOnDeletion, json preserveResourcesOnDeletion).
  if (dig(spec, 'syncPolicy', 'preserveResourcesOnDeletion') !== true) {
    out.push({ rule: 'argocd/preserve-resources', object: o, field: 'spec.syncPolicy.preserveResourcesOnDeletion', message: 'preserveResourcesOnDeletion is not true: when an Application of this set is deleted, Argo CD deletes every resource it deployed' });
  }
  for (const f of emptyListGenerators(spec)) out.push({ rule: 'argocd/appset-empty-list', object: o, field: f.field, message: f.message });
  for (const f of externalGenerators(spec, ctx.fleet.git.repoURL)) out.push({ rule: 'argocd/appset-external-generator', object: o, field: f.field, message: f.message });
  return out;
};

const syncWave = (o: RenderedObject): RawFinding[] => {
  const wave = syncWaveOf(o.raw);
  return wave.invalid === undefined ? [] : [{ rule: 'argocd/sync-wave', object: o, field: 'metadata.annotations["argocd.argoproj.io/sync-wave"]', message: `sync-wave ${JSON.stringify(wave.invalid)} is not an integer` }];
};

const isArgo = (o: RenderedObject, kind: string): boolean => o.kind === kind && groupOf(o.apiVersion) === 'argoproj.io';

const projectWildcards = (o: RenderedObject): RawFinding[] => {
  const spec = obj(o.raw.spec);
  const out: RawFinding[] = [];
  const flag = (field: string, what: string): void => void out.push({ rule: 'argocd/project-wildcard', object: o, field, message: `${what} is *` });
  arr(spec.sourceRepos).forEach((r, i) => r === '*' && flag(`spec.sourceRepos[${i}]`, 'a source repository'));
  arr(spec.sourceNamespaces).forEach((r, i) => r === '*' && flag(`spec.sourceNamespaces[${i}]`, 'a source namespace'));
  objs(spec.destinations).forEach((d, i) => {
    for (const k of ['server', 'name', 'namespace']) if (d[k] === '*') flag(`spec.destinations[${i}].${k}`, `destination ${k}`);
  });
  for (const list of ['clusterResourceWhitelist', 'namespaceResourceWhitelist']) {
    objs(spec[list]).forEach((e, i) => {
      if (e.group === '*' || e.kind === '*') flag(`spec.${list}[${i}]`, `a ${list} entry's ${e.kind === '*' ? 'kind' : 'group'}`);
    });
  }
  return out;
};

const syncFindings = (o: RenderedObject, appSpec: unknown, prefix: string): RawFinding[] => {
  const out: RawFinding[] = [];
  const project = str(obj(appSpec).project);
  if (project === undefined || project === '' || project === 'default') {
    out.push({ rule: 'argocd/default-project', object: o, field: `${prefix}.project`, message: `uses the default project${project === undefined ? ' (project unset)' : ''}` });
  }
  if (dig(appSpec, 'syncPolicy', 'automated', 'allowEmpty') === true) {
    out.push({ rule: 'argocd/allow-empty', object: o, field: `${prefix}.syncPolicy.automated.allowEmpty`, message: 'allowEmpty: true lets an empty render prune every resource' });
  }
  return out;
};

export const argocd: AppRule = (ctx) =>
  ctx.objects.flatMap((o): RawFinding[] => {
    if (isArgo(o, 'AppProject')) return projectWildcards(o);
    if (isArgo(o, 'Application')) return [...syncFindings(o, o.raw.spec, 'spec'), ...syncWave(o)];
    if (!isArgo(o, 'ApplicationSet')) return dataProtection(o);
    const spec = obj(o.raw.spec);
    const out = [...syncFindings(o, dig(spec, 'template', 'spec'), 'spec.template.spec'), ...syncWave(o), ...appSetSafety(o, ctx)];
    const project = str(dig(spec, 'template', 'spec', 'project')) ?? '';
    if (project.includes('{{') || project.includes('${')) {
      out.push({ rule: 'argocd/templated-project', object: o, field: 'spec.template.spec.project', message: `project ${project} is templated: an element could pick any project` });
    }
    const options = arr(spec.goTemplateOptions).map(String);
    if (spec.goTemplate !== true || !options.includes('missingkey=error')) {
      out.push({ rule: 'argocd/missingkey', object: o, field: 'spec.goTemplateOptions', message: 'needs goTemplate: true and goTemplateOptions [missingkey=error], or a missing key renders as an empty value' });
    }
    return out;
  });
