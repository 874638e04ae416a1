// Two Applications on one cluster rendering the same object: each sync overwrites the other, and pruning one
// deletes what the other still needs. Argo CD only warns (SharedResourceWarning); here it fails.
import { objectKey } from '../../kustomize/silent-failures.ts';
import { clusterKey, type AppContext, type FleetRule, type RawFinding } from '../types.ts';

export const sharedResources: FleetRule = (apps) => {
  const out: Array<RawFinding & { app: AppContext }> = [];
  const owners = new Map<string, string>();
  for (const app of apps) {
    const cluster = clusterKey(app.target);
    for (const o of app.objects) {
      const key = `${cluster}\u0000${objectKey(o)}`;
      const first = owners.get(key);
      if (first === undefined) owners.set(key, app.target.name);
      else if (first !== app.target.name) out.push({ app, rule: 'argocd/shared-resource', object: o, message: `also rendered by Application ${first} on the same cluster` });
    }
  }
  return out;
};
