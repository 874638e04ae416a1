// Every Argo CD feature the generated tree can use, with the first Argo CD release whose source implements it, and a
// detector that lists the features a set of manifests uses. The point is the failure mode: an older Argo CD does
// not reject most of these, it ignores them (a sync option it does not know is just a string; a field its CRD
// lacks is pruned by the API server), so a pin that is too old breaks safety settings without a word.
//
// Each minimum was read in the upstream history (argoproj/argo-cd, and argoproj/gitops-engine for the sync engine
// Argo CD vendored until v3.3.0 moved it in-tree): the commit that added the code, the first release tag that
// contains it, and the code at the tag before. Evidence reads `repo@commit file (first tag)`.
import { parse as parseYaml } from 'yaml';

import { fieldPath, getIn, isArgoKind, isObject, objectId, stringMapAt, type JsonObject } from './kube.ts';

export type FeatureArea =
  | 'sync-option'
  | 'resource-sync-option'
  | 'annotation'
  | 'application'
  | 'applicationset'
  | 'appproject'
  | 'controller-param'
  | 'cluster-secret';

export interface ArgoCdFeature {
  readonly id: string;
  readonly area: FeatureArea;
  readonly summary: string;
  /** Where the feature is written in a manifest. */
  readonly appearsIn: string;
  /** First release (semver, no `v`) whose source implements the feature; every later release has it. */
  readonly minVersion: string;
  /** Patch releases of an older minor line that got the feature too (the line from that patch on). */
  readonly backports?: readonly string[];
  readonly evidence: string;
  /** What a release older than minVersion does with it. */
  readonly onOlder: string;
}

// A field its CRD does not declare: Argo CD's apply sets no strict field validation (gitops-engine
// pkg/utils/kube/resource_ops.go leaves ApplyOptions.ValidationDirective empty), so the API server prunes the field
// on write; argoproj/argo-cd#17135 reports exactly that for a synced custom resource.
const UNKNOWN_FIELD = 'field not in that release\'s CRD: the API server prunes it when Argo CD applies the object, so it does nothing';
// Before v2.0.0 the CRDs were apiextensions v1beta1, which keep fields they do not declare.
const OLD_UNKNOWN_FIELD = 'field unknown to that release: its v1beta1 CRD stores it, the controller ignores it';
const IGNORED_OPTION = 'ignored silently: syncOptions is a free list of strings and the controller only acts on the ones it knows';
const IGNORED_ANNOTATION_OPTION = 'ignored silently: an option the sync-options annotation parser does not know';

export const ARGOCD_FEATURES = [
  // Sync options in spec.syncPolicy.syncOptions (an ApplicationSet template's too). Argo CD matches them exactly.
  {
    id: 'app-sync-skip-dry-run-on-missing-resource',
    area: 'sync-option',
    summary: 'SkipDryRunOnMissingResource=true for every resource of the Application',
    appearsIn: 'spec.syncPolicy.syncOptions',
    minVersion: '3.1.0',
    evidence: 'argoproj/argo-cd@2bd2488989 controller/sync.go passes sync.WithSkipDryRunOnMissingResource (first tag v3.1.0); the engine switch argoproj/gitops-engine@d65e9d9227 was vendored from v3.0.3 but controller/sync.go of every v3.0.x never sets it',
    onOlder: 'ignored silently: only the per-resource annotation (or the CRD being part of the same sync) skips the dry run, so a custom resource whose CRD is not installed yet fails the dry run and the whole sync applies nothing',
  },
  {
    id: 'app-sync-create-namespace',
    area: 'sync-option',
    summary: 'CreateNamespace=true: create the destination namespace',
    appearsIn: 'spec.syncPolicy.syncOptions',
    minVersion: '1.7.0',
    evidence: 'argoproj/argo-cd@067dcce88d controller/sync.go (first tag v1.7.0), with argoproj/gitops-engine@3c545080c9 namespace modifier',
    onOlder: `${IGNORED_OPTION}; namespaced resources fail because the namespace does not exist`,
  },
  {
    id: 'app-sync-server-side-apply',
    area: 'sync-option',
    summary: 'ServerSideApply=true: apply every resource server-side',
    appearsIn: 'spec.syncPolicy.syncOptions',
    minVersion: '2.5.0',
    evidence: 'argoproj/argo-cd@22a3b02a2d controller/sync.go sync.WithServerSideApply (first tag v2.5.0; v2.4.x controller/sync.go has no such call)',
    onOlder: `${IGNORED_OPTION}; client-side apply stores last-applied-configuration, which fails for large objects (CRDs) with "metadata.annotations: Too long"`,
  },
  {
    id: 'app-sync-prune-last',
    area: 'sync-option',
    summary: 'PruneLast=true: prune after every other wave',
    appearsIn: 'spec.syncPolicy.syncOptions',
    minVersion: '2.0.0',
    evidence: 'argoproj/argo-cd@f5b9704267 controller/sync.go sync.WithPruneLast (first tag v2.0.0), argoproj/gitops-engine@82f0935363',
    onOlder: `${IGNORED_OPTION}; pruning runs in the normal wave order`,
  },
  {
    id: 'app-sync-replace',
    area: 'sync-option',
    summary: 'Replace=true: kubectl replace/create instead of apply',
    appearsIn: 'spec.syncPolicy.syncOptions',
    minVersion: '2.0.0',
    evidence: 'argoproj/argo-cd@439963f4c9 controller/sync.go sync.WithReplace (first tag v2.0.0)',
    onOlder: `${IGNORED_OPTION}; resources are applied`,
  },
  {
    id: 'app-sync-respect-ignore-differences',
    area: 'sync-option',
    summary: 'RespectIgnoreDifferences=true: keep ignored fields out of the sync too',
    appearsIn: 'spec.syncPolicy.syncOptions',
    minVersion: '2.3.0',
    evidence: 'argoproj/argo-cd@6240ef00e7 controller/sync.go (first tag v2.3.0)',
    onOlder: `${IGNORED_OPTION}; a sync overwrites the fields ignoreDifferences hides from the diff`,
  },
  {
    id: 'app-sync-apply-out-of-sync-only',
    area: 'sync-option',
    summary: 'ApplyOutOfSyncOnly=true: apply only resources that differ',
    appearsIn: 'spec.syncPolicy.syncOptions',
    minVersion: '2.0.0',
    evidence: 'argoproj/argo-cd@baa0f2e39c controller/sync.go sync.WithResourceModificationChecker (first tag v2.0.0)',
    onOlder: `${IGNORED_OPTION}; every resource is applied on each sync`,
  },
  {
    id: 'app-sync-fail-on-shared-resource',
    area: 'sync-option',
    summary: 'FailOnSharedResource=true: fail when another Application already manages a resource',
    appearsIn: 'spec.syncPolicy.syncOptions',
    minVersion: '2.2.0',
    evidence: 'argoproj/argo-cd@970bb80b28 controller/sync.go (first tag v2.2.0)',
    onOlder: `${IGNORED_OPTION}; the resource is taken over with only a SharedResourceWarning`,
  },
  {
    id: 'app-sync-prune-propagation-policy',
    area: 'sync-option',
    summary: 'PrunePropagationPolicy=foreground|background|orphan',
    appearsIn: 'spec.syncPolicy.syncOptions',
    minVersion: '2.0.0',
    evidence: 'argoproj/argo-cd@d957ab467e controller/sync.go (first tag v2.0.0)',
    onOlder: `${IGNORED_OPTION}; the default propagation is used`,
  },
  {
    id: 'app-sync-validate-false',
    area: 'sync-option',
    summary: 'Validate=false: apply without kubectl validation',
    appearsIn: 'spec.syncPolicy.syncOptions',
    minVersion: '1.5.0',
    evidence: 'argoproj/argo-cd@ebc048167c controller/sync.go and the syncOptions field itself (first tag v1.5.0)',
    onOlder: `spec.syncPolicy.syncOptions does not exist yet: ${OLD_UNKNOWN_FIELD}`,
  },
  {
    id: 'app-sync-prune-false',
    area: 'sync-option',
    summary: 'Prune=false at Application level: never prune any resource',
    appearsIn: 'spec.syncPolicy.syncOptions',
    minVersion: '3.4.0',
    evidence: 'argoproj/argo-cd@b7e2027f35 controller/sync.go sync.WithDefaultPruneOption, gitops-engine/pkg/sync/sync_context.go (first tag v3.4.0)',
    onOlder: `${IGNORED_OPTION}; before v3.4.0 Prune=false is read only from each resource's sync-options annotation, so resources are pruned`,
  },
  {
    id: 'app-sync-prune-confirm',
    area: 'sync-option',
    summary: 'Prune=confirm at Application level: every prune waits for confirmation',
    appearsIn: 'spec.syncPolicy.syncOptions',
    minVersion: '3.4.0',
    evidence: 'argoproj/argo-cd@b7e2027f35 gitops-engine/pkg/sync/sync_context.go objRequiresPruneConfirmation (first tag v3.4.0)',
    onOlder: `${IGNORED_OPTION}; resources are pruned without confirmation`,
  },
  {
    id: 'app-sync-delete-false',
    area: 'sync-option',
    summary: 'Delete=false at Application level: keep every resource when the Application is deleted',
    appearsIn: 'spec.syncPolicy.syncOptions',
    minVersion: '3.4.0',
    evidence: 'argoproj/argo-cd@b7e2027f35 controller/appcontroller.go shouldBeDeleted reads spec.syncPolicy.syncOptions (first tag v3.4.0)',
    onOlder: `${IGNORED_OPTION}; a cascading Application deletion deletes the resources`,
  },
  {
    id: 'app-sync-delete-confirm',
    area: 'sync-option',
    summary: 'Delete=confirm at Application level: Application deletion waits for confirmation',
    appearsIn: 'spec.syncPolicy.syncOptions',
    minVersion: '3.4.0',
    evidence: 'argoproj/argo-cd@b7e2027f35 controller/state.go RequiresDeletionConfirmation from the Application option (first tag v3.4.0)',
    onOlder: `${IGNORED_OPTION}; a cascading Application deletion deletes without confirmation`,
  },

  // Options in the argocd.argoproj.io/sync-options annotation of a resource (comma separated, trimmed).
  {
    id: 'resource-sync-skip-dry-run-on-missing-resource',
    area: 'resource-sync-option',
    summary: 'SkipDryRunOnMissingResource=true on one resource',
    appearsIn: 'metadata.annotations["argocd.argoproj.io/sync-options"]',
    minVersion: '1.5.3',
    evidence: 'argoproj/argo-cd@8d082cc46e controller/sync.go (first tags v1.5.3, v1.6.0)',
    onOlder: `${IGNORED_ANNOTATION_OPTION}; the dry run fails while the CRD is missing`,
  },
  {
    id: 'resource-sync-prune-false',
    area: 'resource-sync-option',
    summary: 'Prune=false: never prune this resource',
    appearsIn: 'metadata.annotations["argocd.argoproj.io/sync-options"]',
    minVersion: '1.1.0',
    evidence: 'argoproj/argo-cd@00889551e7 controller/sync.go (first tag v1.1.0)',
    onOlder: `${IGNORED_ANNOTATION_OPTION}; the resource is pruned`,
  },
  {
    id: 'resource-sync-prune-confirm',
    area: 'resource-sync-option',
    summary: 'Prune=confirm: pruning this resource waits for confirmation',
    appearsIn: 'metadata.annotations["argocd.argoproj.io/sync-options"]',
    minVersion: '2.14.0',
    evidence: 'argoproj/gitops-engine@09e5225f84 pkg/sync/sync_context.go SyncOptionPruneRequireConfirm, wired by argoproj/argo-cd@7c9bd2d2d3 controller/sync.go WithPruneConfirmed (first tag v2.14.0; no v2.13.x has either)',
    onOlder: `${IGNORED_ANNOTATION_OPTION}; the resource is pruned without confirmation whenever its Application prunes`,
  },
  {
    id: 'resource-sync-delete-false',
    area: 'resource-sync-option',
    summary: 'Delete=false: keep this resource when its Application is deleted',
    appearsIn: 'metadata.annotations["argocd.argoproj.io/sync-options"]',
    minVersion: '2.7.0',
    evidence: 'argoproj/argo-cd@b6cfe676f3 controller/appcontroller.go shouldBeDeleted (first tag v2.7.0; the engine constant reached v2.6.8 but no v2.6.x controller reads it)',
    onOlder: `${IGNORED_ANNOTATION_OPTION}; a cascading Application deletion deletes the resource`,
  },
  {
    id: 'resource-sync-delete-confirm',
    area: 'resource-sync-option',
    summary: 'Delete=confirm: deleting this resource with its Application waits for confirmation',
    appearsIn: 'metadata.annotations["argocd.argoproj.io/sync-options"]',
    minVersion: '2.14.0',
    evidence: 'argoproj/argo-cd@7c9bd2d2d3 controller/state.go RequiresDeletionConfirmation, controller/appcontroller.go (first tag v2.14.0)',
    onOlder: `${IGNORED_ANNOTATION_OPTION}; a cascading Application deletion deletes the resource`,
  },
  {
    id: 'resource-sync-server-side-apply',
    area: 'resource-sync-option',
    summary: 'ServerSideApply=true on one resource',
    appearsIn: 'metadata.annotations["argocd.argoproj.io/sync-options"]',
    minVersion: '2.4.0',
    evidence: 'argoproj/gitops-engine@d8b1a12ce6 pkg/sync/sync_context.go reads the annotation; vendored as gitops-engine v0.7.0 by argo-cd v2.4.0 go.mod (the Application-level option only came in v2.5.0)',
    onOlder: `${IGNORED_ANNOTATION_OPTION}; client-side apply`,
  },
  {
    id: 'resource-sync-prune-last',
    area: 'resource-sync-option',
    summary: 'PruneLast=true on one resource',
    appearsIn: 'metadata.annotations["argocd.argoproj.io/sync-options"]',
    minVersion: '2.0.0',
    evidence: 'argoproj/gitops-engine@82f0935363 pkg/sync/sync_context.go; vendored as v0.3.2 by argo-cd v2.0.0 go.mod',
    onOlder: `${IGNORED_ANNOTATION_OPTION}; pruned in the normal wave order`,
  },
  {
    id: 'resource-sync-replace',
    area: 'resource-sync-option',
    summary: 'Replace=true on one resource',
    appearsIn: 'metadata.annotations["argocd.argoproj.io/sync-options"]',
    minVersion: '2.0.0',
    evidence: 'argoproj/gitops-engine@89ddd0dffb pkg/sync/sync_context.go; vendored as v0.3.2 by argo-cd v2.0.0 go.mod',
    onOlder: `${IGNORED_ANNOTATION_OPTION}; the resource is applied`,
  },
  {
    id: 'resource-sync-validate-false',
    area: 'resource-sync-option',
    summary: 'Validate=false on one resource',
    appearsIn: 'metadata.annotations["argocd.argoproj.io/sync-options"]',
    minVersion: '1.2.0',
    evidence: 'argoproj/argo-cd@4660456ad9 controller/sync.go (first tag v1.2.0)',
    onOlder: `${IGNORED_ANNOTATION_OPTION}; kubectl validation stays on`,
  },
  {
    id: 'resource-sync-force',
    area: 'resource-sync-option',
    summary: 'Force=true on one resource: delete and re-create when apply fails',
    appearsIn: 'metadata.annotations["argocd.argoproj.io/sync-options"]',
    minVersion: '2.11.1',
    backports: ['2.10.10'],
    evidence: 'argoproj/gitops-engine@fbecbb86e4 pkg/sync/sync_context.go; vendored by argo-cd v2.10.10 and v2.11.1 go.mod (v2.11.0 vendors an older engine)',
    onOlder: `${IGNORED_ANNOTATION_OPTION}; a plain apply`,
  },

  // Other annotations Argo CD reads.
  {
    id: 'compare-ignore-extraneous',
    area: 'annotation',
    summary: 'compare-options IgnoreExtraneous: an extraneous resource does not make the app OutOfSync',
    appearsIn: 'metadata.annotations["argocd.argoproj.io/compare-options"]',
    minVersion: '1.1.0',
    evidence: 'argoproj/argo-cd@00889551e7 controller/state.go (first tag v1.1.0)',
    onOlder: 'ignored silently: the resource counts towards OutOfSync',
  },
  {
    id: 'compare-server-side-diff',
    area: 'annotation',
    summary: 'compare-options ServerSideDiff=true|false on an Application',
    appearsIn: 'Application metadata.annotations["argocd.argoproj.io/compare-options"]',
    minVersion: '2.10.0',
    evidence: 'argoproj/argo-cd@82ca7a7f9c controller/state.go (first tag v2.10.0; docs call it "Stable since v3.1.0", which is its maturity, not its first release)',
    onOlder: 'ignored silently: the client-side diff is used',
  },
  {
    id: 'compare-include-mutation-webhook',
    area: 'annotation',
    summary: 'compare-options IncludeMutationWebhook=true (server-side diff)',
    appearsIn: 'Application metadata.annotations["argocd.argoproj.io/compare-options"]',
    minVersion: '2.10.0',
    evidence: 'argoproj/argo-cd@82ca7a7f9c controller/state.go (first tag v2.10.0)',
    onOlder: 'ignored silently',
  },
  {
    id: 'annotation-sync-wave',
    area: 'annotation',
    summary: 'argocd.argoproj.io/sync-wave: order resources within a sync',
    appearsIn: 'metadata.annotations["argocd.argoproj.io/sync-wave"]',
    minVersion: '1.1.0',
    evidence: 'argoproj/argo-cd@243378b035 controller/sync.go (first tag v1.1.0)',
    onOlder: 'ignored silently: every resource is in one wave',
  },
  {
    id: 'hook-phase',
    area: 'annotation',
    summary: 'argocd.argoproj.io/hook PreSync, Sync, PostSync or Skip',
    appearsIn: 'metadata.annotations["argocd.argoproj.io/hook"]',
    minVersion: '0.6.0',
    evidence: 'argoproj/argo-cd@d633f6b299 controller/sync.go (first tag v0.6.0)',
    onOlder: 'the resource is an ordinary resource',
  },
  {
    id: 'hook-sync-fail',
    area: 'annotation',
    summary: 'argocd.argoproj.io/hook: SyncFail',
    appearsIn: 'metadata.annotations["argocd.argoproj.io/hook"]',
    minVersion: '1.2.0',
    evidence: 'argoproj/argo-cd@fb5e85d7fa controller/sync_phase.go (first tag v1.2.0)',
    onOlder: 'not a hook type there: the hook never runs',
  },
  {
    id: 'hook-post-delete',
    area: 'annotation',
    summary: 'argocd.argoproj.io/hook: PostDelete',
    appearsIn: 'metadata.annotations["argocd.argoproj.io/hook"]',
    minVersion: '2.10.0',
    evidence: 'argoproj/argo-cd@dcc17f70bf controller/hook.go (first tag v2.10.0)',
    onOlder: 'a hook annotation of no known type: the engine treats it as a hook and never runs or applies it',
  },
  {
    id: 'hook-pre-delete',
    area: 'annotation',
    summary: 'argocd.argoproj.io/hook: PreDelete',
    appearsIn: 'metadata.annotations["argocd.argoproj.io/hook"]',
    minVersion: '3.3.0',
    evidence: 'argoproj/argo-cd@3bf3d8a212 controller/hook.go (first tag v3.3.0)',
    onOlder: 'a hook annotation of no known type: the engine treats it as a hook and never runs or applies it',
  },
  {
    id: 'hook-delete-policy',
    area: 'annotation',
    summary: 'argocd.argoproj.io/hook-delete-policy HookSucceeded or HookFailed',
    appearsIn: 'metadata.annotations["argocd.argoproj.io/hook-delete-policy"]',
    minVersion: '0.6.0',
    evidence: 'argoproj/argo-cd@c0367ed595 controller/sync.go (first tag v0.6.0)',
    onOlder: 'ignored: hooks are kept',
  },
  {
    id: 'hook-delete-before-creation',
    area: 'annotation',
    summary: 'argocd.argoproj.io/hook-delete-policy BeforeHookCreation',
    appearsIn: 'metadata.annotations["argocd.argoproj.io/hook-delete-policy"]',
    minVersion: '1.3.0',
    evidence: 'argoproj/argo-cd@3f312a9e92 controller/sync.go (first tag v1.3.0)',
    onOlder: 'ignored: the previous hook object is not deleted before the hook is created again',
  },
  {
    id: 'manifest-generate-paths',
    area: 'annotation',
    summary: 'argocd.argoproj.io/manifest-generate-paths: refresh on webhook only for these paths',
    appearsIn: 'Application metadata.annotations["argocd.argoproj.io/manifest-generate-paths"]',
    minVersion: '1.8.0',
    evidence: 'argoproj/argo-cd@21304ee2c5 util/webhook/webhook.go (first tag v1.8.0)',
    onOlder: 'ignored silently: every push refreshes every Application of the repository',
  },
  {
    id: 'cluster-secret-label',
    area: 'cluster-secret',
    summary: 'Secret labelled argocd.argoproj.io/secret-type: cluster registers a cluster (data name, server, config)',
    appearsIn: 'Secret metadata.labels, or an ExternalSecret spec.target.template.metadata.labels',
    minVersion: '0.1.0',
    evidence: 'argoproj/argo-cd@d7d7821c3e common/common.go LabelKeySecretType, server/cluster/cluster.go selects clusters by it and reads data name/server/config (first tag v0.1.0)',
    onOlder: 'no older release',
  },

  // Application fields (an ApplicationSet template's spec too).
  {
    id: 'app-sync-options-field',
    area: 'application',
    summary: 'spec.syncPolicy.syncOptions: Application-level sync options',
    appearsIn: 'spec.syncPolicy.syncOptions',
    minVersion: '1.5.0',
    evidence: 'argoproj/argo-cd@ebc048167c pkg/apis/application/v1alpha1/types.go SyncPolicy.SyncOptions (first tag v1.5.0)',
    onOlder: OLD_UNKNOWN_FIELD,
  },
  {
    id: 'app-multi-source',
    area: 'application',
    summary: 'spec.sources: several sources in one Application',
    appearsIn: 'spec.sources',
    minVersion: '2.6.0',
    evidence: 'argoproj/argo-cd@c6fa942e94 pkg/apis/application/v1alpha1/types.go (first tag v2.6.0)',
    onOlder: `${UNKNOWN_FIELD}; without spec.source the Application has no source at all`,
  },
  {
    id: 'app-source-ref',
    area: 'application',
    summary: 'sources[].ref: name a source for $ref/ value files',
    appearsIn: 'spec.sources[].ref',
    minVersion: '2.6.0',
    evidence: 'argoproj/argo-cd@c6fa942e94 pkg/apis/application/v1alpha1/types.go ApplicationSource.Ref (first tag v2.6.0)',
    onOlder: UNKNOWN_FIELD,
  },
  {
    id: 'app-values-file-ref',
    area: 'application',
    summary: 'helm.valueFiles entry "$<ref>/path" from another source',
    appearsIn: 'spec.sources[].helm.valueFiles[]',
    minVersion: '2.6.0',
    evidence: 'argoproj/argo-cd@c6fa942e94 reposerver/repository/repository.go resolves "$" value files (first tag v2.6.0)',
    onOlder: 'no multi-source: the "$ref/..." path is read as a file of the chart and manifest generation fails',
  },
  {
    id: 'app-helm-values-object',
    area: 'application',
    summary: 'helm.valuesObject: Helm values as a YAML object',
    appearsIn: 'spec.source.helm.valuesObject',
    minVersion: '2.8.0',
    evidence: 'argoproj/argo-cd@057e156132 pkg/apis/application/v1alpha1/types.go ApplicationSourceHelm.ValuesObject (first tag v2.8.0)',
    onOlder: `${UNKNOWN_FIELD}; the chart renders with its default values`,
  },
  {
    id: 'app-helm-values',
    area: 'application',
    summary: 'helm.values: Helm values as a YAML string',
    appearsIn: 'spec.source.helm.values',
    minVersion: '1.3.0',
    evidence: 'argoproj/argo-cd@65ae3c2a32 pkg/apis/application/v1alpha1/types.go, reposerver/repository/repository.go (first tag v1.3.0)',
    onOlder: OLD_UNKNOWN_FIELD,
  },
  {
    id: 'app-helm-ignore-missing-value-files',
    area: 'application',
    summary: 'helm.ignoreMissingValueFiles',
    appearsIn: 'spec.source.helm.ignoreMissingValueFiles',
    minVersion: '2.3.0',
    evidence: 'argoproj/argo-cd@99d1dcad03 pkg/apis/application/v1alpha1/types.go (first tag v2.3.0)',
    onOlder: `${UNKNOWN_FIELD}; a missing values file fails manifest generation`,
  },
  {
    id: 'app-automated-enabled',
    area: 'application',
    summary: 'syncPolicy.automated.enabled: switch automated sync without removing the block',
    appearsIn: 'spec.syncPolicy.automated.enabled',
    minVersion: '3.1.0',
    evidence: 'argoproj/argo-cd@432a0cdef4 pkg/apis/application/v1alpha1/types.go IsAutomatedSyncEnabled (first tag v3.1.0); argoproj/argo-cd@4c9291152b (v3.2.0) fixed its protobuf name for the API and UI',
    onOlder: `${UNKNOWN_FIELD}; an automated block with enabled: false still syncs automatically`,
  },
  {
    id: 'app-automated-allow-empty',
    area: 'application',
    summary: 'syncPolicy.automated.allowEmpty (and the protection it relaxes)',
    appearsIn: 'spec.syncPolicy.automated.allowEmpty',
    minVersion: '1.8.0',
    evidence: 'argoproj/argo-cd@286f98ba82 controller/appcontroller.go autosync protection (first tag v1.8.0)',
    onOlder: `${OLD_UNKNOWN_FIELD}; there is no protection either: automated prune may delete every resource`,
  },
  {
    id: 'app-automated-self-heal',
    area: 'application',
    summary: 'syncPolicy.automated.selfHeal',
    appearsIn: 'spec.syncPolicy.automated.selfHeal',
    minVersion: '1.2.0',
    evidence: 'argoproj/argo-cd@e27568fa8c controller/appcontroller.go (first tag v1.2.0)',
    onOlder: `${OLD_UNKNOWN_FIELD}; live drift is not reverted`,
  },
  {
    id: 'app-retry',
    area: 'application',
    summary: 'syncPolicy.retry: retry failed syncs with backoff',
    appearsIn: 'spec.syncPolicy.retry',
    minVersion: '1.7.0',
    evidence: 'argoproj/argo-cd@a6399e59e1 controller/appcontroller.go (first tag v1.7.0)',
    onOlder: `${OLD_UNKNOWN_FIELD}; a failed sync is not retried`,
  },
  {
    id: 'app-retry-unlimited',
    area: 'application',
    summary: 'syncPolicy.retry.limit < 0: retry forever',
    appearsIn: 'spec.syncPolicy.retry.limit',
    minVersion: '1.7.0',
    evidence: 'argoproj/argo-cd@a6399e59e1 controller/appcontroller.go "Retry.Limit < 0" (first tag v1.7.0)',
    onOlder: OLD_UNKNOWN_FIELD,
  },
  {
    id: 'app-retry-refresh',
    area: 'application',
    summary: 'syncPolicy.retry.refresh: retry with the newest revision',
    appearsIn: 'spec.syncPolicy.retry.refresh',
    minVersion: '3.2.0',
    evidence: 'argoproj/argo-cd@5a8b427322 controller/appcontroller.go Retry.Refresh (first tag v3.2.0)',
    onOlder: `${UNKNOWN_FIELD}; retries keep the revision of the failed attempt`,
  },
  {
    id: 'app-managed-namespace-metadata',
    area: 'application',
    summary: 'syncPolicy.managedNamespaceMetadata: labels and annotations of the created namespace',
    appearsIn: 'spec.syncPolicy.managedNamespaceMetadata',
    minVersion: '2.6.0',
    evidence: 'argoproj/argo-cd@777302191f controller/sync_namespace.go, types.go (first tag v2.6.0)',
    onOlder: `${UNKNOWN_FIELD}; the namespace is created bare`,
  },
  {
    id: 'app-ignore-diff-managed-fields-managers',
    area: 'application',
    summary: 'ignoreDifferences[].managedFieldsManagers',
    appearsIn: 'spec.ignoreDifferences[].managedFieldsManagers',
    minVersion: '2.3.0',
    evidence: 'argoproj/argo-cd@29a6be4afe controller/state.go (first tag v2.3.0)',
    onOlder: `${UNKNOWN_FIELD}; fields another manager owns (HPA-scaled replicas) show as drift and selfHeal reverts them`,
  },
  {
    id: 'app-ignore-diff-jq-path',
    area: 'application',
    summary: 'ignoreDifferences[].jqPathExpressions',
    appearsIn: 'spec.ignoreDifferences[].jqPathExpressions',
    minVersion: '2.1.0',
    evidence: 'argoproj/argo-cd@86d0ee6982 pkg/apis/application/v1alpha1/types.go (first tag v2.1.0)',
    onOlder: `${UNKNOWN_FIELD}; the difference is not ignored`,
  },
  {
    id: 'app-destination-name',
    area: 'application',
    summary: 'destination.name: target a cluster by its registered name',
    appearsIn: 'spec.destination.name',
    minVersion: '1.7.0',
    evidence: 'argoproj/argo-cd@7ccb16bf7a pkg/apis/application/v1alpha1/types.go ApplicationDestination.Name (first tag v1.7.0)',
    onOlder: `${OLD_UNKNOWN_FIELD}; the destination has no server`,
  },

  // ApplicationSet fields.
  {
    id: 'appset-kind',
    area: 'applicationset',
    summary: 'ApplicationSet CRD and controller shipped with Argo CD',
    appearsIn: 'kind: ApplicationSet',
    minVersion: '2.3.0',
    evidence: 'argoproj/argo-cd manifests/install.yaml at v2.3.0 first bundles the CRD and argocd-applicationset v0.4.0; its code is in argo-cd from v2.4.0 (applicationset/)',
    onOlder: 'no CRD: the sync fails with "could not find the requested resource" unless the separate ApplicationSet controller is installed',
  },
  {
    id: 'appset-go-template',
    area: 'applicationset',
    summary: 'goTemplate: render the template with Go text/template',
    appearsIn: 'spec.goTemplate',
    minVersion: '2.5.0',
    evidence: 'argoproj/argo-cd@97471f4a5a applicationset/utils/utils.go (first tag v2.5.0)',
    onOlder: `${UNKNOWN_FIELD}; fasttemplate renders the template and leaves "{{.x}}" in place, so Application names are invalid`,
  },
  {
    id: 'appset-go-template-options',
    area: 'applicationset',
    summary: 'goTemplateOptions (missingkey=error)',
    appearsIn: 'spec.goTemplateOptions',
    minVersion: '2.8.0',
    evidence: 'argoproj/argo-cd@944eaddd8d applicationset/controllers/applicationset_controller.go (first tag v2.8.0)',
    onOlder: `${UNKNOWN_FIELD}; a missing parameter renders as "<no value>"`,
  },
  {
    id: 'appset-template-patch',
    area: 'applicationset',
    summary: 'templatePatch: a Go-templated strategic merge patch per Application',
    appearsIn: 'spec.templatePatch',
    minVersion: '2.10.0',
    evidence: 'argoproj/argo-cd@a08c573d32 applicationset/controllers/templatePatch.go (first tag v2.10.0)',
    onOlder: `${UNKNOWN_FIELD}; Applications are generated without the patch`,
  },
  {
    id: 'appset-applications-sync',
    area: 'applicationset',
    summary: 'syncPolicy.applicationsSync: per-ApplicationSet create-only / create-update / create-delete / sync',
    appearsIn: 'spec.syncPolicy.applicationsSync',
    minVersion: '2.8.0',
    evidence: 'argoproj/argo-cd@241d377ced applicationset/utils/policy.go DefaultPolicy (first tag v2.8.0); honoured only when applicationsetcontroller.enable.policy.override is true',
    onOlder: `${UNKNOWN_FIELD}; the controller policy (default sync: also deletes Applications) decides`,
  },
  {
    id: 'appset-preserve-resources-on-deletion',
    area: 'applicationset',
    summary: 'syncPolicy.preserveResourcesOnDeletion: drop the resources finalizer before deleting Applications',
    appearsIn: 'spec.syncPolicy.preserveResourcesOnDeletion',
    minVersion: '2.3.0',
    evidence: 'argoproj/argo-cd manifests/install.yaml at v2.3.0 (bundled ApplicationSet CRD v0.4.0 has the field); in-tree applicationset/utils/utils.go from v2.4.0',
    onOlder: 'no ApplicationSet controller is bundled',
  },
  {
    id: 'appset-rolling-sync',
    area: 'applicationset',
    summary: 'strategy.type RollingSync: sync generated Applications step by step',
    appearsIn: 'spec.strategy',
    minVersion: '2.6.0',
    evidence: 'argoproj/argo-cd@ec4e2f26d5 applicationset/controllers/applicationset_controller.go (first tag v2.6.0); needs applicationsetcontroller.enable.progressive.syncs=true in every release (docs: beta since v3.3.0)',
    onOlder: `${UNKNOWN_FIELD}; and in any release with progressive syncs off the strategy is ignored: no step ever syncs Applications whose template has no automated sync`,
  },
  {
    id: 'appset-rolling-sync-max-update',
    area: 'applicationset',
    summary: 'strategy.rollingSync.steps[].maxUpdate',
    appearsIn: 'spec.strategy.rollingSync.steps[].maxUpdate',
    minVersion: '2.6.0',
    evidence: 'argoproj/argo-cd@ec4e2f26d5 pkg/apis/application/v1alpha1/applicationset_types.go (first tag v2.6.0)',
    onOlder: UNKNOWN_FIELD,
  },
  {
    id: 'appset-deletion-order',
    area: 'applicationset',
    summary: 'strategy.deletionOrder (Reverse): delete Applications step by step in reverse',
    appearsIn: 'spec.strategy.deletionOrder',
    minVersion: '3.2.0',
    evidence: 'argoproj/argo-cd@79f152c1ba applicationset/controllers/applicationset_controller.go isProgressiveSyncDeletionOrderReversed (first tag v3.2.0)',
    onOlder: `${UNKNOWN_FIELD}; Applications are deleted all at once`,
  },
  {
    id: 'appset-ignore-application-differences',
    area: 'applicationset',
    summary: 'ignoreApplicationDifferences: leave these Application fields alone',
    appearsIn: 'spec.ignoreApplicationDifferences',
    minVersion: '2.9.0',
    evidence: 'argoproj/argo-cd@61dc8b5083 applicationset/controllers/applicationset_controller.go (first tag v2.9.0)',
    onOlder: `${UNKNOWN_FIELD}; the controller overwrites those fields`,
  },
  {
    id: 'appset-resources-finalizer',
    area: 'applicationset',
    summary: 'resources-finalizer.argocd.argoproj.io on an ApplicationSet: on deletion under a policy that forbids delete, strip the ownerReferences of its Applications so they survive',
    appearsIn: 'ApplicationSet metadata.finalizers',
    minVersion: '2.10.0',
    evidence: 'argoproj/argo-cd@30ff2e59e0 applicationset/controllers/applicationset_controller.go removeOwnerReferencesOnDeleteAppSet (first tag v2.10.0); v2.10.x-v2.11.x remove the finalizer only when the policy forbids delete, v2.12.0 on always',
    onOlder: 'the controller returns early for a deleting ApplicationSet and never removes the finalizer: the ApplicationSet hangs in Terminating',
  },

  // AppProject fields.
  {
    id: 'project-orphaned-resources',
    area: 'appproject',
    summary: 'orphanedResources (warn): report resources of the destination namespaces no Application manages',
    appearsIn: 'AppProject spec.orphanedResources',
    minVersion: '1.3.0',
    evidence: 'argoproj/argo-cd@aa0f9a3aa7 controller/appcontroller.go (first tag v1.3.0)',
    onOlder: 'ignored: no orphaned-resource monitoring',
  },
  {
    id: 'project-destination-name',
    area: 'appproject',
    summary: 'destinations[].name: permit a cluster by its registered name',
    appearsIn: 'AppProject spec.destinations[].name',
    minVersion: '2.2.0',
    evidence: 'argoproj/argo-cd@ddc9f56d05 pkg/apis/application/v1alpha1/app_project_types.go IsDestinationPermitted matches Name (first tag v2.2.0)',
    onOlder: 'v1.7-v2.1 accept the field but match destinations by server only: Applications are refused as not permitted in the project',
  },
  {
    id: 'project-source-namespaces',
    area: 'appproject',
    summary: 'sourceNamespaces: Applications in other namespaces',
    appearsIn: 'AppProject spec.sourceNamespaces',
    minVersion: '2.5.0',
    evidence: 'argoproj/argo-cd@068048cb80 pkg/apis/application/v1alpha1/app_project_types.go (first tag v2.5.0)',
    onOlder: UNKNOWN_FIELD,
  },
  {
    id: 'project-namespace-resource-whitelist',
    area: 'appproject',
    summary: 'namespaceResourceWhitelist: allow-list of namespaced kinds',
    appearsIn: 'AppProject spec.namespaceResourceWhitelist',
    minVersion: '1.5.3',
    evidence: 'argoproj/argo-cd@e3a18b9cd7 pkg/apis/application/v1alpha1/types.go (first tags v1.5.3, v1.6.0)',
    onOlder: 'unknown to the controller: every namespaced kind is permitted',
  },

  // argocd-cmd-params-cm keys (configs.params of the argo-cd chart's values).
  {
    id: 'param-appset-policy',
    area: 'controller-param',
    summary: 'applicationsetcontroller.policy: fleet-wide Application sync policy',
    appearsIn: 'argocd-cmd-params-cm data / argo-cd chart configs.params',
    minVersion: '2.6.0',
    evidence: 'argoproj/argo-cd@f9ef32c756 manifests/base/applicationset-controller/argocd-applicationset-controller-deployment.yaml and cmd/argocd-applicationset-controller/commands/applicationset_controller.go ARGOCD_APPLICATIONSET_CONTROLLER_POLICY (first tag v2.6.0; v2.5 has only the --policy flag)',
    onOlder: 'key not read: the policy stays "sync", which deletes Applications',
  },
  {
    id: 'param-appset-policy-override',
    area: 'controller-param',
    summary: 'applicationsetcontroller.enable.policy.override: let each ApplicationSet choose applicationsSync',
    appearsIn: 'argocd-cmd-params-cm data / argo-cd chart configs.params',
    minVersion: '2.8.0',
    evidence: 'argoproj/argo-cd@241d377ced cmd/argocd-applicationset-controller/commands/applicationset_controller.go ARGOCD_APPLICATIONSET_CONTROLLER_ENABLE_POLICY_OVERRIDE (first tag v2.8.0; default true only when no controller policy is set)',
    onOlder: 'key not read: per-ApplicationSet applicationsSync does not exist',
  },
  {
    id: 'param-appset-progressive-syncs',
    area: 'controller-param',
    summary: 'applicationsetcontroller.enable.progressive.syncs: turn RollingSync on',
    appearsIn: 'argocd-cmd-params-cm data / argo-cd chart configs.params',
    minVersion: '2.6.0',
    evidence: 'argoproj/argo-cd@70669be1cc manifests/base/applicationset-controller/argocd-applicationset-controller-deployment.yaml, ARGOCD_APPLICATIONSET_CONTROLLER_ENABLE_PROGRESSIVE_SYNCS in cmd/argocd-applicationset-controller (first tag v2.6.0)',
    onOlder: 'key not read: RollingSync is off',
  },
  {
    id: 'param-appset-leader-election',
    area: 'controller-param',
    summary: 'applicationsetcontroller.enable.leader.election (the argo-cd chart sets it when applicationSet.replicas > 1)',
    appearsIn: 'argocd-cmd-params-cm data / argo-cd chart configs.params or applicationSet.replicas',
    minVersion: '2.6.0',
    evidence: 'argoproj/argo-cd@f9ef32c756 manifests/base/applicationset-controller/argocd-applicationset-controller-deployment.yaml ARGOCD_APPLICATIONSET_CONTROLLER_ENABLE_LEADER_ELECTION (first tag v2.6.0; v2.5 has only the flag)',
    onOlder: 'key not read: every ApplicationSet controller replica reconciles at once',
  },
] as const satisfies readonly ArgoCdFeature[];

export type FeatureId = (typeof ARGOCD_FEATURES)[number]['id'];

const FEATURES_BY_ID: ReadonlyMap<string, ArgoCdFeature> = new Map(ARGOCD_FEATURES.map((f) => [f.id, f]));

export const featureById = (id: FeatureId): ArgoCdFeature => {
  const feature = FEATURES_BY_ID.get(id);
  if (feature === undefined) throw new Error(`unknown Argo CD feature ${id}`);
  return feature;
};

// --- versions ---------------------------------------------------------------------------------------------------

interface Version {
  readonly core: readonly [number, number, number];
  readonly pre: readonly string[];
}

const parseVersion = (text: string): Version => {
  const m = /^v?(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/.exec(text.trim());
  if (m === null) throw new Error(`not a semantic version: ${JSON.stringify(text)}`);
  return { core: [Number(m[1]), Number(m[2]), Number(m[3])], pre: m[4] === undefined ? [] : m[4].split('.') };
};

const comparePre = (a: readonly string[], b: readonly string[]): number => {
  // A release sorts after its pre-releases (3.1.0-rc1 < 3.1.0).
  if (a.length === 0 || b.length === 0) return b.length - a.length;
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i] ?? '';
    const y = b[i] ?? '';
    const nx = /^\d+$/.test(x);
    const ny = /^\d+$/.test(y);
    if (nx && ny && Number(x) !== Number(y)) return Number(x) - Number(y);
    if (nx !== ny) return nx ? -1 : 1;
    if (x !== y) return x < y ? -1 : 1;
  }
  return a.length - b.length;
};

/** Negative, zero or positive as a < b, a = b, a > b (semver 2 precedence; a leading `v` is allowed). */
export const compareVersions = (a: string, b: string): number => {
  const va = parseVersion(a);
  const vb = parseVersion(b);
  for (let i = 0; i < 3; i++) {
    const d = (va.core[i] ?? 0) - (vb.core[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  return Math.sign(comparePre(va.pre, vb.pre));
};

const sameMinor = (a: string, b: string): boolean => {
  const [x, y] = [parseVersion(a).core, parseVersion(b).core];
  return x[0] === y[0] && x[1] === y[1];
};

export const supportsFeature = (feature: ArgoCdFeature, version: string): boolean =>
  compareVersions(version, feature.minVersion) >= 0 ||
  (feature.backports ?? []).some((b) => sameMinor(b, version) && compareVersions(version, b) >= 0);

// --- detection --------------------------------------------------------------------------------------------------

export interface FeatureUse {
  readonly id: FeatureId;
  /** `Application/x`, `ApplicationSet/y`, `AppProject/z`, `Deployment/ns/z`, `Namespace/z`. */
  readonly object: string;
  /** Field inside that object: `spec.template.spec.syncPolicy.syncOptions[0]`. */
  readonly field: string;
}

const ANNOTATION = {
  syncOptions: 'argocd.argoproj.io/sync-options',
  compareOptions: 'argocd.argoproj.io/compare-options',
  syncWave: 'argocd.argoproj.io/sync-wave',
  hook: 'argocd.argoproj.io/hook',
  hookDeletePolicy: 'argocd.argoproj.io/hook-delete-policy',
  manifestGeneratePaths: 'argocd.argoproj.io/manifest-generate-paths',
} as const;
const SECRET_TYPE_LABEL = 'argocd.argoproj.io/secret-type';
const RESOURCES_FINALIZER = 'resources-finalizer.argocd.argoproj.io';
const CMD_PARAMS_CONFIGMAP = 'argocd-cmd-params-cm';
const ARGO_CD_CHART = 'argo-cd';

// The controller compares Application-level options as whole strings (SyncOptions.HasOption / GetOptionValue).
const APP_SYNC_OPTIONS: Readonly<Record<string, FeatureId>> = {
  'SkipDryRunOnMissingResource=true': 'app-sync-skip-dry-run-on-missing-resource',
  'CreateNamespace=true': 'app-sync-create-namespace',
  'ServerSideApply=true': 'app-sync-server-side-apply',
  'PruneLast=true': 'app-sync-prune-last',
  'Replace=true': 'app-sync-replace',
  'RespectIgnoreDifferences=true': 'app-sync-respect-ignore-differences',
  'ApplyOutOfSyncOnly=true': 'app-sync-apply-out-of-sync-only',
  'FailOnSharedResource=true': 'app-sync-fail-on-shared-resource',
  'PrunePropagationPolicy=foreground': 'app-sync-prune-propagation-policy',
  'PrunePropagationPolicy=background': 'app-sync-prune-propagation-policy',
  'PrunePropagationPolicy=orphan': 'app-sync-prune-propagation-policy',
  'Validate=false': 'app-sync-validate-false',
  'Prune=false': 'app-sync-prune-false',
  'Prune=confirm': 'app-sync-prune-confirm',
  'Delete=false': 'app-sync-delete-false',
  'Delete=confirm': 'app-sync-delete-confirm',
};

const RESOURCE_SYNC_OPTIONS: Readonly<Record<string, FeatureId>> = {
  'SkipDryRunOnMissingResource=true': 'resource-sync-skip-dry-run-on-missing-resource',
  'Prune=false': 'resource-sync-prune-false',
  'Prune=confirm': 'resource-sync-prune-confirm',
  'Delete=false': 'resource-sync-delete-false',
  'Delete=confirm': 'resource-sync-delete-confirm',
  'ServerSideApply=true': 'resource-sync-server-side-apply',
  'PruneLast=true': 'resource-sync-prune-last',
  'Replace=true': 'resource-sync-replace',
  'Validate=false': 'resource-sync-validate-false',
  'Force=true': 'resource-sync-force',
};

const COMPARE_OPTIONS: Readonly<Record<string, FeatureId>> = {
  IgnoreExtraneous: 'compare-ignore-extraneous',
  'ServerSideDiff=true': 'compare-server-side-diff',
  'ServerSideDiff=false': 'compare-server-side-diff',
  'IncludeMutationWebhook=true': 'compare-include-mutation-webhook',
};

const HOOK_TYPES: Readonly<Record<string, FeatureId>> = {
  PreSync: 'hook-phase',
  Sync: 'hook-phase',
  PostSync: 'hook-phase',
  Skip: 'hook-phase',
  SyncFail: 'hook-sync-fail',
  PostDelete: 'hook-post-delete',
  PreDelete: 'hook-pre-delete',
};

const HOOK_DELETE_POLICIES: Readonly<Record<string, FeatureId>> = {
  HookSucceeded: 'hook-delete-policy',
  HookFailed: 'hook-delete-policy',
  BeforeHookCreation: 'hook-delete-before-creation',
};

const PARAMS: Readonly<Record<string, FeatureId>> = {
  'applicationsetcontroller.policy': 'param-appset-policy',
  'applicationsetcontroller.enable.policy.override': 'param-appset-policy-override',
  'applicationsetcontroller.enable.progressive.syncs': 'param-appset-progressive-syncs',
  'applicationsetcontroller.enable.leader.election': 'param-appset-leader-election',
};

type Emit = (id: FeatureId, field: string) => void;

const path = (parent: string, ...keys: (string | number)[]): string => keys.reduce<string>((p, k) => fieldPath(p, k), parent);

/** Annotation values are comma-separated and trimmed (gitops-engine GetAnnotationCSVs). */
const csv = (value: string): string[] => value.split(',').map((s) => s.trim()).filter((s) => s.length > 0);

const walkAnnotations = (metadata: unknown, at: string, emit: Emit): void => {
  const annotations = stringMapAt(metadata, ['annotations']);
  const field = (key: string): string => path(at, 'annotations', key);
  const mapped = (key: string, table: Readonly<Record<string, FeatureId>>): void => {
    const value = annotations[key];
    if (value === undefined) return;
    for (const item of csv(value)) {
      const id = table[item];
      if (id !== undefined) emit(id, field(key));
    }
  };
  mapped(ANNOTATION.syncOptions, RESOURCE_SYNC_OPTIONS);
  mapped(ANNOTATION.compareOptions, COMPARE_OPTIONS);
  mapped(ANNOTATION.hook, HOOK_TYPES);
  mapped(ANNOTATION.hookDeletePolicy, HOOK_DELETE_POLICIES);
  if (annotations[ANNOTATION.syncWave] !== undefined) emit('annotation-sync-wave', field(ANNOTATION.syncWave));
  if (annotations[ANNOTATION.manifestGeneratePaths] !== undefined) emit('manifest-generate-paths', field(ANNOTATION.manifestGeneratePaths));
};

const has = (obj: unknown, key: string): boolean => isObject(obj) && obj[key] !== undefined;

/** Keys of argocd-cmd-params-cm set through the argo-cd chart's values (an object, or the `values` YAML string). */
const walkArgoCdChartValues = (values: unknown, at: string, emit: Emit): void => {
  const params = getIn(values, ['configs', 'params']);
  if (isObject(params)) {
    for (const key of Object.keys(params)) {
      const id = PARAMS[key];
      if (id !== undefined) emit(id, path(at, 'configs', 'params', key));
    }
  }
  // The chart presets applicationsetcontroller.enable.leader.election from the replica count (templates/_helpers.tpl).
  const replicas = getIn(values, ['applicationSet', 'replicas']) ?? getIn(values, ['applicationSet', 'replicaCount']);
  if (typeof replicas === 'number' && replicas > 1 && !(isObject(params) && has(params, 'applicationsetcontroller.enable.leader.election'))) {
    emit('param-appset-leader-election', path(at, 'applicationSet', has(getIn(values, ['applicationSet']), 'replicas') ? 'replicas' : 'replicaCount'));
  }
};

const parsedValues = (text: string): unknown => {
  try {
    return parseYaml(text) as unknown;
  } catch {
    return undefined;
  }
};

const walkSource = (source: unknown, at: string, emit: Emit): void => {
  if (!isObject(source)) return;
  if (source.ref !== undefined) emit('app-source-ref', path(at, 'ref'));
  const helm = source.helm;
  if (!isObject(helm)) return;
  const helmAt = path(at, 'helm');
  if (helm.valuesObject !== undefined) emit('app-helm-values-object', path(helmAt, 'valuesObject'));
  if (helm.values !== undefined) emit('app-helm-values', path(helmAt, 'values'));
  if (helm.ignoreMissingValueFiles !== undefined) emit('app-helm-ignore-missing-value-files', path(helmAt, 'ignoreMissingValueFiles'));
  if (Array.isArray(helm.valueFiles)) {
    helm.valueFiles.forEach((file, i) => {
      if (typeof file === 'string' && file.startsWith('$')) emit('app-values-file-ref', path(helmAt, 'valueFiles', i));
    });
  }
  if (source.chart === ARGO_CD_CHART) {
    if (isObject(helm.valuesObject)) walkArgoCdChartValues(helm.valuesObject, path(helmAt, 'valuesObject'), emit);
    if (typeof helm.values === 'string') walkArgoCdChartValues(parsedValues(helm.values), path(helmAt, 'values'), emit);
  }
};

const walkSyncPolicy = (syncPolicy: unknown, at: string, emit: Emit): void => {
  if (!isObject(syncPolicy)) return;
  const automated = syncPolicy.automated;
  if (isObject(automated)) {
    if (automated.enabled !== undefined) emit('app-automated-enabled', path(at, 'automated', 'enabled'));
    if (automated.allowEmpty !== undefined) emit('app-automated-allow-empty', path(at, 'automated', 'allowEmpty'));
    if (automated.selfHeal !== undefined) emit('app-automated-self-heal', path(at, 'automated', 'selfHeal'));
  }
  const retry = syncPolicy.retry;
  if (isObject(retry)) {
    emit('app-retry', path(at, 'retry'));
    if (typeof retry.limit === 'number' && retry.limit < 0) emit('app-retry-unlimited', path(at, 'retry', 'limit'));
    if (retry.refresh !== undefined) emit('app-retry-refresh', path(at, 'retry', 'refresh'));
  }
  if (syncPolicy.managedNamespaceMetadata !== undefined) emit('app-managed-namespace-metadata', path(at, 'managedNamespaceMetadata'));
  if (Array.isArray(syncPolicy.syncOptions)) {
    emit('app-sync-options-field', path(at, 'syncOptions'));
    syncPolicy.syncOptions.forEach((option, i) => {
      const id = typeof option === 'string' ? APP_SYNC_OPTIONS[option] : undefined;
      if (id !== undefined) emit(id, path(at, 'syncOptions', i));
    });
  }
};

/** An Application's spec, or what an ApplicationSet template or templatePatch puts there. */
const walkApplicationSpec = (spec: unknown, at: string, emit: Emit): void => {
  if (!isObject(spec)) return;
  walkSource(spec.source, path(at, 'source'), emit);
  if (Array.isArray(spec.sources)) {
    emit('app-multi-source', path(at, 'sources'));
    spec.sources.forEach((source, i) => walkSource(source, path(at, 'sources', i), emit));
  }
  walkSyncPolicy(spec.syncPolicy, path(at, 'syncPolicy'), emit);
  if (Array.isArray(spec.ignoreDifferences)) {
    spec.ignoreDifferences.forEach((rule, i) => {
      if (has(rule, 'managedFieldsManagers')) emit('app-ignore-diff-managed-fields-managers', path(at, 'ignoreDifferences', i, 'managedFieldsManagers'));
      if (has(rule, 'jqPathExpressions')) emit('app-ignore-diff-jq-path', path(at, 'ignoreDifferences', i, 'jqPathExpressions'));
    });
  }
  const destinationName = getIn(spec, ['destination', 'name']);
  if (typeof destinationName === 'string' && destinationName !== '') emit('app-destination-name', path(at, 'destination', 'name'));
};

/** metadata + spec of an Application (or of an ApplicationSet's template / templatePatch). */
const walkApplicationLike = (app: unknown, at: string, emit: Emit): void => {
  if (!isObject(app)) return;
  walkAnnotations(app.metadata, path(at, 'metadata'), emit);
  walkApplicationSpec(app.spec, path(at, 'spec'), emit);
};

/**
 * The keys a templatePatch sets. Its text is a Go template, so it is not YAML until rendered: lines that hold only
 * an action are dropped and inline actions become a placeholder, which keeps every key the patch can write.
 */
const templatePatchObject = (text: string): unknown => {
  const skeleton = text
    .split('\n')
    .filter((line) => !/^\s*\{\{[^]*?\}\}\s*$/.test(line))
    .map((line) => line.replace(/\{\{[^]*?\}\}/g, 'x'))
    .join('\n');
  return parsedValues(skeleton);
};

// When the skeleton still does not parse, look for field names in the raw text. Only names no Helm value is likely
// to share: `enabled`, `values`, `ref` or `refresh` could as well be keys inside valuesObject.
const PATCH_TEXT_FIELDS: readonly (readonly [RegExp, FeatureId])[] = [
  [/\bsources\s*:/, 'app-multi-source'],
  [/\bvaluesObject\s*:/, 'app-helm-values-object'],
  [/\bignoreMissingValueFiles\s*:/, 'app-helm-ignore-missing-value-files'],
  [/\ballowEmpty\s*:/, 'app-automated-allow-empty'],
  [/\bselfHeal\s*:/, 'app-automated-self-heal'],
  [/\bretry\s*:/, 'app-retry'],
  [/\bsyncOptions\s*:/, 'app-sync-options-field'],
  [/\bmanagedNamespaceMetadata\s*:/, 'app-managed-namespace-metadata'],
  [/\bmanagedFieldsManagers\s*:/, 'app-ignore-diff-managed-fields-managers'],
  [/\bjqPathExpressions\s*:/, 'app-ignore-diff-jq-path'],
];

const walkTemplatePatchText = (text: string, at: string, emit: Emit): void => {
  const patch = templatePatchObject(text);
  if (isObject(patch)) {
    walkApplicationLike(patch, at, emit);
    return;
  }
  for (const [pattern, id] of PATCH_TEXT_FIELDS) if (pattern.test(text)) emit(id, at);
  for (const [option, id] of Object.entries(APP_SYNC_OPTIONS)) if (text.includes(option)) emit(id, at);
};

const walkApplicationSet = (appSet: JsonObject, emit: Emit): void => {
  emit('appset-kind', 'kind');
  const finalizers = getIn(appSet, ['metadata', 'finalizers']);
  if (Array.isArray(finalizers)) {
    const i = finalizers.indexOf(RESOURCES_FINALIZER);
    if (i >= 0) emit('appset-resources-finalizer', path('metadata', 'finalizers', i));
  }
  const spec = appSet.spec;
  if (!isObject(spec)) return;
  if (spec.goTemplate !== undefined) emit('appset-go-template', 'spec.goTemplate');
  if (spec.goTemplateOptions !== undefined) emit('appset-go-template-options', 'spec.goTemplateOptions');
  if (spec.ignoreApplicationDifferences !== undefined) emit('appset-ignore-application-differences', 'spec.ignoreApplicationDifferences');
  if (has(spec.syncPolicy, 'applicationsSync')) emit('appset-applications-sync', 'spec.syncPolicy.applicationsSync');
  if (has(spec.syncPolicy, 'preserveResourcesOnDeletion')) emit('appset-preserve-resources-on-deletion', 'spec.syncPolicy.preserveResourcesOnDeletion');
  const strategy = spec.strategy;
  if (isObject(strategy)) {
    if (strategy.type === 'RollingSync') emit('appset-rolling-sync', 'spec.strategy.type');
    const steps = getIn(strategy, ['rollingSync', 'steps']);
    if (Array.isArray(steps)) {
      steps.forEach((step, i) => {
        if (has(step, 'maxUpdate')) emit('appset-rolling-sync-max-update', path('spec.strategy.rollingSync.steps', i, 'maxUpdate'));
      });
    }
    if (strategy.deletionOrder !== undefined) emit('appset-deletion-order', 'spec.strategy.deletionOrder');
  }
  walkApplicationLike(spec.template, 'spec.template', emit);
  if (typeof spec.templatePatch === 'string') {
    emit('appset-template-patch', 'spec.templatePatch');
    walkTemplatePatchText(spec.templatePatch, 'spec.templatePatch', emit);
  }
};

const walkAppProject = (project: JsonObject, emit: Emit): void => {
  const spec = project.spec;
  if (!isObject(spec)) return;
  if (spec.orphanedResources !== undefined) emit('project-orphaned-resources', 'spec.orphanedResources');
  if (spec.sourceNamespaces !== undefined) emit('project-source-namespaces', 'spec.sourceNamespaces');
  if (spec.namespaceResourceWhitelist !== undefined) emit('project-namespace-resource-whitelist', 'spec.namespaceResourceWhitelist');
  if (Array.isArray(spec.destinations)) {
    spec.destinations.forEach((d, i) => {
      const name = getIn(d, ['name']);
      if (typeof name === 'string' && name !== '') emit('project-destination-name', path('spec.destinations', i, 'name'));
    });
  }
};

const walkClusterSecretLabels = (obj: JsonObject, emit: Emit): void => {
  const id = objectId(obj);
  const at: readonly string[] | undefined =
    id.kind === 'Secret' && id.group === '' ? ['metadata'] : id.kind === 'ExternalSecret' ? ['spec', 'target', 'template', 'metadata'] : undefined;
  if (at === undefined) return;
  if (stringMapAt(getIn(obj, at), ['labels'])[SECRET_TYPE_LABEL] === 'cluster') emit('cluster-secret-label', path(at.join('.'), 'labels', SECRET_TYPE_LABEL));
};

const walkCmdParamsConfigMap = (obj: JsonObject, emit: Emit): void => {
  const id = objectId(obj);
  if (id.kind !== 'ConfigMap' || id.group !== '' || id.name !== CMD_PARAMS_CONFIGMAP) return;
  for (const key of Object.keys(stringMapAt(obj, ['data']))) {
    const feature = PARAMS[key];
    if (feature !== undefined) emit(feature, path('data', key));
  }
};

/** `Application/x` for Argo CD's own kinds (named as in the preview's findings), `Kind/ns/name` or `Kind/name` else. */
export const objectRef = (obj: JsonObject): string => {
  const id = objectId(obj);
  if (id.group === 'argoproj.io') return `${id.kind}/${id.name}`;
  return id.namespace === undefined ? `${id.kind}/${id.name}` : `${id.kind}/${id.namespace}/${id.name}`;
};

/** Every use of a feature of the table in these manifests, once per (feature, object, field), in input order. */
export const usedFeatures = (manifests: readonly JsonObject[]): FeatureUse[] => {
  const uses: FeatureUse[] = [];
  const seen = new Set<string>();
  for (const obj of manifests) {
    if (!isObject(obj)) continue;
    const object = objectRef(obj);
    const emit: Emit = (id, field) => {
      const key = `${id}\u0000${object}\u0000${field}`;
      if (seen.has(key)) return;
      seen.add(key);
      uses.push({ id, object, field });
    };
    walkAnnotations(obj.metadata, 'metadata', emit);
    if (isArgoKind(obj, 'Application')) walkApplicationSpec(obj.spec, 'spec', emit);
    else if (isArgoKind(obj, 'ApplicationSet')) walkApplicationSet(obj, emit);
    else if (isArgoKind(obj, 'AppProject')) walkAppProject(obj, emit);
    walkClusterSecretLabels(obj, emit);
    walkCmdParamsConfigMap(obj, emit);
  }
  return uses;
};

// --- comparison -------------------------------------------------------------------------------------------------

/** Shaped like the preview's Finding (object, field, message) so the validate command can print it alongside. */
export interface FeatureFinding {
  readonly code: 'argocd-feature-unsupported';
  readonly feature: FeatureId;
  readonly minVersion: string;
  readonly object: string;
  readonly field: string;
  readonly message: string;
}

/** The uses the pinned Argo CD release does not implement, with what that release does instead. */
export const unsupportedFeatures = (uses: readonly FeatureUse[], pinnedVersion: string): FeatureFinding[] => {
  parseVersion(pinnedVersion);
  return uses.flatMap((use) => {
    const feature = featureById(use.id);
    if (supportsFeature(feature, pinnedVersion)) return [];
    return [
      {
        code: 'argocd-feature-unsupported' as const,
        feature: use.id,
        minVersion: feature.minVersion,
        object: use.object,
        field: use.field,
        message: `${feature.summary} needs Argo CD >= ${feature.minVersion}, pinned ${pinnedVersion.replace(/^v/, '')}: ${feature.onOlder}`,
      },
    ];
  });
};
