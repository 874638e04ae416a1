// Cross-field rules of fleet.yaml: environment names it refers to must exist.
import type { CrossCheckInput, Report } from './cross-check-input.ts';
import { issueAt } from './cross-check-input.ts';
import { didYouMean } from './suggest.ts';

export function checkFleetReferences(input: CrossCheckInput, report: Report): void {
  if (input.fleet === undefined) return;
  const known = input.environments.map((e) => e.name);
  input.fleet.value.owners?.protectedEnvironments.forEach((env, i) => {
    if (known.includes(env)) return;
    report(
      issueAt(
        input.fleet!.source,
        ['owners', 'protectedEnvironments', i],
        'value',
        `expected one of the environments (${[...known].sort().join(', ')}), found "${env}"${didYouMean(env, known)}`,
      ),
    );
  });
}
