// Every component the generator knows, by stack. Adding an app = adding a module and listing it here.
import type { CatalogEntry, Fleet } from '../model/fleet.ts';
import { httpServiceComponent } from './http-service.ts';
import { systemComponents } from './services/system-components.ts';
import type { Component } from './component.ts';
import { prometheusComponent } from './monitoring/prometheus.ts';
import { alertmanagerComponent } from './monitoring/alertmanager.ts';
import { grafanaComponent } from './monitoring/grafana.ts';
import { otelCollectorComponent } from './monitoring/otel-collector.ts';
import { tempoComponent } from './monitoring/tempo.ts';
import { edgeCache } from './streaming/edge-cache.ts';
import { rtmpOrigin } from './streaming/rtmp-origin.ts';
import { OTT_API_COMPONENTS } from './streaming/ott-apis.ts';
import { player } from './streaming/player.ts';
import { transcodeApi } from './transcoding/transcode-api.ts';
import { transcodeWorkerCpu, transcodeWorkerGpu } from './transcoding/transcode-worker.ts';
import { minio } from './transcoding/minio.ts';
import { postgres } from './transcoding/postgres.ts';
import { rabbitmq } from './transcoding/rabbitmq.ts';
import { redis } from './transcoding/redis.ts';

export const COMPONENTS: readonly Component[] = [
  rtmpOrigin,
  edgeCache,
  player,
  ...OTT_API_COMPONENTS,
  transcodeApi,
  transcodeWorkerCpu,
  transcodeWorkerGpu,
  postgres,
  redis,
  rabbitmq,
  minio,
  prometheusComponent,
  alertmanagerComponent,
  grafanaComponent,
  tempoComponent,
  otelCollectorComponent,
];

/** Built-in components plus what the inventory declares (fleet.yaml apps, the systems' services): what a fleet renders. */
export const componentsFor = (fleet: Pick<Fleet, 'apps' | 'systems'>): Component[] => [
  ...COMPONENTS,
  ...Object.entries(fleet.apps ?? {})
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, app]) => httpServiceComponent(name, app)),
  ...(fleet.systems ?? []).flatMap(systemComponents),
];

/** The catalog view the inventory loader cross-checks against. */
export const catalogEntries = (components: readonly Component[] = COMPONENTS): CatalogEntry[] =>
  components.map((c) => ({
    name: c.name,
    stack: c.stack,
    images: c.images.map((i) => i.image),
    requires: c.requires,
    scalable: true,
    ...(c.fixedScaleDown !== undefined ? { fixedScaleDown: c.fixedScaleDown } : {}),
    ...(c.placement !== undefined ? { placement: c.placement } : {}),
    // Only the built-in queue consumers read `autoscaling.targetQueueLength` (a system service names its triggers).
    ...(c.scaler !== undefined && c.placement === undefined ? { queueScaled: true } : {}),
  }));

export const componentByName = (name: string, components: readonly Component[] = COMPONENTS): Component => {
  const c = components.find((x) => x.name === name);
  if (!c) throw new Error(`unknown component ${name}`);
  return c;
};
