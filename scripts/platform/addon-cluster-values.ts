// Per-cluster Helm values of add-ons, as one values file per (cluster, add-on) in this repository, which the
// add-on's Application reads through a second source (`ref: values`, `helm.valueFiles: [$values/…]`).
//
// Why files and not a templatePatch: Argo CD applies templatePatch as a strategic merge patch over the typed
// Application, and `helm.valuesObject` is a runtime.RawExtension the patch cannot reach into ("unable to find api
// field in struct RawExtension", applicationset/controllers/template/patch.go with k8s.io/apimachinery
// strategicpatch at v3.4.4; argo-cd#22850): the ApplicationSet generates nothing. A file is also what a reviewer
// wants to see in a PR: exactly the values one cluster's chart gets, diffed per cluster.
//
// The file holds the add-on's whole values (ADDON_VALUES deep-merged with the cluster's own), so the Application
// carries no valuesObject and nothing depends on how Helm orders valueFiles against inline values.
// - ingress-nginx and the Istio ingress gateway get the cloud's L4 load-balancer annotations of the cluster's
//   `loadBalancer` flavour (the same ones the RTMP origin's own load balancer uses);
// - ingress-nginx maps TCP 1935 to the RTMP origin where `streaming.rtmpExposure` is `ingress-tcp`.
import { ADDON_VALUES, RTMP_TCP_PORT, rtmpTcpBackend } from '../components/addon-values.ts';
import { loadBalancerAnnotations } from '../components/load-balancer.ts';
import { addonValuesPath } from '../lib/layout.ts';
import type { Cluster, Fleet } from '../model/fleet.ts';
import type { GeneratedFile } from '../render/generated-file.ts';
import { generatedHeader, yamlBody } from '../render/serialize.ts';

type Values = Record<string, unknown>;

const isPlainObject = (v: unknown): v is Values => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Helm's coalescing of two values maps: maps merge key by key, anything else in `over` replaces. */
export const mergeValues = (base: Values, over: Values): Values => {
  const out: Values = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = isPlainObject(v) && isPlainObject(out[k]) ? mergeValues(out[k] as Values, v) : v;
  return out;
};

const annotationsAt = (path: readonly string[], c: Cluster): Values => {
  const annotations = loadBalancerAnnotations(c.loadBalancer);
  if (Object.keys(annotations).length === 0) return {};
  return path.reduceRight<Values>((inner, key) => ({ [key]: inner }), { annotations });
};

/** What one cluster adds to an add-on's values; undefined for add-ons whose values are the same everywhere. */
const CLUSTER_VALUES: Readonly<Record<string, (c: Cluster) => Values>> = {
  // controller.service.annotations and tcp: charts/ingress-nginx/values.yaml and templates/controller-service.yaml,
  // templates/controller-configmap-tcp.yaml at the pinned chart tag.
  'ingress-nginx': (c) => ({
    ...annotationsAt(['controller', 'service'], c),
    ...(c.streaming?.rtmpExposure === 'ingress-tcp' ? { tcp: { [String(RTMP_TCP_PORT)]: rtmpTcpBackend() } } : {}),
  }),
  // service.annotations: manifests/charts/gateway/values.yaml and templates/service.yaml at the pinned Istio tag.
  'istio-ingressgateway': (c) => annotationsAt(['service'], c),
};

/** Whether add-on `name` reads a per-cluster values file. */
export const hasClusterValues = (name: string): boolean => Object.hasOwn(CLUSTER_VALUES, name);

/** The whole values one cluster's add-on gets. */
export const addonValuesFor = (name: string, c: Cluster): Values =>
  mergeValues(ADDON_VALUES[name] ?? {}, CLUSTER_VALUES[name]?.(c) ?? {});

/** clusters/<cluster>/addons/<add-on>.yaml for every (cluster, add-on) whose values depend on the cluster. */
export const renderAddonValues = (fleet: Fleet, clustersFor: (addon: string) => readonly Cluster[]): GeneratedFile[] =>
  Object.keys(fleet.addons)
    .filter(hasClusterValues)
    .flatMap((name) =>
      clustersFor(name).map((c) => ({ path: addonValuesPath(c.name, name), content: generatedHeader() + yamlBody(addonValuesFor(name, c)) })),
    );
