// Cross-field rules about clusters.yaml: unique names, known environments, derived name lengths.
import { validClusters, issueAt, type ClustersInput, type CrossCheckInput, type Report } from './cross-check-input.ts';
import { didYouMean } from './suggest.ts';
import { applicationName } from '../model/fleet.ts';

/** Argo CD Application names are DNS-1123 labels: at most 63 characters. */
const MAX_NAME_LENGTH = 63;

/** Names must be unique, also ignoring case (cluster names end up in case-insensitive DNS). */
function checkClusterNames(clusters: ClustersInput, report: Report): void {
  const first = new Map<string, { index: number; name: string }>();
  clusters.names.forEach((name, index) => {
    if (name === undefined) return;
    const earlier = first.get(name.toLowerCase());
    if (earlier === undefined) {
      first.set(name.toLowerCase(), { index, name });
      return;
    }
    const line = clusters.source.position(['clusters', earlier.index, 'name'], 'value').line;
    const message =
      earlier.name === name
        ? `duplicate cluster name "${name}": already defined at line ${line}`
        : `cluster name "${name}" differs only in case from "${earlier.name}" at line ${line}; ` +
          'cluster names must be unique ignoring case';
    report(issueAt(clusters.source, ['clusters', index, 'name'], 'value', message));
  });
}

/**
 * Each cluster gets its own Applications on its destination; two entries with the same destination (even of
 * different environments, staging and prod on one API server) would have Argo CD apply both entries' manifests
 * to one cluster, each overwriting the other's objects. Every duplicate is reported, at its own entry, naming the
 * first. Server URLs compare without a trailing slash and case-insensitively in the host (what Argo CD's cluster
 * lookup normalises is out of reach; these spellings are the same URL to anyone).
 * What cannot be caught offline: a `server` URL on one entry and a `name` on another that Argo CD resolves to the
 * same registered cluster (the name → URL mapping lives in the hub's cluster Secrets), or two different URLs of one
 * API server (a DNS alias, an IP address). Those need the hub, which `gen` and `validate` never contact.
 */
function checkUniqueDestinations(clusters: ClustersInput, report: Report): void {
  const first = new Map<string, { index: number; name: string }>();
  for (const { index, entry } of validClusters(clusters)) {
    const { server, name } = entry.destination;
    const kind = server !== undefined ? 'server' : 'name';
    const value = server ?? name;
    if (value === undefined) continue;
    const key = `${kind}\u0000${server !== undefined ? normaliseServer(server) : value}`;
    const earlier = first.get(key);
    if (earlier === undefined) {
      first.set(key, { index, name: entry.name });
      continue;
    }
    const line = clusters.source.position(['clusters', earlier.index, 'destination', kind], 'value').line;
    const message =
      `duplicate destination ${kind} "${value}": cluster "${earlier.name}" (line ${line}) already deploys there; ` +
      'two entries on one cluster would overwrite each other\'s Applications: give each cluster its own destination';
    report(issueAt(clusters.source, ['clusters', index, 'destination', kind], 'value', message));
  }
}

/** `https://API.example.com:6443/` and `https://api.example.com:6443` are one server. */
function normaliseServer(server: string): string {
  try {
    const url = new URL(server);
    return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}`;
  } catch {
    return server.replace(/\/+$/, '');
  }
}

export function checkClusters(input: CrossCheckInput, report: Report): void {
  const clusters = input.clusters;
  if (clusters === undefined) return;
  checkClusterNames(clusters, report);
  checkUniqueDestinations(clusters, report);
  if (clusters.complete && clusters.entries.length === 0) {
    report(issueAt(clusters.source, ['clusters'], 'key', 'the fleet has no clusters: add at least one cluster'));
  }
  const envNames = input.environments.map((e) => e.name);
  for (const { index, entry } of validClusters(clusters)) {
    // With no environment files at all, that one issue says it; "unknown" per cluster would be an echo.
    if (envNames.length > 0 && !envNames.includes(entry.environment)) {
      const message =
        `unknown environment "${entry.environment}"${didYouMean(entry.environment, envNames)}; ` +
        `environments (files in ${input.environmentsDir}): ${envNames.join(', ')}`;
      report(issueAt(clusters.source, ['clusters', index, 'environment'], 'value', message));
    }
    // The longest stack name gives the longest Application name; one issue per cluster is enough.
    const longest = entry.stacks.map((s) => applicationName(entry.name, s)).sort((a, b) => b.length - a.length)[0];
    if (longest !== undefined && longest.length > MAX_NAME_LENGTH) {
      const message =
        `derived Argo CD Application name "${longest}" is ${longest.length} characters, ` +
        `more than ${MAX_NAME_LENGTH}: shorten the cluster name`;
      report(issueAt(clusters.source, ['clusters', index, 'name'], 'value', message));
    }
  }
}
