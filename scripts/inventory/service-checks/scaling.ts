// Rules about how a service scales: one owner of the replica count per level, KEDA triggers that have their
// connection and can take effect somewhere, utilisation targets the autoscaler can compute, and budgets a drain can meet.
import { exactlyOne, fieldOf, type ServiceContext } from './context.ts';
import { serviceSettings } from '../build-model.ts';
import type { InventoryIssue } from '../errors.ts';
import { listWords } from '../messages.ts';
import type { AppSettings } from '../schema.ts';
import { checkDisruptionBudget, checkLimitsAboveRequests, checkReplicaCount } from '../settings-checks.ts';
import type { PresetName } from '../system-schema.ts';
import { didYouMean } from '../suggest.ts';
import { DEFAULT_RESOURCES } from '../../components/services/workload.ts';

const TRIGGERS = ['sqs', 'rabbitmq', 'natsJetStream', 'prometheus'] as const;
const NO_CONNECTION = 'a KEDA trigger without its connection';
/** The IRSA role annotation of a ServiceAccount. */
const ROLE_ARN_ANNOTATION = 'eks.amazonaws.com/role-arn';

/** The levels that hold settings: the service itself and each environment it names, with their paths. */
const levels = (ctx: ServiceContext): Array<{ path: string[]; settings: AppSettings }> => [
  {
    path: [],
    settings: {
      ...(ctx.spec.replicas !== undefined ? { replicas: ctx.spec.replicas } : {}),
      ...(ctx.spec.autoscaling !== undefined ? { autoscaling: ctx.spec.autoscaling } : {}),
      ...(ctx.spec.resources !== undefined ? { resources: ctx.spec.resources } : {}),
      ...(ctx.spec.disruptionBudget !== undefined ? { disruptionBudget: ctx.spec.disruptionBudget } : {}),
    },
  },
  ...Object.entries(ctx.spec.environments ?? {}).map(([env, settings]) => ({ path: ['environments', env], settings })),
];

/** Where an effective setting of an environment was written: the environment's own entry, or the service level. */
const sourceOf = (ctx: ServiceContext, env: string, field: keyof AppSettings): string[] => {
  const own = ctx.spec.environments?.[env];
  if (own?.[field] !== undefined) return ['environments', env];
  // replicas and autoscaling replace each other: an environment's replicas hides the service's autoscaling.
  if ((field === 'autoscaling' || field === 'replicas') && (own?.autoscaling !== undefined || own?.replicas !== undefined)) return ['environments', env];
  return [];
};

export function checkScaling(ctx: ServiceContext): void {
  const base = ['services', ctx.name];
  for (const level of levels(ctx)) {
    // The environment files' own rules, at the system file's paths and with their messages.
    checkReplicaCount(level.settings, [...base, ...level.path], ctx.src, ctx.report);
    checkLimitsAboveRequests(level.settings, [...base, ...level.path], ctx.src, ctx.report);
    if (level.settings.autoscaling?.targetQueueLength !== undefined) {
      ctx.issueOwn(
        [...level.path, 'autoscaling', 'targetQueueLength'],
        'key',
        'expected the queue under triggers (sqs, rabbitmq, natsJetStream or prometheus), found targetQueueLength: a declared service has no queue scaler of its own, so it would become a CPU HorizontalPodAutoscaler',
      );
    }
  }
  checkTriggers(ctx);
  checkUtilisationTargets(ctx);
  checkBudgets(ctx);
}

function checkTriggers(ctx: ServiceContext): void {
  const triggers = ctx.spec.triggers;
  if (triggers === undefined) return;
  // KEDA's ScaledObject needs the autoscaling range; fixed replicas ignore the triggers.
  if (ctx.runsIn.length > 0 && !ctx.runsIn.some((env) => serviceSettings(ctx.full, env).autoscaling !== undefined)) {
    ctx.issueOwn(
      ['triggers'],
      'key',
      `triggers without autoscaling: in ${listWords([...ctx.runsIn])} the service has a fixed replica count, which ignores them; expected autoscaling: { minReplicas, maxReplicas } (KEDA scales within it)`,
    );
  }
  triggers.forEach((trigger, i) => {
    const at = ['triggers', i];
    const kind = exactlyOne(ctx.issueOwn, at, trigger, TRIGGERS);
    if (kind === 'sqs' && trigger.sqs !== undefined) {
      const how = exactlyOne(ctx.issueOwn, [...at, 'sqs', 'auth'], trigger.sqs.auth, ['podIdentity', 'secret'], NO_CONNECTION);
      // KEDA assumes the workload's role (TriggerAuthentication podIdentity aws, identityOwner workload): it reads the
      // role from the ServiceAccount's annotation. Checked: kedacore/keda @ v2.20.2 : pkg/scaling/resolver/scale_resolvers.go
      // (resolveServiceAccountAnnotation(podTemplateSpec.Spec.ServiceAccountName, PodIdentityAnnotationEKS
      // "eks.amazonaws.com/role-arn")).
      if (how === 'podIdentity' && ctx.spec.serviceAccount?.annotations[ROLE_ARN_ANNOTATION] === undefined) {
        ctx.issueOwn(
          [...at, 'sqs', 'auth', 'podIdentity'],
          'key',
          `a KEDA trigger without its connection: podIdentity aws reads the queue as the service's IAM role; expected serviceAccount.annotations["${ROLE_ARN_ANNOTATION}"] on the service`,
        );
      }
    }
    if (kind === 'rabbitmq' && trigger.rabbitmq !== undefined) {
      const connection = trigger.rabbitmq.connection;
      const how = exactlyOne(ctx.issueOwn, [...at, 'rabbitmq', 'connection'], connection, ['secret', 'service'], NO_CONNECTION);
      if (how === 'service' && connection.service !== undefined) presetService(ctx, [...at, 'rabbitmq', 'connection', 'service'], connection.service, 'rabbitmq');
    }
    if (kind === 'natsJetStream' && trigger.natsJetStream !== undefined) {
      presetService(ctx, [...at, 'natsJetStream', 'service'], trigger.natsJetStream.service, 'nats');
    }
  });
}

/** A trigger's broker: a service of this system made from the right preset. */
function presetService(ctx: ServiceContext, path: Array<string | number>, name: string, preset: PresetName): void {
  const candidates = ctx.serviceNames.filter((n) => ctx.service(n)?.preset === preset);
  const found = ctx.service(name);
  const which = candidates.length === 0 ? `the system has none` : `the system's: ${candidates.join(', ')}`;
  if (found === undefined) {
    ctx.issueOwn(path, 'value', `unknown service "${name}"${didYouMean(name, candidates)}: expected a ${preset} preset service (${which})`);
  } else if (found.preset !== preset) {
    ctx.issueOwn(path, 'value', `expected a ${preset} preset service (${which}), found "${name}"${found.preset !== undefined ? ` (a ${found.preset} preset)` : ' (not a preset)'}`);
  }
}

/**
 * A utilisation target is a percentage of the pods' request: without a request the HorizontalPodAutoscaler (and
 * KEDA's cpu/memory triggers) report "missing request" and never scale.
 * Checked: kubernetes/kubernetes @ 0006726896 : pkg/controller/podautoscaler/replica_calculator.go (calculatePodRequests:
 * "missing request for %s"; a stored snapshot, the repository is too large to fetch a tag).
 */
function checkUtilisationTargets(ctx: ServiceContext): void {
  const found = new Map<string, { path: Array<string | number>; resource: string; envs: string[] }>();
  for (const env of ctx.runsIn) {
    const settings = serviceSettings(ctx.full, env);
    const hpa = settings.autoscaling;
    if (hpa === undefined) continue;
    const targets = [
      ['cpu', 'targetCPUUtilizationPercentage', hpa.targetCPUUtilizationPercentage],
      ['memory', 'targetMemoryUtilizationPercentage', hpa.targetMemoryUtilizationPercentage],
    ] as const;
    for (const [resource, field, target] of targets) {
      // The compiler's default resources apply when neither the service nor the environment sets any.
      if (target === undefined || (settings.resources ?? DEFAULT_RESOURCES).requests?.[resource] !== undefined) continue;
      const path = [...sourceOf(ctx, env, 'autoscaling'), 'autoscaling', field];
      const key = path.join('.');
      const entry = found.get(key) ?? { path, resource, envs: [] };
      entry.envs.push(env);
      found.set(key, entry);
    }
  }
  for (const { path, resource, envs } of found.values()) {
    ctx.issue(
      path,
      'key',
      `expected a ${resource} request in resources.requests (of the service or the environment) in ${listWords(envs)}: a utilisation target is a percentage of the request, and without one the autoscaler cannot compute it`,
    );
  }
}

/** The environment files' budget rule, on each environment's effective settings; each field is reported once. */
function checkBudgets(ctx: ServiceContext): void {
  const seen = new Set<string>();
  for (const env of ctx.runsIn) {
    const settings = serviceSettings(ctx.full, env);
    if (settings.disruptionBudget === undefined) continue;
    const budgetAt = sourceOf(ctx, env, 'disruptionBudget');
    const floorAt = sourceOf(ctx, env, 'replicas');
    // A Deployment without a count runs one replica.
    const counted = settings.replicas === undefined && settings.autoscaling === undefined ? { ...settings, replicas: 1 } : settings;
    const where = budgetAt.length === 0 && floorAt.length > 0 ? ` (in ${env}, where ${fieldOf(ctx, ...floorAt)} sets the count)` : '';
    checkDisruptionBudget(counted, ['services', ctx.name, ...budgetAt], ctx.src, (issue: InventoryIssue) => {
      const key = `${issue.field}\n${issue.message}`;
      if (seen.has(key)) return;
      seen.add(key);
      ctx.report(issue.message.includes('replica') ? { ...issue, message: issue.message + where } : issue);
    });
  }
}
