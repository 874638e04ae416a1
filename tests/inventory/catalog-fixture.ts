// A stand-in for the component catalog (scripts/components/), with the apps the real catalog
// ships, so the loader's tests do not depend on the catalog's progress.
import type { CatalogEntry } from '../../scripts/model/fleet.ts';

export const TEST_CATALOG: readonly CatalogEntry[] = [
  { name: 'rtmp-origin', stack: 'streaming', images: ['xiu'], requires: [], scalable: true },
  { name: 'edge-cache', stack: 'streaming', images: ['nginx'], requires: [], scalable: true },
  { name: 'transcode-api', stack: 'transcoding', images: ['transcode-api'], requires: [], scalable: true },
  { name: 'transcode-worker-cpu', stack: 'transcoding', images: ['ffmpeg-worker'], requires: [], scalable: true },
  { name: 'transcode-worker-gpu', stack: 'transcoding', images: ['ffmpeg-worker-cuda'], requires: ['gpu'], scalable: true },
  { name: 'prometheus', stack: 'monitoring', images: ['prometheus'], requires: [], scalable: true },
];
