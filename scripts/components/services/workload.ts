// The workload of a service: a Deployment or a StatefulSet (with its headless Service) around one hardened main
// container and the preset's sidecars. Same house defaults as builders.ts and stateful-set.ts (restricted pod, no
// replicas in base, spread, no service links, no token), plus what the spec says: command and args, ports, env,
// probes, volumes, node selector, tolerations, spread and grace period.
import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import type { IStatefulSet } from 'kubernetes-models/apps/v1/StatefulSet';
import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IContainerPort } from 'kubernetes-models/v1/ContainerPort';
import type { IPodSpec } from 'kubernetes-models/v1/PodSpec';
import type { IServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import type { Resources } from '../../inventory/schema.ts';
import { PRESET_IMAGES } from '../../inventory/preset-images.ts';
import type { ServiceSpec } from '../../inventory/system-schema.ts';
import { appLabels, selectorLabels } from '../../lib/labels.ts';
import { restrictedContainer, restrictedPod, spreadAcrossZonesAndNodes, toK8sResources } from '../builders.ts';
import type { BaseContext, ClusterContext, K8sObject, WorkloadRef } from '../component.ts';
import { headlessService, headlessServiceName } from '../stateful-set.ts';
import { containerEnv } from './env.ts';
import { containerProbes } from './probes.ts';
import type { SystemView } from './system-view.ts';
import type { ServiceInput } from './types.ts';
import { serviceVolumes, type ServiceVolumes } from './volumes.ts';

/** UID of a plain service's container (Pod Security restricted: never root; ≥ 10000 keeps pod-security/user-ids quiet). */
export const DEFAULT_UID = 10001;
/** Time to finish in-flight work after SIGTERM when the spec says nothing (Kubernetes' own default). */
export const DEFAULT_GRACE_SECONDS = 30;
/** Requests and a memory limit for a service that states none (the generic app's defaults). */
export const DEFAULT_RESOURCES: Resources = { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } };
/**
 * Seconds a Service-backed container keeps serving after SIGTERM, so endpoint removal reaches every proxy before it
 * stops accepting connections. Only when the grace period leaves time to shut down afterwards.
 */
const PRE_STOP_SLEEP_SECONDS = 5;

/** Index of the main container: the workload ref's resources path and the env overlay patch point at it. */
const MAIN = 0;

export type WorkloadKind = 'Deployment' | 'StatefulSet';

/** The workload kind: the spec's, else a StatefulSet for presets (they keep state), else a Deployment. */
export const workloadKind = (spec: ServiceSpec): WorkloadKind => spec.kind ?? (spec.preset !== undefined ? 'StatefulSet' : 'Deployment');

/** The fleet image the main container runs: the spec's, else its preset's. */
export const mainImage = (input: ServiceInput): string => {
  const image = input.spec.image ?? (input.spec.preset !== undefined ? PRESET_IMAGES[input.spec.preset].main : undefined);
  if (image === undefined) throw new Error(`${input.system.file}: services.${input.name}: expected an image or a preset`);
  return image;
};

/** The main container's name: the preset's name (postgres, redis …), else `app`. */
export const mainContainerName = (spec: ServiceSpec): string => spec.preset ?? 'app';

export const workloadRef = (input: ServiceInput): WorkloadRef => ({
  apiVersion: 'apps/v1',
  kind: workloadKind(input.spec),
  name: input.name,
  resourcesPath: `/spec/template/spec/containers/${MAIN}/resources`,
  replicasVia: 'transformer',
});

const containerPorts = (spec: ServiceSpec): IContainerPort[] =>
  (spec.ports ?? []).map((p) => ({ name: p.name, containerPort: p.port, protocol: p.protocol ?? 'TCP' }));

/**
 * Spread of the replicas: preferred (zones and nodes, ScheduleAnyway), required (one per node: DoNotSchedule, as the
 * stateful built-ins) or none. Default: required for presets (replicas of a database must not share a node),
 * preferred otherwise.
 */
const topologySpread = (input: ServiceInput): IPodSpec['topologySpreadConstraints'] => {
  const spread = input.spec.spread ?? (input.spec.preset !== undefined ? 'required' : 'preferred');
  if (spread === 'none') return undefined;
  return spreadAcrossZonesAndNodes(input.name, spread === 'required' ? 'DoNotSchedule' : 'ScheduleAnyway');
};

/** The main container. */
export const mainContainer = (view: SystemView, input: ServiceInput, ctx: BaseContext, vols: Pick<ServiceVolumes, 'mounts'>): IContainer => {
  const { spec } = input;
  const env = containerEnv(view, input);
  const grace = spec.terminationGracePeriodSeconds ?? DEFAULT_GRACE_SECONDS;
  const preStop = (spec.ports ?? []).length > 0 && grace >= 2 * PRE_STOP_SLEEP_SECONDS;
  return {
    name: mainContainerName(spec),
    image: ctx.repository(mainImage(input)),
    ...(spec.command ? { command: [...spec.command] } : {}),
    ...(spec.args ? { args: [...spec.args] } : {}),
    ...(spec.ports && spec.ports.length > 0 ? { ports: containerPorts(spec) } : {}),
    ...(env.length > 0 ? { env } : {}),
    ...containerProbes(spec.probes),
    // Checked: kubernetes/api @ v0.32.0 : core/v1/types.go (LifecycleHandler.sleep, SleepAction.seconds).
    ...(preStop ? { lifecycle: { preStop: { sleep: { seconds: PRE_STOP_SLEEP_SECONDS } } } } : {}),
    resources: toK8sResources(spec.resources ?? DEFAULT_RESOURCES),
    securityContext: restrictedContainer(),
    volumeMounts: vols.mounts,
  };
};

const podSpec = (input: ServiceInput, containers: IContainer[], vols: ServiceVolumes): IPodSpec => {
  const { spec } = input;
  const uid = spec.runAsUser ?? DEFAULT_UID;
  const spread = topologySpread(input);
  return {
    automountServiceAccountToken: false,
    containers,
    enableServiceLinks: false,
    // A cloud identity (IRSA, workload identity): the provider's webhook projects its own token, so the Kubernetes API
    // token stays unmounted either way.
    ...(spec.serviceAccount ? { serviceAccountName: input.name } : {}),
    ...(spec.nodeSelector && Object.keys(spec.nodeSelector).length > 0 ? { nodeSelector: { ...spec.nodeSelector } } : {}),
    securityContext: workloadKind(spec) === 'StatefulSet' ? { ...restrictedPod(uid), fsGroupChangePolicy: 'OnRootMismatch' } : restrictedPod(uid),
    terminationGracePeriodSeconds: spec.terminationGracePeriodSeconds ?? DEFAULT_GRACE_SECONDS,
    ...(spec.tolerations && spec.tolerations.length > 0 ? { tolerations: spec.tolerations.map((t) => ({ ...t })) } : {}),
    ...(spread ? { topologySpreadConstraints: spread } : {}),
    volumes: vols.volumes,
  };
};

/**
 * The service's own ServiceAccount, when the spec gives it annotations (a cloud role). Rendered per cluster: the
 * annotations may name the cluster or the environment (`{cluster}`, `{environment}`), e.g. one IAM role per account.
 */
export const serviceAccountObjects = (view: SystemView, input: ServiceInput, ctx: ClusterContext): K8sObject[] => {
  const sa = input.spec.serviceAccount;
  if (sa === undefined) return [];
  const fill = (v: string): string => v.replaceAll('{cluster}', ctx.cluster.name).replaceAll('{environment}', ctx.environment.name);
  const account: IServiceAccount & K8sObject = {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: {
      name: input.name,
      namespace: view.namespace,
      labels: appLabels(input.name, view.system.name),
      annotations: Object.fromEntries(Object.entries(sa.annotations).map(([k, v]) => [k, fill(v)])),
    },
    automountServiceAccountToken: false,
  };
  return [account];
};

/** The workload object (and, for a StatefulSet, its headless Service) plus the volumes' own base objects. */
export const workloadObjects = (view: SystemView, input: ServiceInput, ctx: BaseContext): K8sObject[] => {
  const { name, spec } = input;
  const stack = view.system.name;
  const kind = workloadKind(spec);
  const vols = serviceVolumes(view, input, kind);
  const containers = [mainContainer(view, input, ctx, vols), ...(input.preset?.sidecars(ctx.repository) ?? [])];
  const template = {
    metadata: { labels: appLabels(name, stack), ...(Object.keys(vols.podAnnotations).length > 0 ? { annotations: vols.podAnnotations } : {}) },
    spec: podSpec(input, containers, vols),
  };
  const metadata = { name, namespace: view.namespace, labels: appLabels(name, stack) };
  if (kind === 'Deployment') {
    const deployment: IDeployment & K8sObject = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata,
      spec: {
        revisionHistoryLimit: 5,
        selector: { matchLabels: selectorLabels(name) },
        // A volume one node attaches at a time: the new pod cannot start beside the old one (Multi-Attach), so the
        // old one goes first. Otherwise surge and never drop below the desired count.
        strategy: vols.singleAttach ? { type: 'Recreate' } : { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 } },
        template,
      },
    };
    return [deployment, ...vols.objects];
  }
  const statefulSet: IStatefulSet & K8sObject = {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata,
    spec: {
      // Parallel: a replica waiting for a peer must not block the others from starting (stateful-set.ts).
      podManagementPolicy: 'Parallel',
      persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
      revisionHistoryLimit: 5,
      selector: { matchLabels: selectorLabels(name) },
      serviceName: headlessServiceName(name),
      template,
      updateStrategy: { type: 'RollingUpdate' },
      ...(vols.claimTemplates.length > 0 ? { volumeClaimTemplates: vols.claimTemplates } : {}),
    },
  };
  // Per-pod DNS names (`<pod>.<service>-headless`) for the service's own ports; metrics stay off it so a
  // ServiceMonitor selecting the app's labels scrapes each pod once, through the main Service.
  const ports = (spec.ports ?? [])
    .filter((p) => p.name !== spec.metrics?.port)
    .map((p) => ({ name: p.name, port: p.servicePort ?? p.port, targetPort: p.name, protocol: p.protocol ?? 'TCP' }));
  return [statefulSet, headlessService({ app: name, namespace: view.namespace, stack, ports }), ...vols.objects];
};
