// Cross-field rules of the platform settings: each environment's `clusterIssuer` must be the ClusterIssuer the
// platform renders for it, and each cluster's effective ACME and secret-store settings must be complete.
import { acmeProblem, acmeServerFor, ISSUER_NAME, secretStoreProblem } from '../platform/rules.ts';
import { issueAt, validClusters, type CrossCheckInput, type EnvironmentInput, type Report } from './cross-check-input.ts';
import type { EnvironmentFile } from './schema.ts';

export function checkClusterIssuer(env: EnvironmentInput, value: EnvironmentFile, report: Report): void {
  const server = acmeServerFor(value);
  const expected = ISSUER_NAME[server];
  if (value.clusterIssuer === expected) return;
  const why = value.platform?.acmeServer !== undefined ? 'platform.acmeServer' : value.promotesTo === undefined ? 'it ends the promotion chain' : 'it promotes onwards';
  report(
    issueAt(
      env.source,
      ['clusterIssuer'],
      'value',
      `expected "${expected}" (the platform renders one ClusterIssuer per environment: Let's Encrypt ${server}, since ${why}), ` +
        `found "${value.clusterIssuer}"; no ClusterIssuer of that name would exist`,
    ),
  );
}

export function checkPlatformClusters(input: CrossCheckInput, report: Report): void {
  const clusters = input.clusters;
  if (clusters === undefined) return;
  const fleet = input.fleet;
  // The fleet's ACME block is reported once, and only when some cluster inherits it.
  const fleetAcme = fleet?.value.platform?.acme;
  const fleetAcmeIssue = fleetAcme === undefined ? undefined : acmeProblem(fleetAcme);
  const inheritors = validClusters(clusters).filter(({ entry }) => entry.platform?.acme === undefined).map(({ entry }) => entry.name);
  if (fleetAcmeIssue !== undefined && inheritors.length > 0) {
    report(issueAt(fleet!.source, ['platform', 'acme'], 'key', `${fleetAcmeIssue} (used by ${inheritors.sort().join(', ')})`));
  }
  for (const { index, entry } of validClusters(clusters)) {
    const own = entry.platform;
    // With fleet.yaml broken (already reported) what a cluster inherits from it is unknown: judging the defaults
    // instead would add false issues to the real one.
    const inheritsUnknown = fleet === undefined;
    const acmeIssue = own?.acme === undefined ? undefined : acmeProblem(own.acme);
    if (acmeIssue !== undefined) report(issueAt(clusters.source, ['clusters', index, 'platform', 'acme'], 'key', `cluster ${entry.name}: ${acmeIssue}`));
    // On mesh clusters the streaming hosts enter through the Istio gateway, so an HTTP-01 challenge answered by an
    // nginx Ingress is never reached and the gateway's certificate would stay pending forever.
    const acme = own?.acme ?? fleetAcme ?? {};
    if (!(inheritsUnknown && own?.acme === undefined) && (entry.capabilities ?? []).includes('mesh') && entry.stacks.includes('streaming') && (acme.solver ?? 'http01') === 'http01' && (acme.ingressClass ?? 'nginx') === 'nginx') {
      const [source, path] = own?.acme !== undefined ? [clusters.source, ['clusters', index, 'platform', 'acme']] : fleetAcme !== undefined ? [fleet!.source, ['platform', 'acme', 'solver']] : [clusters.source, ['clusters', index, 'capabilities']];
      report(
        issueAt(
          source,
          path,
          own?.acme !== undefined || fleetAcme !== undefined ? 'key' : 'value',
          `cluster ${entry.name}: expected a DNS-01 solver (route53 or cloudflare) for a mesh cluster running streaming, found HTTP-01 through ` +
            'ingress class nginx: its public hosts enter through the Istio gateway, which never routes the challenge to nginx',
        ),
      );
    }
    const store = own?.secretStore ?? fleet?.value.platform?.secretStore ?? {};
    const storeIssue = inheritsUnknown && own?.secretStore === undefined ? undefined : secretStoreProblem(store, entry.region);
    if (storeIssue !== undefined) {
      const [source, path] =
        own?.secretStore !== undefined
          ? [clusters.source, ['clusters', index, 'platform', 'secretStore']]
          : fleet?.value.platform?.secretStore !== undefined
            ? [fleet.source, ['platform', 'secretStore']]
            : [clusters.source, ['clusters', index, 'region']];
      report(issueAt(source, path, 'key', `cluster ${entry.name}: no ClusterSecretStore can be rendered: ${storeIssue}`));
    }
  }
}
