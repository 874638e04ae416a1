// Shared vocabulary of the Argo CD side: the root's sync waves, retry, sync options, destinations, metadata.
import type { IAppProject } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/AppProject';
import type { K8sObject } from '../components/component.ts';
import { LABEL_ENVIRONMENT, LABEL_STACK, MANAGED_BY } from '../lib/labels.ts';
import { ARGOCD_NAMESPACE } from '../lib/layout.ts';
import type { Cluster } from '../model/fleet.ts';

/**
 * The root Application's sync waves. Argo CD waits for every object of a wave to be healthy before it applies the
 * next one, and a Degraded object fails the sync (gitops-engine pkg/sync/sync_context.go at v3.4.4); only the last
 * wave is never waited on ("successful EVEN if those objects subsequently degrade"). So the earlier waves hold only
 * kinds Argo CD assesses no health for (AppProject, Application: gitops-engine pkg/health/health.go and
 * resource_customizations/ have none), and everything whose health one cluster can spoil — the ApplicationSets
 * (Degraded as soon as one generated Application is invalid, e.g. its cluster is not registered) and the cluster
 * registrations (ExternalSecrets, Degraded when the hub's store lacks an entry) — is in the last wave. One broken
 * cluster then degrades only its own Applications and never stops the root.
 *
 * Waves do not order the generated Applications among themselves: the ApplicationSet controller creates them and
 * each syncs on its own. A stack whose CRDs an add-on installs converges through SkipDryRunOnMissingResource and
 * unlimited retries on the latest revision (RETRY); `pnpm validate`'s first-sync simulation proves every cluster
 * converges that way.
 */
export const ROOT_WAVE = {
  /** AppProjects: every Application and ApplicationSet names one. */
  projects: -2,
  /** The self-managed Argo CD, after its own AppProject. */
  selfManagedArgoCd: -1,
  /** ApplicationSets and cluster registrations: the last wave, never waited on. */
  fleet: 0,
} as const;

export const IN_CLUSTER = 'https://kubernetes.default.svc';
export const SYNC_WAVE_ANNOTATION = 'argocd.argoproj.io/sync-wave';
export const SYNC_OPTIONS_ANNOTATION = 'argocd.argoproj.io/sync-options';

/**
 * Objects of the root that it must never delete: not when they leave Git (the root prunes, so that a renamed or
 * retired ApplicationSet goes away), not when the root itself is deleted with cascade. ApplicationSets are the
 * exception: deleting one only orphans its Applications (see APPSET_FINALIZERS).
 */
export const KEEP_ON_PRUNE_AND_DELETE = { [SYNC_OPTIONS_ANNOTATION]: 'Prune=false,Delete=false' } as const;

/**
 * Argo CD's resources finalizer on an ApplicationSet: when the set is deleted, the controller first removes the
 * Applications' ownerReferences if its policy forbids deleting them (create-update, enforced fleet-wide with policy
 * override off), so Kubernetes' garbage collector leaves them alone (applicationset_controller.go Reconcile at
 * v3.4.4; docs "How to prevent Application controller from deleting Applications when deleting ApplicationSet").
 * A foreground-cascading delete bypasses this; the README says so.
 */
export const APPSET_FINALIZERS = ['resources-finalizer.argocd.argoproj.io'] as const;

/**
 * Retry for ever, with backoff up to 5 minutes, each time on the newest revision: an Application whose CRDs another
 * Application installs converges when they arrive, and a fix pushed meanwhile is what the next attempt syncs
 * (limit < 0 is unlimited: controller/appcontroller.go; `refresh` exists since v3.2.0).
 */
export const RETRY = { limit: -1, refresh: true, backoff: { duration: '15s', factor: 2, maxDuration: '5m' } } as const;

export const waveAnnotation = (wave: number): Record<string, string> => ({ [SYNC_WAVE_ANNOTATION]: String(wave) });

export const argoMetadata = (
  name: string,
  extra: { labels?: Record<string, string>; wave?: number; annotations?: Record<string, string>; finalizers?: readonly string[] } = {},
): { name: string; namespace: string; labels: Record<string, string>; annotations?: Record<string, string>; finalizers?: string[] } => {
  const annotations = { ...(extra.wave !== undefined ? waveAnnotation(extra.wave) : {}), ...extra.annotations };
  return {
    name,
    namespace: ARGOCD_NAMESPACE,
    labels: { 'app.kubernetes.io/managed-by': MANAGED_BY, ...extra.labels },
    ...(Object.keys(annotations).length > 0 ? { annotations } : {}),
    ...(extra.finalizers !== undefined ? { finalizers: [...extra.finalizers] } : {}),
  };
};

/**
 * An AppProject of the root: created in the projects wave, never pruned or deleted by it (an Application whose
 * project disappears stops syncing).
 */
export const appProject = (name: string, spec: IAppProject['spec'], labels?: Record<string, string>): IAppProject & K8sObject => ({
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'AppProject',
  metadata: argoMetadata(name, { ...(labels !== undefined ? { labels } : {}), wave: ROOT_WAVE.projects, annotations: KEEP_ON_PRUNE_AND_DELETE }),
  spec,
});

/** List-generator fields for a destination: exactly one of name/server is non-empty (Argo CD treats "" as unset). */
export const destinationElement = (c: Cluster): { destinationName: string; destinationServer: string } => ({
  destinationName: c.destination.name ?? '',
  destinationServer: c.destination.server ?? '',
});

/** An AppProject destination entry for a cluster. */
export const projectDestination = (c: Cluster, namespace: string): Record<string, string> =>
  c.destination.name ? { name: c.destination.name, namespace } : { server: c.destination.server ?? IN_CLUSTER, namespace };

export const stackLabels = (stack: string, env?: string): Record<string, string> => ({
  [LABEL_STACK]: stack,
  ...(env ? { [LABEL_ENVIRONMENT]: env } : {}),
});
