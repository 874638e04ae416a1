// Fields of chart-rendered objects that a controller of the same chart (or one of its Helm hook Jobs) rewrites
// after Argo CD applies them, per add-on, as Argo CD `ignoreDifferences` entries. Names assume release name =
// add-on name (argocd-addons.ts) and the values of components/addon-values.ts; sources are cited at the tags pinned
// in inventory/fleet.yaml.
//
// Argo CD only diffs fields the chart renders: a field that is absent from the rendered object (every caBundle
// below, with our values) shows no drift on its own. Those entries are kept anyway, marked `rendered: false`: they
// cost nothing and keep the Applications in sync should a chart start rendering the field (e.g. `caBundle: ""`).
// Not listed, because the rendered value is the one written at run time:
// - Istio validators' failurePolicy: rendered Ignore by `helm template` and flipped to Fail by istiod
//   (istio 1.30.3 pkg/webhooks/validation/controller/controller.go:276), unless `base.validationFailurePolicy: Fail`
//   is set, which addon-values.ts does for istio-base and istiod;
// - ingress-nginx admission failurePolicy: the patch Job writes controller.admissionWebhooks.failurePolicy, the
//   value the chart renders (Fail);
// - kube-prometheus-stack admission failurePolicy: the patch Job gets an empty --patch-failure-policy with the
//   default prometheusOperator.admissionWebhooks.failurePolicy "", and leaves the field alone.
import type { IResourceIgnoreDifferences } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/ResourceIgnoreDifferences';

export interface RuntimeMutation {
  /** API group, '' for the core group. */
  readonly group: string;
  readonly kind: string;
  readonly name: string;
  readonly jqPathExpressions?: readonly string[];
  readonly jsonPointers?: readonly string[];
  /** Whether the chart renders the field with our values; only then would Argo CD report drift without the entry. */
  readonly rendered: boolean;
}

const WEBHOOK_CA_BUNDLES = ['.webhooks[]?.clientConfig.caBundle'] as const;

const validatingCaBundle = (name: string): RuntimeMutation => ({
  group: 'admissionregistration.k8s.io',
  kind: 'ValidatingWebhookConfiguration',
  name,
  jqPathExpressions: WEBHOOK_CA_BUNDLES,
  rendered: false,
});

const mutatingCaBundle = (name: string): RuntimeMutation => ({
  group: 'admissionregistration.k8s.io',
  kind: 'MutatingWebhookConfiguration',
  name,
  jqPathExpressions: WEBHOOK_CA_BUNDLES,
  rendered: false,
});

/** Per add-on name (inventory/fleet.yaml `addons:`); an empty list means nothing of the chart is rewritten. */
export const RUNTIME_MUTATIONS: Readonly<Record<string, readonly RuntimeMutation[]>> = {
  'cert-manager': [
    // cainjector, from the annotation cert-manager.io/inject-ca-from-secret (deploy/charts/cert-manager/templates/
    // webhook-validating-webhook.yaml:12): cert-manager v1.20.3 pkg/controller/cainjector/injectables.go:177-179.
    validatingCaBundle('cert-manager-webhook'),
    // Same for the mutating webhook (templates/webhook-mutating-webhook.yaml:12): injectables.go:128-130.
    mutatingCaBundle('cert-manager-webhook'),
  ],
  'external-secrets': [
    // cert-controller: external-secrets v2.9.0 pkg/controllers/webhookconfig/webhookconfig.go:219 (it also rewrites
    // clientConfig.service name and namespace, lines 217-218, to the values the chart renders).
    validatingCaBundle('secretstore-validate'),
    validatingCaBundle('externalsecret-validate'),
    // The chart renders this Secret without data (templates/webhook-secret.yaml); cert-controller fills in the CA,
    // certificate and keys: pkg/controllers/crds/crds_controller.go:279-282.
    { group: '', kind: 'Secret', name: 'external-secrets-webhook', jsonPointers: ['/data'], rendered: false },
    // No CRD conversion webhook at this version (deploy/crds/bundle.yaml has no spec.conversion), so the CRD
    // reconciler's caBundle injection (crds_controller.go:262) does not apply.
  ],
  'ingress-nginx': [
    // Post-install/upgrade hook Job (Argo CD: PostSync) running kube-webhook-certgen v1.6.9:
    // ingress-nginx helm-chart-4.15.1 images/kube-webhook-certgen/rootfs/pkg/k8s/k8s.go:170.
    validatingCaBundle('ingress-nginx-admission'),
  ],
  keda: [
    // The operator's cert rotation (keda v2.20.2 pkg/certificates/certificate_manager.go:72-79 registers it) writes
    // through open-policy-agent/cert-controller v0.16.0 pkg/rotator/rotator.go:433.
    validatingCaBundle('keda-admission'),
    // APIService patching is on by default (--enable-apiservice-patching, keda cmd/operator/main.go:121;
    // certificate_manager.go:61-67): rotator.go:467.
    { group: 'apiregistration.k8s.io', kind: 'APIService', name: 'v1beta1.external.metrics.k8s.io', jsonPointers: ['/spec/caBundle'], rendered: false },
  ],
  // The chart's APIService carries insecureSkipTLSVerify and no caBundle (tls.type metrics-server); nothing patches it.
  'metrics-server': [],
  'prometheus-operator': [
    // Post-install/upgrade hook Job (Argo CD: PostSync) running jkroepke/kube-webhook-certgen 1.8.7
    // (charts/kube-prometheus-stack/templates/prometheus-operator/admission-webhooks/job-patch/job-patchWebhook.yaml);
    // the nearest source tag available, v1.7.3, writes caBundle in pkg/k8s/k8s.go:339 (validating) and :412 (mutating).
    validatingCaBundle('prometheus-operator-kube-p-admission'),
    mutatingCaBundle('prometheus-operator-kube-p-admission'),
  ],
  // The operator updates only ClusterPolicy status (gpu-operator v26.7.0 controllers/clusterpolicy_controller.go:325)
  // and objects it creates itself; namespace PSA labels only with psa.enabled (controllers/state_manager.go:854).
  'gpu-operator': [],
  'istio-base': [
    // istiod's validation controller patches every validator labelled istio.io/rev=<its revision>:
    // istio 1.30.3 pkg/webhooks/validation/controller/controller.go:274 (label filter at :130).
    validatingCaBundle('istiod-default-validator'),
  ],
  'istio-cni': [],
  istiod: [
    // The chart's own per-revision validator: controller.go:274.
    validatingCaBundle('istio-validator-istio-system'),
    // The injector webhook: pkg/webhooks/webhookpatch.go:150.
    mutatingCaBundle('istio-sidecar-injector'),
  ],
  'istio-ingressgateway': [
    // The chart's HPA scales the gateway; with autoscaling.enabled the chart renders no replicas
    // (manifests/charts/gateway/templates/deployment.yaml:13-15).
    { group: 'apps', kind: 'Deployment', name: 'istio-ingressgateway', jsonPointers: ['/spec/replicas'], rendered: false },
  ],
};

/**
 * A field the chart renders with one value and a controller of the same chart rewrites to another unless the
 * values pin the runtime value: fixed at the source in addon-values.ts, so these are not ignored but checked by
 * `pnpm validate` (argocd/runtime-drift) against the values each Application really gets.
 */
export interface ValueDrift {
  readonly group: string;
  readonly kind: string;
  readonly name: string;
  readonly jqPathExpression: string;
  /** The values path and value that make the rendered field equal the runtime one. */
  readonly unless: { readonly path: readonly string[]; readonly equals: unknown };
  readonly why: string;
}

const istioValidator = (name: string): ValueDrift => ({
  group: 'admissionregistration.k8s.io',
  kind: 'ValidatingWebhookConfiguration',
  name,
  jqPathExpression: '.webhooks[]?.failurePolicy',
  // `helm template` (Argo CD) renders `.Release.IsUpgrade` false, so without this value the chart writes Ignore
  // (manifests/charts/{base,istio-control/istio-discovery}/templates/*validatingwebhookconfiguration.yaml at 1.30.3).
  unless: { path: ['base', 'validationFailurePolicy'], equals: 'Fail' },
  why: 'istiod sets failurePolicy Fail once it serves validation (istio 1.30.3 pkg/webhooks/validation/controller/controller.go:276)',
});

export const VALUE_DRIFTS: Readonly<Record<string, readonly ValueDrift[]>> = {
  'istio-base': [istioValidator('istiod-default-validator')],
  istiod: [istioValidator('istio-validator-istio-system')],
};

/** The Application `spec.ignoreDifferences` of add-on `name`: every field its chart's controllers rewrite. */
export const addonIgnoreDifferences = (name: string): IResourceIgnoreDifferences[] =>
  (RUNTIME_MUTATIONS[name] ?? []).map((m) => ({
    group: m.group,
    kind: m.kind,
    name: m.name,
    ...(m.jqPathExpressions ? { jqPathExpressions: [...m.jqPathExpressions] } : {}),
    ...(m.jsonPointers ? { jsonPointers: [...m.jsonPointers] } : {}),
  }));
