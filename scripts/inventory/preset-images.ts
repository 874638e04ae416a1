// The images each preset runs, by fleet image name: the main container's (the default of a preset service's `image`)
// and its sidecars' (exporters). The loader needs them before any component exists (version pins, declared images);
// the preset modules (scripts/components/services/presets/) read the same table, so the two cannot disagree.
import type { PresetName, ServiceSpec } from './system-schema.ts';

export interface PresetImages {
  /** Default image of the main container; the service's `image` replaces it. */
  readonly main: string;
  /** Images of the preset's sidecars (exporters); fixed. */
  readonly sidecars: readonly string[];
}

export const PRESET_IMAGES: Readonly<Record<PresetName, PresetImages>> = {
  postgres: { main: 'postgres', sidecars: ['postgres-exporter'] },
  redis: { main: 'redis', sidecars: ['redis-exporter'] },
  nats: { main: 'nats', sidecars: ['nats-exporter'] },
  minio: { main: 'minio', sidecars: [] },
  rabbitmq: { main: 'rabbitmq', sidecars: [] },
};

/** Fleet image names a service runs: its own (or its preset's), then its preset's sidecars', each once. */
export const serviceImages = (svc: ServiceSpec): string[] => {
  const preset = svc.preset !== undefined ? PRESET_IMAGES[svc.preset] : undefined;
  const main = svc.image ?? preset?.main;
  return [...new Set([...(main !== undefined ? [main] : []), ...(preset?.sidecars ?? [])])];
};
