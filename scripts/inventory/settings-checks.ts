// Cross-field rules about one environment's settings: `apps` against the catalog, `versions`
// against the fleet's images and against what the environment's clusters will run.
import {
  issueAt,
  validClusters,
  type CrossCheckInput,
  type EnvironmentInput,
  type Report,
} from './cross-check-input.ts';
import { listWords } from './messages.ts';
import { parseQuantity } from './quantity.ts';
import { type AppSettings, type EnvironmentFile, type ResourceList } from './schema.ts';
import { didYouMean } from './suggest.ts';
import { catalogOnCluster } from '../model/fleet.ts';

export function checkApps(input: CrossCheckInput, env: EnvironmentInput, value: EnvironmentFile, report: Report): void {
  const catalog = new Map(input.catalog.map((c) => [c.name, c]));
  const known = [...catalog.keys()].sort();
  const src = env.source;
  for (const [app, settings] of Object.entries(value.apps ?? {})) {
    const entry = catalog.get(app);
    const base = ['apps', app];
    // Checked before the catalog lookup: a limit below its request is wrong whatever the app is.
    checkLimitsAboveRequests(settings, base, src, report);
    if (entry === undefined) {
      report(issueAt(src, base, 'key', `unknown app "${app}"${didYouMean(app, known)}; apps: ${known.join(', ')}`));
      continue;
    }
    if (!entry.scalable) {
      for (const field of ['replicas', 'autoscaling'] as const) {
        if (settings[field] === undefined) continue;
        const message =
          `app "${app}" is not scalable (its workload has no replica count, e.g. a DaemonSet); ` + `remove ${field}`;
        report(issueAt(src, [...base, field], 'key', message));
      }
      continue;
    }
    checkReplicaCount(settings, base, src, report);
    const hpa = settings.autoscaling;
    if (hpa?.targetQueueLength !== undefined && entry.queueScaled !== true) {
      const message =
        `app "${app}" is not scaled on a queue (its autoscaler is a HorizontalPodAutoscaler on CPU/memory): remove targetQueueLength` +
        (entry.placement !== undefined ? ', and declare the queue under the service\'s triggers' : '');
      report(issueAt(src, [...base, 'autoscaling', 'targetQueueLength'], 'key', message));
    }
    if (hpa?.scaleDown !== undefined && entry.fixedScaleDown !== undefined) {
      report(issueAt(src, [...base, 'autoscaling', 'scaleDown'], 'key', `app "${app}" sets its own scale-down pace (${entry.fixedScaleDown}); remove scaleDown`));
    }
    checkDisruptionBudget(settings, [...base], src, report);
  }
}

export function checkVersions(
  input: CrossCheckInput,
  env: EnvironmentInput,
  value: EnvironmentFile,
  report: Report,
): void {
  const src = env.source;
  const fleet = input.fleet;
  if (fleet !== undefined) {
    const images = Object.keys(fleet.value.images);
    for (const image of Object.keys(value.versions)) {
      // Object.hasOwn, not `in`: `constructor` is a valid DNS-1123 label and must not match Object.prototype.
      if (Object.hasOwn(fleet.value.images, image)) continue;
      const message =
        `unknown image "${image}"${didYouMean(image, images)}; ` +
        `images are defined in ${fleet.source.file}: ${images.join(', ')}`;
      report(issueAt(src, ['versions', image], 'key', message));
    }
  }

  // Every image that some cluster of this environment will run must be pinned here.
  const users = new Map<string, Set<string>>();
  for (const { entry } of validClusters(input.clusters)) {
    if (entry.environment !== env.name) continue;
    const cluster = { name: entry.name, environment: entry.environment, capabilities: entry.capabilities ?? [], stacks: entry.stacks };
    for (const app of catalogOnCluster(input.catalog, cluster)) {
      for (const image of app.images) {
        if (Object.hasOwn(value.versions, image)) continue;
        const set = users.get(image) ?? new Set<string>();
        set.add(`${app.name} on ${entry.name}`);
        users.set(image, set);
      }
    }
  }
  if (users.size === 0) return;
  const missing = [...users.keys()].sort();
  const detail = missing.map((image) => `${image} (run by ${listWords([...(users.get(image) ?? [])].sort())})`);
  const message = `missing version pin${missing.length === 1 ? '' : 's'} for ${listWords(detail)}`;
  report(issueAt(src, ['versions'], 'key', message));
}

/** One owner of the replica count (replicas or autoscaling, not both), and an autoscaling range that is not empty. */
export function checkReplicaCount(settings: AppSettings, base: readonly string[], src: EnvironmentInput['source'], report: Report): void {
  if (settings.replicas !== undefined && settings.autoscaling !== undefined) {
    const message =
      'set either replicas or autoscaling, not both: ' +
      'with autoscaling the HorizontalPodAutoscaler owns the replica count';
    report(issueAt(src, [...base, 'replicas'], 'value', message));
  }
  const hpa = settings.autoscaling;
  if (hpa !== undefined && hpa.minReplicas > hpa.maxReplicas) {
    const message =
      'expected minReplicas ≤ maxReplicas, ' +
      `found minReplicas ${hpa.minReplicas} > maxReplicas ${hpa.maxReplicas}`;
    report(issueAt(src, [...base, 'autoscaling', 'minReplicas'], 'value', message));
  }
}

const RESOURCE_NAMES: ReadonlyArray<keyof ResourceList> = ['cpu', 'memory', 'ephemeral-storage'];

/**
 * The API server rejects a container whose limit is below its request (the Deployment's pods are never created,
 * and the sync stalls on a cluster rather than failing here). Each resource is compared as a quantity: "1Gi" is
 * above "1000Mi", "0.5" equals "500m". The environment's `resources` replace the component default as a whole, so
 * the two lists of one block are all there is to compare; a limit with no request is fine (the request defaults
 * to the limit). The API's own rule (validateResourceRequirements: a request whose Quantity.Cmp(limit) > 0 "must be
 * less than or equal to <name> limit") is kubernetes/kubernetes pkg/apis/core/validation/validation.go.
 */
export function checkLimitsAboveRequests(settings: AppSettings, base: readonly string[], src: EnvironmentInput['source'], report: Report): void {
  const requests = settings.resources?.requests;
  const limits = settings.resources?.limits;
  if (requests === undefined || limits === undefined) return;
  for (const name of RESOURCE_NAMES) {
    const request = requests[name];
    const limit = limits[name];
    if (request === undefined || limit === undefined) continue;
    const requested = parseQuantity(request);
    const limited = parseQuantity(limit);
    if (requested === undefined || limited === undefined || limited >= requested) continue;
    const message =
      `expected a ${name} limit of at least the request (${request}), found ${limit}: ` +
      'Kubernetes rejects a limit below its request; raise the limit or lower the request';
    report(issueAt(src, [...base, 'resources', 'limits', name], 'value', message));
  }
}

/** The fewest replicas the app can have in this environment (the HPA minimum, or the fixed count). */
const replicaFloor = (settings: AppSettings): number | undefined => settings.autoscaling?.minReplicas ?? settings.replicas;

/**
 * A budget that no drain can ever satisfy blocks node drains and cluster upgrades forever: minAvailable must stay below
 * the replica floor (a percentage of 100 %, or maxUnavailable 0, likewise). Checked where the replica count is known.
 */
export function checkDisruptionBudget(settings: AppSettings, base: Array<string | number>, src: EnvironmentInput['source'], report: Report): void {
  const budget = settings.disruptionBudget;
  if (budget === undefined) return;
  const floor = replicaFloor(settings);
  if (budget.maxUnavailable === 0 || budget.maxUnavailable === '0%') {
    report(issueAt(src, [...base, 'disruptionBudget', 'maxUnavailable'], 'value', 'expected at least 1 pod (or 1 %): 0 blocks every node drain'));
  }
  if (budget.minAvailable === '100%') {
    report(issueAt(src, [...base, 'disruptionBudget', 'minAvailable'], 'value', 'expected less than 100%: 100% blocks every node drain'));
  }
  if (typeof budget.minAvailable === 'number' && floor !== undefined && budget.minAvailable >= floor) {
    const message = `expected minAvailable below the app's ${floor} replica${floor === 1 ? '' : 's'} (${settings.autoscaling ? 'autoscaling.minReplicas' : 'replicas'}), found ${budget.minAvailable}: no drain could ever evict one`;
    report(issueAt(src, [...base, 'disruptionBudget', 'minAvailable'], 'value', message));
  }
}
