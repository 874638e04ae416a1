// Pod Security Standards "restricted" (https://kubernetes.io/docs/concepts/security/pod-security-standards/),
// checked on every pod template, plus a read-only root filesystem in prod.
import { arr, obj, objs, str, type JsonObject } from '../json.ts';
import type { AppRule, RawFinding, RenderedObject } from '../types.ts';
import { workloadOf, type ContainerRef } from '../workloads.ts';

/** Volume types the restricted profile allows. */
const ALLOWED_VOLUMES = new Set([
  'configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret', 'image',
]);

const seccompOk = (profile: unknown): boolean => {
  const type = str(obj(profile).type);
  return type === 'RuntimeDefault' || type === 'Localhost';
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

/** Operator-managed pods (Prometheus): only the pod-level context is ours to set. */
const operatorPod = (o: RenderedObject): RawFinding[] => {
  const sc = obj(obj(o.raw.spec).securityContext);
  const out: RawFinding[] = [];
  if (sc.runAsNonRoot !== true) out.push({ rule: 'pod-security/run-as-non-root', object: o, field: 'spec.securityContext.runAsNonRoot', message: 'runAsNonRoot must be true' });
  if (!seccompOk(sc.seccompProfile)) out.push({ rule: 'pod-security/seccomp', object: o, field: 'spec.securityContext.seccompProfile', message: 'seccompProfile must be RuntimeDefault' });
  return out;
};

export const podSecurity: AppRule = (ctx) =>
  ctx.objects.flatMap((o) => {
    const w = workloadOf(o);
    if (w === undefined) return [];
    if (w.podSpec === undefined || w.podSpecField === undefined) return operatorPod(o);
    return [...podLevel(o, w.podSpec, w.podSpecField), ...containerLevel(o, w.podSpec, w.podSpecField, w.containers, ctx.isProd)];
  });
