// Built objects (Kustomize output, the root's argocd/) as the simulation sees them: kind, scope, phase, wave, the
// sync options of their annotation, and the kind a CustomResourceDefinition serves.
import { getIn, isObject, objectId, stringAt, syncWaveOf, type JsonObject } from '../argocd/kube.ts';
import { isClusterScoped } from '../schemas/scope.ts';
import type { SimObject } from './types.ts';

const ARGO_HOOK = 'argocd.argoproj.io/hook';
const HELM_HOOK = 'helm.sh/hook';
const SYNC_OPTIONS = 'argocd.argoproj.io/sync-options';

/**
 * Argo CD's phase of an object: its own hook annotation wins; Helm hooks map pre-install/pre-upgrade to PreSync and
 * post-install/post-upgrade to PostSync (Argo CD's helm hook mapping, gitops-engine pkg/sync/hook/helm).
 */
export const phaseOf = (argoHook: string | undefined, helmHook: string | undefined): SimObject['phase'] => {
  const argo = (argoHook ?? '').split(',').map((s) => s.trim());
  if (argo.includes('PreSync')) return 'PreSync';
  if (argo.includes('PostSync')) return 'PostSync';
  if (argo.includes('Sync')) return 'Sync';
  const helm = (helmHook ?? '').split(',').map((s) => s.trim());
  if (helm.some((h) => h === 'pre-install' || h === 'pre-upgrade')) return 'PreSync';
  if (helm.some((h) => h === 'post-install' || h === 'post-upgrade')) return 'PostSync';
  return 'Sync';
};

export const toSimObject = (o: JsonObject, defaultNamespace: string | undefined): SimObject => {
  const id = objectId(o);
  const apiVersion = typeof o.apiVersion === 'string' ? o.apiVersion : '';
  const namespaced = !isClusterScoped(apiVersion, id.kind);
  const options = stringAt(o, ['metadata', 'annotations', SYNC_OPTIONS]);
  const crdGroup = getIn(o, ['spec', 'group']);
  const crdKind = getIn(o, ['spec', 'names', 'kind']);
  return {
    group: id.group,
    kind: id.kind,
    name: id.name,
    namespace: namespaced ? (id.namespace ?? defaultNamespace) : undefined,
    namespaced,
    phase: phaseOf(stringAt(o, ['metadata', 'annotations', ARGO_HOOK]), stringAt(o, ['metadata', 'annotations', HELM_HOOK])),
    wave: syncWaveOf(o).wave,
    syncOptions: options === undefined ? [] : options.split(',').map((s) => s.trim()).filter((s) => s !== ''),
    ...(id.group === 'apiextensions.k8s.io' && id.kind === 'CustomResourceDefinition' && typeof crdGroup === 'string' && typeof crdKind === 'string'
      ? { defines: { group: crdGroup, kind: crdKind } }
      : {}),
  };
};

export const toSimObjects = (objects: readonly unknown[], defaultNamespace: string | undefined): SimObject[] =>
  objects.filter(isObject).map((o) => toSimObject(o, defaultNamespace));
