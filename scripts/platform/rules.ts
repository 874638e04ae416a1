// Pure rules of the platform settings, shared by the inventory loader (which reports them at file:line) and
// the platform render (which refuses to render what they reject), so the two can never disagree.
import type { AcmeServer, AcmeSettings, SecretStoreSettings } from '../inventory/stack-settings/platform.ts';

export const AWS_REGION = /^[a-z]{2}(-[a-z]+)+-[0-9]$/;

/** The ClusterIssuer name rendered for each Let's Encrypt directory; environments' `clusterIssuer` must use it. */
export const ISSUER_NAME: Readonly<Record<AcmeServer, string>> = {
  staging: 'letsencrypt-staging',
  production: 'letsencrypt-prod',
};

/**
 * Let's Encrypt directory of an environment: production only for the end of the promotion chain (what users
 * see), staging everywhere else so that dev and staging never burn production rate limits.
 */
export const acmeServerFor = (env: { promotesTo?: string | undefined; platform?: { acmeServer?: AcmeServer } | undefined }): AcmeServer =>
  env.platform?.acmeServer ?? (env.promotesTo === undefined ? 'production' : 'staging');

/** What an ACME block lacks for its solver; undefined when complete. */
export const acmeProblem = (acme: AcmeSettings): string | undefined => {
  const solver = acme.solver ?? 'http01';
  if (solver === 'route53' && acme.route53 === undefined) return 'solver route53 needs route53.hostedZoneID';
  if (solver === 'cloudflare' && acme.cloudflare === undefined) return 'solver cloudflare needs cloudflare.apiTokenKey';
  return undefined;
};

/** What a secret-store block lacks on a cluster in `clusterRegion`; undefined when complete. */
export const secretStoreProblem = (store: SecretStoreSettings, clusterRegion: string): string | undefined => {
  switch (store.provider ?? 'aws') {
    case 'aws': {
      const region = store.aws?.region ?? clusterRegion;
      return AWS_REGION.test(region)
        ? undefined
        : `provider aws (AWS Secrets Manager) in region "${region}", which is not an AWS region: set secretStore.aws.region or another secretStore.provider`;
    }
    case 'vault':
      return store.vault === undefined ? 'provider vault needs secretStore.vault (server, role)' : undefined;
    case 'gcp':
      return store.gcp === undefined ? 'provider gcp needs secretStore.gcp.projectID' : undefined;
  }
};
