// overlays/<env>/<stack>/<app>/: one Kustomize Component per app and environment, holding only what the
// environment decides — image pins, replicas or an HPA, resources. Components (not Kustomizations) so each
// cluster composes exactly the apps it runs, and a replicas entry never targets an app that is absent.
import { fastScaleUp } from '../components/scaling.ts';
import type { IHorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import type { BaseContext, Component, JsonPatch, JsonPatchOp, K8sObject } from '../components/component.ts';
import { toK8sResources } from '../components/builders.ts';
import { stackNamespace } from '../components/stacks.ts';
import type { AppSettings, Autoscaling } from '../inventory/schema.ts';
import { appLabels } from '../lib/labels.ts';
import { overlayPath } from '../lib/layout.ts';
import type { Environment } from '../model/fleet.ts';
import type { GeneratedFile } from './generated-file.ts';
import { imageReference, parsePin } from './image-pin.ts';
import { kustomizationFile, objectFileName, objectFiles } from './kustomize-files.ts';

/** Scale up fast (double, or +4 pods, every 30 s), scale down slowly (5 min window) unless the inventory says otherwise. */
export const horizontalPodAutoscaler = (
  component: Component,
  a: Autoscaling,
): IHorizontalPodAutoscaler & K8sObject => {
  const metrics: NonNullable<NonNullable<IHorizontalPodAutoscaler['spec']>['metrics']> = [];
  const cpu = a.targetCPUUtilizationPercentage ?? (a.targetMemoryUtilizationPercentage ? undefined : 70);
  if (cpu !== undefined) {
    metrics.push({ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: cpu } } });
  }
  if (a.targetMemoryUtilizationPercentage !== undefined) {
    metrics.push({
      type: 'Resource',
      resource: { name: 'memory', target: { type: 'Utilization', averageUtilization: a.targetMemoryUtilizationPercentage } },
    });
  }
  const w = component.workload;
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: component.name, namespace: stackNamespace(component.stack), labels: appLabels(component.name, component.stack) },
    spec: {
      scaleTargetRef: { apiVersion: w.apiVersion, kind: w.kind, name: w.name },
      minReplicas: a.minReplicas,
      maxReplicas: a.maxReplicas,
      metrics,
      behavior: {
        scaleUp: fastScaleUp(a),
        scaleDown: {
          stabilizationWindowSeconds: a.scaleDownStabilizationSeconds ?? 300,
          selectPolicy: 'Min',
          policies: [{ type: 'Percent', value: 50, periodSeconds: 60 }],
        },
      },
    },
  };
};

/** What scales a component under `autoscaling`: its own scaler (e.g. KEDA), else an HPA. */
export const scalerObjects = (ctx: BaseContext, component: Component, a: Autoscaling): K8sObject[] =>
  component.scaler ? component.scaler(a, ctx) : [horizontalPodAutoscaler(component, a)];

const groupVersion = (apiVersion: string): { group?: string; version: string } => {
  const slash = apiVersion.indexOf('/');
  return slash === -1 ? { version: apiVersion } : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
};

/** The desired replica count, or undefined when an HPA owns it (the overlay must then not set one). */
export const fixedReplicas = (component: Component, settings: AppSettings): number | undefined =>
  settings.autoscaling ? undefined : (settings.replicas ?? component.defaults.replicas);

export const renderAppOverlay = (ctx: BaseContext, env: Environment, component: Component): GeneratedFile[] => {
  const dir = overlayPath(env.name, component.stack, component.name);
  const settings = env.apps[component.name] ?? {};
  const w = component.workload;
  const workloadTarget = { ...groupVersion(w.apiVersion), kind: w.kind, name: w.name };

  const images: Record<string, string>[] = [];
  const ops: JsonPatchOp[] = [];
  for (const ref of component.images) {
    const pin = env.versions[ref.image];
    // The loader guarantees a pin for every image a cluster of this environment runs.
    if (pin === undefined) throw new Error(`environment ${env.name} has no version pin for image ${ref.image}`);
    const repository = ctx.repository(ref.image);
    if (ref.via === 'transformer') {
      const { tag, digest } = parsePin(pin);
      images.push({ name: repository, newTag: tag, ...(digest ? { digest } : {}) });
    } else {
      ops.push({ op: 'add', path: ref.imagePath, value: imageReference(repository, pin) });
      if (ref.versionPath) ops.push({ op: 'add', path: ref.versionPath, value: parsePin(pin).tag });
    }
  }

  const count = fixedReplicas(component, settings);
  const replicas = count !== undefined && w.replicasVia === 'transformer' ? [{ name: w.name, count }] : [];
  if (count !== undefined && w.replicasVia === 'patch') ops.push({ op: 'add', path: '/spec/replicas', value: count });
  if (settings.resources) {
    ops.push({ op: 'add', path: w.resourcesPath, value: toK8sResources(settings.resources, component.extendedResources) });
  }
  const patches: JsonPatch[] = ops.length > 0 ? [{ target: workloadTarget, ops }] : [];

  const extra = settings.autoscaling ? scalerObjects(ctx, component, settings.autoscaling) : [];
  return [
    ...objectFiles(dir, extra),
    kustomizationFile(dir, 'Component', {
      resources: extra.map(objectFileName),
      images: images.sort((a, b) => String(a.name).localeCompare(String(b.name))),
      replicas,
      patches,
    }),
  ];
};
