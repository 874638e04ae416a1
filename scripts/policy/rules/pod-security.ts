// Pod Security Standards "restricted" (https://kubernetes.io/docs/concepts/security/pod-security-standards/),
// checked on every pod template, plus a read-only root filesystem in prod.
import { arr, obj, objs, str, strMap, type JsonObject } from '../json.ts';
import { minorOf } from '../../schemas/api-lifecycle.ts';
import type { AppContext, AppRule, RawFinding, RenderedObject } from '../types.ts';
import { groupOf, workloadOf, type ContainerRef } from '../workloads.ts';

/** Volume types the restricted profile allows. */
const ALLOWED_VOLUMES = new Set([
  'configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret', 'image',
]);

const seccompOk = (profile: unknown): boolean => {
  const type = str(obj(profile).type);
  return type === 'RuntimeDefault' || type === 'Localhost';
};

/**
 * The "safe" sysctls the baseline (hence restricted) profile allows, by the Kubernetes minor that added them; a
 * pod may set only these (names compared exactly, as the admission check does).
 * Checked: kubernetes/pod-security-admission @ v0.32.13 : policy/check_sysctls.go (sysctlsAllowedV1Dot0 … V1Dot32)
 */
const SAFE_SYSCTLS: ReadonlyArray<{ readonly since: number; readonly names: readonly string[] }> = [
  { since: 0, names: ['kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.tcp_syncookies', 'net.ipv4.ping_group_range', 'net.ipv4.ip_unprivileged_port_start'] },
  { since: 27, names: ['net.ipv4.ip_local_reserved_ports'] },
  { since: 29, names: ['net.ipv4.tcp_keepalive_time', 'net.ipv4.tcp_fin_timeout', 'net.ipv4.tcp_keepalive_intvl', 'net.ipv4.tcp_keepalive_probes'] },
  { since: 32, names: ['net.ipv4.tcp_rmem', 'net.ipv4.tcp_wmem'] },
];
/** The Kubernetes minor these checks target when the inventory pins none: the models' (and inventory's) 1.32. */
const DEFAULT_MINOR = 32;

const safeSysctls = (minor: number): Set<string> => new Set(SAFE_SYSCTLS.filter((s) => s.since <= minor).flatMap((s) => s.names));

/**
 * SELinux types the baseline profile allows (user and role must stay unset); container_engine_t since 1.31.
 * Checked: kubernetes/pod-security-admission @ v0.32.13 : policy/check_seLinuxOptions.go (selinuxAllowedTypes1_31)
 */
const selinuxTypes = (minor: number): Set<string> => new Set(['', 'container_t', 'container_init_t', 'container_kvm_t', ...(minor >= 31 ? ['container_engine_t'] : [])]);

/**
 * AppArmor: securityContext.appArmorProfile.type RuntimeDefault or Localhost (or unset); the deprecated annotation
 * `container.apparmor.security.beta.kubernetes.io/<container>` empty, `runtime/default` or `localhost/<profile>`.
 * Checked: kubernetes/pod-security-admission @ v0.32.13 : policy/check_appArmorProfile.go (allowedProfileType,
 *   allowedAnnotationValue; the constants are k8s.io/api v0.32.13 core/v1 annotation_key_constants.go, the test file
 *   spells them out)
 */
const APPARMOR_ANNOTATION = 'container.apparmor.security.beta.kubernetes.io/';
const appArmorTypeOk = (profile: unknown): boolean => {
  const type = obj(profile).type;
  return type === undefined || type === 'RuntimeDefault' || type === 'Localhost';
};
const appArmorAnnotationOk = (v: string): boolean => v === '' || v === 'runtime/default' || v.startsWith('localhost/');

/** Why SELinux options are outside the baseline set, or undefined. */
const selinuxProblem = (opts: unknown, allowed: ReadonlySet<string>): string | undefined => {
  if (opts === undefined) return undefined;
  const o = obj(opts);
  const why: string[] = [];
  const type = str(o.type) ?? '';
  if (!allowed.has(type)) why.push(`type ${type} is not one of ${[...allowed].filter((t) => t !== '').join(', ')}`);
  if ((str(o.user) ?? '') !== '') why.push('user may not be set');
  if ((str(o.role) ?? '') !== '') why.push('role may not be set');
  return why.length > 0 ? why.join('; ') : undefined;
};

/** The Kubernetes minor the fleet runs: the inventory's pin. */
const fleetMinor = (ctx: AppContext): number => minorOf(ctx.fleet.kubernetesVersion ?? '') ?? DEFAULT_MINOR;

/** Pod-level checks of the baseline profile's rarer fields: sysctls, SELinux, AppArmor (field and annotations). */
const rareChecks = (o: RenderedObject, pod: JsonObject, podMeta: JsonObject, field: string, metaField: string, containers: readonly ContainerRef[], minor: number): RawFinding[] => {
  const out: RawFinding[] = [];
  const podCtx = obj(pod.securityContext);
  const safe = safeSysctls(minor);
  objs(podCtx.sysctls).forEach((s, i) => {
    const name = str(s.name) ?? '';
    if (!safe.has(name)) out.push({ rule: 'pod-security/sysctls', object: o, field: `${field}.securityContext.sysctls[${i}]`, message: `sysctl ${name} is not in the safe set Pod Security allows (it may reach beyond the pod)` });
  });
  const types = selinuxTypes(minor);
  const podSelinux = selinuxProblem(podCtx.seLinuxOptions, types);
  if (podSelinux !== undefined) out.push({ rule: 'pod-security/selinux', object: o, field: `${field}.securityContext.seLinuxOptions`, message: `pod seLinuxOptions: ${podSelinux}` });
  if (!appArmorTypeOk(podCtx.appArmorProfile)) {
    out.push({ rule: 'pod-security/apparmor', object: o, field: `${field}.securityContext.appArmorProfile.type`, message: `pod AppArmor profile ${String(obj(podCtx.appArmorProfile).type)}: only RuntimeDefault or Localhost` });
  }
  for (const [key, value] of Object.entries(strMap(podMeta.annotations))) {
    if (key.startsWith(APPARMOR_ANNOTATION) && !appArmorAnnotationOk(value)) {
      out.push({ rule: 'pod-security/apparmor', object: o, field: `${metaField}.annotations.${key}`, message: `AppArmor annotation ${key}=${value}: only runtime/default or localhost/<profile>` });
    }
  }
  for (const c of containers) {
    const sc = obj(c.container.securityContext);
    const at = `${c.field}.securityContext`;
    const selinux = selinuxProblem(sc.seLinuxOptions, types);
    if (selinux !== undefined) out.push({ rule: 'pod-security/selinux', object: o, field: `${at}.seLinuxOptions`, message: `container ${c.name} seLinuxOptions: ${selinux}` });
    if (!appArmorTypeOk(sc.appArmorProfile)) {
      out.push({ rule: 'pod-security/apparmor', object: o, field: `${at}.appArmorProfile.type`, message: `container ${c.name} AppArmor profile ${String(obj(sc.appArmorProfile).type)}: only RuntimeDefault or Localhost` });
    }
    // Admission relaxes this for user-namespaced pods only behind a feature gate (UserNamespacesPodSecurityStandards),
    // which this check does not assume. Checked: kubernetes/pod-security-admission @ v0.32.13 : policy/check_procMount.go
    if (sc.procMount !== undefined && sc.procMount !== 'Default') {
      out.push({ rule: 'pod-security/proc-mount', object: o, field: `${at}.procMount`, message: `container ${c.name} procMount ${String(sc.procMount)} unmasks /proc: only Default` });
    }
  }
  return out;
};

const podLevel = (o: RenderedObject, pod: JsonObject, field: string): RawFinding[] => {
  const out: RawFinding[] = [];
  for (const key of ['hostNetwork', 'hostPID', 'hostIPC'] as const) {
    if (pod[key] === true) out.push({ rule: 'pod-security/host-namespaces', object: o, field: `${field}.${key}`, message: `${key}: true shares the node's namespace` });
  }
  objs(pod.volumes).forEach((v, i) => {
    const type = Object.keys(v).find((k) => k !== 'name');
    if (type === 'hostPath') {
      out.push({ rule: 'pod-security/host-path', object: o, field: `${field}.volumes[${i}]`, message: `volume ${str(v.name) ?? i} mounts a host path` });
    } else if (type !== undefined && !ALLOWED_VOLUMES.has(type)) {
      out.push({ rule: 'pod-security/volume-types', object: o, field: `${field}.volumes[${i}]`, message: `volume ${str(v.name) ?? i} has type ${type}, outside the restricted set` });
    }
  });
  return out;
};

const containerLevel = (o: RenderedObject, pod: JsonObject, field: string, containers: readonly ContainerRef[], isProd: boolean): RawFinding[] => {
  const out: RawFinding[] = [];
  const podCtx = obj(pod.securityContext);
  const podNonRoot = podCtx.runAsNonRoot === true;
  const podSeccomp = seccompOk(podCtx.seccompProfile);
  if (podCtx.runAsUser === 0) out.push({ rule: 'pod-security/run-as-non-root', object: o, field: `${field}.securityContext.runAsUser`, message: 'pod runs as uid 0' });
  for (const c of containers) {
    const sc = obj(c.container.securityContext);
    const at = `${c.field}.securityContext`;
    const label = `container ${c.name}`;
    if (sc.privileged === true) out.push({ rule: 'pod-security/privileged', object: o, field: `${at}.privileged`, message: `${label} is privileged` });
    if (sc.allowPrivilegeEscalation !== false) {
      out.push({ rule: 'pod-security/privilege-escalation', object: o, field: `${at}.allowPrivilegeEscalation`, message: `${label}: allowPrivilegeEscalation must be false` });
    }
    if (sc.runAsNonRoot === false || (sc.runAsNonRoot !== true && !podNonRoot)) {
      out.push({ rule: 'pod-security/run-as-non-root', object: o, field: `${at}.runAsNonRoot`, message: `${label}: runAsNonRoot must be true (container or pod)` });
    }
    if (sc.runAsUser === 0) out.push({ rule: 'pod-security/run-as-non-root', object: o, field: `${at}.runAsUser`, message: `${label} runs as uid 0` });
    const caps = obj(sc.capabilities);
    const drop = arr(caps.drop).map(String);
    const add = arr(caps.add).map(String).filter((x) => x !== 'NET_BIND_SERVICE');
    if (!drop.includes('ALL') || add.length > 0) {
      const why = !drop.includes('ALL') ? 'must drop ALL capabilities' : `adds ${add.join(', ')}`;
      out.push({ rule: 'pod-security/capabilities', object: o, field: `${at}.capabilities`, message: `${label} ${why}` });
    }
    if (sc.seccompProfile !== undefined ? !seccompOk(sc.seccompProfile) : !podSeccomp) {
      out.push({ rule: 'pod-security/seccomp', object: o, field: `${at}.seccompProfile`, message: `${label}: seccompProfile must be RuntimeDefault (container or pod)` });
    }
    objs(c.container.ports).forEach((p, i) => {
      if (typeof p.hostPort === 'number' && p.hostPort !== 0) {
        out.push({ rule: 'pod-security/host-port', object: o, field: `${c.field}.ports[${i}].hostPort`, message: `${label} binds host port ${p.hostPort}` });
      }
    });
    if (isProd && sc.readOnlyRootFilesystem !== true) {
      out.push({ rule: 'pod-security/read-only-root-fs', object: o, field: `${at}.readOnlyRootFilesystem`, message: `${label}: readOnlyRootFilesystem must be true in prod` });
    }
  }
  return out;
};

/**
 * User and group ids at or above 10000, the convention of kube-score's container-security-context-user-group-id
 * check ("A userid above 10 000 is recommended to avoid conflicts with the host"): an id low enough to exist in the
 * node's /etc/passwd is that user's should the container escape. A warning: image users (nginx 101, postgres 999)
 * own their files. Ids left unset are the image's, which this check cannot see.
 * Checked: zegl/kube-score @ v1.20.0 : score/security/security.go (containerSecurityContextUserGroupID)
 */
const MIN_ID = 10000;

const lowIds = (ctx: JsonObject): string[] =>
  (['runAsUser', 'runAsGroup'] as const).flatMap((k) => {
    const v = ctx[k];
    // uid 0 is pod-security/run-as-non-root's (blocking) finding.
    return typeof v === 'number' && v < MIN_ID && !(k === 'runAsUser' && v === 0) ? [`${k} ${v}`] : [];
  });

/** Reported where the id is written: once for the pod's securityContext, once per container that sets its own. */
const userIds = (o: RenderedObject, pod: JsonObject, field: string, containers: readonly ContainerRef[]): RawFinding[] => {
  const out: RawFinding[] = [];
  const podLow = lowIds(obj(pod.securityContext));
  if (podLow.length > 0) out.push({ rule: 'pod-security/user-ids', object: o, field: `${field}.securityContext`, message: `pods run with ${podLow.join(' and ')}: below ${MIN_ID}, an id the node may have` });
  for (const c of containers) {
    const low = lowIds(obj(c.container.securityContext));
    if (low.length > 0) out.push({ rule: 'pod-security/user-ids', object: o, field: `${c.field}.securityContext`, message: `container ${c.name} runs with ${low.join(' and ')}: below ${MIN_ID}, an id the node may have` });
  }
  return out;
};

const isBinding = (o: RenderedObject): boolean => (o.kind === 'RoleBinding' || o.kind === 'ClusterRoleBinding') && groupOf(o.apiVersion) === 'rbac.authorization.k8s.io';

/** `namespace/name` of every ServiceAccount a (Cluster)RoleBinding of the Application grants something to. */
const boundServiceAccounts = (objects: readonly RenderedObject[]): Set<string> =>
  new Set(
    objects.filter(isBinding).flatMap((b) =>
      objs(b.raw.subjects)
        .filter((s) => s.kind === 'ServiceAccount')
        // A RoleBinding's subject without a namespace is in the binding's namespace.
        .map((s) => `${str(s.namespace) ?? b.effectiveNamespace ?? ''}/${str(s.name) ?? ''}`),
    ),
  );

/**
 * A pod that talks to the API is one whose ServiceAccount the Application binds to a Role or ClusterRole; every
 * other pod has nothing to do with a token but lose it, so it should not mount one. The token is mounted unless
 * the pod, or else its ServiceAccount, sets automountServiceAccountToken: false.
 */
const serviceAccountToken = (ctx: AppContext, o: RenderedObject, pod: JsonObject, field: string, bound: ReadonlySet<string>): RawFinding[] => {
  const name = str(pod.serviceAccountName) ?? str(pod.serviceAccount) ?? 'default';
  const ns = o.effectiveNamespace ?? '';
  if (bound.has(`${ns}/${name}`)) return [];
  let mounts = pod.automountServiceAccountToken;
  if (typeof mounts !== 'boolean') {
    const sa = ctx.objects.find((x) => x.kind === 'ServiceAccount' && x.apiVersion === 'v1' && x.name === name && x.effectiveNamespace === ns);
    mounts = sa?.raw.automountServiceAccountToken;
  }
  if (mounts === false) return [];
  return [{ rule: 'pod-security/sa-token', object: o, field: `${field}.automountServiceAccountToken`, message: `pods mount a token of ServiceAccount ${name}, which no RoleBinding or ClusterRoleBinding of the Application grants anything: set automountServiceAccountToken: false` }];
};

/** Field of the pod template's metadata, and the metadata itself. */
const podMetadata = (o: RenderedObject, podSpecField: string): { field: string; meta: JsonObject } => {
  const field = podSpecField === 'spec' ? 'metadata' : podSpecField.replace(/\.spec$/, '.metadata');
  let cur: unknown = o.raw;
  for (const k of field.split('.')) cur = obj(cur)[k];
  return { field, meta: obj(cur) };
};

/** Operator-managed pods (Prometheus): only the pod-level context is ours to set. */
const operatorPod = (o: RenderedObject): RawFinding[] => {
  const sc = obj(obj(o.raw.spec).securityContext);
  const out: RawFinding[] = [];
  if (sc.runAsNonRoot !== true) out.push({ rule: 'pod-security/run-as-non-root', object: o, field: 'spec.securityContext.runAsNonRoot', message: 'runAsNonRoot must be true' });
  if (!seccompOk(sc.seccompProfile)) out.push({ rule: 'pod-security/seccomp', object: o, field: 'spec.securityContext.seccompProfile', message: 'seccompProfile must be RuntimeDefault' });
  const low = lowIds(sc);
  if (low.length > 0) out.push({ rule: 'pod-security/user-ids', object: o, field: 'spec.securityContext', message: `pods run with ${low.join(' and ')}: below ${MIN_ID}, an id the node may have` });
  return out;
};

export const podSecurity: AppRule = (ctx) => {
  const minor = fleetMinor(ctx);
  const bound = boundServiceAccounts(ctx.objects);
  return ctx.objects.flatMap((o) => {
    const w = workloadOf(o);
    if (w === undefined) return [];
    if (w.podSpec === undefined || w.podSpecField === undefined) return operatorPod(o);
    const meta = podMetadata(o, w.podSpecField);
    return [
      ...podLevel(o, w.podSpec, w.podSpecField),
      ...containerLevel(o, w.podSpec, w.podSpecField, w.containers, ctx.isProd),
      ...rareChecks(o, w.podSpec, meta.meta, w.podSpecField, meta.field, w.containers, minor),
      ...userIds(o, w.podSpec, w.podSpecField, w.containers),
      ...serviceAccountToken(ctx, o, w.podSpec, w.podSpecField, bound),
    ];
  });
};
