// The one call the `gen` CLI needs: plan against the current tree, then apply atomically.
import type { GeneratedFile } from '../render/generated-file.ts';
import { applyPlan, type ApplyOptions } from './apply-plan.ts';
import { planWrite } from './plan-write.ts';
import type { WriteReport } from './write-report.ts';

export const writeTree = async (
  outDir: string,
  files: readonly GeneratedFile[],
  options: ApplyOptions,
): Promise<WriteReport> => applyPlan(await planWrite(outDir, files, options), options);
