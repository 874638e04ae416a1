// The objects the root Application applies: `kustomize build <root>/argocd` with the real Kustomize, so that
// whatever argocd/kustomization.yaml includes (../apps, patches, namespace transformers) is seen as Argo CD sees it.
import { existsSync } from 'node:fs';
import { join } from 'node:path';

import { parseAllDocuments } from 'yaml';

import { CliError, ExitCode } from '../lib/exit-codes.ts';
import { ARGOCD_DIR, GEN_COMMAND, KUSTOMIZATION_FILE } from '../lib/layout.ts';
import { buildKustomization } from '../kustomize/build.ts';
import type { KustomizeEngine } from '../kustomize/engine.ts';

export class YamlStreamError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'YamlStreamError';
  }
}

/** Every non-empty document of a YAML stream, as plain JSON values. Throws YamlStreamError on a syntax error. */
export const parseYamlStream = (text: string, source: string): unknown[] => {
  const out: unknown[] = [];
  for (const [i, doc] of parseAllDocuments(text).entries()) {
    const error = doc.errors[0];
    if (error !== undefined) throw new YamlStreamError(`${source}: document ${i + 1}: ${error.message}`);
    const value: unknown = doc.toJS();
    if (value !== null && value !== undefined) out.push(value);
  }
  return out;
};

/** Kustomization file names Kustomize accepts, in its lookup order. */
export const KUSTOMIZATION_NAMES = [KUSTOMIZATION_FILE, 'kustomization.yml', 'Kustomization'] as const;

export const hasKustomization = (dir: string): boolean => KUSTOMIZATION_NAMES.some((n) => existsSync(join(dir, n)));

/**
 * Build `<root>/argocd` and parse the result. Throws CliError (bad input) when there is no argocd/ kustomization,
 * KustomizeBuildError when the build fails, YamlStreamError when its output does not parse.
 */
export const loadRootObjects = async (root: string, engine: KustomizeEngine): Promise<unknown[]> => {
  const dir = join(root, ARGOCD_DIR);
  if (!hasKustomization(dir)) {
    throw new CliError(`no ${ARGOCD_DIR}/${KUSTOMIZATION_FILE} under ${root} (run \`${GEN_COMMAND}\` first?)`, ExitCode.BadInput);
  }
  const yaml = await buildKustomization(engine, dir);
  return parseYamlStream(yaml, `kustomize build ${ARGOCD_DIR}`);
};
