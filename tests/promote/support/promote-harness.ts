// Runs `pnpm promote` in-process against a fixture repository and the GitHub stand-in, with a recorded
// sleep and a fixed clock, so rate-limit waits are asserted instead of waited for.
import { promoteMain } from '../../../scripts/cli/promote.ts';
import type { PromoteDeps } from '../../../scripts/promote/run-promote.ts';
import { captureIo } from '../../support/fleet.ts';

export const OWNER = 'acme-media';
export const REPO = 'streamfleet-gitops';
export const TOKEN = 'ghp_standInSecretToken0123456789';
/** Fixed "now" of the tests (epoch ms). */
export const NOW = Date.UTC(2025, 0, 1, 12, 0, 0);

export interface Run {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

export interface Harness {
  readonly sleeps: number[];
  /** `progress` records the steps the command reports (io.progress). */
  readonly run: (argv: readonly string[], extra?: Partial<PromoteDeps>, progress?: (step: string) => void) => Promise<Run>;
}

export const harness = (root: string, apiUrl: string, cacheDir: string, token: string = TOKEN): Harness => {
  const sleeps: number[] = [];
  const run = async (argv: readonly string[], extra: Partial<PromoteDeps> = {}, progress?: (step: string) => void): Promise<Run> => {
    const c = captureIo();
    const deps: PromoteDeps = {
      env: { GITHUB_TOKEN: token },
      sleep: (ms) => {
        sleeps.push(ms);
        return Promise.resolve();
      },
      now: () => NOW,
      ...extra,
    };
    const code = await promoteMain(deps)(
      [...argv, '--root', root, '--repo', `${OWNER}/${REPO}`, '--api-url', apiUrl, '--cache-dir', cacheDir],
      progress === undefined ? c.io : { ...c.io, progress },
    );
    return { code, out: c.out(), err: c.err() };
  };
  return { sleeps, run };
};
