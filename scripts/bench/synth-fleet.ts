// A synthetic fleet of N clusters for `pnpm bench`: the default inventory's fleet and environment files with a
// generated clusters.yaml (every cluster runs all three stacks; one in ten prod clusters has GPUs).
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { stringify } from 'yaml';

import { CLUSTERS_FILE, ENVIRONMENTS_DIR, FLEET_FILE, INVENTORY_DIR } from '../lib/layout.ts';
import { SCHEMA_VERSION } from '../inventory/schema-version.ts';

const REGIONS = ['eu-west-1', 'us-east-1', 'ap-south-1', 'sa-east-1'];

/** dev for one cluster in ten, staging for two, prod for the rest; environments always have a cluster. */
const environmentOf = (i: number): string => (i % 10 === 0 ? 'dev' : i % 10 <= 2 ? 'staging' : 'prod');

export const synthClusters = (count: number): object[] =>
  Array.from({ length: count }, (_, i) => {
    const environment = environmentOf(i);
    const name = `${environment}-c${String(i).padStart(4, '0')}`;
    const gpu = environment === 'prod' && i % 10 === 3;
    return {
      name,
      environment,
      region: REGIONS[i % REGIONS.length],
      destination: { name },
      domain: `${name}.bench.media.example.net`,
      storageClass: 'gp3',
      loadBalancer: 'aws-nlb',
      capabilities: gpu ? ['gpu'] : ['mesh'],
      stacks: ['streaming', 'transcoding', 'monitoring'],
    };
  });

/** Write `<root>/inventory` for `count` clusters, from the inventory in `from`. Returns the inventory folder. */
export const writeSynthInventory = (from: string, root: string, count: number): string => {
  const inventory = join(root, INVENTORY_DIR);
  mkdirSync(inventory, { recursive: true });
  cpSync(join(from, FLEET_FILE), join(inventory, FLEET_FILE));
  cpSync(join(from, ENVIRONMENTS_DIR), join(inventory, ENVIRONMENTS_DIR), { recursive: true });
  writeFileSync(join(inventory, CLUSTERS_FILE), stringify({ schemaVersion: SCHEMA_VERSION, clusters: synthClusters(count) }));
  return inventory;
};
