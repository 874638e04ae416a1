// Rules about where a service runs: inside its system's placement, and settings only for environments it runs in.
import type { ServiceContext } from './context.ts';

export function checkPlacement(ctx: ServiceContext, environments: readonly string[]): void {
  const system = ctx.system.placement;
  const own = ctx.spec.placement;
  for (const field of ['environments', 'clusters'] as const) {
    const allowed = system?.[field];
    if (allowed === undefined) continue;
    own?.[field]?.forEach((name, i) => {
      if (allowed.includes(name)) return;
      ctx.issueOwn(
        ['placement', field, i],
        'value',
        `expected one of the system's placement ${field} (${allowed.join(', ')}), found "${name}": the service would never run there`,
      );
    });
  }
  for (const env of Object.keys(ctx.spec.environments ?? {})) {
    // Unknown environments are reported by the system checks.
    if (!environments.includes(env) || ctx.runsIn.includes(env)) continue;
    ctx.issueOwn(
      ['environments', env],
      'key',
      `settings for environment "${env}", where the service does not run (its placement admits ${ctx.runsIn.join(', ') || 'no environment'}); remove them or widen the placement`,
    );
  }
}
