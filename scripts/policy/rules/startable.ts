// Workloads that the API accepts but that can never become ready: a probe naming a port the container does not
// declare (the kubelet cannot resolve it, so the probe fails for ever) and a volumeMount of a volume the pod does not
// have (the API refuses the pod, so the controller never creates one). The inventory rejects these for declared
// services (scripts/inventory/service-checks.ts); this catches them in any rendered object. (An autoscaler on the
// utilisation of a resource nothing requests needs no rule of its own: resources/requests blocks every container
// without cpu and memory requests.)
import { isObject, obj, objs, str, type JsonObject } from '../json.ts';
import type { AppRule, RawFinding, RenderedObject } from '../types.ts';
import { workloadOf } from '../workloads.ts';

const PROBES = ['startupProbe', 'readinessProbe', 'livenessProbe'] as const;

/** Named port of a probe's handler; numbers need no declaration (the kubelet dials them as they are). */
const probePortName = (probe: JsonObject): string | undefined => {
  for (const handler of ['httpGet', 'tcpSocket'] as const) {
    const port = obj(probe[handler]).port;
    if (typeof port === 'string') return port;
  }
  return undefined;
};

/**
 * `workloads/probe-port`: the kubelet resolves a named probe port against the container's own `ports` only; an
 * unknown name fails every probe (the API accepts it: validation checks the name's form, not that it exists).
 * Checked: kubernetes/kubernetes pkg/kubelet/prober/prober.go (extractPort → findPortByName over container.Ports:
 * "port %s not found"), read in the stored source (not at the v1.32 tag: the repository is too large to fetch here).
 */
export const probePorts: AppRule = (ctx) =>
  ctx.objects.flatMap((o): RawFinding[] => {
    const w = workloadOf(o);
    if (w === undefined) return [];
    return w.containers.flatMap((c) => {
      const names = new Set(objs(c.container.ports).flatMap((p) => (typeof p.name === 'string' ? [p.name] : [])));
      return PROBES.flatMap((kind): RawFinding[] => {
        const probe = c.container[kind];
        if (!isObject(probe)) return [];
        const port = probePortName(probe);
        if (port === undefined || names.has(port)) return [];
        return [
          {
            rule: 'workloads/probe-port',
            object: o,
            field: `${c.field}.${kind}`,
            message: `container ${c.name}: the ${kind} names port "${port}", which the container does not declare (${[...names].join(', ') || 'no named ports'}): the probe can never succeed`,
          },
        ];
      });
    });
  });

/** Volume names a pod can mount: its volumes and, in a StatefulSet, its claim templates. */
const volumeNames = (o: RenderedObject, podSpec: JsonObject): Set<string> =>
  new Set([
    ...objs(podSpec.volumes).flatMap((v) => (typeof v.name === 'string' ? [v.name] : [])),
    ...(o.kind === 'StatefulSet' ? objs(obj(o.raw.spec).volumeClaimTemplates).flatMap((t) => str(obj(t.metadata).name) ?? []) : []),
  ]);

/** `workloads/mount-no-volume`: the API refuses a pod whose volumeMount names no volume ("volumeMounts[0].name: Not found"). */
export const mountedVolumes: AppRule = (ctx) =>
  ctx.objects.flatMap((o): RawFinding[] => {
    const w = workloadOf(o);
    if (w === undefined || w.podSpec === undefined) return [];
    const names = volumeNames(o, w.podSpec);
    return w.containers.flatMap((c) =>
      objs(c.container.volumeMounts).flatMap((m, i): RawFinding[] => {
        const name = str(m.name);
        if (name === undefined || names.has(name)) return [];
        return [
          {
            rule: 'workloads/mount-no-volume',
            object: o,
            field: `${c.field}.volumeMounts[${i}]`,
            message: `container ${c.name} mounts volume "${name}", which the pod does not have: the API refuses its pods`,
          },
        ];
      }),
    );
  });
