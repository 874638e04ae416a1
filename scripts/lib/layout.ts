// Every folder and file name of the generated tree and of the inventory lives here, so that a
// rename is one edit and no module builds a path by hand (argocd-autopilot `pkg/store/store.go`).

/** Hand-edited input. */
export const INVENTORY_DIR = 'inventory';
export const FLEET_FILE = 'fleet.yaml';
export const CLUSTERS_FILE = 'clusters.yaml';
export const ENVIRONMENTS_DIR = 'environments';
/** One file per system (`<system>.yaml`): services declared with no code, each system a stack of its own. */
export const SYSTEMS_DIR = 'systems';
/** Generated JSON Schemas for editor completion, inside the inventory folder. */
export const SCHEMA_DIR = 'schema';

/** Generated top-level folders (relative to the output root). */
export const BASE_DIR = 'base';
export const OVERLAYS_DIR = 'overlays';
export const CLUSTERS_DIR = 'clusters';
export const APPS_DIR = 'apps';
export const ARGOCD_DIR = 'argocd';
export const GENERATED_ROOTS = [BASE_DIR, OVERLAYS_DIR, CLUSTERS_DIR, APPS_DIR, ARGOCD_DIR] as const;

/** Sub-folders of `argocd/`. */
export const ARGOCD_PROJECTS_DIR = 'projects';
export const ARGOCD_BOOTSTRAP_DIR = 'bootstrap';
/** Cluster registrations (ExternalSecrets producing Argo CD cluster Secrets) under `argocd/`. */
export const ARGOCD_CLUSTERS_DIR = 'clusters';
/** Values file of the one-time `helm install` of Argo CD, under `argocd/bootstrap/`. */
export const ARGOCD_VALUES_FILE = 'argocd-values.yaml';

/** Name of the folder under `base/<stack>/` that holds the stack's Namespace and namespace-wide policy. */
export const NAMESPACE_UNIT = 'namespace';

export const KUSTOMIZATION_FILE = 'kustomization.yaml';
/**
 * A cluster stack's own objects (hosts, certificates, mesh routes) in one multi-document file: a thousand clusters
 * stay a few thousand files, not tens of thousands, for the writer, for Git and for Argo CD's repo-server.
 */
export const CLUSTER_RESOURCES_FILE = 'cluster-resources.yaml';
export const FOLDER_README = 'README.md';

/** GitHub's code owners file, generated from the inventory's `owners`. */
export const CODEOWNERS_PATH = '.github/CODEOWNERS';

/** GitHub Actions workflows, generated from the inventory (environments and stacks are choices). */
export const WORKFLOWS_DIR = '.github/workflows';

/** The ledger of generated paths and content hashes, at the output root. */
export const LEDGER_FILE = '.gen-ledger.json';

/** The command that writes the generated tree; named in every generated file's header. */
export const GEN_COMMAND = 'pnpm gen';

export const posixJoin = (...parts: string[]): string => parts.filter((p) => p.length > 0).join('/');

export const basePath = (stack: string, unit: string): string => posixJoin(BASE_DIR, stack, unit);
export const overlayPath = (env: string, stack: string, app: string): string =>
  posixJoin(OVERLAYS_DIR, env, stack, app);
export const clusterStackPath = (cluster: string, stack: string): string =>
  posixJoin(CLUSTERS_DIR, cluster, stack);

/** Per-cluster platform config (ClusterIssuers, ClusterSecretStore) under `clusters/<cluster>/`. */
export const PLATFORM_CONFIG_DIR = 'platform';
export const platformConfigPath = (cluster: string): string => posixJoin(CLUSTERS_DIR, cluster, PLATFORM_CONFIG_DIR);

/**
 * Per-cluster Helm values of the add-ons whose values depend on the cluster, under `clusters/<cluster>/`: the add-on's
 * Application reads `<this>/<add-on>.yaml` through its `$values` source.
 */
export const ADDON_VALUES_DIR = 'addons';
export const addonValuesPath = (cluster: string, addon: string): string => posixJoin(CLUSTERS_DIR, cluster, ADDON_VALUES_DIR, `${addon}.yaml`);

/** Namespace of the hub's Argo CD. */
export const ARGOCD_NAMESPACE = 'argocd';
