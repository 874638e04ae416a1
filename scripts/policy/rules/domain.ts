// Checks specific to this fleet's media stacks: GPU work only on GPU clusters, autoscaler queues that workers
// actually consume, the edge cache proxying to the origin Service, and every metrics port scraped.
import { arr, obj, objs, str, strMap } from '../json.ts';
import { clusterKey, type AppContext, type AppRule, type FleetRule, type RawFinding, type RenderedObject } from '../types.ts';
import { groupOf, selects, serviceSelects, workloadOf, type Workload } from '../workloads.ts';

const GPU_RESOURCE = /^(nvidia\.com|amd\.com|gpu\.intel\.com)\/gpu$/;

const usesGpu = (w: Workload): boolean =>
  w.podSpec !== undefined &&
  w.containers.some((c) => {
    const r = obj(c.container.resources);
    return [...Object.keys(obj(r.requests)), ...Object.keys(obj(r.limits))].some((k) => GPU_RESOURCE.test(k));
  });

export const gpuPlacement: AppRule = (ctx) => {
  const cluster = ctx.target.cluster;
  if (cluster === undefined || cluster.capabilities.includes('gpu')) return [];
  return ctx.objects.flatMap((o): RawFinding[] => {
    const w = workloadOf(o);
    return w !== undefined && usesGpu(w)
      ? [{ rule: 'domain/gpu-cluster', object: o, message: `requests GPUs, but cluster ${cluster.name} has no gpu capability` }]
      : [];
  });
};

/** Queue names a workload consumes: env values and referenced ConfigMap keys named QUEUE / *_QUEUE / QUEUE_NAME. */
const QUEUE_KEY = /(^|_)QUEUE(_NAME)?$/;
const queuesOf = (w: Workload, objects: readonly RenderedObject[]): Set<string> => {
  const out = new Set<string>();
  const configMap = (name: string | undefined): Record<string, string> =>
    strMap(objects.find((o) => o.kind === 'ConfigMap' && o.name === name && o.effectiveNamespace === w.object.effectiveNamespace)?.raw.data);
  for (const c of w.containers) {
    for (const e of objs(c.container.env)) {
      const name = str(e.name) ?? '';
      if (!QUEUE_KEY.test(name)) continue;
      const value = str(e.value);
      if (value !== undefined) out.add(value);
      const ref = obj(obj(e.valueFrom).configMapKeyRef);
      const fromMap = configMap(str(ref.name))[str(ref.key) ?? ''];
      if (fromMap !== undefined) out.add(fromMap);
    }
    for (const src of objs(c.container.envFrom)) {
      for (const [k, v] of Object.entries(configMap(str(obj(src.configMapRef).name)))) if (QUEUE_KEY.test(k)) out.add(v);
    }
  }
  return out;
};

export const kedaQueues: AppRule = (ctx) =>
  ctx.objects.flatMap((o): RawFinding[] => {
    if (o.kind !== 'ScaledObject' || groupOf(o.apiVersion) !== 'keda.sh') return [];
    const spec = obj(o.raw.spec);
    const ref = obj(spec.scaleTargetRef);
    const kind = str(ref.kind) ?? 'Deployment';
    const target = ctx.objects.find((x) => x.kind === kind && x.name === str(ref.name) && x.effectiveNamespace === o.effectiveNamespace);
    const w = target === undefined ? undefined : workloadOf(target);
    const out: RawFinding[] = [];
    objs(spec.triggers).forEach((t, i) => {
      const queue = str(obj(t.metadata).queueName);
      if (queue === undefined) return;
      const field = `spec.triggers[${i}].metadata.queueName`;
      if (w === undefined) {
        out.push({ rule: 'domain/keda-queue', object: o, field, message: `scales ${kind} ${str(ref.name) ?? '?'}, which is not in the Application` });
        return;
      }
      const consumed = queuesOf(w, ctx.objects);
      if (!consumed.has(queue)) {
        out.push({ rule: 'domain/keda-queue', object: o, field, message: `queue ${queue} is not the queue ${kind} ${w.object.name} consumes (${[...consumed].join(', ') || 'none configured'})` });
      }
    });
    return out;
  });

/** Applications grouped by the cluster they deploy to, in order of first appearance. */
const byCluster = (apps: readonly AppContext[]): AppContext[][] => {
  const groups = new Map<string, AppContext[]>();
  for (const app of apps) {
    const key = clusterKey(app.target);
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [app]);
    else group.push(app);
  }
  return [...groups.values()];
};

const UPSTREAM_SERVER = /upstream\s+[\w-]+\s*\{[^}]*?\bserver\s+([a-z0-9-]+)\.([a-z0-9-]+)\.svc(?:\.cluster\.local)?:(\d+)/g;
/** `set $var <svc>.<ns>.svc…;`: a Service name nginx resolves per request (its `resolver`), used as `http://$var:port`. */
const RESOLVED_NAME = /\bset\s+\$([\w]+)\s+(([a-z0-9-]+)\.([a-z0-9-]+)\.svc(?:\.cluster\.local)?)\s*;/g;

interface UpstreamRef {
  readonly name: string;
  readonly ns: string;
  readonly port: string;
  /** Resolved per request and tried replica by replica: only a headless Service answers with every replica. */
  readonly perReplica: boolean;
  readonly host?: string;
}

const upstreamRefs = (text: string): UpstreamRef[] => [
  ...[...text.matchAll(UPSTREAM_SERVER)].map((m) => ({ name: m[1]!, ns: m[2]!, port: m[3]!, perReplica: false })),
  ...[...text.matchAll(RESOLVED_NAME)].flatMap((m) => {
    const [, variable, host, name, ns] = m as unknown as [string, string, string, string, string];
    const ports = [...text.matchAll(new RegExp(`proxy_pass\\s+https?://\\$${variable}:(\\d+)`, 'g'))].map((p) => p[1]!);
    return [...new Set(ports)].map((port) => ({ name, ns, port, perReplica: true, host }));
  }),
];

/** Why an edge upstream reference does not reach the origin, or undefined when it does. */
const upstreamProblem = (ref: UpstreamRef, text: string, svc: { raw: Record<string, unknown> } | undefined): string | undefined => {
  const ports = objs(obj(svc?.raw.spec).ports).map((p) => Number(p.port));
  if (svc === undefined) return `no Service ${ref.ns}/${ref.name} on this cluster`;
  if (!ports.includes(Number(ref.port))) return `Service ${ref.ns}/${ref.name} has no port ${ref.port} (${ports.join(', ')})`;
  if (ref.perReplica && obj(svc.raw.spec).clusterIP !== 'None') {
    return `Service ${ref.ns}/${ref.name} is not headless: its name resolves to one virtual IP, so the edge cannot try each replica for a stream`;
  }
  // Under Istio the sidecar routes by Host; nginx's default ($proxy_host, with the port, or an upstream block's name)
  // matches no Service and leaves the mesh in plaintext, which STRICT mTLS rejects.
  if (ref.perReplica && !new RegExp(`proxy_set_header\\s+Host\\s+${ref.host!.replace(/\./g, '\\.')}\\s*;`).test(text)) {
    return `requests to ${ref.host} do not carry Host ${ref.host}, which a mesh sidecar routes by`;
  }
  return undefined;
};

/**
 * Every nginx upstream naming a Service — `upstream { server <svc>.<ns>.svc…:<port> }`, or a name resolved per
 * request (`set $v <svc>.<ns>.svc…;` + `proxy_pass http://$v:<port>`) — points at a Service port of the same cluster;
 * a per-request name must be a headless Service and be sent as the Host header.
 */
export const edgeUpstream: FleetRule = (apps) =>
  byCluster(apps).flatMap((group) => {
    const services = group.flatMap((a) => a.objects.filter((o) => o.kind === 'Service' && o.apiVersion === 'v1'));
    return group.flatMap((app) =>
      app.objects
        .filter((o) => o.kind === 'ConfigMap' && o.apiVersion === 'v1')
        .flatMap((o) =>
          Object.entries(strMap(o.raw.data)).flatMap(([key, text]) =>
            upstreamRefs(text).flatMap((ref) => {
              const svc = services.find((s) => s.name === ref.name && s.effectiveNamespace === ref.ns);
              const why = upstreamProblem(ref, text, svc);
              if (why === undefined) return [];
              return [{ app, rule: 'domain/edge-upstream', object: o, field: `data.${key}`, message: `upstream ${ref.name}.${ref.ns}:${ref.port}: ${why}` }];
            }),
          ),
        ),
    );
  });

const isMetricsPort = (name: string): boolean => name === 'metrics' || name.endsWith('-metrics');

const monitorNamespaces = (spec: Record<string, unknown>, own: string | undefined): ((ns: string | undefined) => boolean) => {
  const sel = obj(spec.namespaceSelector);
  if (sel.any === true) return () => true;
  const names = arr(sel.matchNames).map(String);
  return names.length > 0 ? (ns) => names.includes(ns ?? '') : (ns) => ns === own;
};

/** Every container port named `metrics` (or `*-metrics`) is scraped by a PodMonitor or a ServiceMonitor on its cluster. */
export const metricsMonitors: FleetRule = (apps) =>
  byCluster(apps).flatMap((group) => {
    const all = group.flatMap((a) => a.objects);
    const podMonitors = all.filter((o) => o.kind === 'PodMonitor' && groupOf(o.apiVersion) === 'monitoring.coreos.com');
    const serviceMonitors = all.filter((o) => o.kind === 'ServiceMonitor' && groupOf(o.apiVersion) === 'monitoring.coreos.com');
    // With their labels read once: every metrics port is matched against every Service of its cluster.
    const services = all.filter((o) => o.kind === 'Service' && o.apiVersion === 'v1').map((s) => ({ s, labels: strMap(obj(s.raw.metadata).labels) }));
    return group.flatMap((app) =>
      app.objects.flatMap((o) => {
        const w = workloadOf(o);
        if (w?.podSpec === undefined) return [];
        const ns = o.effectiveNamespace;
        return w.containers.flatMap((c) =>
          objs(c.container.ports).flatMap((p, i) => {
            const portName = str(p.name) ?? '';
            if (!isMetricsPort(portName)) return [];
            const byPod = podMonitors.some((m) => {
              const spec = obj(m.raw.spec);
              return monitorNamespaces(spec, m.effectiveNamespace)(ns) && selects(spec.selector, w.podLabels) && objs(spec.podMetricsEndpoints).some((e) => e.port === portName);
            });
            const byService = serviceMonitors.some((m) => {
              const spec = obj(m.raw.spec);
              if (!monitorNamespaces(spec, m.effectiveNamespace)(ns)) return false;
              const endpointPorts = objs(spec.endpoints).map((e) => str(e.port));
              return services.some(
                ({ s, labels }) =>
                  s.effectiveNamespace === ns &&
                  selects(spec.selector, labels) &&
                  serviceSelects(obj(s.raw.spec).selector, w.podLabels) &&
                  objs(obj(s.raw.spec).ports).some((sp) => (sp.targetPort === portName || sp.targetPort === p.containerPort) && endpointPorts.includes(str(sp.name))),
              );
            });
            if (byPod || byService) return [];
            return [{ app, rule: 'domain/metrics-monitor', object: o, field: `${c.field}.ports[${i}]`, message: `container ${c.name} port ${portName} is not scraped by any PodMonitor or ServiceMonitor` }];
          }),
        );
      }),
    );
  });
