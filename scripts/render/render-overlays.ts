// overlays/<env>/<stack>/<app>/: one Kustomization per app and environment: the app's base plus only what the
// environment decides — image pins, replicas or an HPA, resources. A cluster lists exactly the overlays of the apps it
// runs, so a replicas entry never targets an absent app; and because each overlay's transformers see only its own
// app's objects (a Component's would walk the whole stack), a stack builds about a quarter faster.
import { liveTrafficAlertRules } from '../monitoring/alert-rules.ts';
import { horizontalPodAutoscaler } from '../components/scaling.ts';
import type { BaseContext, Component, JsonPatch, JsonPatchOp, K8sObject } from '../components/component.ts';
import { toK8sResources } from '../components/builders.ts';
import type { AppSettings, Autoscaling, DisruptionBudget } from '../inventory/schema.ts';
import { basePath, overlayPath } from '../lib/layout.ts';
import type { Environment } from '../model/fleet.ts';
import type { GeneratedFile } from './generated-file.ts';
import { imageReference, parsePin } from './image-pin.ts';
import { kustomizationFile, objectFileName, objectFiles, relativeDir } from './kustomize-files.ts';

/** What scales a component under `autoscaling`: its own scaler (e.g. KEDA), else an HPA. */
export const scalerObjects = (ctx: BaseContext, component: Component, a: Autoscaling, env: Environment): K8sObject[] =>
  component.scaler ? component.scaler(a, ctx, env) : [horizontalPodAutoscaler(component, a)];

const groupVersion = (apiVersion: string): { group?: string; version: string } => {
  const slash = apiVersion.indexOf('/');
  return slash === -1 ? { version: apiVersion } : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
};

/** The desired replica count, or undefined when an HPA owns it (the overlay must then not set one). */
export const fixedReplicas = (component: Component, settings: AppSettings): number | undefined =>
  settings.autoscaling ? undefined : (settings.replicas ?? component.defaults.replicas);

/** The loader guarantees a pin for every image a cluster of this environment runs. */
const pinOf = (env: Environment, image: string): string => {
  const pin = env.versions[image];
  if (pin === undefined) throw new Error(`environment ${env.name} has no version pin for image ${image}`);
  return pin;
};

/** `images:` entries pinning a component's container images (those applied by the transformer) in an environment. */
/** One entry of a kustomization's `images:` list (not the parsed pin of image-pin.ts). */
export interface ImagesEntry {
  readonly name: string;
  readonly newTag: string;
  readonly digest?: string;
}

export const imagePins = (ctx: BaseContext, env: Environment, component: Component): ImagesEntry[] =>
  component.images
    .flatMap((ref): ImagesEntry[] => {
      if (ref.via !== 'transformer') return [];
      const { tag, digest } = parsePin(pinOf(env, ref.image));
      return [{ name: ctx.repository(ref.image), newTag: tag, ...(digest ? { digest } : {}) }];
    })
    .sort((a, b) => a.name.localeCompare(b.name));

/**
 * The environment's PodDisruptionBudget for the app. Every component's base budget is `maxUnavailable: 1`
 * (builders.ts podDisruptionBudget, named after the app); a budget is either count, never both (the API rejects both).
 */
export const disruptionBudgetPatch = (app: string, budget: DisruptionBudget): JsonPatch => ({
  target: { group: 'policy', version: 'v1', kind: 'PodDisruptionBudget', name: app },
  ops:
    budget.minAvailable !== undefined
      ? [
          { op: 'remove', path: '/spec/maxUnavailable' },
          { op: 'add', path: '/spec/minAvailable', value: budget.minAvailable },
        ]
      : [{ op: 'replace', path: '/spec/maxUnavailable', value: budget.maxUnavailable }],
});

export const renderAppOverlay = (ctx: BaseContext, env: Environment, component: Component): GeneratedFile[] => {
  const dir = overlayPath(env.name, component.stack, component.name);
  const settings = env.apps[component.name] ?? {};
  const w = component.workload;
  const workloadTarget = { ...groupVersion(w.apiVersion), kind: w.kind, name: w.name };

  const images = imagePins(ctx, env, component);
  const ops: JsonPatchOp[] = [];
  for (const ref of component.images) {
    if (ref.via !== 'patch') continue;
    const pin = pinOf(env, ref.image);
    const repository = ctx.repository(ref.image);
    ops.push({ op: 'add', path: ref.imagePath, value: imageReference(repository, pin) });
    if (ref.versionPath) ops.push({ op: 'add', path: ref.versionPath, value: parsePin(pin).tag });
  }

  const count = fixedReplicas(component, settings);
  const replicas = count !== undefined && w.replicasVia === 'transformer' ? [{ name: w.name, count }] : [];
  if (count !== undefined && w.replicasVia === 'patch') ops.push({ op: 'add', path: '/spec/replicas', value: count });
  if (settings.resources) {
    ops.push({ op: 'add', path: w.resourcesPath, value: toK8sResources(settings.resources, component.extendedResources) });
  }
  const patches: JsonPatch[] = ops.length > 0 ? [{ target: workloadTarget, ops }] : [];
  if (settings.disruptionBudget) patches.push(disruptionBudgetPatch(component.name, settings.disruptionBudget));

  const extra = [...(settings.autoscaling ? scalerObjects(ctx, component, settings.autoscaling, env) : []), ...liveTrafficAlertRules(ctx, component, env)];
  return [
    ...objectFiles(dir, extra),
    kustomizationFile(dir, 'Kustomization', {
      resources: [relativeDir(dir, basePath(component.stack, component.name)), ...extra.map(objectFileName)],
      images,
      replicas,
      patches,
    }),
  ];
};
