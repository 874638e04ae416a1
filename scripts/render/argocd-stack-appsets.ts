// The stacks' ApplicationSets: one Application per (cluster, stack), syncing clusters/<cluster>/<stack>.
//
// Elements are written into the file (list generator): they cannot vanish when Git or an SCM API has an
// outage, which is how git/SCM/matrix generators have deleted fleets (argo-cd#18212, #22127, #14318).
// The project is never templated. Two shapes, chosen in the inventory:
// - default: one ApplicationSet per stack and environment, so each environment's sync policy is written
//   literally and a mistake in one environment's file cannot touch another;
// - progressive sync: one ApplicationSet per stack whose RollingSync steps follow the promotion order
//   (RollingSync only orders Applications of one ApplicationSet).
import type { IApplicationSet } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/ApplicationSet';
import type { Component, K8sObject } from '../components/component.ts';
import { stackNamespace } from '../components/stacks.ts';
import type { StackName } from '../inventory/schema.ts';
import { LABEL_CLUSTER, LABEL_ENVIRONMENT, LABEL_REGION } from '../lib/labels.ts';
import { ARGOCD_NAMESPACE, clusterStackPath } from '../lib/layout.ts';
import type { Cluster, Environment, Fleet } from '../model/fleet.ts';
import { APPSET_FINALIZERS, argoMetadata, destinationElement, RETRY, ROOT_WAVE, stackLabels } from './argocd-objects.ts';
import { fixedReplicas } from './render-overlays.ts';

const groupOf = (apiVersion: string): string => (apiVersion.includes('/') ? apiVersion.split('/')[0]! : '');

/**
 * Replicas an HPA owns must not show as drift (or self-heal would fight the autoscaler). Ignoring only the
 * fields the HPA's controller wrote keeps a Git change of a fixed replica count visible and applied.
 */
export const hpaIgnoreDifferences = (
  envs: readonly Environment[],
  components: readonly Component[],
): Array<{ group: string; kind: string; name: string; namespace: string; managedFieldsManagers: string[] }> =>
  components
    .filter((c) => envs.some((e) => fixedReplicas(c, e.apps[c.name] ?? {}) === undefined))
    .map((c) => ({
      group: groupOf(c.workload.apiVersion),
      kind: c.workload.kind,
      name: c.workload.name,
      namespace: stackNamespace(c.stack),
      managedFieldsManagers: ['kube-controller-manager'],
    }))
    .sort((a, b) => a.name.localeCompare(b.name));

/** Sync options of every stack Application. */
export const STACK_SYNC_OPTIONS = [
  // CRDs (Prometheus, ServiceMonitor, Certificate, …) come from add-ons in other Applications.
  'SkipDryRunOnMissingResource=true',
  'PruneLast=true',
] as const;

export interface StackAppSetInput {
  readonly fleet: Fleet;
  readonly stack: StackName;
  /** Environments covered, in promotion order. */
  readonly environments: readonly Environment[];
  readonly clusters: readonly Cluster[];
  readonly components: readonly Component[];
  readonly progressive: boolean;
}

export const stackAppSetName = (stack: string, env: Environment | undefined): string => (env ? `${stack}-${env.name}` : stack);

/**
 * Progressive sync: one ApplicationSet spans environments whose sync policies differ, and booleans cannot be
 * templated in spec.template (only strings are rendered), so each element carries its environment's policy as
 * text and this patch turns it into the typed fields. RollingSync turns the Applications' auto-sync off and
 * triggers their syncs itself, pruning only when the Application's automated.prune is true
 * (applicationset_controller.go syncDesiredApplications at v3.4.4): without this patch no environment would ever
 * prune. `automated: null` removes auto-sync where the environment has none (a strategic merge deletes nulls).
 */
export const ROLLING_SYNC_POLICY_PATCH = [
  'spec:',
  '  syncPolicy:',
  '{{- if .autoSync }}',
  '    automated:',
  '      prune: {{ .prune }}',
  '      selfHeal: {{ .selfHeal }}',
  '{{- else }}',
  '    automated: null',
  '{{- end }}',
  '',
].join('\n');

const policyElement = (env: Environment | undefined): Record<string, string> => ({
  autoSync: env?.syncPolicy.automated ? 'true' : '',
  prune: String(env?.syncPolicy.prune ?? false),
  selfHeal: String(env?.syncPolicy.selfHeal ?? false),
});

export const stackApplicationSet = (i: StackAppSetInput): IApplicationSet & K8sObject => {
  const single = i.progressive ? undefined : i.environments[0];
  const envOrder = new Map(i.environments.map((e) => [e.name, e.order]));
  const clusters = [...i.clusters].sort(
    (a, b) => (envOrder.get(a.environment) ?? 0) - (envOrder.get(b.environment) ?? 0) || a.name.localeCompare(b.name),
  );
  const envByName = new Map(i.environments.map((e) => [e.name, e]));
  const ignore = hpaIgnoreDifferences(i.environments, i.components);
  const sp = single?.syncPolicy;
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'ApplicationSet',
    metadata: argoMetadata(stackAppSetName(i.stack, single), { labels: stackLabels(i.stack, single?.name), wave: ROOT_WAVE.fleet, finalizers: APPSET_FINALIZERS }),
    spec: {
      goTemplate: true,
      goTemplateOptions: ['missingkey=error'],
      generators: [
        {
          list: {
            elements: clusters.map((c) => ({
              cluster: c.name,
              environment: c.environment,
              region: c.region,
              ...destinationElement(c),
              path: clusterStackPath(c.name, i.stack),
              ...(i.progressive ? policyElement(envByName.get(c.environment)) : {}),
            })),
          },
        },
      ],
      // Never delete Applications (create-update; the controller enforces it fleet-wide), and if one is deleted anyway
      // keep its resources running.
      syncPolicy: { applicationsSync: 'create-update', preserveResourcesOnDeletion: true },
      strategy: i.progressive
        ? {
            type: 'RollingSync',
            rollingSync: {
              steps: i.environments.map((e) => ({
                matchExpressions: [{ key: LABEL_ENVIRONMENT, operator: 'In', values: [e.name] }],
                ...(e.progressiveSync ? { maxUpdate: e.progressiveSync.maxUpdate } : {}),
              })),
            },
          }
        : undefined,
      template: {
        metadata: {
          name: `{{.cluster}}-${i.stack}`,
          namespace: ARGOCD_NAMESPACE,
          labels: {
            ...stackLabels(i.stack),
            [LABEL_CLUSTER]: '{{.cluster}}',
            [LABEL_ENVIRONMENT]: '{{.environment}}',
            [LABEL_REGION]: '{{.region}}',
          },
        },
        spec: {
          project: i.stack,
          source: { repoURL: i.fleet.git.repoURL, targetRevision: i.fleet.git.targetRevision, path: '{{.path}}' },
          destination: { name: '{{.destinationName}}', server: '{{.destinationServer}}', namespace: stackNamespace(i.stack) },
          ignoreDifferences: ignore.length > 0 ? ignore : undefined,
          syncPolicy: {
            // Under RollingSync each element's policy comes from ROLLING_SYNC_POLICY_PATCH; the controller keeps the
            // Applications' own auto-sync off and triggers their syncs step by step.
            automated: i.progressive ? { allowEmpty: false, prune: false, selfHeal: false } : sp?.automated ? { allowEmpty: false, prune: sp.prune, selfHeal: sp.selfHeal } : undefined,
            retry: RETRY,
            syncOptions: [...STACK_SYNC_OPTIONS],
          },
        },
      },
      templatePatch: i.progressive ? ROLLING_SYNC_POLICY_PATCH : undefined,
    },
  };
};
