// Network: a default-deny NetworkPolicy (ingress and egress) selecting every pod of each namespace; no NodePort
// or externalIPs; Ingresses with TLS for every host and an ingress class. Host+path uniqueness is fleet-wide.
import { arr, obj, objs, str } from '../json.ts';
import type { AppContext, AppRule, FleetRule, RawFinding, RenderedObject } from '../types.ts';
import { groupOf, selects, serviceSelects, workloadOf } from '../workloads.ts';

const isNetworkPolicy = (o: RenderedObject): boolean => o.kind === 'NetworkPolicy' && groupOf(o.apiVersion) === 'networking.k8s.io';

/** Policy types a policy denies outright: listed in policyTypes with no rule allowing anything. */
const denies = (o: RenderedObject): Set<'Ingress' | 'Egress'> => {
  const spec = obj(o.raw.spec);
  const types = arr(spec.policyTypes).map(String);
  const out = new Set<'Ingress' | 'Egress'>();
  if (types.includes('Ingress') && arr(spec.ingress).length === 0) out.add('Ingress');
  if (types.includes('Egress') && arr(spec.egress).length === 0) out.add('Egress');
  return out;
};

export const isIngress = (o: RenderedObject): boolean => o.kind === 'Ingress' && groupOf(o.apiVersion) === 'networking.k8s.io';

const isService = (o: RenderedObject): boolean => o.kind === 'Service' && o.apiVersion === 'v1';

// ingress-nginx drops every annotation of this prefix that ends in `-snippet` unless snippets are allowed, and when
// they are, each one is raw nginx configuration any Ingress author injects into the shared controller
// (CVE-2021-25742, CVE-2025-1974). Checked: kubernetes/ingress-nginx @ controller-v1.15.1 :
// internal/ingress/controller/controller.go (`strings.HasSuffix(key, "-snippet")`; the chart's default prefix is
// nginx.ingress.kubernetes.io); the five snippet annotations are auth-, configuration-, modsecurity-, server- and
// stream-snippet (internal/ingress/annotations).
const NGINX_ANNOTATION_PREFIX = 'nginx.ingress.kubernetes.io/';
const SNIPPET_SUFFIX = '-snippet';

/** An Ingress backend's Service reference: the Service must exist next to the Ingress with that port. */
const backendFinding = (o: RenderedObject, backend: unknown, field: string, objects: readonly RenderedObject[]): RawFinding | undefined => {
  const service = obj(obj(backend).service);
  const name = str(service.name);
  if (name === undefined) return undefined; // a `resource` backend, or no backend: the schema rules judge those
  const port = obj(service.port);
  const target = objects.find((s) => isService(s) && s.name === name && s.effectiveNamespace === o.effectiveNamespace);
  const ns = o.effectiveNamespace ?? '';
  if (target === undefined) return { rule: 'network/ingress-backend', object: o, field: `${field}.service.name`, message: `backend Service ${ns}/${name} is not in this Application: the controller answers 503` };
  const ports = objs(obj(target.raw.spec).ports);
  if (typeof port.number === 'number' && !ports.some((p) => p.port === port.number)) {
    return { rule: 'network/ingress-backend', object: o, field: `${field}.service.port.number`, message: `Service ${ns}/${name} has no port ${port.number} (ports: ${ports.map((p) => String(p.port)).join(', ') || 'none'})` };
  }
  const portName = str(port.name);
  if (portName !== undefined && !ports.some((p) => p.name === portName)) {
    return { rule: 'network/ingress-backend', object: o, field: `${field}.service.port.name`, message: `Service ${ns}/${name} has no port named ${portName} (names: ${ports.map((p) => str(p.name) ?? '(unnamed)').join(', ') || 'none'})` };
  }
  return undefined;
};

/** Wildcard hosts, nginx snippet annotations and backends that point at no Service of the Application. */
const ingressSafety = (o: RenderedObject, objects: readonly RenderedObject[]): RawFinding[] => {
  const out: RawFinding[] = [];
  const spec = obj(o.raw.spec);
  for (const key of Object.keys(obj(obj(o.raw.metadata).annotations))) {
    if (key.startsWith(NGINX_ANNOTATION_PREFIX) && key.endsWith(SNIPPET_SUFFIX)) {
      out.push({ rule: 'network/ingress-snippet', object: o, field: `metadata.annotations["${key}"]`, message: `${key} injects raw nginx configuration into the shared ingress controller` });
    }
  }
  objs(spec.rules).forEach((rule, i) => {
    const host = str(rule.host);
    if (host?.startsWith('*') === true) out.push({ rule: 'network/ingress-wildcard-host', object: o, field: `spec.rules[${i}].host`, message: `wildcard host ${host} routes every subdomain (and any name a DNS record points here) to this backend` });
    objs(obj(rule.http).paths).forEach((p, j) => {
      const f = backendFinding(o, p.backend, `spec.rules[${i}].http.paths[${j}].backend`, objects);
      if (f !== undefined) out.push(f);
    });
  });
  objs(spec.tls).forEach((t, i) => {
    arr(t.hosts).forEach((h, j) => {
      if (typeof h === 'string' && h.startsWith('*')) out.push({ rule: 'network/ingress-wildcard-host', object: o, field: `spec.tls[${i}].hosts[${j}]`, message: `wildcard TLS host ${h}` });
    });
  });
  if (spec.defaultBackend !== undefined) {
    const f = backendFinding(o, spec.defaultBackend, 'spec.defaultBackend', objects);
    if (f !== undefined) out.push(f);
  }
  return out;
};

export const network: AppRule = (ctx) => {
  const out: RawFinding[] = [];
  const workloads = ctx.objects.flatMap((o) => {
    const w = workloadOf(o);
    return w === undefined ? [] : [w];
  });
  const namespaces = [...new Set(workloads.map((w) => w.object.effectiveNamespace ?? ''))];
  for (const ns of namespaces) {
    const denyPolicies = ctx.objects.filter((o) => isNetworkPolicy(o) && o.effectiveNamespace === ns && denies(o).size > 0);
    for (const type of ['Ingress', 'Egress'] as const) {
      const policies = denyPolicies.filter((p) => denies(p).has(type));
      if (policies.length === 0) {
        const first = workloads.find((w) => (w.object.effectiveNamespace ?? '') === ns);
        out.push({ rule: 'network/default-deny', object: first?.object, message: `namespace ${ns} has pods but no NetworkPolicy denying all ${type.toLowerCase()} by default` });
        continue;
      }
      for (const w of workloads.filter((x) => (x.object.effectiveNamespace ?? '') === ns)) {
        if (!policies.some((p) => selects(obj(p.raw.spec).podSelector, w.podLabels))) {
          out.push({ rule: 'network/pod-not-selected', object: w.object, message: `its pods are not selected by a default-deny ${type.toLowerCase()} policy (${policies.map((p) => p.name).join(', ')})` });
        }
      }
    }
  }
  for (const o of ctx.objects) {
    if (o.kind === 'Service' && o.apiVersion === 'v1') {
      const spec = obj(o.raw.spec);
      if (spec.type === 'NodePort') out.push({ rule: 'network/node-port', object: o, field: 'spec.type', message: 'Service of type NodePort opens a port on every node' });
      objs(spec.ports).forEach((p, i) => {
        if (typeof p.nodePort === 'number') out.push({ rule: 'network/node-port', object: o, field: `spec.ports[${i}].nodePort`, message: `port ${str(p.name) ?? i} pins nodePort ${p.nodePort}` });
      });
      if (arr(spec.externalIPs).length > 0) out.push({ rule: 'network/external-ips', object: o, field: 'spec.externalIPs', message: 'externalIPs lets the Service claim arbitrary addresses (CVE-2020-8554)' });
    }
    if (isIngress(o)) {
      const spec = obj(o.raw.spec);
      if (str(spec.ingressClassName) === undefined) out.push({ rule: 'network/ingress-class', object: o, field: 'spec.ingressClassName', message: 'no ingressClassName: the cluster default (or none) picks it up' });
      out.push(...ingressSafety(o, ctx.objects));
      const tls = objs(spec.tls);
      if (tls.length === 0) {
        out.push({ rule: 'network/ingress-tls', object: o, field: 'spec.tls', message: 'Ingress serves plain HTTP: no tls entry' });
        continue;
      }
      const tlsHosts = new Set(tls.flatMap((t) => arr(t.hosts).map(String)));
      objs(spec.rules).forEach((rule, i) => {
        const host = str(rule.host);
        if (host === undefined) out.push({ rule: 'network/ingress-tls-host', object: o, field: `spec.rules[${i}].host`, message: 'rule without a host cannot match a TLS certificate' });
        else if (!tlsHosts.has(host)) out.push({ rule: 'network/ingress-tls-host', object: o, field: `spec.rules[${i}].host`, message: `host ${host} is not in spec.tls hosts (${[...tlsHosts].join(', ') || 'none'})` });
      });
    }
  }
  return out;
};

/** The same host and path served by two Ingresses anywhere in the fleet: the controller picks one at random. */
export const ingressUniqueness: FleetRule = (apps) => {
  const seen = new Map<string, string>();
  const out: Array<RawFinding & { app: (typeof apps)[number] }> = [];
  for (const app of apps) {
    for (const o of app.objects.filter(isIngress)) {
      objs(obj(o.raw.spec).rules).forEach((rule, i) => {
        const host = str(rule.host) ?? '*';
        for (const p of objs(obj(rule.http).paths)) {
          const path = str(p.path) ?? '/';
          const key = `${host}${path}`;
          const where = `${app.target.name}: ${o.kind} ${o.effectiveNamespace ?? ''}/${o.name}`;
          const first = seen.get(key);
          if (first === undefined) seen.set(key, where);
          else out.push({ app, rule: 'network/ingress-duplicate', object: o, field: `spec.rules[${i}]`, message: `host ${host} path ${path} is also served by ${first}` });
        }
      });
    }
  }
  return out;
};

/**
 * Pods the Prometheus operator creates for its other custom resources (an Alertmanager): they carry at least
 * spec.podMetadata.labels ("labels … propagated to the pods", the operator's API), which is what Services and
 * policies written next to them select.
 */
const operatorPodLabels = (o: RenderedObject): Readonly<Record<string, string>> | undefined => {
  if (groupOf(o.apiVersion) !== 'monitoring.coreos.com' || (o.kind !== 'Alertmanager' && o.kind !== 'ThanosRuler')) return undefined;
  const labels = obj(obj(obj(o.raw.spec).podMetadata).labels);
  return Object.fromEntries(Object.entries(labels).filter((e): e is [string, string] => typeof e[1] === 'string'));
};

/** Pod labels per namespace of every workload of one cluster's Applications. */
const podLabelsByNamespace = (apps: readonly AppContext[]): Map<string, Array<Readonly<Record<string, string>>>> => {
  const out = new Map<string, Array<Readonly<Record<string, string>>>>();
  for (const app of apps) {
    for (const o of app.objects) {
      const labels = workloadOf(o)?.podLabels ?? operatorPodLabels(o);
      if (labels === undefined) continue;
      const ns = o.effectiveNamespace ?? '';
      const list = out.get(ns);
      if (list === undefined) out.set(ns, [labels]);
      else list.push(labels);
    }
  }
  return out;
};

/**
 * A Service whose selector matches no pod template of its namespace on the cluster (any Application): it has no
 * endpoints, so every client gets connection refused. Services without a selector are managed by hand (or by a
 * controller) and are left alone.
 */
export const serviceNoPods: FleetRule = (apps) => {
  const pods = podLabelsByNamespace(apps);
  const out: Array<RawFinding & { app: AppContext }> = [];
  for (const app of apps) {
    for (const o of app.objects) {
      if (!isService(o)) continue;
      const selector = obj(o.raw.spec).selector;
      if (Object.keys(obj(selector)).length === 0) continue;
      const candidates = pods.get(o.effectiveNamespace ?? '') ?? [];
      if (!candidates.some((labels) => serviceSelects(selector, labels))) {
        out.push({ app, rule: 'network/service-no-pods', object: o, field: 'spec.selector', message: `selector ${JSON.stringify(selector)} matches no pod template in namespace ${o.effectiveNamespace ?? ''} on this cluster: the Service has no endpoints` });
      }
    }
  }
  return out;
};

/**
 * A NetworkPolicy with a non-empty podSelector that selects no pod template of its namespace on the cluster. An
 * allow rule that selects nothing means the pods it was written for stay denied (a renamed label): the traffic
 * it should let through is dropped. BLOCK, not WARN: with default-deny in every namespace (network/default-deny)
 * an allow policy that selects nothing is always an outage in waiting, never a harmless leftover.
 */
export const policyNoPods: FleetRule = (apps) => {
  const pods = podLabelsByNamespace(apps);
  const out: Array<RawFinding & { app: AppContext }> = [];
  for (const app of apps) {
    for (const o of app.objects) {
      if (!isNetworkPolicy(o)) continue;
      const selector = obj(obj(o.raw.spec).podSelector);
      if (Object.keys(obj(selector.matchLabels)).length === 0 && arr(selector.matchExpressions).length === 0) continue;
      const candidates = pods.get(o.effectiveNamespace ?? '') ?? [];
      if (!candidates.some((labels) => selects(selector, labels))) {
        out.push({ app, rule: 'network/policy-no-pods', object: o, field: 'spec.podSelector', message: `podSelector ${JSON.stringify(selector)} selects no pod template in namespace ${o.effectiveNamespace ?? ''} on this cluster` });
      }
    }
  }
  return out;
};
