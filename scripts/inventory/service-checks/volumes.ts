// Rules about a service's volumes and config files: one kind each, no two on one path, storage that the workload kind
// can actually mount, and a preset's data that survives a restart.
import { exactlyOne, type ServiceContext } from './context.ts';
import { serviceSettings } from '../build-model.ts';
import type { ServiceSpec } from '../system-schema.ts';

/** The workload kind the compiler builds: presets are StatefulSets unless they say otherwise. */
export const workloadKind = (full: ServiceSpec): 'Deployment' | 'StatefulSet' => full.kind ?? (full.preset !== undefined ? 'StatefulSet' : 'Deployment');

/** The most replicas the service can run in an environment (a Deployment without a count runs one). */
export const maxReplicas = (full: ServiceSpec, env: string): number => {
  const settings = serviceSettings(full, env);
  return settings.autoscaling?.maxReplicas ?? settings.replicas ?? 1;
};

/** `/a/b` is `/a` or lies under it (`/ab` does not). */
const within = (path: string, dir: string): boolean => {
  const base = dir.endsWith('/') ? dir.slice(0, -1) : dir;
  return path === base || path.startsWith(`${base}/`) || base === '';
};

export function checkVolumes(ctx: ServiceContext): void {
  const own = ctx.spec.volumes ?? [];
  const names = new Map<string, number>();
  own.forEach((volume, i) => {
    exactlyOne(ctx.issueOwn, ['volumes', i], volume, ['persistent', 'emptyDir']);
    const first = names.get(volume.name);
    if (first !== undefined) {
      ctx.issueOwn(['volumes', i, 'name'], 'value', `duplicate volume name "${volume.name}": volumes[${first}] (line ${ctx.lineOf(['volumes', first])}) already has it`);
    } else names.set(volume.name, i);
  });

  const volumes = ctx.full.volumes ?? [];
  const userWrote = (i: number): boolean => own.some((v) => v.name === volumes[i]?.name);
  const paths = new Map<string, number>();
  volumes.forEach((volume, i) => {
    const first = paths.get(volume.mountPath);
    if (first === undefined) {
      paths.set(volume.mountPath, i);
      return;
    }
    const other = volumes[first]?.name ?? '';
    // Point at the one the user wrote: a preset's own volumes never clash among themselves.
    const [at, by] = userWrote(i) || !userWrote(first) ? [i, other] : [first, volume.name];
    ctx.issue(['volumes', at, 'mountPath'], 'value', `duplicate mount path "${volume.mountPath}": volume "${by}" is mounted there too`);
  });

  checkConfigFiles(ctx);
  checkAccessModes(ctx);
  checkPresetData(ctx);
}

function checkConfigFiles(ctx: ServiceContext): void {
  const files = ctx.full.configFiles ?? [];
  const seen = new Map<string, number>();
  files.forEach((file, i) => {
    const first = seen.get(file.path);
    if (first !== undefined) {
      ctx.issue(['configFiles', i, 'path'], 'value', `duplicate config file path "${file.path}": configFiles[${first}] already writes it`);
    } else seen.set(file.path, i);
    const volume = (ctx.full.volumes ?? []).find((v) => within(file.path, v.mountPath));
    if (volume === undefined) return;
    ctx.issue(
      ['configFiles', i, 'path'],
      'value',
      `expected a config file path outside the volumes' mount paths, found "${file.path}" inside volume "${volume.name}" (mounted at ${volume.mountPath}): the two mounts conflict; move the file or the volume`,
    );
  });
}

/**
 * A ReadWriteOnce claim is mounted by one node (ReadWriteOncePod: one pod). The replicas of a Deployment share its one
 * claim, and the spread the compiler asks for places them on different nodes, where they never start; a
 * ReadWriteOncePod claim admits no second pod at all. A StatefulSet gets a claim per replica; ReadWriteMany is shared.
 * Checked: kubernetes/website @ 0180cc4bf0 : content/en/docs/concepts/storage/persistent-volumes.md (Access Modes).
 */
function checkAccessModes(ctx: ServiceContext): void {
  if (workloadKind(ctx.full) !== 'Deployment') return;
  const most = ctx.runsIn
    .map((env) => ({ env, replicas: maxReplicas(ctx.full, env) }))
    .reduce<{ env: string; replicas: number } | undefined>((a, b) => (a === undefined || b.replicas > a.replicas ? b : a), undefined);
  if (most === undefined || most.replicas <= 1) return;
  (ctx.full.volumes ?? []).forEach((volume, i) => {
    const claim = volume.persistent;
    // A volume that is also an emptyDir is reported as such; one problem at a time.
    if (claim === undefined || volume.emptyDir !== undefined) return;
    const mode = claim.accessMode ?? 'ReadWriteOnce';
    if (mode !== 'ReadWriteOnce' && mode !== 'ReadWriteOncePod') return;
    ctx.issue(
      ['volumes', i, 'persistent', ...(claim.accessMode !== undefined ? ['accessMode'] : [])],
      'value',
      `a ${mode} volume cannot be shared by the replicas of a Deployment, which runs up to ${most.replicas} in ${most.env} (the claim mounts on one ${mode === 'ReadWriteOnce' ? 'node' : 'pod'}): ` +
        'expected kind: StatefulSet (a volume per replica), accessMode: ReadWriteMany, or one replica',
    );
  });
}

/** A database preset keeps its data in the volume named `data`: scratch space there loses it on every restart. */
function checkPresetData(ctx: ServiceContext): void {
  if (ctx.full.preset === undefined) return;
  const volumes = ctx.full.volumes ?? [];
  const i = volumes.findIndex((v) => v.name === 'data');
  const data = volumes[i];
  if (data === undefined || data.persistent !== undefined || data.emptyDir === undefined) return;
  ctx.issue(
    ['volumes', i, 'emptyDir'],
    'key',
    `a database without a volume: the ${ctx.full.preset} preset keeps its data in volume "data", expected persistent: { size }, found emptyDir (lost on every restart)`,
  );
}
