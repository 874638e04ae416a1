// The Kustomize floor: one kustomization holding one Deployment, built many times with the same engine. Every
// other build time in the benchmark is read as a multiple of it, so results compare across machines.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { buildKustomization } from '../kustomize/build.ts';
import type { KustomizeEngine } from '../kustomize/engine.ts';
import { mapPool } from '../kustomize/pool.ts';

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: floor
  namespace: floor
spec:
  selector:
    matchLabels: {app: floor}
  template:
    metadata:
      labels: {app: floor}
    spec:
      containers:
        - name: app
          image: registry.example.com/floor:1.0.0
`;

export const writeFloorKustomization = (dir: string): string => {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'kustomization.yaml'), 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - deployment.yaml\n');
  writeFileSync(join(dir, 'deployment.yaml'), DEPLOYMENT);
  return dir;
};

/** Build `dir` `times` times, `concurrency` at once; the duration of each build in ms. */
export const timeBuilds = async (engine: KustomizeEngine, dir: string, times: number, concurrency: number): Promise<number[]> =>
  mapPool(Array.from({ length: times }, () => dir), concurrency, async (d) => {
    const started = performance.now();
    await buildKustomization(engine, d);
    return performance.now() - started;
  });
