// A stand-in for the component catalog (scripts/components/), with the apps the real catalog
// ships, so the loader's tests do not depend on the catalog's progress.
import type { CatalogEntry } from '../../scripts/model/fleet.ts';

export const TEST_CATALOG: readonly CatalogEntry[] = [
  { name: 'rtmp-origin', stack: 'streaming', images: ['xiu'], requires: [], scalable: true },
  { name: 'edge-cache', stack: 'streaming', images: ['nginx'], requires: [], scalable: true },
  { name: 'player', stack: 'streaming', images: ['nginx', 'k6'], requires: [], scalable: true },
  { name: 'ott-auth', stack: 'streaming', images: ['ott-auth'], requires: [], scalable: true },
  { name: 'ott-subscription', stack: 'streaming', images: ['ott-subscription'], requires: [], scalable: true },
  { name: 'ott-catalog', stack: 'streaming', images: ['ott-catalog'], requires: [], scalable: true },
  { name: 'ott-license', stack: 'streaming', images: ['ott-license'], requires: [], scalable: true },
  { name: 'ott-cas', stack: 'streaming', images: ['ott-cas'], requires: [], scalable: true },
  { name: 'transcode-api', stack: 'transcoding', images: ['transcode-api'], requires: [], scalable: true },
  { name: 'transcode-worker-cpu', stack: 'transcoding', images: ['ffmpeg-worker'], requires: [], scalable: true, queueScaled: true },
  { name: 'transcode-worker-gpu', stack: 'transcoding', images: ['ffmpeg-worker-cuda'], requires: ['gpu'], scalable: true, queueScaled: true },
  { name: 'prometheus', stack: 'monitoring', images: ['prometheus'], requires: [], scalable: true },
  { name: 'alertmanager', stack: 'monitoring', images: ['alertmanager'], requires: [], scalable: true },
  { name: 'grafana', stack: 'monitoring', images: ['grafana'], requires: [], scalable: true },
  { name: 'tempo', stack: 'monitoring', images: ['tempo'], requires: [], scalable: true },
  { name: 'otel-collector', stack: 'monitoring', images: ['otel-collector'], requires: [], scalable: true },
];
