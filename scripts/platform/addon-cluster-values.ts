// Per-cluster Helm values of add-ons, as list-generator fields plus one templatePatch per ApplicationSet: the
// elements stay data and the template stays one (Argo CD merges the rendered patch into each Application).
// - ingress-nginx and the Istio ingress gateway get the cloud's L4 load-balancer annotations of the cluster's
//   `loadBalancer` flavour (the same ones the RTMP origin's own load balancer uses);
// - ingress-nginx maps TCP 1935 to the RTMP origin where `streaming.rtmpExposure` is `ingress-tcp`.
// Flags are "" where they do not apply, which Go templates treat as false.
import { RTMP_TCP_PORT, rtmpTcpBackend } from '../components/addon-values.ts';
import { loadBalancerAnnotations } from '../components/load-balancer.ts';
import type { LoadBalancerFlavour } from '../inventory/schema.ts';
import type { Cluster, Fleet } from '../model/fleet.ts';

export interface PerClusterValues {
  /** List-generator fields of one cluster's element. */
  readonly element: (c: Cluster) => Record<string, string>;
  /** The ApplicationSet's spec.templatePatch. */
  readonly templatePatch: string;
}

/** `aws-nlb` → `lbAwsNlb`: a Go template field name. */
export const flavourFlag = (flavour: LoadBalancerFlavour): string =>
  `lb${flavour.split('-').map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('')}`;

/** Flavours of the fleet whose load balancer needs annotations, sorted; once per fleet (every cluster's element asks). */
const flavoursByFleet = new WeakMap<Fleet, LoadBalancerFlavour[]>();
const annotatedFlavours = (fleet: Fleet): LoadBalancerFlavour[] => {
  let flavours = flavoursByFleet.get(fleet);
  if (flavours === undefined) {
    flavours = [...new Set(fleet.clusters.map((c) => c.loadBalancer))].filter((f) => Object.keys(loadBalancerAnnotations(f)).length > 0).sort();
    flavoursByFleet.set(fleet, flavours);
  }
  return flavours;
};

const indent = (n: number, line: string): string => `${' '.repeat(n)}${line}`;

/** `path` (under valuesObject) to a Service's annotations, then one conditional block per flavour. */
const annotationLines = (fleet: Fleet, path: readonly string[]): string[] => {
  const base = 8; // children of spec.source.helm.valuesObject
  const lines = path.map((key, i) => indent(base + 2 * i, `${key}:`));
  const depth = base + 2 * path.length;
  for (const flavour of annotatedFlavours(fleet)) {
    lines.push(`{{- if .${flavourFlag(flavour)} }}`);
    for (const [k, v] of Object.entries(loadBalancerAnnotations(flavour)).sort(([a], [b]) => a.localeCompare(b))) {
      lines.push(indent(depth, `${JSON.stringify(k)}: ${JSON.stringify(v)}`));
    }
    lines.push('{{- end }}');
  }
  return lines;
};

const patchOf = (body: readonly string[]): string => ['spec:', '  source:', '    helm:', '      valuesObject:', ...body, ''].join('\n');

const flavourFlags = (fleet: Fleet, c: Cluster): Record<string, string> =>
  Object.fromEntries(annotatedFlavours(fleet).map((f) => [flavourFlag(f), c.loadBalancer === f ? 'true' : '']));

/** Per-cluster values of add-on `name`, or undefined when it has none. */
export const perClusterValues = (fleet: Fleet, name: string): PerClusterValues | undefined => {
  switch (name) {
    case 'ingress-nginx':
      return {
        element: (c) => ({ ...flavourFlags(fleet, c), rtmpTcpBackend: c.streaming?.rtmpExposure === 'ingress-tcp' ? rtmpTcpBackend() : '' }),
        templatePatch: patchOf([
          ...annotationLines(fleet, ['controller', 'service', 'annotations']),
          '{{- if .rtmpTcpBackend }}',
          indent(8, 'tcp:'),
          indent(10, `"${RTMP_TCP_PORT}": "{{ .rtmpTcpBackend }}"`),
          '{{- end }}',
        ]),
      };
    case 'istio-ingressgateway':
      return { element: (c) => flavourFlags(fleet, c), templatePatch: patchOf(annotationLines(fleet, ['service', 'annotations'])) };
    default:
      return undefined;
  }
};
