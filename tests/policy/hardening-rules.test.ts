// Table tests of the issue-18 hardening rules (RBAC, the rarer Pod Security checks, External Secrets and
// SealedSecret scopes, workload hygiene warnings), called directly on parsed objects: each violating object gives
// exactly its finding, the compliant variant none.
import { describe, expect, it } from 'vitest';

import { availability } from '../../scripts/policy/rules/availability.ts';
import { duplicateEnv } from '../../scripts/policy/rules/env.ts';
import { podSecurity } from '../../scripts/policy/rules/pod-security.ts';
import { rbac } from '../../scripts/policy/rules/rbac.ts';
import { resources } from '../../scripts/policy/rules/resources.ts';
import { secrets } from '../../scripts/policy/rules/secrets.ts';
import { RULE_BY_ID } from '../../scripts/policy/rules.ts';
import type { AppContext, AppRule, RawFinding } from '../../scripts/policy/types.ts';
import { container, deployment, rendered, type Obj } from './objects.ts';

const TESTED = new Set([
  'rbac/wildcard', 'rbac/cluster-admin', 'rbac/pods-exec', 'rbac/secrets-read',
  'pod-security/sysctls', 'pod-security/selinux', 'pod-security/apparmor', 'pod-security/proc-mount', 'pod-security/user-ids', 'pod-security/sa-token',
  'secrets/eso-merge-delete', 'secrets/sealed-cluster-wide', 'secrets/env',
  'workloads/duplicate-env', 'resources/cpu-limit', 'availability/spread',
]);
const RULES: readonly AppRule[] = [rbac, podSecurity, secrets, duplicateEnv, resources, availability];

const ctx = (objects: readonly Obj[], kubernetesVersion = '1.32'): AppContext =>
  ({
    target: { name: 'app', path: 'clusters/x/streaming', project: 'streaming', destination: 'x', namespace: 'streaming' },
    objects: objects.map((o, i) => rendered(o, i + 1)),
    fleet: { kubernetesVersion },
    isProd: false,
  }) as unknown as AppContext;

const run = (objects: readonly Obj[], kubernetesVersion?: string): RawFinding[] => {
  const c = ctx(objects, kubernetesVersion);
  return RULES.flatMap((r) => r(c)).filter((f) => TESTED.has(f.rule));
};
const ids = (findings: readonly RawFinding[]): string[] => [...new Set(findings.map((f) => f.rule))].sort();

/** The clean Deployment of objects.ts (ids above 10000, a topology spread, no token): no rule here fires on it. */
const dep = (mutate: (d: Obj) => void = () => undefined): Obj => deployment('app', 'streaming', mutate);
const pod = (d: Obj): Obj => d.spec.template.spec;

const role = (kind: 'Role' | 'ClusterRole', rules: Obj[], extra: Obj = {}): Obj => ({
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind,
  metadata: { name: 'r', ...(kind === 'Role' ? { namespace: 'streaming' } : {}), ...(extra.metadata ?? {}) },
  rules,
  ...(extra.aggregationRule !== undefined ? { aggregationRule: extra.aggregationRule } : {}),
});
const binding = (kind: 'RoleBinding' | 'ClusterRoleBinding', roleKind: 'Role' | 'ClusterRole', roleName: string): Obj => ({
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind,
  metadata: { name: 'b', ...(kind === 'RoleBinding' ? { namespace: 'streaming' } : {}) },
  roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: roleKind, name: roleName },
  subjects: [{ kind: 'ServiceAccount', name: 'app', namespace: 'streaming' }],
});
const read = (resources: string[], verbs: string[], more: Obj = {}): Obj => ({ apiGroups: [''], resources, verbs, ...more });

const externalSecret = (target: Obj): Obj => ({
  apiVersion: 'external-secrets.io/v1',
  kind: 'ExternalSecret',
  metadata: { name: 'es', namespace: 'streaming' },
  spec: { secretStoreRef: { kind: 'ClusterSecretStore', name: 'platform-secrets' }, target: { name: 'creds', ...target }, dataFrom: [{ extract: { key: 'x' } }] },
});
const sealed = (templateAnnotations: Record<string, string>, ownAnnotations: Record<string, string> = {}): Obj => ({
  apiVersion: 'bitnami.com/v1alpha1',
  kind: 'SealedSecret',
  metadata: { name: 'ss', namespace: 'streaming', annotations: ownAnnotations },
  spec: { encryptedData: { token: 'AgBy…' }, template: { metadata: { name: 'ss', namespace: 'streaming', annotations: templateAnnotations } } },
});

interface Case {
  readonly name: string;
  readonly rule: string;
  readonly bad: readonly Obj[];
  readonly good: readonly Obj[];
  /** Field the finding names. */
  readonly field?: string;
  /** Other rules the violation also breaks (a built-in role grants several things). */
  readonly also?: readonly string[];
}

const CASES: readonly Case[] = [
  // RBAC.
  { name: 'wildcard verbs', rule: 'rbac/wildcard', bad: [role('ClusterRole', [read(['configmaps'], ['*'])])], good: [role('ClusterRole', [read(['configmaps'], ['get'])])], field: 'rules[0].verbs' },
  { name: 'wildcard resources', rule: 'rbac/wildcard', bad: [role('Role', [read(['*'], ['get'])])], good: [role('Role', [read(['configmaps'], ['get'])])], field: 'rules[0].resources' },
  { name: 'wildcard apiGroups', rule: 'rbac/wildcard', bad: [role('Role', [{ apiGroups: ['*'], resources: ['deployments'], verbs: ['get'] }])], good: [role('Role', [{ apiGroups: ['apps'], resources: ['deployments'], verbs: ['get'] }])], field: 'rules[0].apiGroups' },
  { name: 'ClusterRoleBinding to cluster-admin', rule: 'rbac/cluster-admin', bad: [binding('ClusterRoleBinding', 'ClusterRole', 'cluster-admin')], good: [binding('ClusterRoleBinding', 'ClusterRole', 'view')], field: 'roleRef.name' },
  { name: 'RoleBinding to cluster-admin', rule: 'rbac/cluster-admin', bad: [binding('RoleBinding', 'ClusterRole', 'cluster-admin')], good: [binding('RoleBinding', 'ClusterRole', 'view')] },
  { name: 'create pods/exec', rule: 'rbac/pods-exec', bad: [role('Role', [read(['pods/exec'], ['create'])])], good: [role('Role', [read(['pods/exec'], ['get'])])], field: 'rules[0]' },
  { name: 'create pods/attach through */attach', rule: 'rbac/pods-exec', bad: [role('Role', [read(['*/attach'], ['create'])])], good: [role('Role', [read(['pods/log'], ['get'])])] },
  { name: 'RoleBinding to built-in edit', rule: 'rbac/pods-exec', also: ['rbac/secrets-read'], bad: [binding('RoleBinding', 'ClusterRole', 'edit')], good: [binding('RoleBinding', 'ClusterRole', 'view')] },
  { name: 'list Secrets in a namespace', rule: 'rbac/secrets-read', bad: [role('Role', [read(['secrets'], ['list'])])], good: [role('Role', [read(['secrets'], ['get'])])], field: 'rules[0]' },
  { name: 'watch named Secrets is allowed', rule: 'rbac/secrets-read', bad: [role('Role', [read(['secrets'], ['watch'])])], good: [role('Role', [read(['secrets'], ['get', 'list', 'watch'], { resourceNames: ['app-creds'] })])] },
  {
    name: 'get every Secret cluster-wide',
    rule: 'rbac/secrets-read',
    bad: [role('ClusterRole', [read(['secrets'], ['get'])]), binding('ClusterRoleBinding', 'ClusterRole', 'r')],
    good: [role('ClusterRole', [read(['secrets'], ['get'])]), binding('RoleBinding', 'ClusterRole', 'r')],
    field: 'roleRef.name',
  },
  {
    name: 'get every Secret through an aggregated ClusterRole',
    rule: 'rbac/secrets-read',
    bad: [
      role('ClusterRole', [], { aggregationRule: { clusterRoleSelectors: [{ matchLabels: { 'example.com/agg': 'true' } }] } }),
      { ...role('ClusterRole', [read(['secrets'], ['get'])], { metadata: { labels: { 'example.com/agg': 'true' } } }), metadata: { name: 'part', labels: { 'example.com/agg': 'true' } } },
      binding('ClusterRoleBinding', 'ClusterRole', 'r'),
    ],
    good: [
      role('ClusterRole', [], { aggregationRule: { clusterRoleSelectors: [{ matchLabels: { 'example.com/agg': 'true' } }] } }),
      { ...role('ClusterRole', [read(['secrets'], ['get'])]), metadata: { name: 'part', labels: { 'example.com/other': 'true' } } },
      binding('ClusterRoleBinding', 'ClusterRole', 'r'),
    ],
  },
  // Pod Security: the rarer baseline checks.
  { name: 'unsafe sysctl', rule: 'pod-security/sysctls', bad: [dep((d) => (pod(d).securityContext.sysctls = [{ name: 'kernel.msgmax', value: '65536' }]))], good: [dep((d) => (pod(d).securityContext.sysctls = [{ name: 'net.ipv4.tcp_rmem', value: '4096 87380 6291456' }]))], field: 'spec.template.spec.securityContext.sysctls[0]' },
  { name: 'SELinux type', rule: 'pod-security/selinux', bad: [dep((d) => (container(d).securityContext.seLinuxOptions = { type: 'spc_t' }))], good: [dep((d) => (container(d).securityContext.seLinuxOptions = { type: 'container_engine_t' }))] },
  { name: 'SELinux user', rule: 'pod-security/selinux', bad: [dep((d) => (pod(d).securityContext.seLinuxOptions = { user: 'system_u' }))], good: [dep((d) => (pod(d).securityContext.seLinuxOptions = { level: 's0:c1,c2' }))] },
  { name: 'AppArmor Unconfined field', rule: 'pod-security/apparmor', bad: [dep((d) => (container(d).securityContext.appArmorProfile = { type: 'Unconfined' }))], good: [dep((d) => (container(d).securityContext.appArmorProfile = { type: 'RuntimeDefault' }))] },
  {
    name: 'AppArmor unconfined annotation',
    rule: 'pod-security/apparmor',
    bad: [dep((d) => (d.spec.template.metadata.annotations = { 'container.apparmor.security.beta.kubernetes.io/app': 'unconfined' }))],
    good: [dep((d) => (d.spec.template.metadata.annotations = { 'container.apparmor.security.beta.kubernetes.io/app': 'localhost/app-profile' }))],
    field: 'spec.template.metadata.annotations.container.apparmor.security.beta.kubernetes.io/app',
  },
  { name: 'procMount Unmasked', rule: 'pod-security/proc-mount', bad: [dep((d) => (container(d).securityContext.procMount = 'Unmasked'))], good: [dep((d) => (container(d).securityContext.procMount = 'Default'))] },
  // Secrets.
  { name: 'ExternalSecret Merge + Delete', rule: 'secrets/eso-merge-delete', bad: [externalSecret({ creationPolicy: 'Merge', deletionPolicy: 'Delete' })], good: [externalSecret({ creationPolicy: 'Owner', deletionPolicy: 'Delete' })], field: 'spec.target' },
  { name: 'ExternalSecret None + Merge', rule: 'secrets/eso-merge-delete', bad: [externalSecret({ creationPolicy: 'None', deletionPolicy: 'Merge' })], good: [externalSecret({ creationPolicy: 'Merge' })] },
  {
    name: 'SealedSecret cluster-wide (template)',
    rule: 'secrets/sealed-cluster-wide',
    bad: [sealed({ 'sealedsecrets.bitnami.com/cluster-wide': 'true' })],
    good: [sealed({ 'sealedsecrets.bitnami.com/namespace-wide': 'false' })],
    field: 'spec.template.metadata.annotations.sealedsecrets.bitnami.com/cluster-wide',
  },
  { name: 'SealedSecret cluster-wide (own annotation)', rule: 'secrets/sealed-cluster-wide', bad: [sealed({}, { 'sealedsecrets.bitnami.com/cluster-wide': 'true' })], good: [sealed({}, { 'sealedsecrets.bitnami.com/cluster-wide': 'false' })] },
  {
    name: 'Secret through env',
    rule: 'secrets/env',
    bad: [dep((d) => (container(d).env = [{ name: 'TOKEN', valueFrom: { secretKeyRef: { name: 'creds', key: 'token' } } }]))],
    good: [dep((d) => (container(d).env = [{ name: 'MODE', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'mode' } } }]))],
    field: 'spec.template.spec.containers[0].env',
  },
  { name: 'Secret through envFrom', rule: 'secrets/env', bad: [dep((d) => (container(d).envFrom = [{ secretRef: { name: 'creds' } }]))], good: [dep((d) => (container(d).envFrom = [{ configMapRef: { name: 'cfg' } }]))], field: 'spec.template.spec.containers[0].envFrom' },
  // Workload hygiene.
  {
    name: 'duplicate env name',
    rule: 'workloads/duplicate-env',
    bad: [dep((d) => (container(d).env = [{ name: 'A', value: '1' }, { name: 'A', value: '2' }]))],
    good: [dep((d) => (container(d).env = [{ name: 'A', value: '1' }, { name: 'A', value: '$(A):2' }]))],
    field: 'spec.template.spec.containers[0].env[1]',
  },
  { name: 'CPU limit', rule: 'resources/cpu-limit', bad: [dep((d) => (container(d).resources.limits.cpu = '1'))], good: [dep()], field: 'spec.template.spec.containers[0].resources.limits.cpu' },
  { name: 'low user id', rule: 'pod-security/user-ids', bad: [dep((d) => (container(d).securityContext.runAsUser = 1000))], good: [dep((d) => (container(d).securityContext.runAsUser = 20000))] },
  { name: 'low group id (pod)', rule: 'pod-security/user-ids', bad: [dep((d) => (pod(d).securityContext.runAsGroup = 999))], good: [dep()] },
  {
    name: 'token mounted, ServiceAccount unbound',
    rule: 'pod-security/sa-token',
    bad: [dep((d) => delete pod(d).automountServiceAccountToken)],
    good: [dep((d) => delete pod(d).automountServiceAccountToken), { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace: 'streaming' }, automountServiceAccountToken: false }],
    field: 'spec.template.spec.automountServiceAccountToken',
  },
  {
    name: 'token mounted, ServiceAccount bound (needs the API)',
    rule: 'pod-security/sa-token',
    bad: [dep((d) => (pod(d).automountServiceAccountToken = true))],
    good: [dep((d) => ((pod(d).automountServiceAccountToken = true), (pod(d).serviceAccountName = 'app'))), role('Role', [read(['configmaps'], ['get'])]), binding('RoleBinding', 'Role', 'r')],
  },
  { name: 'several replicas, no spread', rule: 'availability/spread', bad: [dep((d) => delete pod(d).topologySpreadConstraints)], good: [dep((d) => ((d.spec.replicas = 1), delete pod(d).topologySpreadConstraints))], field: 'spec.template.spec.topologySpreadConstraints' },
  {
    name: 'anti-affinity counts as spread',
    rule: 'availability/spread',
    bad: [dep((d) => delete pod(d).topologySpreadConstraints)],
    good: [dep((d) => {
      delete pod(d).topologySpreadConstraints;
      pod(d).affinity = { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: d.spec.selector.matchLabels } } }] } };
    })],
  },
];

describe('issue-18 hardening rules', () => {
  it('registers every tested rule', () => {
    expect([...TESTED].filter((r) => !RULE_BY_ID.has(r))).toEqual([]);
    expect(new Set(CASES.map((c) => c.rule))).toEqual(TESTED);
  });

  it.each(CASES)('$name: the violation gives exactly $rule', (c) => {
    const found = run(c.bad);
    expect(ids(found)).toEqual([c.rule, ...(c.also ?? [])].sort());
    if (c.field !== undefined) expect(found.map((f) => f.field)).toContain(c.field);
  });

  it.each(CASES)('$name: the compliant variant gives nothing', (c) => {
    expect(run(c.good).map((f) => `${f.rule}: ${f.message}`)).toEqual([]);
  });

  it('allows the sysctls of the pinned Kubernetes minor only', () => {
    const d = dep((x) => (pod(x).securityContext.sysctls = [{ name: 'net.ipv4.tcp_rmem', value: '4096 87380 6291456' }]));
    expect(ids(run([d], '1.31'))).toEqual(['pod-security/sysctls']);
    expect(ids(run([d], '1.32'))).toEqual([]);
  });

  it('never reports the own rules of an aggregated ClusterRole (the controller overwrites them)', () => {
    const agg = role('ClusterRole', [read(['*'], ['*'])], { aggregationRule: { clusterRoleSelectors: [{ matchLabels: { 'example.com/agg': 'true' } }] } });
    expect(run([agg])).toEqual([]);
  });

  it('keeps WARN rules warnings', () => {
    for (const id of ['pod-security/user-ids', 'pod-security/sa-token', 'resources/cpu-limit', 'availability/spread', 'secrets/env']) expect(RULE_BY_ID.get(id)?.severity).toBe('WARN');
  });
});
