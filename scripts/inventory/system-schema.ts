// The service spec: a whole system (its own stack: namespace, AppProject, ApplicationSets) declared in
// `inventory/systems/<system>.yaml` with no code. Like schema.ts, TypeBox builds both the JSON Schema editors and
// ajv read and the TypeScript types the compiler (scripts/components/services/) reads, so they cannot drift.
// Semantic rules the schema cannot say (a probe naming an unknown port, a database without a volume) live in
// system-checks.ts and report file, line and field like the schema's own issues.
import { Type, type Static } from '@sinclair/typebox';
import {
  AppSettingsSchema,
  AutoscalingSchema,
  CAPABILITIES,
  DisruptionBudgetSchema,
  DNS1035_LABEL,
  DNS1123_LABEL,
  DNS1123_SUBDOMAIN,
  GitHubOwner,
  QUANTITY,
  ResourcesSchema,
  SchemaVersion,
  StringEnum,
} from './schema.ts';

const strict = { additionalProperties: false } as const;


const Quantity = (description: string) => Type.String({ pattern: QUANTITY, description: `${description}; a Kubernetes quantity, quoted ("10Gi")` });

/**
 * A container port name: IANA_SVC_NAME, at most 15 characters, a letter in it, no double hyphen.
 * Checked: kubernetes/apimachinery @ v0.32.0 : pkg/util/validation/validation.go (IsValidPortName).
 */
export const PORT_NAME = '^(?=.{1,15}$)(?!.*--)(?=.*[a-z])[a-z0-9]([-a-z0-9]*[a-z0-9])?$';

/** Presets for well-known backing services (scripts/components/services/presets/). */
export const PRESETS = ['postgres', 'redis', 'nats', 'minio', 'rabbitmq'] as const;
export type PresetName = (typeof PRESETS)[number];

export const APP_PROTOCOLS = ['http', 'grpc', 'tcp'] as const;
export type AppProtocol = (typeof APP_PROTOCOLS)[number];

export const PlacementSchema = Type.Object(
  {
    environments: Type.Optional(
      Type.Array(Type.String({ pattern: DNS1123_LABEL }), { minItems: 1, uniqueItems: true, description: 'Only in these environments (default: every environment)' }),
    ),
    clusters: Type.Optional(
      Type.Array(Type.String({ pattern: DNS1123_LABEL }), { minItems: 1, uniqueItems: true, description: 'Only on these clusters (default: every cluster of those environments)' }),
    ),
    capabilities: Type.Optional(
      Type.Array(StringEnum(CAPABILITIES), { minItems: 1, uniqueItems: true, description: 'Only on clusters with all of these capabilities' }),
    ),
  },
  { ...strict, description: 'Where it runs; every field narrows (all must match)' },
);

export const ServicePortSchema = Type.Object(
  {
    name: Type.String({ pattern: PORT_NAME, description: 'Port name (at most 15 characters, lowercase), referenced by probes, exposure and env' }),
    port: Type.Integer({ minimum: 1024, maximum: 65535, description: 'Port the container listens on (unprivileged: Pod Security restricted drops NET_BIND_SERVICE)' }),
    servicePort: Type.Optional(Type.Integer({ minimum: 1, maximum: 65535, description: 'Port the Service listens on (default: the container port)' })),
    protocol: Type.Optional(StringEnum(['TCP', 'UDP'] as const, { description: 'Transport (default TCP)' })),
    appProtocol: Type.Optional(
      StringEnum(APP_PROTOCOLS, { description: 'What speaks on the port (default http): http and grpc ports may have HTTP/gRPC probes and routes, tcp ports only TCP probes and load balancers' }),
    ),
  },
  strict,
);

export const SecretRefSchema = Type.Object(
  {
    key: Type.String({ pattern: '^[A-Za-z0-9_./-]+$', description: 'Key (path) in the platform secret store' }),
    property: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_.-]+$', description: 'Property of a JSON value stored under the key' })),
  },
  { ...strict, description: 'A value in the platform secret store, materialised by an ExternalSecret (never written to Git)' },
);

export const EnvVarSchema = Type.Object(
  {
    name: Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_]*$', description: 'Variable name' }),
    value: Type.Optional(Type.String({ description: 'A literal value (never a credential: use secret)' })),
    secret: Type.Optional(SecretRefSchema),
    fromService: Type.Optional(
      Type.Object(
        {
          service: Type.String({ pattern: DNS1035_LABEL, description: 'A service of this system (it becomes a dependency)' }),
          port: Type.String({ pattern: PORT_NAME, description: 'One of its port names' }),
          format: Type.Optional(
            Type.String({ minLength: 1, description: 'The value, with {host} and {port} replaced (default "{host}:{port}"), e.g. "http://{host}:{port}"' }),
          ),
        },
        { ...strict, description: 'Another service\'s in-cluster address' },
      ),
    ),
  },
  { ...strict, description: 'One environment variable: exactly one of value, secret or fromService' },
);

export const VolumeSchema = Type.Object(
  {
    name: Type.String({ pattern: DNS1123_LABEL, description: 'Volume name (a preset\'s volume of the same name is replaced)' }),
    mountPath: Type.String({ pattern: '^/', description: 'Where the container sees it' }),
    readOnly: Type.Optional(Type.Boolean()),
    persistent: Type.Optional(
      Type.Object(
        {
          size: Quantity('Requested capacity'),
          storageClass: Type.Optional(Type.String({ pattern: DNS1123_SUBDOMAIN, description: 'Storage class (default: the cluster\'s storageClass)' })),
          accessMode: Type.Optional(StringEnum(['ReadWriteOnce', 'ReadWriteOncePod', 'ReadWriteMany', 'ReadOnlyMany'] as const, { description: 'Default ReadWriteOnce' })),
        },
        { ...strict, description: 'A PersistentVolumeClaim (one per replica in a StatefulSet)' },
      ),
    ),
    emptyDir: Type.Optional(
      Type.Object(
        {
          sizeLimit: Type.Optional(Quantity('Eviction limit')),
          medium: Type.Optional(StringEnum(['Memory'] as const, { description: 'Memory: a tmpfs counted against the memory limit' })),
        },
        { ...strict, description: 'Scratch space that lives as long as the pod' },
      ),
    ),
  },
  { ...strict, description: 'One volume: exactly one of persistent or emptyDir' },
);

export const ConfigFileSchema = Type.Object(
  {
    path: Type.String({ pattern: '^/.*[^/]$', description: 'Absolute path of the file in the container' }),
    content: Type.String({ description: 'File content (in a ConfigMap: never a credential)' }),
  },
  { ...strict, description: 'A config file from the inventory; a change rolls the pods' },
);

const ProbePort = Type.Union([Type.String({ pattern: PORT_NAME }), Type.Integer({ minimum: 1, maximum: 65535 })], { description: 'Port name or number' });

export const ProbeSchema = Type.Object(
  {
    http: Type.Optional(
      Type.Object({ path: Type.String({ pattern: '^/' }), port: ProbePort }, { ...strict, description: 'HTTP GET; 2xx/3xx is healthy' }),
    ),
    tcp: Type.Optional(Type.Object({ port: ProbePort }, { ...strict, description: 'The port accepts a connection' })),
    exec: Type.Optional(
      Type.Object({ command: Type.Array(Type.String(), { minItems: 1 }) }, { ...strict, description: 'A command in the container exits 0' }),
    ),
    grpc: Type.Optional(
      Type.Object(
        { port: Type.Integer({ minimum: 1, maximum: 65535 }), service: Type.Optional(Type.String()) },
        { ...strict, description: 'gRPC health checking protocol (port number only: Kubernetes does not resolve names for gRPC probes)' },
      ),
    ),
    initialDelaySeconds: Type.Optional(Type.Integer({ minimum: 0, maximum: 3600 })),
    periodSeconds: Type.Optional(Type.Integer({ minimum: 1, maximum: 3600 })),
    timeoutSeconds: Type.Optional(Type.Integer({ minimum: 1, maximum: 3600 })),
    failureThreshold: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
  },
  { ...strict, description: 'One probe: exactly one of http, tcp, exec or grpc' },
);

export const ProbesSchema = Type.Object(
  {
    startup: Type.Optional(ProbeSchema),
    readiness: Type.Optional(ProbeSchema),
    liveness: Type.Optional(ProbeSchema),
  },
  { ...strict, description: 'Health probes (a preset brings its own; these replace them one by one)' },
);

/**
 * KEDA triggers. Each names its connection: a secret in the platform store, or for SQS the pod identity.
 * The compiler (scripts/components/services/keda-triggers.ts) maps them onto KEDA's metadata at the pinned version.
 */
export const TriggerSchema = Type.Object(
  {
    sqs: Type.Optional(
      Type.Object(
        {
          queueURL: Type.String({ pattern: '^https://', description: 'The queue URL; "{environment}" is replaced by the environment\'s name' }),
          region: Type.String({ pattern: '^[a-z]{2}(-[a-z]+)+-[0-9]+$', description: 'AWS region of the queue' }),
          queueLength: Type.Integer({ minimum: 1, maximum: 100000, description: 'Messages per replica before scaling out' }),
          auth: Type.Object(
            {
              podIdentity: Type.Optional(
                StringEnum(['aws'] as const, { description: 'The workload\'s IAM role: the service needs serviceAccount.annotations["eks.amazonaws.com/role-arn"]' }),
              ),
              secret: Type.Optional(SecretRefSchema),
            },
            { ...strict, description: 'How KEDA reads the queue: exactly one of podIdentity or secret (properties awsAccessKeyID, awsSecretAccessKey)' },
          ),
        },
        { ...strict, description: 'Amazon SQS queue depth' },
      ),
    ),
    rabbitmq: Type.Optional(
      Type.Object(
        {
          queue: Type.String({ minLength: 1, description: 'Queue name; "{environment}" is replaced by the environment\'s name' }),
          value: Type.Integer({ minimum: 1, maximum: 100000, description: 'Messages per replica before scaling out' }),
          connection: Type.Object(
            {
              secret: Type.Optional(SecretRefSchema),
              service: Type.Optional(Type.String({ pattern: DNS1035_LABEL, description: 'A rabbitmq preset service of this system' })),
            },
            { ...strict, description: 'The broker: a secret holding the AMQP URL, or a rabbitmq preset service of this system' },
          ),
        },
        { ...strict, description: 'RabbitMQ queue depth' },
      ),
    ),
    natsJetStream: Type.Optional(
      Type.Object(
        {
          stream: Type.String({ minLength: 1, description: 'Stream name; "{environment}" is replaced by the environment\'s name' }),
          consumer: Type.String({ minLength: 1, description: 'Durable consumer name; "{environment}" is replaced likewise' }),
          lagThreshold: Type.Integer({ minimum: 1, maximum: 100000, description: 'Pending messages per replica before scaling out' }),
          account: Type.Optional(Type.String({ minLength: 1, description: 'NATS account (default $G)' })),
          service: Type.String({ pattern: DNS1035_LABEL, description: 'A nats preset service of this system (its monitoring port is read)' }),
        },
        { ...strict, description: 'NATS JetStream consumer lag' },
      ),
    ),
    prometheus: Type.Optional(
      Type.Object(
        {
          query: Type.String({ minLength: 1, description: 'PromQL returning one value; "{environment}" is replaced by the environment\'s name' }),
          threshold: Type.String({ pattern: '^[0-9]+(\\.[0-9]+)?$', description: 'Value per replica before scaling out, quoted' }),
        },
        { ...strict, description: 'A Prometheus query against the cluster\'s Prometheus' },
      ),
    ),
  },
  { ...strict, description: 'One KEDA trigger: exactly one of sqs, rabbitmq, natsJetStream or prometheus' },
);

export const TolerationSchema = Type.Object(
  {
    key: Type.Optional(Type.String({ minLength: 1 })),
    operator: Type.Optional(StringEnum(['Equal', 'Exists'] as const)),
    value: Type.Optional(Type.String()),
    effect: Type.Optional(StringEnum(['NoSchedule', 'PreferNoSchedule', 'NoExecute'] as const)),
    tolerationSeconds: Type.Optional(Type.Integer({ minimum: 0 })),
  },
  strict,
);

export const PublicRouteSchema = Type.Object(
  {
    host: Type.String({
      pattern: '^([a-z0-9]([-a-z0-9]*[a-z0-9])?\\.)*(\\{domain\\}|[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)+)$',
      description: 'Public host; "{domain}" is replaced by the cluster\'s domain, e.g. "api.{domain}"',
    }),
    port: Type.Optional(Type.String({ pattern: PORT_NAME, description: 'Port name served (default: the first http port)' })),
    path: Type.Optional(Type.String({ pattern: '^/', description: 'Path prefix (default /)' })),
    timeoutSeconds: Type.Optional(Type.Integer({ minimum: 1, maximum: 3600, description: 'Request timeout of the route' })),
    retries: Type.Optional(
      Type.Object(
        {
          attempts: Type.Integer({ minimum: 1, maximum: 10 }),
          perTryTimeoutSeconds: Type.Optional(Type.Integer({ minimum: 1, maximum: 3600 })),
        },
        { ...strict, description: 'Retries of failed idempotent requests' },
      ),
    ),
    via: Type.Optional(StringEnum(['ingress', 'mesh'] as const, { description: 'ingress (default): the nginx ingress; mesh: the Istio gateway (clusters with the mesh capability)' })),
  },
  { ...strict, description: 'Public HTTPS route with a certificate from the environment\'s ClusterIssuer' },
);

export const ExposeSchema = Type.Object(
  {
    public: Type.Optional(PublicRouteSchema),
    loadBalancer: Type.Optional(
      Type.Object(
        { ports: Type.Array(Type.String({ pattern: PORT_NAME }), { minItems: 1, uniqueItems: true, description: 'Port names served' }) },
        { ...strict, description: 'TCP ports on a cloud load balancer (the cluster\'s loadBalancer flavour)' },
      ),
    ),
  },
  { ...strict, description: 'How the service is reached from outside the cluster (absent: internal only)' },
);

export const ServiceSchema = Type.Object(
  {
    description: Type.Optional(Type.String({ minLength: 1 })),
    preset: Type.Optional(StringEnum(PRESETS, { description: 'A well-known backing service: StatefulSet, probes, volume, exporter and monitor ready-made' })),
    image: Type.Optional(Type.String({ pattern: DNS1123_LABEL, description: 'Image name: a key of fleet.yaml images, pinned per environment (default for a preset: the preset\'s name)' })),
    kind: Type.Optional(StringEnum(['Deployment', 'StatefulSet'] as const, { description: 'Workload kind (default Deployment; presets: StatefulSet)' })),
    ports: Type.Optional(Type.Array(ServicePortSchema, { uniqueItems: true, description: 'Ports the container listens on; absent: a worker with no Service' })),
    command: Type.Optional(Type.Array(Type.String(), { minItems: 1, description: 'Replaces the image entrypoint' })),
    args: Type.Optional(Type.Array(Type.String(), { description: 'Replaces the image command arguments' })),
    env: Type.Optional(Type.Array(EnvVarSchema, { description: 'Environment variables' })),
    configFiles: Type.Optional(Type.Array(ConfigFileSchema)),
    volumes: Type.Optional(Type.Array(VolumeSchema)),
    probes: Type.Optional(ProbesSchema),
    resources: Type.Optional(ResourcesSchema),
    runAsUser: Type.Optional(Type.Integer({ minimum: 1, maximum: 2147483647, description: 'UID the container runs as (never root; default 10001, presets: the image\'s user)' })),
    replicas: Type.Optional(Type.Integer({ minimum: 0, maximum: 1000, description: 'Fixed replica count in every environment unless the environment says otherwise' })),
    autoscaling: Type.Optional(AutoscalingSchema),
    triggers: Type.Optional(Type.Array(TriggerSchema, { minItems: 1, description: 'KEDA triggers: autoscaling becomes a KEDA ScaledObject scaled on these (and on CPU/memory targets, if set)' })),
    disruptionBudget: Type.Optional(DisruptionBudgetSchema),
    nodeSelector: Type.Optional(Type.Record(Type.String({ minLength: 1 }), Type.String(), { description: 'Node labels the pods need' })),
    tolerations: Type.Optional(Type.Array(TolerationSchema, { description: 'Taints the pods tolerate' })),
    spread: Type.Optional(
      StringEnum(['preferred', 'required', 'none'] as const, {
        description: 'Spread replicas over zones and nodes: preferred (default for Deployments), required (one per node; default for presets) or none',
      }),
    ),
    terminationGracePeriodSeconds: Type.Optional(Type.Integer({ minimum: 0, maximum: 86400, description: 'Time to finish in-flight work after SIGTERM (default 30)' })),
    metrics: Type.Optional(
      Type.Object(
        { port: Type.String({ pattern: PORT_NAME }), path: Type.Optional(Type.String({ pattern: '^/' })) },
        { ...strict, description: 'Prometheus scrapes this port (a ServiceMonitor or, without a Service, a PodMonitor)' },
      ),
    ),
    expose: Type.Optional(ExposeSchema),
    dependsOn: Type.Optional(
      Type.Array(Type.String({ pattern: DNS1035_LABEL }), { uniqueItems: true, description: 'Services of this system it calls: NetworkPolicies open both ways on their ports' }),
    ),
    egress: Type.Optional(
      Type.Array(
        Type.Object(
          {
            cidr: Type.String({ pattern: '^[0-9]{1,3}(\\.[0-9]{1,3}){3}/[0-9]{1,2}$', description: 'IPv4 block, e.g. "0.0.0.0/0" for the internet' }),
            ports: Type.Array(Type.Integer({ minimum: 1, maximum: 65535 }), { minItems: 1, uniqueItems: true, description: 'TCP ports' }),
          },
          strict,
        ),
        { description: 'Destinations outside the cluster it connects to (cloud APIs, SaaS); DNS, traces and its dependencies are always open' },
      ),
    ),
    serviceAccount: Type.Optional(
      Type.Object(
        {
          annotations: Type.Record(Type.String({ minLength: 1 }), Type.String(), {
            description:
              'Annotations of the service\'s own ServiceAccount, e.g. eks.amazonaws.com/role-arn for a cloud role; "{cluster}" and "{environment}" are replaced per cluster',
          }),
        },
        { ...strict, description: 'Give the pods a ServiceAccount of their own (a cloud identity); absent: no ServiceAccount token at all' },
      ),
    ),
    credentials: Type.Optional(
      Type.Object(
        { key: Type.String({ pattern: '^[A-Za-z0-9_./-]+$', description: 'Key in the platform secret store' }) },
        { ...strict, description: 'A preset\'s credentials in the secret store (docs/services.md lists each preset\'s properties)' },
      ),
    ),
    placement: Type.Optional(PlacementSchema),
    environments: Type.Optional(
      Type.Record(Type.String({ pattern: DNS1123_LABEL }), AppSettingsSchema, {
        ...strict,
        description: 'Per-environment replicas, autoscaling, resources and disruption budget (replace the service-level values)',
      }),
    ),
  },
  { ...strict, description: 'One service of the system' },
);


export const SystemFileSchema = Type.Object(
  {
    schemaVersion: SchemaVersion,
    description: Type.String({ minLength: 1, description: 'What the system does (shown in its AppProject)' }),
    owners: Type.Optional(Type.Array(GitHubOwner, { minItems: 1, uniqueItems: true, description: 'Code owners of this file and the system\'s generated paths' })),
    placement: Type.Optional(PlacementSchema),
    services: Type.Record(Type.String({ pattern: DNS1035_LABEL }), ServiceSchema, {
      ...strict,
      minProperties: 1,
      description: 'The services, keyed by name (a DNS-1035 label, unique across the fleet)',
    }),
  },
  { ...strict, description: 'One system: the file name is its name, its stack and its namespace' },
);

export type Placement = Static<typeof PlacementSchema>;
export type ServicePort = Static<typeof ServicePortSchema>;
export type SecretRef = Static<typeof SecretRefSchema>;
export type EnvVar = Static<typeof EnvVarSchema>;
export type Volume = Static<typeof VolumeSchema>;
export type ConfigFile = Static<typeof ConfigFileSchema>;
export type Probe = Static<typeof ProbeSchema>;
export type Probes = Static<typeof ProbesSchema>;
export type Trigger = Static<typeof TriggerSchema>;
export type Toleration = Static<typeof TolerationSchema>;
export type PublicRoute = Static<typeof PublicRouteSchema>;
export type Expose = Static<typeof ExposeSchema>;
export type ServiceSpec = Static<typeof ServiceSchema>;
export type SystemFile = Static<typeof SystemFileSchema>;
