// cert-manager ClusterIssuers: one per cluster, for its environment's Let's Encrypt directory, with the solver
// the inventory chooses. Stacks reference the issuer by the environment's `clusterIssuer`, so the name is
// derived from the directory and checked against it (a typo would leave every certificate pending forever).
import type { IClusterIssuer } from '@kubernetes-models/cert-manager/cert-manager.io/v1/ClusterIssuer';
import type { K8sObject } from '../components/component.ts';
import { externalSecret } from '../components/secrets.ts';
import type { AcmeServer, AcmeSettings } from '../inventory/stack-settings/platform.ts';
import { ENVIRONMENTS_DIR, INVENTORY_DIR, posixJoin } from '../lib/layout.ts';
import type { Cluster, Environment, Fleet } from '../model/fleet.ts';
import { acmeProblem, AWS_REGION, ISSUER_NAME } from './rules.ts';
import { acmeServerOf, acmeSettingsOf } from './settings.ts';

export { ISSUER_NAME } from './rules.ts';

export const ACME_DIRECTORY: Readonly<Record<AcmeServer, string>> = {
  staging: 'https://acme-staging-v02.api.letsencrypt.org/directory',
  production: 'https://acme-v02.api.letsencrypt.org/directory',
};

export const DEFAULT_INGRESS_CLASS = 'nginx';
/** Secret (in cert-manager's namespace) holding the Cloudflare API token, written by an ExternalSecret. */
export const CLOUDFLARE_TOKEN_SECRET = 'cloudflare-api-token';
const CLOUDFLARE_TOKEN_KEY = 'api-token';
const CERT_MANAGER = 'cert-manager';
const PLATFORM = 'platform';

/** Namespace cert-manager runs in (its "cluster resource namespace", where ClusterIssuers' Secrets live). */
export const certManagerNamespace = (fleet: Fleet): string => fleet.addons[CERT_MANAGER]?.namespace ?? CERT_MANAGER;

export const issuerNameFor = (env: Environment): string => ISSUER_NAME[acmeServerOf(env)];

/**
 * Every environment whose `clusterIssuer` names an issuer that would not be rendered, as messages naming the file
 * and field. Empty when all is well.
 */
export const clusterIssuerMismatches = (fleet: Fleet): string[] =>
  fleet.environments
    .filter((env) => fleet.clusters.some((c) => c.environment === env.name) && env.clusterIssuer !== issuerNameFor(env))
    .map((env) => {
      const server = acmeServerOf(env);
      const file = posixJoin(INVENTORY_DIR, ENVIRONMENTS_DIR, `${env.name}.yaml`);
      return (
        `${file}: clusterIssuer: "${env.clusterIssuer}" is not rendered: environment ${env.name} uses Let's Encrypt ${server}, ` +
        `whose ClusterIssuer is "${issuerNameFor(env)}" (set clusterIssuer to it, or platform.acmeServer to the directory you meant)`
      );
    });

const solverOf = (acme: AcmeSettings, cluster: Cluster): Record<string, unknown> => {
  // The loader reports this at file:line already; a model built by hand must not render a half issuer either.
  const problem = acmeProblem(acme);
  if (problem !== undefined) throw new Error(`cluster ${cluster.name}: platform.acme: ${problem}`);
  switch (acme.solver ?? 'http01') {
    case 'http01':
      return { http01: { ingress: { ingressClassName: acme.ingressClass ?? DEFAULT_INGRESS_CLASS } } };
    case 'route53': {
      const r53 = acme.route53!;
      // Route 53 is global; the region only picks the API endpoint. Off AWS (region `local`) the ambient one is used.
      const region = r53.region ?? (AWS_REGION.test(cluster.region) ? cluster.region : undefined);
      return {
        dns01: { route53: { ...(region ? { region } : {}), hostedZoneID: r53.hostedZoneID, ...(r53.role ? { role: r53.role } : {}) } },
        selector: { dnsZones: [cluster.domain] },
      };
    }
    case 'cloudflare':
      return {
        dns01: { cloudflare: { apiTokenSecretRef: { name: CLOUDFLARE_TOKEN_SECRET, key: CLOUDFLARE_TOKEN_KEY } } },
        selector: { dnsZones: [cluster.domain] },
      };
  }
};

/** The cluster's ClusterIssuer, plus the ExternalSecret of the DNS provider token when the solver needs one. */
export const clusterIssuerObjects = (fleet: Fleet, cluster: Cluster, env: Environment): K8sObject[] => {
  const acme = acmeSettingsOf(fleet, cluster);
  const server = acmeServerOf(env);
  const name = issuerNameFor(env);
  const issuer: IClusterIssuer & K8sObject = {
    apiVersion: 'cert-manager.io/v1',
    kind: 'ClusterIssuer',
    metadata: { name },
    spec: {
      acme: {
        server: ACME_DIRECTORY[server],
        ...(acme.email !== undefined ? { email: acme.email } : {}),
        // The ACME account key; cert-manager creates it on first registration.
        privateKeySecretRef: { name: `${name}-account-key` },
        solvers: [solverOf(acme, cluster)],
      },
    },
  };
  const objects: K8sObject[] = [issuer];
  if ((acme.solver ?? 'http01') === 'cloudflare' && acme.cloudflare !== undefined) {
    objects.push(
      externalSecret({
        name: CLOUDFLARE_TOKEN_SECRET,
        namespace: certManagerNamespace(fleet),
        stack: PLATFORM,
        app: CERT_MANAGER,
        data: [{ secretKey: CLOUDFLARE_TOKEN_KEY, remoteKey: acme.cloudflare.apiTokenKey }],
      }),
    );
  }
  return objects;
};
