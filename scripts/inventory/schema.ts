// The inventory's single definition: TypeBox builds both the JSON Schema that ajv validates (and that
// editors read through the yaml-language-server modeline) and the TypeScript types, so they cannot drift.
import { Type, type Static, type TArray, type TOptional, type TSchema, type TString, type TUnsafe } from '@sinclair/typebox';
import { MonitoringClusterSettingsSchema, MonitoringEnvironmentSettingsSchema, MonitoringFleetSettingsSchema } from './stack-settings/monitoring.ts';
import { PlatformClusterSettingsSchema, PlatformEnvironmentSettingsSchema, PlatformFleetSettingsSchema } from './stack-settings/platform.ts';
import { StreamingClusterSettingsSchema, StreamingEnvironmentSettingsSchema, StreamingFleetSettingsSchema } from './stack-settings/streaming.ts';
import { OLDEST_SCHEMA_VERSION, SCHEMA_VERSION } from './schema-version.ts';
import { TranscodingClusterSettingsSchema, TranscodingEnvironmentSettingsSchema, TranscodingFleetSettingsSchema } from './stack-settings/transcoding.ts';

/** The built-in stacks; each system of `inventory/systems/` is a stack too (named after its file). */
export const STACKS = ['streaming', 'transcoding', 'monitoring'] as const;
export type BuiltInStack = (typeof STACKS)[number];
/** A built-in stack or a system. */
export type StackName = string;

export const CAPABILITIES = ['gpu', 'mesh'] as const;
export type Capability = (typeof CAPABILITIES)[number];

/** How a cluster exposes TCP (RTMP) to the internet; each flavour maps to cloud-specific Service annotations. */
export const LOAD_BALANCERS = ['aws-nlb', 'gcp-l4', 'azure-lb', 'metallb', 'klipper'] as const;
export type LoadBalancerFlavour = (typeof LOAD_BALANCERS)[number];

/** RFC 1123 label: what Kubernetes accepts as a namespace, cluster or Application name segment. */
export const DNS1123_LABEL = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$';
/**
 * RFC 1035 label: what Kubernetes accepts as a Service name (a letter first, at most 63 characters; the length is
 * part of the pattern because record keys have no maxLength). Names that become Services must be one: `9api` is a
 * valid Deployment name but not a valid Service name.
 * Checked: kubernetes/apimachinery @ v0.32.0 : pkg/util/validation/validation.go (dns1035LabelFmt
 * "[a-z]([-a-z0-9]*[a-z0-9])?", DNS1035LabelMaxLength 63) and kubernetes/kubernetes pkg/apis/core/validation
 * (ValidateServiceName = NameIsDNS1035Label).
 */
export const DNS1035_LABEL = '^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$';
export const DNS1123_SUBDOMAIN = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$';
/** A Kubernetes resource quantity such as `250m`, `1`, `512Mi`, `1.5Gi`. */
export const QUANTITY = '^[0-9]+(\\.[0-9]+)?(m|k|M|G|T|Ki|Mi|Gi|Ti)?$';
/** An image tag (never `latest`), optionally pinned to a digest: `1.27.3` or `1.27.3@sha256:<64 hex>`. */
export const VERSION_PIN = '^(?!latest$)[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}(@sha256:[a-f0-9]{64})?$';
/** An image repository without tag or digest: `ghcr.io/org/name`. */
export const IMAGE_REPOSITORY = '^[a-z0-9]+([._-][a-z0-9]+)*(:[0-9]+)?(/[a-z0-9]+([._-][a-z0-9]+)*)*$';

const strict = { additionalProperties: false } as const;

/**
 * Every inventory file's first field. The loader checks the range itself before the schema runs (a newer or older
 * format gets one clear issue, not a list of unknown fields), so ajv sees only readable versions.
 */
export const SchemaVersion = Type.Integer({
  minimum: OLDEST_SCHEMA_VERSION,
  maximum: SCHEMA_VERSION,
  description: `Inventory format version of this file (this streamfleet reads ${OLDEST_SCHEMA_VERSION}–${SCHEMA_VERSION})`,
});

/** A string enum as plain JSON Schema `enum` (one clear ajv error), typed as the literal union. */
export const StringEnum = <T extends readonly string[]>(values: T, options: { description?: string } = {}): TUnsafe<T[number]> =>
  Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...options });

const Quantity = Type.String({ pattern: QUANTITY, description: 'Kubernetes quantity, quoted: "250m", "1", "512Mi"' });

export const ResourceListSchema = Type.Object(
  { cpu: Type.Optional(Quantity), memory: Type.Optional(Quantity), 'ephemeral-storage': Type.Optional(Quantity) },
  strict,
);

export const ResourcesSchema = Type.Object(
  { requests: Type.Optional(ResourceListSchema), limits: Type.Optional(ResourceListSchema) },
  { ...strict, description: 'Container resources; replaces the component default for this environment' },
);

/** One HPA scaling policy. Bounds: Kubernetes pkg/apis/autoscaling/validation (MaxPeriodSeconds 1800). */
export const ScalingPolicySchema = Type.Object(
  {
    type: StringEnum(['Pods', 'Percent'] as const, { description: 'Pods: add/remove this many pods; Percent: this % of the current count' }),
    value: Type.Integer({ minimum: 1, maximum: 1000 }),
    periodSeconds: Type.Integer({ minimum: 1, maximum: 1800, description: 'The policy holds over this window' }),
  },
  strict,
);

/** HPA scaling rules: behavior.scaleUp/scaleDown without the stabilization window (which has its own field). */
const scalingRules = (description: string) =>
  Type.Object(
    {
      selectPolicy: Type.Optional(StringEnum(['Max', 'Min'] as const, { description: 'Max (Kubernetes default): the policy allowing the larger change wins; Min: the smaller' })),
      policies: Type.Array(ScalingPolicySchema, { minItems: 1, maxItems: 4 }),
    },
    { ...strict, description },
  );

export const AutoscalingSchema = Type.Object(
  {
    minReplicas: Type.Integer({ minimum: 1, maximum: 1000 }),
    maxReplicas: Type.Integer({ minimum: 1, maximum: 1000 }),
    targetCPUUtilizationPercentage: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
    targetMemoryUtilizationPercentage: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
    scaleUpStabilizationSeconds: Type.Optional(Type.Integer({ minimum: 0, maximum: 3600 })),
    scaleDownStabilizationSeconds: Type.Optional(Type.Integer({ minimum: 0, maximum: 3600 })),
    scaleUp: Type.Optional(scalingRules('How fast replicas are added (default: the component\'s own pace)')),
    scaleDown: Type.Optional(scalingRules('How fast replicas are removed (default: the component\'s own pace)')),
    targetQueueLength: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 10000, description: 'Queue consumers (KEDA): messages waiting per replica before scaling out' }),
    ),
  },
  {
    ...strict,
    description: 'When present, a HorizontalPodAutoscaler owns the replica count and `replicas` must be absent',
  },
);

/** A PodDisruptionBudget count: pods, or a percentage of the replicas. */
const budgetCount = (description: string) =>
  Type.Union([Type.Integer({ minimum: 0, maximum: 1000 }), Type.String({ pattern: '^([0-9]|[1-9][0-9]|100)%$' })], { description });

export const DisruptionBudgetSchema = Type.Object(
  {
    minAvailable: Type.Optional(budgetCount('Pods (or % of replicas, "50%") that voluntary disruptions (drains) must leave running')),
    maxUnavailable: Type.Optional(budgetCount('Pods (or % of replicas, "20%") that voluntary disruptions may take down at once')),
  },
  {
    ...strict,
    minProperties: 1,
    maxProperties: 1,
    description: 'The app\'s PodDisruptionBudget in this environment: exactly one of minAvailable or maxUnavailable (default maxUnavailable: 1)',
  },
);

export const AppSettingsSchema = Type.Object(
  {
    replicas: Type.Optional(Type.Integer({ minimum: 0, maximum: 1000, description: 'Fixed replica count (no HPA)' })),
    resources: Type.Optional(ResourcesSchema),
    autoscaling: Type.Optional(AutoscalingSchema),
    disruptionBudget: Type.Optional(DisruptionBudgetSchema),
  },
  strict,
);

export const SyncPolicySchema = Type.Object(
  {
    automated: Type.Boolean({ description: 'Argo CD syncs on every Git change' }),
    selfHeal: Type.Boolean({ description: 'Argo CD reverts changes made on the cluster' }),
    prune: Type.Boolean({ description: 'Argo CD deletes resources removed from Git' }),
  },
  strict,
);

/** `maxUpdate` of a RollingSync step: a count of Applications or a percentage. */
const MaxUpdate = Type.Union([Type.Integer({ minimum: 1 }), Type.String({ pattern: '^([1-9][0-9]?|100)%$' })], {
  description: 'Applications updated at once in this environment: a number or a percentage such as "25%"',
});

export const EnvironmentFileSchema = Type.Object(
  {
    schemaVersion: SchemaVersion,
    promotesTo: Type.Optional(
      Type.String({ pattern: DNS1123_LABEL, description: 'Next environment in the promotion order' }),
    ),
    syncPolicy: SyncPolicySchema,
    clusterIssuer: Type.String({
      pattern: DNS1123_SUBDOMAIN,
      description: 'cert-manager ClusterIssuer for this environment\'s TLS certificates (Let\'s Encrypt staging outside prod)',
    }),
    apps: Type.Optional(
      Type.Record(Type.String({ pattern: DNS1123_LABEL }), AppSettingsSchema, {
        ...strict, // TypeBox records otherwise accept keys that miss the key pattern
        description: 'Per-app settings for this environment, keyed by app name',
      }),
    ),
    progressiveSync: Type.Optional(
      Type.Object({ maxUpdate: MaxUpdate }, { ...strict, description: 'RollingSync step of this environment' }),
    ),
    streaming: Type.Optional(StreamingEnvironmentSettingsSchema),
    transcoding: Type.Optional(TranscodingEnvironmentSettingsSchema),
    monitoring: Type.Optional(MonitoringEnvironmentSettingsSchema),
    platform: Type.Optional(PlatformEnvironmentSettingsSchema),
    versions: Type.Record(
      Type.String({ pattern: DNS1123_LABEL }),
      Type.String({ pattern: VERSION_PIN, description: 'Image tag, quoted; optionally tag@sha256:digest' }),
      {
        ...strict,
        description: 'Image version pins for this environment, keyed by image name (what promotion rewrites)',
      },
    ),
  },
  { ...strict, description: 'One environment: file name is its name' },
);

export const DestinationSchema = Type.Object(
  {
    server: Type.Optional(Type.String({ pattern: '^https://', description: 'API server URL registered in Argo CD' })),
    name: Type.Optional(Type.String({ pattern: DNS1123_SUBDOMAIN, description: 'Cluster name registered in Argo CD' })),
  },
  { ...strict, minProperties: 1, maxProperties: 1, description: 'Argo CD destination: exactly one of server or name' },
);

/** An API group name as Kubernetes spells it (`monitoring.coreos.com`); the core group has no name. */
const ApiGroupList = (description: string): TArray<TString> =>
  Type.Array(Type.String({ pattern: DNS1123_SUBDOMAIN }), { uniqueItems: true, description });

export const ClusterSchema = Type.Object(
  {
    name: Type.String({ pattern: DNS1123_LABEL, maxLength: 63 }),
    environment: Type.String({ pattern: DNS1123_LABEL }),
    region: Type.String({ pattern: DNS1123_LABEL }),
    destination: DestinationSchema,
    domain: Type.String({ pattern: DNS1123_SUBDOMAIN, maxLength: 200, description: 'Ingress base domain' }),
    storageClass: Type.String({ pattern: DNS1123_SUBDOMAIN }),
    loadBalancer: StringEnum(LOAD_BALANCERS, { description: 'How TCP (RTMP) is load-balanced on this cluster' }),
    capabilities: Type.Optional(Type.Array(StringEnum(CAPABILITIES), { uniqueItems: true })),
    stacks: Type.Array(StringEnum(STACKS), { minItems: 1, uniqueItems: true }),
    baseline: Type.Optional(
      ApiGroupList(
        'API groups the cluster serves before Argo CD syncs anything to it, besides the Kubernetes built-in ones (CRDs the provider pre-installs); `pnpm validate` counts on nothing else',
      ),
    ),
    streaming: Type.Optional(StreamingClusterSettingsSchema),
    transcoding: Type.Optional(TranscodingClusterSettingsSchema),
    monitoring: Type.Optional(MonitoringClusterSettingsSchema),
    platform: Type.Optional(PlatformClusterSettingsSchema),
  },
  strict,
);

export const ClustersFileSchema = Type.Object({ schemaVersion: SchemaVersion, clusters: Type.Array(ClusterSchema) }, strict);

export const ImageSchema = Type.Object(
  { repository: Type.String({ pattern: IMAGE_REPOSITORY, description: 'Image repository, no tag' }) },
  strict,
);

/** A pinned Helm chart; versions are quoted strings so a bot can bump them in place. */
export const ChartSchema = Type.Object(
  {
    repoURL: Type.String({ pattern: '^(https://|oci://)', description: 'Helm repository URL' }),
    chart: Type.String({ pattern: DNS1123_LABEL }),
    version: Type.String({ pattern: '^v?[0-9]+\\.[0-9]+\\.[0-9]+([-+][0-9A-Za-z.-]+)?$', description: 'Exact chart version, quoted' }),
  },
  strict,
);

export const AddonSchema = Type.Object(
  {
    ...ChartSchema.properties,
    namespace: Type.String({ pattern: DNS1123_LABEL, description: 'Namespace the add-on is installed in' }),
    requires: Type.Optional(
      Type.Array(StringEnum(CAPABILITIES), {
        uniqueItems: true,
        description: 'Installed only on clusters with all of these capabilities',
      }),
    ),
    serverSideApply: Type.Optional(
      Type.Boolean({ description: 'Apply server-side: needed for CRDs too large for the last-applied annotation' }),
    ),
  },
  strict,
);

export const ArgoCdSchema = Type.Object(
  {
    chart: ChartSchema,
    progressiveSync: Type.Boolean({
      description:
        'Roll changes out environment by environment with RollingSync (beta; disables auto-sync of generated Applications)',
    }),
    clusterSecretStore: Type.String({
      pattern: DNS1123_SUBDOMAIN,
      description: 'ClusterSecretStore on the hub that holds each cluster\'s Argo CD credentials',
    }),
    clusterSecretPrefix: Type.String({
      pattern: '^[A-Za-z0-9_./-]+$',
      description: 'Key prefix of the cluster credentials in that store: <prefix>/<cluster>',
    }),
    hubBaseline: Type.Optional(
      ApiGroupList(
        'API groups the hub serves before the root\'s first sync, besides Kubernetes\' own and what `pnpm bootstrap` installs (Argo CD, external-secrets); `pnpm validate` counts on nothing else',
      ),
    ),
  },
  strict,
);

export const GitHubOwner = Type.String({ pattern: '^@[A-Za-z0-9][A-Za-z0-9-]*(/[A-Za-z0-9._-]+)?$', description: 'GitHub user or @org/team' });

export const OwnersSchema = Type.Object(
  {
    platform: Type.Array(GitHubOwner, { minItems: 1, description: 'Owners of everything; the only owners of protected environments' }),
    stacks: Type.Optional(
      Type.Object(
        Object.fromEntries(STACKS.map((s) => [s, Type.Optional(Type.Array(GitHubOwner, { minItems: 1 }))])) as Record<
          BuiltInStack,
          TOptional<TArray<TString>>
        >,
        { ...strict, description: 'Owners of each stack\'s paths outside protected environments' },
      ),
    ),
    protectedEnvironments: Type.Array(Type.String({ pattern: DNS1123_LABEL }), {
      uniqueItems: true,
      description: 'Environments whose paths only the platform owners may approve (e.g. prod)',
    }),
  },
  { ...strict, description: 'Code owners, written to .github/CODEOWNERS' },
);

/** One accepted exception to a `pnpm validate` policy rule; the narrower the match, the better. */
export const PolicyExemptionSchema = Type.Object(
  {
    rule: Type.String({ pattern: '^[a-z0-9-]+/[a-z0-9-]+$', description: 'Rule id as `pnpm validate` prints it, e.g. pod-security/host-path' }),
    environment: Type.Optional(Type.String({ pattern: DNS1123_LABEL, description: 'Only in this environment' })),
    cluster: Type.Optional(Type.String({ pattern: DNS1123_LABEL, description: 'Only on this cluster' })),
    namespace: Type.Optional(Type.String({ pattern: DNS1123_LABEL, description: 'Only objects in this namespace' })),
    kind: Type.Optional(Type.String({ pattern: '^[A-Z][A-Za-z0-9]*$', description: 'Only objects of this kind' })),
    name: Type.Optional(Type.String({ pattern: DNS1123_SUBDOMAIN, description: 'Only the object of this name' })),
    reason: Type.String({ minLength: 10, description: 'Why the exception is acceptable (shown in reports)' }),
  },
  strict,
);

export const PolicySchema = Type.Object(
  {
    allowedRegistries: Type.Optional(
      Type.Array(Type.String({ pattern: '^[a-z0-9]([-a-z0-9.]*[a-z0-9])?(:[0-9]+)?(/[a-z0-9._-]+)*$' }), {
        uniqueItems: true,
        description: 'Image registries (optionally with a path prefix) workloads may pull from, e.g. ghcr.io/acme-media',
      }),
    ),
    exemptions: Type.Optional(Type.Array(PolicyExemptionSchema, { description: 'Accepted exceptions to validate rules, each with a reason' })),
  },
  { ...strict, description: 'Settings of the `pnpm validate` policy checks' },
);

/** A simple HTTP service declared in the inventory (`pnpm new app`), rendered by the generic component. */
export const InventoryAppSchema = Type.Object(
  {
    stack: StringEnum(STACKS, { description: 'Stack (and namespace) the app belongs to' }),
    image: Type.String({ pattern: DNS1123_LABEL, description: 'Image name: a key of `images`, pinned per environment' }),
    port: Type.Integer({ minimum: 1024, maximum: 65535, description: 'HTTP port the container listens on (unprivileged)' }),
    public: Type.Optional(Type.Boolean({ description: 'Serve https://<app>.<cluster domain> through the ingress' })),
    health: Type.Optional(
      Type.Object(
        {
          liveness: Type.String({ pattern: '^/', description: 'Liveness path (default /health)' }),
          readiness: Type.String({ pattern: '^/', description: 'Readiness path (default /health/ready)' }),
        },
        strict,
      ),
    ),
  },
  strict,
);

export const FleetFileSchema = Type.Object(
  {
    schemaVersion: SchemaVersion,
    name: Type.String({ pattern: DNS1123_LABEL, description: 'Fleet name, used in labels' }),
    kubernetesVersion: Type.Optional(
      Type.String({ pattern: '^1\\.[0-9]+$', description: 'Kubernetes minor version the clusters run, quoted ("1.32"); `pnpm validate` checks API versions against it' }),
    ),
    git: Type.Object(
      {
        repoURL: Type.String({ minLength: 1, description: 'This repository, as Argo CD clones it' }),
        targetRevision: Type.String({ minLength: 1, description: 'Branch Argo CD tracks' }),
      },
      strict,
    ),
    images: Type.Record(Type.String({ pattern: DNS1123_LABEL }), ImageSchema, {
      ...strict,
      description: 'Every image the fleet runs, keyed by image name; tags are pinned per environment',
    }),
    argocd: ArgoCdSchema,
    owners: Type.Optional(OwnersSchema),
    apps: Type.Optional(
      // The app name is its Deployment's and its Service's name: a DNS-1035 label.
      Type.Record(Type.String({ pattern: DNS1035_LABEL }), InventoryAppSchema, {
        ...strict,
        description: 'HTTP services declared here instead of in code (`pnpm new app`); the name becomes a Service name (a letter first, at most 63 characters)',
      }),
    ),
    // The add-on name is its Helm release name, which the charts put in front of their Service names.
    addons: Type.Record(Type.String({ pattern: DNS1035_LABEL }), AddonSchema, {
      ...strict,
      description: 'Platform add-ons (pinned Helm charts), installed before the stacks on every cluster that needs them',
    }),
    policy: Type.Optional(PolicySchema),
    streaming: Type.Optional(StreamingFleetSettingsSchema),
    transcoding: Type.Optional(TranscodingFleetSettingsSchema),
    monitoring: Type.Optional(MonitoringFleetSettingsSchema),
    platform: Type.Optional(PlatformFleetSettingsSchema),
  },
  strict,
);

export type ResourceList = Static<typeof ResourceListSchema>;
export type Resources = Static<typeof ResourcesSchema>;
export type Autoscaling = Static<typeof AutoscalingSchema>;
export type AppSettings = Static<typeof AppSettingsSchema>;
export type ScalingPolicy = Static<typeof ScalingPolicySchema>;
export type ScalingRules = NonNullable<Autoscaling['scaleUp']>;
export type DisruptionBudget = Static<typeof DisruptionBudgetSchema>;
export type SyncPolicy = Static<typeof SyncPolicySchema>;
export type EnvironmentFile = Static<typeof EnvironmentFileSchema>;
export type Destination = Static<typeof DestinationSchema>;
export type ClusterEntry = Static<typeof ClusterSchema>;
export type ClustersFile = Static<typeof ClustersFileSchema>;
export type FleetFile = Static<typeof FleetFileSchema>;
export type Chart = Static<typeof ChartSchema>;
export type Owners = Static<typeof OwnersSchema>;
export type InventoryApp = Static<typeof InventoryAppSchema>;
export type Addon = Static<typeof AddonSchema>;
export type ArgoCdSettings = Static<typeof ArgoCdSchema>;
export type FleetPolicy = Static<typeof PolicySchema>;
export type PolicyExemption = Static<typeof PolicyExemptionSchema>;

/** The published schemas, by file name under `inventory/schema/`. */
export const PUBLISHED_SCHEMAS: ReadonlyArray<{ file: string; title: string; schema: TSchema }> = [
  { file: 'fleet.schema.json', title: 'Fleet (inventory/fleet.yaml)', schema: FleetFileSchema },
  { file: 'clusters.schema.json', title: 'Clusters (inventory/clusters.yaml)', schema: ClustersFileSchema },
  { file: 'environment.schema.json', title: 'Environment (inventory/environments/<env>.yaml)', schema: EnvironmentFileSchema },
];
