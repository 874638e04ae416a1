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

export function checkClusters(input: CrossCheckInput, report: Report): void {
  const clusters = input.clusters;
  if (clusters === undefined) return;
  checkClusterNames(clusters, report);
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
