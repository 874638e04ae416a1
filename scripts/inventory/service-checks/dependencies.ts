// Rules about a service's dependencies: each names another service of the system that has something to connect to.
// Cycles are fine: dependencies open NetworkPolicies, they do not order start-up.
import type { ServiceContext } from './context.ts';
import { didYouMean } from '../suggest.ts';

export function checkDependencies(ctx: ServiceContext): void {
  (ctx.spec.dependsOn ?? []).forEach((dep, i) => {
    const at = ['dependsOn', i];
    if (dep === ctx.name) {
      ctx.issueOwn(at, 'value', `expected another service of the system, found the service itself ("${dep}")`);
      return;
    }
    const target = ctx.service(dep);
    const others = ctx.serviceNames.filter((n) => n !== ctx.name);
    if (target === undefined) {
      ctx.issueOwn(at, 'value', `unknown service "${dep}"${didYouMean(dep, others)}; services of this system: ${others.join(', ')}`);
    } else if ((target.ports ?? []).length === 0) {
      ctx.issueOwn(at, 'value', `service "${dep}" has no ports: nothing to connect to (a dependency opens its ports to this service)`);
    }
  });
}
