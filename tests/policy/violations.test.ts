// One violation per check, injected into a temp copy of the generated default fleet (each in its own file, or in
// one kustomization), then one `pnpm validate --format json` run: every case must be reported with its rule id,
// the file that holds it and the object. The default fleet itself passes (see validate.test.ts).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { FIRST_SYNC_RULE_IDS, RULES } from '../../scripts/policy/rules.ts';
import { removeDir } from '../support/fleet.ts';
import { container, deployment, ingress, pdb, service, TEST_REPOSITORY, workload, type Obj } from './objects.ts';
import { editYaml, generatedFleet, inject, runValidate, type JsonFinding, type JsonReport } from './tree.ts';

const PROD = 'clusters/prod-eu-west-1/streaming';
const PROD_T = 'clusters/prod-eu-west-1/transcoding';
const PROD2_T = 'clusters/prod-us-east-1/transcoding';
const PROD2_S = 'clusters/prod-us-east-1/streaming';
const GPU = 'clusters/prod-gpu-us-east-1/transcoding';
const HUB = 'argocd';

interface Case {
  readonly rule: string;
  /** Application path the violation goes into. */
  readonly path: string;
  /** Objects written to `<path>/<slug>.yaml`; the finding must name that file. */
  readonly objects?: readonly Obj[];
  /** Or: an edit of the path's kustomization.yaml; the finding must name it. */
  readonly edit?: (root: string) => void;
  /** `Kind namespace/name` the finding names; undefined for file-level findings. */
  readonly object?: string;
  /** When the finding is reported on another file than the injected one. */
  readonly file?: string;
}

const slug = (rule: string): string => `v-${rule.replace('/', '-')}`;
const ns = 'streaming';
const dep = (rule: string, mutate: (d: Obj) => void, namespace = ns): Obj[] => workload(slug(rule), namespace, mutate);
const depObject = (rule: string, namespace = ns): string => `Deployment ${namespace}/${slug(rule)}`;
const podSpec = (d: Obj): Obj => d.spec.template.spec;

const rbacRole = (rule: string, rules: Obj[]): Obj => ({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: slug(rule), namespace: ns }, rules });
const kustomization = (path: string): string => `${path}/kustomization.yaml`;
const editKustomization = (path: string, edit: (k: { set: (key: string, v: unknown) => void; get: (key: string) => unknown; createNode: (v: unknown) => unknown; has: (key: string) => boolean }) => void) => (root: string) =>
  editYaml(root, kustomization(path), (doc) => edit(doc as never));

/**
 * A hub ApplicationSet that passes every per-object rule, with one change. Its one element generates an
 * Application the first-sync simulation judges as a whole hub would (path `x` is missing on purpose: those are
 * first-sync findings, left out of the clean-parts check).
 */
const appSet = (rule: string, mutate: (s: Obj) => void): Obj => {
  const s: Obj = {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'ApplicationSet',
    metadata: { name: slug(rule), namespace: 'argocd' },
    spec: {
      goTemplate: true,
      goTemplateOptions: ['missingkey=error'],
      generators: [{ list: { elements: [{ cluster: 'dev-k3d' }] } }],
      syncPolicy: { applicationsSync: 'create-update', preserveResourcesOnDeletion: true },
      template: {
        metadata: { name: `{{.cluster}}-${slug(rule)}` },
        spec: {
          project: 'streaming',
          destination: { name: '{{.cluster}}', namespace: 'x' },
          source: { repoURL: 'https://github.com/acme-media/streamfleet-gitops.git', path: 'x' },
          syncPolicy: { automated: { allowEmpty: false, prune: false, selfHeal: true } },
        },
      },
    },
  };
  mutate(s);
  return s;
};
const appSetObject = (rule: string): string => `ApplicationSet argocd/${slug(rule)}`;

const CASES: readonly Case[] = [
  // Render: Kustomize's silent failures.
  {
    rule: 'kustomize/build-failed',
    path: 'clusters/dev-k3d/monitoring',
    edit: editKustomization('clusters/dev-k3d/monitoring', (k) => (k.get('resources') as { add: (v: string) => void }).add('missing.yaml')),
  },
  {
    rule: 'kustomize/duplicate-key',
    path: 'clusters/staging-eu-west-1/streaming',
    edit: (root) => {
      const file = join(root, kustomization('clusters/staging-eu-west-1/streaming'));
      writeFileSync(file, readFileSync(file, 'utf8').replace('kind: Kustomization\n', 'kind: Kustomization\nkind: Kustomization\n'));
    },
  },
  {
    rule: 'kustomize/patch-no-target',
    path: 'clusters/staging-eu-west-1/transcoding',
    edit: editKustomization('clusters/staging-eu-west-1/transcoding', (k) =>
      k.set('patches', [{ target: { kind: 'Service', name: 'no-such-service' }, patch: '- op: add\n  path: /metadata/labels/x\n  value: y\n' }]),
    ),
  },
  {
    rule: 'kustomize/image-no-target',
    path: 'clusters/staging-eu-west-1/monitoring',
    edit: editKustomization('clusters/staging-eu-west-1/monitoring', (k) => k.set('images', [{ name: 'docker.io/library/nothing', newTag: '1.0' }])),
  },
  {
    rule: 'kustomize/duplicate-id',
    path: PROD2_S,
    objects: [{ apiVersion: 'autoscaling/v1', kind: 'HorizontalPodAutoscaler', metadata: { name: 'rtmp-origin', namespace: ns }, spec: { minReplicas: 3, maxReplicas: 12, scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'rtmp-origin' } } }],
    object: 'HorizontalPodAutoscaler streaming/rtmp-origin',
    // Reported on the second of the two in the output: the environment's autoscaling/v2 one.
    file: 'overlays/prod/streaming/rtmp-origin/rtmp-origin-horizontalpodautoscaler.yaml',
  },
  {
    rule: 'argocd/shared-resource',
    path: PROD2_T,
    objects: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'edge-cache-config', namespace: ns }, data: { a: 'b' } }],
    object: 'ConfigMap streaming/edge-cache-config',
  },
  // Schemas.
  { rule: 'schema/no-schema', path: PROD, objects: [{ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'v-widget', namespace: ns } }], object: 'Widget streaming/v-widget' },
  { rule: 'schema/invalid', path: PROD, objects: dep('schema/invalid', (d) => (podSpec(d).terminationGracePeriodSeconds = 'thirty')), object: depObject('schema/invalid') },
  { rule: 'schema/unknown-field', path: PROD, objects: dep('schema/unknown-field', (d) => (d.spec.replcas = 2)), object: depObject('schema/unknown-field') },
  {
    rule: 'schema/api-not-served',
    path: PROD,
    objects: [{ ...pdb('v-old-pdb', ns), apiVersion: 'policy/v1beta1' }],
    object: 'PodDisruptionBudget streaming/v-old-pdb',
  },
  // Pod Security.
  { rule: 'pod-security/privileged', path: PROD, objects: dep('pod-security/privileged', (d) => (container(d).securityContext.privileged = true)), object: depObject('pod-security/privileged') },
  { rule: 'pod-security/host-namespaces', path: PROD, objects: dep('pod-security/host-namespaces', (d) => (podSpec(d).hostNetwork = true)), object: depObject('pod-security/host-namespaces') },
  {
    rule: 'pod-security/host-path',
    path: PROD,
    objects: dep('pod-security/host-path', (d) => (podSpec(d).volumes = [{ name: 'host', hostPath: { path: '/var/run' } }])),
    object: depObject('pod-security/host-path'),
  },
  { rule: 'pod-security/host-port', path: PROD, objects: dep('pod-security/host-port', (d) => (container(d).ports[0].hostPort = 8080)), object: depObject('pod-security/host-port') },
  {
    rule: 'pod-security/privilege-escalation',
    path: PROD,
    objects: dep('pod-security/privilege-escalation', (d) => (container(d).securityContext.allowPrivilegeEscalation = true)),
    object: depObject('pod-security/privilege-escalation'),
  },
  {
    rule: 'pod-security/run-as-non-root',
    path: PROD,
    objects: dep('pod-security/run-as-non-root', (d) => {
      container(d).securityContext.runAsNonRoot = false;
      podSpec(d).securityContext.runAsNonRoot = false;
    }),
    object: depObject('pod-security/run-as-non-root'),
  },
  {
    rule: 'pod-security/capabilities',
    path: PROD,
    objects: dep('pod-security/capabilities', (d) => (container(d).securityContext.capabilities = { drop: ['ALL'], add: ['SYS_ADMIN'] })),
    object: depObject('pod-security/capabilities'),
  },
  {
    rule: 'pod-security/seccomp',
    path: PROD,
    objects: dep('pod-security/seccomp', (d) => (container(d).securityContext.seccompProfile = { type: 'Unconfined' })),
    object: depObject('pod-security/seccomp'),
  },
  {
    rule: 'pod-security/volume-types',
    path: PROD,
    objects: dep('pod-security/volume-types', (d) => (podSpec(d).volumes = [{ name: 'share', nfs: { server: 'nfs.local', path: '/x' } }])),
    object: depObject('pod-security/volume-types'),
  },
  {
    rule: 'pod-security/read-only-root-fs',
    path: PROD,
    objects: dep('pod-security/read-only-root-fs', (d) => (container(d).securityContext.readOnlyRootFilesystem = false)),
    object: depObject('pod-security/read-only-root-fs'),
  },
  // Images.
  { rule: 'images/tag', path: PROD, objects: dep('images/tag', (d) => (container(d).image = `${TEST_REPOSITORY}:latest@sha256:${'c'.repeat(64)}`)), object: depObject('images/tag') },
  { rule: 'images/digest', path: PROD, objects: dep('images/digest', (d) => (container(d).image = `${TEST_REPOSITORY}:1.0.0`)), object: depObject('images/digest') },
  {
    rule: 'images/registry',
    path: PROD,
    objects: dep('images/registry', (d) => (container(d).image = `registry.example.com/tools/app:1.0@sha256:${'b'.repeat(64)}`)),
    object: depObject('images/registry'),
  },
  // Resources.
  { rule: 'resources/requests', path: PROD, objects: dep('resources/requests', (d) => delete container(d).resources.requests.cpu), object: depObject('resources/requests') },
  { rule: 'resources/memory-limit', path: PROD, objects: dep('resources/memory-limit', (d) => (container(d).resources.limits = {})), object: depObject('resources/memory-limit') },
  {
    rule: 'resources/gpu-limits',
    path: GPU,
    objects: dep(
      'resources/gpu-limits',
      (d) => {
        container(d).resources.requests['nvidia.com/gpu'] = '1';
        container(d).resources.limits['nvidia.com/gpu'] = '2';
      },
      'transcoding',
    ),
    object: depObject('resources/gpu-limits', 'transcoding'),
  },
  // Probes.
  {
    rule: 'probes/readiness',
    path: PROD,
    objects: [...dep('probes/readiness', (d) => delete container(d).readinessProbe), service(slug('probes/readiness'), ns)],
    object: depObject('probes/readiness'),
  },
  { rule: 'probes/liveness', path: PROD, objects: dep('probes/liveness', (d) => delete container(d).livenessProbe), object: depObject('probes/liveness') },
  {
    rule: 'probes/liveness-equals-readiness',
    path: PROD,
    objects: dep('probes/liveness-equals-readiness', (d) => (container(d).livenessProbe = { ...container(d).readinessProbe, periodSeconds: 30 })),
    object: depObject('probes/liveness-equals-readiness'),
  },
  // Availability.
  { rule: 'availability/replicas', path: PROD, objects: dep('availability/replicas', (d) => (d.spec.replicas = 1)), object: depObject('availability/replicas') },
  { rule: 'availability/pdb', path: PROD, objects: [deployment(slug('availability/pdb'), ns)], object: depObject('availability/pdb') },
  {
    rule: 'availability/headless-service',
    path: PROD,
    objects: (() => {
      const name = slug('availability/headless-service');
      const d = deployment(name, ns);
      const sts = { ...d, kind: 'StatefulSet', spec: { ...d.spec, serviceName: name } };
      delete sts.spec.strategy;
      return [sts, pdb(name, ns), service(name, ns)];
    })(),
    object: `StatefulSet streaming/${slug('availability/headless-service')}`,
  },
  {
    rule: 'availability/hpa-replicas',
    path: PROD,
    objects: [
      ...dep('availability/hpa-replicas', () => undefined),
      {
        apiVersion: 'autoscaling/v2',
        kind: 'HorizontalPodAutoscaler',
        metadata: { name: slug('availability/hpa-replicas'), namespace: ns },
        spec: { minReplicas: 2, maxReplicas: 4, scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: slug('availability/hpa-replicas') } },
      },
    ],
    object: depObject('availability/hpa-replicas'),
  },
  // Network.
  { rule: 'network/default-deny', path: PROD, objects: dep('network/default-deny', () => undefined, 'v-no-policy'), object: depObject('network/default-deny', 'v-no-policy') },
  {
    rule: 'network/pod-not-selected',
    path: PROD,
    objects: [
      ...dep('network/pod-not-selected', () => undefined, 'v-partial'),
      // The policy selects this other workload only (network/policy-no-pods if it selected nothing).
      ...workload('v-partial-other', 'v-partial', (d) => (d.spec.template.metadata.labels.tier = 'other')),
      { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'default-deny', namespace: 'v-partial' }, spec: { podSelector: { matchLabels: { tier: 'other' } }, policyTypes: ['Ingress', 'Egress'] } },
    ],
    object: depObject('network/pod-not-selected', 'v-partial'),
  },
  // Each Service selects a workload of its own (network/service-no-pods otherwise).
  { rule: 'network/node-port', path: PROD, objects: [...workload('v-node-port', ns), service('v-node-port', ns, (s) => (s.spec.type = 'NodePort'))], object: 'Service streaming/v-node-port' },
  {
    rule: 'network/external-ips',
    path: PROD,
    objects: [...workload('v-external-ips', ns), service('v-external-ips', ns, (s) => (s.spec.externalIPs = ['203.0.113.10']))],
    object: 'Service streaming/v-external-ips',
  },
  { rule: 'network/ingress-tls', path: PROD, objects: [ingress('v-ingress-tls', ns, 'v1.euw1.media.acme-media.net', (i) => delete i.spec.tls)], object: 'Ingress streaming/v-ingress-tls' },
  {
    rule: 'network/ingress-tls-host',
    path: PROD,
    objects: [ingress('v-ingress-tls-host', ns, 'v2.euw1.media.acme-media.net', (i) => (i.spec.tls[0].hosts = ['other.euw1.media.acme-media.net']))],
    object: 'Ingress streaming/v-ingress-tls-host',
  },
  { rule: 'network/ingress-class', path: PROD, objects: [ingress('v-ingress-class', ns, 'v3.euw1.media.acme-media.net', (i) => delete i.spec.ingressClassName)], object: 'Ingress streaming/v-ingress-class' },
  { rule: 'network/ingress-duplicate', path: PROD, objects: [ingress('v-ingress-duplicate', ns, 'grafana.euw1.media.acme-media.net')], object: 'Ingress streaming/v-ingress-duplicate' },
  {
    rule: 'network/ingress-wildcard-host',
    path: PROD,
    objects: [ingress('v-ingress-wildcard-host', ns, '*.v4.euw1.media.acme-media.net')],
    object: 'Ingress streaming/v-ingress-wildcard-host',
  },
  {
    // Checked: kubernetes/ingress-nginx @ controller-v1.15.1 : internal/ingress/annotations (server-snippet), as
    // the rule's comment cites.
    rule: 'network/ingress-snippet',
    path: PROD,
    objects: [ingress('v-ingress-snippet', ns, 'v5.euw1.media.acme-media.net', (i) => (i.metadata.annotations = { 'nginx.ingress.kubernetes.io/server-snippet': 'return 200;' }))],
    object: 'Ingress streaming/v-ingress-snippet',
  },
  {
    rule: 'network/ingress-backend',
    path: PROD,
    objects: [ingress('v-ingress-backend', ns, 'v6.euw1.media.acme-media.net', (i) => (i.spec.rules[0].http.paths[0].backend.service.name = 'v-no-such-service'))],
    object: 'Ingress streaming/v-ingress-backend',
  },
  { rule: 'network/service-no-pods', path: PROD, objects: [service('v-service-no-pods', ns)], object: 'Service streaming/v-service-no-pods' },
  {
    rule: 'network/policy-no-pods',
    path: PROD,
    objects: [
      {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name: 'v-policy-no-pods', namespace: ns },
        spec: { podSelector: { matchLabels: { 'app.kubernetes.io/name': 'v-nothing' } }, policyTypes: ['Ingress'], ingress: [{}] },
      },
    ],
    object: 'NetworkPolicy streaming/v-policy-no-pods',
  },
  // Workload selectors (workloads/selector-changed needs a git history: tests/policy/selector-changed.test.ts).
  {
    rule: 'workloads/selector-template',
    path: PROD,
    objects: dep('workloads/selector-template', (d) => (d.spec.selector.matchLabels['v-extra'] = 'x')),
    object: depObject('workloads/selector-template'),
  },
  // Secrets.
  { rule: 'secrets/secret-object', path: PROD, objects: [{ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'v-secret', namespace: ns }, stringData: { token: 'x' } }], object: 'Secret streaming/v-secret' },
  {
    rule: 'secrets/literal',
    path: PROD,
    objects: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'v-literal', namespace: ns }, data: { DB_PASSWORD: 'hunter2hunter2' } }],
    object: 'ConfigMap streaming/v-literal',
  },
  // Namespaces and Argo CD (the hub's argocd/ folder).
  { rule: 'namespaces/default', path: PROD2_T, objects: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'v-default', namespace: 'default' }, data: { a: 'b' } }], object: 'ConfigMap default/v-default' },
  {
    rule: 'argocd/project-wildcard',
    path: HUB,
    objects: [{ apiVersion: 'argoproj.io/v1alpha1', kind: 'AppProject', metadata: { name: 'v-wild', namespace: 'argocd' }, spec: { sourceRepos: ['*'], destinations: [{ name: 'dev-k3d', namespace: 'x' }] } }],
    object: 'AppProject argocd/v-wild',
  },
  {
    rule: 'argocd/default-project',
    path: HUB,
    objects: [
      {
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'Application',
        metadata: { name: 'v-default-project', namespace: 'argocd' },
        spec: { project: 'default', destination: { name: 'dev-k3d', namespace: 'x' }, source: { repoURL: 'https://github.com/acme-media/streamfleet-gitops.git', path: 'clusters/dev-k3d/streaming' } },
      },
    ],
    object: 'Application argocd/v-default-project',
  },
  ...(['argocd/templated-project', 'argocd/missingkey', 'argocd/allow-empty'] as const).map(
    (rule): Case => ({
      rule,
      path: HUB,
      objects: [
        appSet(rule, (s) => {
          if (rule === 'argocd/missingkey') {
            s.spec.goTemplate = false;
            s.spec.goTemplateOptions = [];
          }
          if (rule === 'argocd/templated-project') s.spec.template.spec.project = '{{.project}}';
          if (rule === 'argocd/allow-empty') s.spec.template.spec.syncPolicy.automated.allowEmpty = true;
        }),
      ],
      object: `ApplicationSet argocd/${slug(rule)}`,
    }),
  ),
  { rule: 'argocd/preserve-resources', path: HUB, objects: [appSet('argocd/preserve-resources', (s) => delete s.spec.syncPolicy.preserveResourcesOnDeletion)], object: appSetObject('argocd/preserve-resources') },
  { rule: 'argocd/appset-empty-list', path: HUB, objects: [appSet('argocd/appset-empty-list', (s) => (s.spec.generators = [{ list: { elements: [] } }]))], object: appSetObject('argocd/appset-empty-list') },
  {
    rule: 'argocd/appset-external-generator',
    path: HUB,
    objects: [appSet('argocd/appset-external-generator', (s) => (s.spec.generators = [{ git: { repoURL: 'https://github.com/acme-media/other.git', revision: 'main', directories: [{ path: 'x/*' }] } }]))],
    object: appSetObject('argocd/appset-external-generator'),
  },
  { rule: 'argocd/applications-sync', path: HUB, objects: [appSet('argocd/applications-sync', (s) => (s.spec.syncPolicy.applicationsSync = 'sync'))], object: appSetObject('argocd/applications-sync') },
  {
    rule: 'argocd/rolling-sync',
    path: HUB,
    objects: [
      appSet('argocd/rolling-sync', (s) => (s.spec.strategy = { type: 'RollingSync', rollingSync: { steps: [{ matchExpressions: [{ key: 'env', operator: 'Exists' }] }] } })),
    ],
    object: appSetObject('argocd/rolling-sync'),
  },
  { rule: 'argocd/sync-wave', path: HUB, objects: [appSet('argocd/sync-wave', (s) => (s.metadata.annotations = { 'argocd.argoproj.io/sync-wave': '1.5' }))], object: appSetObject('argocd/sync-wave') },
  {
    rule: 'argocd/namespace-protection',
    path: PROD,
    objects: [
      {
        apiVersion: 'v1',
        kind: 'PersistentVolumeClaim',
        metadata: { name: slug('argocd/namespace-protection'), namespace: ns },
        spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
      },
    ],
    object: `PersistentVolumeClaim streaming/${slug('argocd/namespace-protection')}`,
  },
  // Issue 18 hardening: RBAC (namespaced, so the streaming project admits them), the rarer Pod Security checks,
  // External Secrets and SealedSecret scopes, workload hygiene (the WARN ones are reported, never blocking).
  { rule: 'rbac/wildcard', path: PROD, objects: [rbacRole('rbac/wildcard', [{ apiGroups: [''], resources: ['*'], verbs: ['get'] }])], object: `Role streaming/${slug('rbac/wildcard')}` },
  { rule: 'rbac/pods-exec', path: PROD, objects: [rbacRole('rbac/pods-exec', [{ apiGroups: [''], resources: ['pods/exec'], verbs: ['create'] }])], object: `Role streaming/${slug('rbac/pods-exec')}` },
  { rule: 'rbac/secrets-read', path: PROD, objects: [rbacRole('rbac/secrets-read', [{ apiGroups: [''], resources: ['secrets'], verbs: ['list'] }])], object: `Role streaming/${slug('rbac/secrets-read')}` },
  {
    rule: 'rbac/cluster-admin',
    path: PROD,
    objects: [
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'RoleBinding',
        metadata: { name: slug('rbac/cluster-admin'), namespace: ns },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
        subjects: [{ kind: 'ServiceAccount', name: 'v-admin', namespace: ns }],
      },
    ],
    object: `RoleBinding streaming/${slug('rbac/cluster-admin')}`,
  },
  { rule: 'pod-security/sysctls', path: PROD, objects: dep('pod-security/sysctls', (d) => (podSpec(d).securityContext.sysctls = [{ name: 'kernel.msgmax', value: '65536' }])), object: depObject('pod-security/sysctls') },
  { rule: 'pod-security/selinux', path: PROD, objects: dep('pod-security/selinux', (d) => (container(d).securityContext.seLinuxOptions = { type: 'spc_t' })), object: depObject('pod-security/selinux') },
  { rule: 'pod-security/apparmor', path: PROD, objects: dep('pod-security/apparmor', (d) => (container(d).securityContext.appArmorProfile = { type: 'Unconfined' })), object: depObject('pod-security/apparmor') },
  { rule: 'pod-security/proc-mount', path: PROD, objects: dep('pod-security/proc-mount', (d) => (container(d).securityContext.procMount = 'Unmasked')), object: depObject('pod-security/proc-mount') },
  { rule: 'pod-security/user-ids', path: PROD, objects: dep('pod-security/user-ids', (d) => (podSpec(d).securityContext.runAsGroup = 999)), object: depObject('pod-security/user-ids') },
  { rule: 'pod-security/sa-token', path: PROD, objects: dep('pod-security/sa-token', (d) => delete podSpec(d).automountServiceAccountToken), object: depObject('pod-security/sa-token') },
  {
    rule: 'secrets/eso-merge-delete',
    path: PROD,
    objects: [
      {
        apiVersion: 'external-secrets.io/v1',
        kind: 'ExternalSecret',
        metadata: { name: slug('secrets/eso-merge-delete'), namespace: ns },
        spec: { secretStoreRef: { kind: 'ClusterSecretStore', name: 'platform-secrets' }, target: { name: 'v-merged', creationPolicy: 'Merge', deletionPolicy: 'Delete' }, dataFrom: [{ extract: { key: 'v-merged' } }] },
      },
    ],
    object: `ExternalSecret streaming/${slug('secrets/eso-merge-delete')}`,
  },
  {
    rule: 'secrets/sealed-cluster-wide',
    path: PROD,
    objects: [
      {
        apiVersion: 'bitnami.com/v1alpha1',
        kind: 'SealedSecret',
        metadata: { name: slug('secrets/sealed-cluster-wide'), namespace: ns, annotations: { 'sealedsecrets.bitnami.com/cluster-wide': 'true' } },
        spec: { encryptedData: { token: 'AgBy3i4OJSWK' }, template: { metadata: { annotations: { 'sealedsecrets.bitnami.com/cluster-wide': 'true' } } } },
      },
    ],
    object: `SealedSecret streaming/${slug('secrets/sealed-cluster-wide')}`,
  },
  {
    rule: 'secrets/env',
    path: PROD,
    objects: dep('secrets/env', (d) => (container(d).env = [{ name: 'API_TOKEN', valueFrom: { secretKeyRef: { name: 'ott-auth-keys', key: 'token' } } }])),
    object: depObject('secrets/env'),
  },
  {
    rule: 'workloads/duplicate-env',
    path: PROD,
    objects: dep('workloads/duplicate-env', (d) => (container(d).env = [{ name: 'MODE', value: 'a' }, { name: 'MODE', value: 'b' }])),
    object: depObject('workloads/duplicate-env'),
  },
  {
    rule: 'workloads/probe-port',
    path: PROD,
    objects: dep('workloads/probe-port', (d) => (container(d).readinessProbe = { httpGet: { path: '/ready', port: 'admin' } })),
    object: depObject('workloads/probe-port'),
  },
  {
    rule: 'workloads/mount-no-volume',
    path: PROD,
    objects: dep('workloads/mount-no-volume', (d) => (container(d).volumeMounts = [{ name: 'data', mountPath: '/var/lib/data' }])),
    object: depObject('workloads/mount-no-volume'),
  },
  { rule: 'resources/cpu-limit', path: PROD, objects: dep('resources/cpu-limit', (d) => (container(d).resources.limits.cpu = '1')), object: depObject('resources/cpu-limit') },
  { rule: 'availability/spread', path: PROD, objects: dep('availability/spread', (d) => delete podSpec(d).topologySpreadConstraints), object: depObject('availability/spread') },
  // Domain.
  {
    rule: 'domain/gpu-cluster',
    path: PROD,
    objects: dep('domain/gpu-cluster', (d) => {
      container(d).resources.requests['nvidia.com/gpu'] = '1';
      container(d).resources.limits['nvidia.com/gpu'] = '1';
    }),
    object: depObject('domain/gpu-cluster'),
  },
  {
    rule: 'domain/keda-queue',
    path: PROD_T,
    objects: [
      ...dep(
        'domain/keda-queue',
        (d) => {
          delete d.spec.replicas;
          container(d).envFrom = [{ configMapRef: { name: 'v-keda-config' } }];
        },
        'transcoding',
      ),
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'v-keda-config', namespace: 'transcoding' }, data: { QUEUE: 'transcode.jobs' } },
      {
        apiVersion: 'keda.sh/v1alpha1',
        kind: 'ScaledObject',
        metadata: { name: slug('domain/keda-queue'), namespace: 'transcoding' },
        spec: { minReplicaCount: 2, scaleTargetRef: { name: slug('domain/keda-queue') }, triggers: [{ type: 'rabbitmq', metadata: { queueName: 'transcode.jobz', mode: 'QueueLength', value: '5' } }] },
      },
    ],
    object: `ScaledObject transcoding/${slug('domain/keda-queue')}`,
  },
  {
    rule: 'domain/edge-upstream',
    path: PROD,
    objects: [
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'v-edge-upstream', namespace: ns },
        data: { 'nginx.conf': 'http {\n  upstream origin { server rtmp-origin.streaming.svc.cluster.local:9999; }\n}\n' },
      },
    ],
    object: 'ConfigMap streaming/v-edge-upstream',
  },
  {
    rule: 'domain/metrics-monitor',
    path: PROD,
    objects: dep('domain/metrics-monitor', (d) => container(d).ports.push({ name: 'metrics', containerPort: 9090 })),
    object: depObject('domain/metrics-monitor'),
  },
];

/** Rules a table case cannot reach through a real Kustomize build; unit tests cover them (parse-output.test.ts). */
const UNREACHABLE_THROUGH_KUSTOMIZE = ['schema/yaml', 'schema/identity'];
/**
 * Rules that compare with the previous committed render: this temp fleet is not a git repository, so there is
 * none. tests/policy/selector-changed.test.ts commits a generated tree, changes a selector and runs validate.
 */
const COVERED_WITH_GIT_HISTORY = ['workloads/selector-changed'];

describe('one injected violation per check is caught with its rule, file and object', () => {
  let root: string;
  let findings: JsonFinding[];

  beforeAll(async () => {
    root = await generatedFleet('violations');
    // The default inventory exempts prod images from digest pinning; this copy checks the rule itself.
    editYaml(root, 'inventory/fleet.yaml', (doc) => doc.deleteIn(['policy', 'exemptions']));
    for (const c of CASES) {
      if (c.objects !== undefined) inject(root, c.path, `${slug(c.rule)}.yaml`, c.objects);
      else c.edit?.(root);
    }
    const run = await runValidate(['--root', root, '--format', 'json', '--no-cache']);
    // Only progress lines (a slow machine prints one every 2 s), nothing else.
    expect(run.stderr.split('\n').filter((l) => l !== '' && !/^validate: rendered \d+\/\d+ paths/.test(l))).toEqual([]);
    expect(run.code).toBe(1);
    findings = (JSON.parse(run.stdout) as JsonReport).applications.flatMap((a) => a.findings);
  });
  afterAll(async () => removeDir(root));

  it('has a case for every rule', () => {
    // The first-sync simulation's rules are caught one by one in tests/convergence/defects.test.ts.
    const covered = new Set([...CASES.map((c) => c.rule), ...UNREACHABLE_THROUGH_KUSTOMIZE, ...COVERED_WITH_GIT_HISTORY, ...FIRST_SYNC_RULE_IDS]);
    expect(RULES.map((r) => r.id).filter((id) => !covered.has(id))).toEqual([]);
  });

  it.each(CASES.map((c) => ({ ...c, name: c.rule })))('$name', (c) => {
    const file = c.file ?? (c.objects !== undefined ? `${c.path}/${slug(c.rule)}.yaml` : kustomization(c.path));
    const match = findings.filter((f) => f.rule === c.rule && f.file === file && f.object === c.object);
    expect(match, `${c.rule} on ${c.object ?? file}; reported for this rule: ${JSON.stringify(findings.filter((f) => f.rule === c.rule), null, 1)}`).not.toHaveLength(0);
    const info = RULES.find((r) => r.id === c.rule)!;
    expect(match[0]!.blocking).toBe(info.severity !== 'WARN');
    if (c.objects === undefined) expect(match[0]!.line ?? 0).toBeGreaterThanOrEqual(c.rule === 'kustomize/build-failed' ? 0 : 1);
  });

  it('reports nothing about the clean parts of the injected objects', () => {
    // Each injected workload breaks one rule; any other rule on it means a check misfires on clean input.
    // The first-sync simulation judges the injected Argo CD objects as a whole hub would (they are minimal on purpose).
    const injected = findings.filter((f) => f.file.includes('/v-') && !f.rule.startsWith('kustomize/') && !FIRST_SYNC_RULE_IDS.has(f.rule));
    const unexpected = injected.filter((f) => !f.file.endsWith(`/${slug(f.rule)}.yaml`));
    expect(unexpected.map((f) => `${f.rule} ${f.object ?? ''} (${f.file})`)).toEqual([]);
  });
});
