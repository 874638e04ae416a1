// Shared vocabulary of the Argo CD side: sync waves, sync options, destinations, object metadata.
import { LABEL_ENVIRONMENT, LABEL_STACK, MANAGED_BY } from '../lib/labels.ts';
import { ARGOCD_NAMESPACE } from '../lib/layout.ts';
import type { Cluster } from '../model/fleet.ts';

/**
 * The root Application applies its objects in sync-wave order: projects before the ApplicationSets that use
 * them, add-ons (CRDs and operators) before the stacks. Waves are spaced so add-ons can be ordered among themselves. Waves order creation only; stack Applications also
 * skip the dry run of kinds whose CRD an add-on has not installed yet and retry until it has.
 */
export const SYNC_WAVE = {
  projects: -20,
  /** First add-on wave: add-ons take `addons + depth` in their dependency graph (scripts/platform/addon-order.ts). */
  addons: -10,
  /** Per-cluster platform config (ClusterIssuers, ClusterSecretStore): after every add-on, before the stacks. */
  platformConfig: -2,
  stacks: 0,
  clusterSecrets: -30,
  selfManagedArgoCd: -30,
} as const;

export const IN_CLUSTER = 'https://kubernetes.default.svc';
export const SYNC_WAVE_ANNOTATION = 'argocd.argoproj.io/sync-wave';

/** Retry with backoff: a stack whose CRDs are still being installed by an add-on converges on its own. */
export const RETRY = { limit: 10, backoff: { duration: '15s', factor: 2, maxDuration: '5m' } } as const;

export const waveAnnotation = (wave: number): Record<string, string> => ({ [SYNC_WAVE_ANNOTATION]: String(wave) });

export const argoMetadata = (
  name: string,
  extra: { labels?: Record<string, string>; wave?: number } = {},
): { name: string; namespace: string; labels: Record<string, string>; annotations?: Record<string, string> } => ({
  name,
  namespace: ARGOCD_NAMESPACE,
  labels: { 'app.kubernetes.io/managed-by': MANAGED_BY, ...extra.labels },
  ...(extra.wave !== undefined ? { annotations: waveAnnotation(extra.wave) } : {}),
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
