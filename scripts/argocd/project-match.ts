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

const list = (v: unknown): JsonObject[] => (Array.isArray(v) ? v.filter(isObject) : []);

/** The kind (and, for a cluster-scoped object, name) of an object whose permission is asked. */
export interface KindRef {
  readonly group: string;
  readonly kind: string;
  readonly name: string;
  readonly namespaced: boolean;
}

/** AppProject.IsGroupKindNamePermitted (app_project_types.go at v3.4.4), with filepath.Match-style globs. */
export const kindPermitted = (project: JsonObject, o: KindRef): boolean => {
  const spec = isObject(project.spec) ? project.spec : {};
  const inList = (entries: JsonObject[], named: boolean): boolean =>
    entries.some((e) => globMatch(str(e.kind), o.kind) && globMatch(str(e.group), o.group) && (!named || str(e.name) === '' || globMatch(str(e.name), o.name)));
  if (o.namespaced) {
    const white = spec.namespaceResourceWhitelist;
    const black = list(spec.namespaceResourceBlacklist);
    // A missing namespace whitelist allows every namespaced kind; an empty one allows none.
    const whiteListed = white === undefined || white === null || (list(white).length > 0 && inList(list(white), false));
    return whiteListed && !(black.length > 0 && inList(black, false));
  }
  const white = list(spec.clusterResourceWhitelist);
  const black = list(spec.clusterResourceBlacklist);
  return white.length > 0 && inList(white, true) && !(black.length > 0 && inList(black, true));
};

/**
 * What one AppProject permits, memoised: a thousand clusters ask the same few questions of a project that lists each
 * cluster × namespace (measured: without it, these checks took 1.8 s of a 100-cluster validate). One per project
 * object (permissionsOf), shared by the preview's checks and the first-sync simulation.
 */
export class ProjectPermissions {
  private readonly kinds = new Map<string, boolean>();
  private readonly destinations = new Map<string, boolean>();

  constructor(readonly project: JsonObject) {}

  kind(o: KindRef): boolean {
    const key = `${o.group}/${o.kind}/${o.namespaced ? '' : o.name}/${o.namespaced}`;
    let answer = this.kinds.get(key);
    if (answer === undefined) this.kinds.set(key, (answer = kindPermitted(this.project, o)));
    return answer;
  }

  destination(d: DestinationSummary): boolean {
    const key = `${d.name ?? ''}|${d.server ?? ''}|${d.namespace ?? ''}`;
    let answer = this.destinations.get(key);
    if (answer === undefined) this.destinations.set(key, (answer = destinationPermitted(this.project, d)));
    return answer;
  }
}

const permissions = new WeakMap<JsonObject, ProjectPermissions>();

export const permissionsOf = (project: JsonObject): ProjectPermissions => {
  let p = permissions.get(project);
  if (p === undefined) permissions.set(project, (p = new ProjectPermissions(project)));
  return p;
};
