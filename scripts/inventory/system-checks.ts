// Cross-file rules of `systems/<name>.yaml`: names that must be unique across the fleet, references to the rest of
// the inventory (images, environments, clusters), and the catalog entries the other checks see for the services.
// Rules about one service's own fields (ports, probes, volumes, scaling) are in service-checks.ts.
import type { CrossCheckInput, Report, SystemInput } from './cross-check-input.ts';
import { issueAt, issueOnFile, validClusters } from './cross-check-input.ts';
import { DNS1035_LABEL, STACKS } from './schema.ts';
import type { ServiceSpec } from './system-schema.ts';
import { serviceImages } from './preset-images.ts';
import { checkService } from './service-checks.ts';
import { didYouMean } from './suggest.ts';
import type { CatalogEntry } from '../model/fleet.ts';

/** The services of every system that passed the schema, as catalog entries of the system's stack. */
export const systemCatalogEntries = (systems: readonly SystemInput[]): CatalogEntry[] =>
  systems.flatMap((sys) =>
    sys.value === undefined
      ? []
      : Object.entries(sys.value.services).map(([name, svc]) => ({
          name,
          stack: sys.name,
          images: serviceImages(svc),
          requires: [],
          scalable: true,
          placement: [sys.value!.placement, svc.placement],
        })),
  );

/**
 * Namespaces a system may not take: the built-in stacks', Kubernetes' own, and those of the platform (Argo CD,
 * add-ons, the mesh gateway). Add-on namespaces come from fleet.yaml and are checked there.
 */
const RESERVED_NAMESPACES = ['argocd', 'default', 'kube-node-lease', 'kube-public', 'kube-system', 'istio-ingress', 'istio-system', 'ingress-nginx'];
const SYSTEM_NAME = new RegExp(DNS1035_LABEL);

export function checkSystems(input: CrossCheckInput, builtIn: readonly CatalogEntry[], report: Report): void {
  const systems = input.systems ?? [];
  const addonNamespaces = Object.values(input.fleet?.value.addons ?? {}).map((a) => a.namespace);
  const owners = new Map<string, string>(builtIn.map((c) => [c.name, `built-in ${c.stack} component`]));
  for (const name of Object.keys(input.fleet?.value.apps ?? {})) owners.set(name, 'app of fleet.yaml');
  for (const sys of systems) {
    if (!SYSTEM_NAME.test(sys.name)) {
      report(issueOnFile(sys.source.file, '(file name)', `expected the system name (the file name without .yaml) to be a DNS-1035 label (lowercase letters, digits and '-', a letter first, at most 63 characters), found "${sys.name}"`));
    }
    if ((STACKS as readonly string[]).includes(sys.name) || RESERVED_NAMESPACES.includes(sys.name) || addonNamespaces.includes(sys.name)) {
      report(issueOnFile(sys.source.file, '(file name)', `system "${sys.name}" would take the namespace of a built-in stack, the platform or an add-on; rename the file`));
    }
    const value = sys.value;
    if (value === undefined) continue;
    for (const [name, svc] of Object.entries(value.services)) {
      const other = owners.get(name);
      if (other !== undefined) {
        report(issueAt(sys.source, ['services', name], 'key', `service "${name}" has the name of a ${other}; names are unique across the fleet (e.g. "${sys.name}-${name}")`));
      } else owners.set(name, `service of ${sys.source.file}`);
      checkServiceReferences(input, sys, name, svc, report);
      checkService({ system: sys, name, spec: svc, services: value.services, environments: input.environments.map((e) => e.name), report });
    }
    checkPlacementNames(input, sys, ['placement'], value.placement, report);
  }
  checkEnvironmentFilesLeaveServicesAlone(input, report);
}

/** A service's settings per environment live in its system file (one owner); an environment file may not set them too. */
function checkEnvironmentFilesLeaveServicesAlone(input: CrossCheckInput, report: Report): void {
  const files = new Map<string, string>();
  for (const sys of input.systems ?? []) for (const name of Object.keys(sys.value?.services ?? {})) files.set(name, sys.source.file);
  for (const env of input.environments) {
    for (const app of Object.keys(env.value?.apps ?? {})) {
      const file = files.get(app);
      if (file === undefined) continue;
      report(issueAt(env.source, ['apps', app], 'key', `"${app}" is a service of ${file}: set its ${env.name} settings there, under services.${app}.environments.${env.name}`));
    }
  }
}

function checkServiceReferences(input: CrossCheckInput, sys: SystemInput, name: string, svc: ServiceSpec, report: Report): void {
  const fleet = input.fleet;
  const base = ['services', name];
  if (svc.image === undefined && svc.preset === undefined) {
    report(issueAt(sys.source, base, 'key', 'expected an image (a key of fleet.yaml images) or a preset'));
  }
  if (fleet !== undefined) {
    const images = Object.keys(fleet.value.images);
    for (const image of serviceImages(svc)) {
      if (Object.hasOwn(fleet.value.images, image)) continue;
      const own = svc.image === image;
      report(
        issueAt(
          sys.source,
          own ? [...base, 'image'] : [...base, 'preset'],
          'value',
          `expected image "${image}"${own ? '' : ` (the ${svc.preset} preset runs it)`} to be declared under images in ${fleet.source.file}${didYouMean(image, images)}`,
        ),
      );
    }
  }
  const envs = input.environments.map((e) => e.name);
  for (const env of Object.keys(svc.environments ?? {})) {
    if (envs.includes(env)) continue;
    report(issueAt(sys.source, [...base, 'environments', env], 'key', `unknown environment "${env}"${didYouMean(env, envs)}; environments: ${envs.join(', ')}`));
  }
  checkPlacementNames(input, sys, [...base, 'placement'], svc.placement, report);
}

function checkPlacementNames(
  input: CrossCheckInput,
  sys: SystemInput,
  at: Array<string | number>,
  placement: ServiceSpec['placement'],
  report: Report,
): void {
  if (placement === undefined) return;
  const envs = input.environments.map((e) => e.name);
  placement.environments?.forEach((env, i) => {
    if (!envs.includes(env)) report(issueAt(sys.source, [...at, 'environments', i], 'value', `unknown environment "${env}"${didYouMean(env, envs)}; environments: ${envs.join(', ')}`));
  });
  const clusters = validClusters(input.clusters).map((c) => c.entry);
  if (input.clusters?.complete !== true) return;
  const names = clusters.map((c) => c.name);
  placement.clusters?.forEach((cluster, i) => {
    if (!names.includes(cluster)) report(issueAt(sys.source, [...at, 'clusters', i], 'value', `unknown cluster "${cluster}"${didYouMean(cluster, names)}; clusters: ${names.join(', ')}`));
  });
}
