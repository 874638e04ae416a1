// Network: a default-deny NetworkPolicy (ingress and egress) selecting every pod of each namespace; no NodePort
// or externalIPs; Ingresses with TLS for every host and an ingress class. Host+path uniqueness is fleet-wide.
import { arr, obj, objs, str } from '../json.ts';
import type { AppRule, FleetRule, RawFinding, RenderedObject } from '../types.ts';
import { groupOf, selects, workloadOf } from '../workloads.ts';

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
