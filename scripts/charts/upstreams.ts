// Where each pinned chart's source lives upstream: the Git repository, the tag a chart version is released
// from, the chart folder, and what the release build changes before packaging. Checked per repository at the
// versions the fleet pins (see the notes on each entry).

/** Build-time changes a release makes to the chart folder before `helm package`. */
export type ChartBuildStep =
  /** `version` and `appVersion` of Chart.yaml set to the release version (the folder holds a placeholder). */
  | 'stamp-version'
  /**
   * cert-manager before the CRDs moved into templates/: Chart.template.yaml becomes Chart.yaml and
   * deploy/crds/*.yaml are concatenated into templates/crds.yaml
   * (cert-manager/cert-manager@v1.16.2:make/manifests.mk, hack/concat-yaml.sh).
   */
  | 'cert-manager-chart'
  /** external-secrets: the CRD templates generated from deploy/crds/bundle.yaml (hack/helm.generate.sh). */
  | 'external-secrets-crds';

export interface ChartUpstream {
  /** `owner/name` of the GitHub repository: the key `--source owner/name=<git-dir>` takes. */
  readonly repo: string;
  readonly tag: (version: string) => string;
  readonly path: string;
  readonly build: readonly ChartBuildStep[];
  /** Dependencies released from the same repository: the tag and folder of `name` at `version`. */
  readonly dependencies?: { readonly repository: string; readonly tag: (name: string, version: string) => string; readonly path: (name: string) => string };
}

const github = (repo: string): string => `https://github.com/${repo}`;
export const upstreamUrl = (u: ChartUpstream): string => github(u.repo);

const ISTIO: Omit<ChartUpstream, 'path'> = {
  repo: 'istio/istio',
  // istio/release-builder pkg/build/helm.go stampChartForRelease: version = appVersion = the release.
  tag: (v) => v,
  build: ['stamp-version'],
};

/** Upstream of each chart, keyed by `<chart repository URL> <chart name>` as inventory/fleet.yaml pins it. */
const UPSTREAMS: Readonly<Record<string, ChartUpstream>> = {
  // argoproj/argo-helm: one tag per chart release, Chart.yaml carries the real version.
  'https://argoproj.github.io/argo-helm argo-cd': { repo: 'argoproj/argo-helm', tag: (v) => `argo-cd-${v}`, path: 'charts/argo-cd', build: [] },
  // Chart.yaml holds v0.0.0 and make/manifests.mk sets version and appVersion to the release (`helm package
  // --version --app-version`); releases up to 1.16 also generate templates/crds.yaml from deploy/crds/.
  'https://charts.jetstack.io cert-manager': {
    repo: 'cert-manager/cert-manager',
    tag: (v) => v,
    path: 'deploy/charts/cert-manager',
    build: ['cert-manager-chart', 'stamp-version'],
  },
  // The v<X> tags carry the previous chart version in Chart.yaml; helm-chart-<X> tags carry the released one.
  // templates/crds/ holds only a README in Git: `make helm.generate` writes the CRD templates before packaging.
  'https://charts.external-secrets.io external-secrets': {
    repo: 'external-secrets/external-secrets',
    tag: (v) => `helm-chart-${v}`,
    path: 'deploy/charts/external-secrets',
    build: ['external-secrets-crds'],
  },
  'https://kubernetes.github.io/ingress-nginx ingress-nginx': { repo: 'kubernetes/ingress-nginx', tag: (v) => `helm-chart-${v}`, path: 'charts/ingress-nginx', build: [] },
  'https://kedacore.github.io/charts keda': { repo: 'kedacore/charts', tag: (v) => `v${v}`, path: 'keda', build: [] },
  'https://kubernetes-sigs.github.io/metrics-server metrics-server': {
    repo: 'kubernetes-sigs/metrics-server',
    tag: (v) => `metrics-server-helm-chart-${v}`,
    path: 'charts/metrics-server',
    build: [],
  },
  'https://prometheus-community.github.io/helm-charts kube-prometheus-stack': {
    repo: 'prometheus-community/helm-charts',
    tag: (v) => `kube-prometheus-stack-${v}`,
    path: 'charts/kube-prometheus-stack',
    build: [],
    // kube-state-metrics and prometheus-node-exporter are released from the same repository.
    dependencies: { repository: 'https://prometheus-community.github.io/helm-charts', tag: (n, v) => `${n}-${v}`, path: (n) => `charts/${n}` },
  },
  // Chart.yaml holds v1.0.0-devel; the release workflow runs `helm package --version TAG --app-version TAG`
  // (NVIDIA/gpu-operator@v26.7.0:.github/workflows/release-rc-assets.yaml). node-feature-discovery is vendored.
  'https://helm.ngc.nvidia.com/nvidia gpu-operator': { repo: 'NVIDIA/gpu-operator', tag: (v) => v, path: 'deployments/gpu-operator', build: ['stamp-version'] },
  'https://istio-release.storage.googleapis.com/charts base': { ...ISTIO, path: 'manifests/charts/base' },
  'https://istio-release.storage.googleapis.com/charts cni': { ...ISTIO, path: 'manifests/charts/istio-cni' },
  'https://istio-release.storage.googleapis.com/charts istiod': { ...ISTIO, path: 'manifests/charts/istio-control/istio-discovery' },
  'https://istio-release.storage.googleapis.com/charts gateway': { ...ISTIO, path: 'manifests/charts/gateway' },
};

const normalise = (url: string): string => url.replace(/\/+$/, '');

/** The upstream of `chart` from `repoURL`, or undefined when this tool does not know it. */
export const chartUpstream = (repoURL: string, chart: string): ChartUpstream | undefined => UPSTREAMS[`${normalise(repoURL)} ${chart}`];

/** `https://github.com/o/r@tag:path`: how the catalog names a chart's source. */
export const sourceLabel = (u: { readonly repo: string }, tag: string, path: string): string => `${github(u.repo)}@${tag}:${path}`;
