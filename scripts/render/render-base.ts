// base/<stack>/<unit>/: complete, environment- and cluster-independent resources for every app some
// cluster runs, plus the stack's namespace unit.
import type { BaseContext, Component, K8sObject } from '../components/component.ts';
import { namespaceUnit } from '../components/stacks.ts';
import type { StackName } from '../inventory/schema.ts';
import { basePath, NAMESPACE_UNIT } from '../lib/layout.ts';
import type { GeneratedFile } from './generated-file.ts';
import { kustomizationFile, objectFileName, objectFiles } from './kustomize-files.ts';

const unitFiles = (dir: string, objects: readonly K8sObject[]): GeneratedFile[] => [
  ...objectFiles(dir, objects),
  kustomizationFile(dir, 'Kustomization', { resources: objects.map(objectFileName).sort() }),
];

export const renderBase = (
  ctx: BaseContext,
  stacks: readonly StackName[],
  components: readonly Component[],
): GeneratedFile[] => [
  ...stacks.flatMap((stack) => unitFiles(basePath(stack, NAMESPACE_UNIT), namespaceUnit(stack))),
  ...components.flatMap((c) => unitFiles(basePath(c.stack, c.name), c.base(ctx))),
];
