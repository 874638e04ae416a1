// Does an AppProject permit an Application's destination and source repository? Mirrors Argo CD's
// `isDestinationMatched` / `IsSourcePermitted`: glob patterns where `*` matches anything, `!pattern` denies,
// a destination matches an entry by name or by server, and by namespace. Destination names are not resolved to
// servers offline (that needs the cluster secrets), except Argo CD's built-in `in-cluster`.
import { IN_CLUSTER_NAME, IN_CLUSTER_SERVER, isObject, type JsonObject } from './kube.ts';
import type { DestinationSummary } from './types.ts';

const escapeRegExp = (s: string): string => s.replace(/[.+^${}()|[\]\\]/g, '\\$&');

/** Glob match with `*` (any run of characters) and `?` (one character); everything else is literal. */
export const globMatch = (pattern: string, value: string): boolean => {
  if (pattern === '*') return true;
  if (!pattern.includes('*') && !pattern.includes('?')) return pattern === value;
  const re = new RegExp(`^${pattern.split('').map((c) => (c === '*' ? '.*' : c === '?' ? '.' : escapeRegExp(c))).join('')}$`, 's');
  return re.test(value);
};

const isDeny = (pattern: string): boolean => pattern.startsWith('!');

/** Argo CD's globMatch with negation: `!p` matches every value that `p` does not. */
const patternMatch = (pattern: string, value: string): boolean =>
  isDeny(pattern) ? !globMatch(pattern.slice(1), value) : globMatch(pattern, value);

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** The destination with Argo CD's built-in in-cluster name/server pair filled in. */
const withInCluster = (d: DestinationSummary): { name: string; server: string; namespace: string } => {
  let name = d.name ?? '';
  let server = d.server ?? '';
  if (name === IN_CLUSTER_NAME && server === '') server = IN_CLUSTER_SERVER;
  if (server === IN_CLUSTER_SERVER && name === '') name = IN_CLUSTER_NAME;
  return { name, server, namespace: d.namespace ?? '' };
};

export const destinationPermitted = (project: JsonObject, destination: DestinationSummary): boolean => {
  const entries = isObject(project.spec) && Array.isArray(project.spec.destinations) ? project.spec.destinations : [];
  const dst = withInCluster(destination);
  let matched = false;
  for (const entry of entries) {
    if (!isObject(entry)) continue;
    const pName = str(entry.name);
    const pServer = str(entry.server);
    const pNamespace = str(entry.namespace);
    const nameMatched = dst.name !== '' && patternMatch(pName, dst.name);
    const serverMatched = dst.server !== '' && patternMatch(pServer, dst.server);
    const namespaceMatched = patternMatch(pNamespace, dst.namespace);
    if ((nameMatched || serverMatched) && namespaceMatched) {
      matched = true;
    } else if ((!nameMatched && isDeny(pName)) || (!serverMatched && isDeny(pServer)) || (!namespaceMatched && isDeny(pNamespace))) {
      // A deny entry that applies wins over every allow entry.
      return false;
    }
  }
  return matched;
};

/** Git URLs as Argo CD compares them: case-insensitive, without a trailing `/` or `.git`. */
export const normalizeRepoURL = (url: string): string =>
  url.trim().toLowerCase().replace(/\/+$/, '').replace(/\.git$/, '');

export const sourceRepoPermitted = (project: JsonObject, repoURL: string): boolean => {
  const repos = isObject(project.spec) && Array.isArray(project.spec.sourceRepos) ? project.spec.sourceRepos : [];
  const url = normalizeRepoURL(repoURL);
  let allowed = false;
  for (const entry of repos) {
    if (typeof entry !== 'string') continue;
    const deny = isDeny(entry);
    const pattern = normalizeRepoURL(deny ? entry.slice(1) : entry);
    const hit = globMatch(pattern, url);
    if (deny && hit) return false;
    if (!deny && hit) allowed = true;
  }
  return allowed;
};
