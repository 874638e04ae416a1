// base/<stack>/<unit>/: complete, environment- and cluster-independent resources for every app some
// cluster runs, plus the stack's namespace unit.
import type { K8sObject } from '../components/component.ts';
import type { StackName } from '../inventory/schema.ts';
import { basePath } from '../lib/layout.ts';
import type { GeneratedFile } from './generated-file.ts';
import { kustomizationFile, objectFileName, objectFiles } from './kustomize-files.ts';

const unitFiles = (dir: string, objects: readonly K8sObject[]): GeneratedFile[] => [
  ...objectFiles(dir, objects),
  kustomizationFile(dir, 'Kustomization', { resources: objects.map(objectFileName).sort() }),
];

/** One base unit: the namespace unit or an app, with the objects the plan already rendered for it. */
export interface BaseUnit {
  readonly unit: string;
  readonly objects: readonly K8sObject[];
}

export const renderBase = (stack: StackName, units: readonly BaseUnit[]): GeneratedFile[] =>
  units.flatMap((u) => unitFiles(basePath(stack, u.unit), u.objects));
