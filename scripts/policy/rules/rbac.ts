// RBAC: no wildcards, no binding to cluster-admin, no exec/attach into pods, no reading Secrets at large.
// A rule's permissions are matched the way the API server's authorizer matches them, so `*` and `*/exec` count.
// Checked: kubernetes/kubernetes @ 53f1b9d6f8de259644c05a25aa7ac8c6a67258e2 : pkg/apis/rbac/v1/evaluation_helpers.go
//   (APIGroupMatches, ResourceMatches: `*`, exact, or `*/<subresource>`; VerbMatches: `*` or exact; an empty
//   resourceNames matches every name).
// Checked: kubernetes.io docs, reference/access-authn-authz/rbac (Aggregated ClusterRoles: the control plane
//   overwrites `rules` of a ClusterRole with an aggregationRule by the union of the ClusterRoles it selects;
//   resourceNames: list/watch restricted by name need a metadata.name field selector, so they reveal only those
//   Secrets) and concepts/security/rbac-good-practices ("list and watch access also effectively allow users to
//   reveal the Secret contents").
import { arr, obj, objs, str, strMap, type JsonObject } from '../json.ts';
import type { AppRule, RawFinding, RenderedObject } from '../types.ts';
import { groupOf, selects } from '../workloads.ts';

const RBAC_GROUP = 'rbac.authorization.k8s.io';

interface Rule {
  readonly apiGroups: readonly string[];
  readonly resources: readonly string[];
  readonly verbs: readonly string[];
  readonly resourceNames: readonly string[];
  /** Field of the rule in its role: `rules[0]`. */
  readonly field: string;
}

const strings = (v: unknown): string[] => arr(v).filter((x): x is string => typeof x === 'string');

const isRbac = (o: RenderedObject, ...kinds: string[]): boolean => kinds.includes(o.kind) && groupOf(o.apiVersion) === RBAC_GROUP;

const rulesOf = (o: RenderedObject): Rule[] =>
  objs(o.raw.rules).map((r, i) => ({
    apiGroups: strings(r.apiGroups),
    resources: strings(r.resources),
    verbs: strings(r.verbs),
    resourceNames: strings(r.resourceNames),
    field: `rules[${i}]`,
  }));

/**
 * Built-in ClusterRoles a binding may name, with the rules of theirs these checks look at. `edit` gets them from
 * `system:aggregate-to-edit` (Read on pods/attach, pods/exec, secrets; Write, which includes create, on pods/attach
 * and pods/exec); `admin` aggregates `edit`. cluster-admin is `*` on everything and has its own rule.
 * Checked: kubernetes/kubernetes @ 53f1b9d6f8de259644c05a25aa7ac8c6a67258e2 : plugin/pkg/auth/authorizer/rbac/bootstrappolicy/policy.go
 */
const EDIT_RULES: readonly Rule[] = [
  { apiGroups: [''], resources: ['pods/attach', 'pods/exec', 'secrets'], verbs: ['get', 'list', 'watch'], resourceNames: [], field: '' },
  { apiGroups: [''], resources: ['pods/attach', 'pods/exec'], verbs: ['create', 'delete', 'deletecollection', 'patch', 'update'], resourceNames: [], field: '' },
];
const BUILT_IN: Readonly<Record<string, readonly Rule[]>> = { admin: EDIT_RULES, edit: EDIT_RULES };

const matches = (list: readonly string[], value: string): boolean => list.includes('*') || list.includes(value);

/** Whether a rule allows `verb` on `group`/`resource` (a `resource/subresource`), as the authorizer decides. */
const allows = (rule: Rule, group: string, resource: string, verb: string): boolean => {
  if (!matches(rule.apiGroups, group) || !matches(rule.verbs, verb)) return false;
  const sub = resource.includes('/') ? resource.slice(resource.indexOf('/') + 1) : '';
  return rule.resources.some((r) => r === '*' || r === resource || (sub !== '' && r === `*/${sub}`));
};

/**
 * The rules a role grants: its own, or, with an aggregationRule, those of every ClusterRole of the Application its
 * selectors match (the controller overwrites the role's own rules). Roles outside the Application are not known.
 */
const selectorsOf = (role: RenderedObject): JsonObject[] => (role.kind === 'ClusterRole' ? objs(obj(role.raw.aggregationRule).clusterRoleSelectors) : []);
const aggregates = (role: RenderedObject): boolean => selectorsOf(role).length > 0;

const effectiveRules = (role: RenderedObject, clusterRoles: readonly RenderedObject[]): Rule[] => {
  const selectors = selectorsOf(role);
  if (selectors.length === 0) return rulesOf(role);
  return clusterRoles
    .filter((c) => c !== role && selectors.some((s) => selects(s, strMap(obj(c.raw.metadata).labels))))
    .flatMap(rulesOf);
};

const SECRET_READ = ['get', 'list', 'watch'] as const;

/** Label that merges a ClusterRole into the built-in `view` role, which by design does not read Secrets. */
const AGGREGATE_TO_VIEW = 'rbac.authorization.k8s.io/aggregate-to-view';

const WHAT = { apiGroups: 'API group', resources: 'resource', verbs: 'verb' } as const;

/** The Secret-reading verbs a rule grants on every Secret (a rule restricted by resourceNames reveals only those). */
const secretReads = (rule: Rule): string[] => (rule.resourceNames.length > 0 ? [] : SECRET_READ.filter((v) => allows(rule, '', 'secrets', v)));

export const rbac: AppRule = (ctx) => {
  const out: RawFinding[] = [];
  const roles = ctx.objects.filter((o) => isRbac(o, 'Role', 'ClusterRole'));
  const clusterRoles = roles.filter((o) => o.kind === 'ClusterRole');
  for (const role of roles) {
    // An aggregated ClusterRole's own rules are overwritten by the controller: what it grants is checked on the
    // roles it aggregates (and on the bindings that bind it, below).
    if (aggregates(role)) continue;
    const labels = strMap(obj(role.raw.metadata).labels);
    for (const rule of rulesOf(role)) {
      for (const key of ['apiGroups', 'resources', 'verbs'] as const) {
        if (rule[key].includes('*')) out.push({ rule: 'rbac/wildcard', object: role, field: `${rule.field}.${key}`, message: `${role.kind} grants \`*\` in ${key}: it covers every present and future ${WHAT[key]}` });
      }
      const exec = ['pods/exec', 'pods/attach'].filter((r) => allows(rule, '', r, 'create'));
      if (exec.length > 0) out.push({ rule: 'rbac/pods-exec', object: role, field: rule.field, message: `${role.kind} grants create on ${exec.join(' and ')}: a shell in any pod it reaches, with that pod's credentials` });
      const reads = secretReads(rule);
      const watch = reads.filter((v) => v !== 'get');
      if (watch.length > 0) out.push({ rule: 'rbac/secrets-read', object: role, field: rule.field, message: `${role.kind} grants ${watch.join(' and ')} on every Secret: a list or watch returns their contents` });
      else if (reads.includes('get') && role.kind === 'ClusterRole' && labels[AGGREGATE_TO_VIEW] === 'true') {
        out.push({ rule: 'rbac/secrets-read', object: role, field: rule.field, message: `ClusterRole is aggregated into the built-in view role (${AGGREGATE_TO_VIEW}) and grants get on every Secret: view is meant not to reveal Secrets` });
      }
    }
  }
  for (const binding of ctx.objects.filter((o) => isRbac(o, 'RoleBinding', 'ClusterRoleBinding'))) {
    const ref = obj(binding.raw.roleRef);
    const refKind = str(ref.kind) ?? '';
    const refName = str(ref.name) ?? '';
    if (refKind === 'ClusterRole' && refName === 'cluster-admin') {
      out.push({ rule: 'rbac/cluster-admin', object: binding, field: 'roleRef.name', message: `${binding.kind} grants cluster-admin${binding.kind === 'RoleBinding' ? ' in its namespace (every verb on every resource, Roles and RoleBindings included)' : ' on the whole cluster'}` });
      continue;
    }
    const builtIn = refKind === 'ClusterRole' ? BUILT_IN[refName] : undefined;
    if (builtIn !== undefined) {
      // Built-in roles are not in Git: report what they grant on the binding that hands them out.
      const where = binding.kind === 'ClusterRoleBinding' ? 'in every namespace' : 'in its namespace';
      out.push({ rule: 'rbac/pods-exec', object: binding, field: 'roleRef.name', message: `binds built-in ClusterRole ${refName}, which grants create on pods/exec and pods/attach ${where}` });
      out.push({ rule: 'rbac/secrets-read', object: binding, field: 'roleRef.name', message: `binds built-in ClusterRole ${refName}, which grants get, list and watch on every Secret ${where}` });
      continue;
    }
    // get on every Secret is fine in one namespace (a workload reading its own), not cluster-wide.
    if (binding.kind !== 'ClusterRoleBinding' || refKind !== 'ClusterRole') continue;
    const role = clusterRoles.find((c) => c.name === refName);
    if (role === undefined) continue;
    const gets = effectiveRules(role, clusterRoles).filter((r) => secretReads(r).includes('get'));
    if (gets.length > 0) {
      out.push({ rule: 'rbac/secrets-read', object: binding, field: 'roleRef.name', message: `binds ClusterRole ${refName}, which grants get on every Secret, cluster-wide: read each Secret of every namespace by name` });
    }
  }
  return out;
};
