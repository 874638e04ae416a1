// Inventory settings of the platform add-ons: fleet-wide defaults (fleet.yaml `platform:`), per-cluster overrides
// (clusters.yaml `platform:`) and per-environment settings (environments/<env>.yaml `platform:`). Every field is
// optional: the platform code (scripts/platform/) holds the defaults, so a small inventory stays small.
import { Type, type Static } from '@sinclair/typebox';

const strict = { additionalProperties: false } as const;

const enumOf = <T extends string>(values: readonly T[], description: string): ReturnType<typeof Type.Unsafe<T>> =>
  Type.Unsafe<T>({ type: 'string', enum: [...values], description });

/** How cert-manager proves domain ownership to Let's Encrypt. */
export const ACME_SOLVERS = ['http01', 'route53', 'cloudflare'] as const;
export type AcmeSolver = (typeof ACME_SOLVERS)[number];

/** Which Let's Encrypt directory an environment's ClusterIssuer talks to. */
export const ACME_SERVERS = ['staging', 'production'] as const;
export type AcmeServer = (typeof ACME_SERVERS)[number];

/** The external secret managers the ClusterSecretStore can front. */
export const SECRET_PROVIDERS = ['aws', 'vault', 'gcp'] as const;
export type SecretProvider = (typeof SECRET_PROVIDERS)[number];

const AWS_REGION = '^[a-z]{2}(-[a-z]+)+-[0-9]$';

export const AcmeSettingsSchema = Type.Object(
  {
    email: Type.Optional(
      Type.String({ pattern: '^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$', description: 'ACME account e-mail: Let\'s Encrypt sends expiry warnings here' }),
    ),
    solver: Type.Optional(
      enumOf(ACME_SOLVERS, 'http01 (default): HTTP-01 through the ingress class; route53 / cloudflare: DNS-01 (wildcards, private clusters)'),
    ),
    ingressClass: Type.Optional(Type.String({ pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$', description: 'Ingress class of the HTTP-01 solver (default nginx)' })),
    route53: Type.Optional(
      Type.Object(
        {
          region: Type.Optional(Type.String({ pattern: AWS_REGION, description: 'Region of the Route 53 API (default: the cluster\'s region)' })),
          hostedZoneID: Type.String({ pattern: '^[A-Z0-9]+$', description: 'Hosted zone of the clusters\' domains' }),
          role: Type.Optional(Type.String({ pattern: '^arn:aws:iam::[0-9]{12}:role/.+$', description: 'IAM role cert-manager assumes (otherwise its IRSA identity)' })),
        },
        { ...strict, description: 'DNS-01 through AWS Route 53 (solver route53)' },
      ),
    ),
    cloudflare: Type.Optional(
      Type.Object(
        {
          apiTokenKey: Type.String({ pattern: '^[A-Za-z0-9_./-]+$', description: 'Key of the Cloudflare API token in the secret store (read through an ExternalSecret)' }),
        },
        { ...strict, description: 'DNS-01 through Cloudflare (solver cloudflare)' },
      ),
    ),
  },
  { ...strict, description: 'cert-manager ACME (Let\'s Encrypt) settings of the ClusterIssuers' },
);

export const SecretStoreSettingsSchema = Type.Object(
  {
    provider: Type.Optional(enumOf(SECRET_PROVIDERS, 'aws (default): AWS Secrets Manager; vault: HashiCorp Vault; gcp: Google Secret Manager')),
    aws: Type.Optional(
      Type.Object(
        {
          region: Type.Optional(Type.String({ pattern: AWS_REGION, description: 'Secrets Manager region (default: the cluster\'s region)' })),
          serviceAccount: Type.Optional(
            Type.String({ pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$', description: 'IRSA service account of external-secrets (default external-secrets)' }),
          ),
        },
        { ...strict, description: 'AWS Secrets Manager, authenticated with IRSA' },
      ),
    ),
    vault: Type.Optional(
      Type.Object(
        {
          server: Type.String({ pattern: '^https?://', description: 'Vault address' }),
          path: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_/-]+$', description: 'KV v2 mount (default secret)' })),
          role: Type.String({ pattern: '^[A-Za-z0-9_-]+$', description: 'Vault Kubernetes-auth role of external-secrets' }),
          mountPath: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_/-]+$', description: 'Kubernetes auth mount (default kubernetes)' })),
        },
        { ...strict, description: 'HashiCorp Vault KV v2, Kubernetes auth' },
      ),
    ),
    gcp: Type.Optional(
      Type.Object(
        { projectID: Type.String({ pattern: '^[a-z][-a-z0-9]{4,28}[a-z0-9]$', description: 'Project of the secrets (Workload Identity of external-secrets)' }) },
        { ...strict, description: 'Google Secret Manager' },
      ),
    ),
  },
  { ...strict, description: `The ClusterSecretStore every cluster gets; apps' ExternalSecrets read it` },
);

export const PlatformFleetSettingsSchema = Type.Object(
  {
    acme: Type.Optional(AcmeSettingsSchema),
    secretStore: Type.Optional(SecretStoreSettingsSchema),
  },
  { ...strict, description: 'Platform settings for the whole fleet' },
);

export const PlatformClusterSettingsSchema = Type.Object(
  {
    acme: Type.Optional(AcmeSettingsSchema),
    secretStore: Type.Optional(SecretStoreSettingsSchema),
  },
  { ...strict, description: 'Platform settings of this cluster (each block replaces the fleet\'s block of the same name)' },
);

export const PlatformEnvironmentSettingsSchema = Type.Object(
  {
    acmeServer: Type.Optional(
      enumOf(ACME_SERVERS, 'Let\'s Encrypt directory (default: production for the last environment of the promotion chain, staging elsewhere)'),
    ),
  },
  { ...strict, description: 'Platform settings of this environment' },
);

export type AcmeSettings = Static<typeof AcmeSettingsSchema>;
export type SecretStoreSettings = Static<typeof SecretStoreSettingsSchema>;
export type PlatformFleetSettings = Static<typeof PlatformFleetSettingsSchema>;
export type PlatformClusterSettings = Static<typeof PlatformClusterSettingsSchema>;
export type PlatformEnvironmentSettings = Static<typeof PlatformEnvironmentSettingsSchema>;
