// Every Argo CD object and cluster registration the default fleet (and the progressive variant) renders
// validates against its CRD schema, through the validators kubernetes-models ships.
import { Application } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/Application';
import { ApplicationSet } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/ApplicationSet';
import { AppProject } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/AppProject';
import { ExternalSecret } from '@kubernetes-models/external-secrets/external-secrets.io/v1/ExternalSecret';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { Fleet } from '../../scripts/model/fleet.ts';
import { renderFleet } from '../../scripts/render/render-fleet.ts';
import { DEFAULT_INVENTORY, loadFleet } from '../support/fleet.ts';

type Validator = (o: Record<string, unknown>) => void;
const VALIDATORS: Record<string, Validator> = {
  'argoproj.io/v1alpha1/Application': (o) => new Application(o as never).validate(),
  'argoproj.io/v1alpha1/ApplicationSet': (o) => new ApplicationSet(o as never).validate(),
  'argoproj.io/v1alpha1/AppProject': (o) => new AppProject(o as never).validate(),
  'external-secrets.io/v1/ExternalSecret': (o) => new ExternalSecret(o as never).validate(),
};

const argoObjects = (fleet: Fleet): Array<{ path: string; obj: Record<string, unknown> }> =>
  renderFleet(fleet)
    .filter((f) => /^(apps|argocd)\/.*\.yaml$/.test(f.path) && !f.path.endsWith('kustomization.yaml'))
    .map((f) => ({ path: f.path, obj: parse(f.content) as Record<string, unknown> }))
    .filter(({ obj }) => typeof obj.kind === 'string');

describe('Argo CD objects validate against their CRD schemas', async () => {
  const fleet = await loadFleet(DEFAULT_INVENTORY);
  const variants = { default: fleet, progressive: { ...fleet, argocd: { ...fleet.argocd, progressiveSync: true } } };

  it.each(Object.entries(variants))('%s fleet', (_, f) => {
    const objects = argoObjects(f);
    expect(objects.length).toBeGreaterThan(20);
    for (const { path, obj } of objects) {
      const validate = VALIDATORS[`${String(obj.apiVersion)}/${String(obj.kind)}`];
      expect(validate, `${path}: no validator for ${String(obj.apiVersion)} ${String(obj.kind)}`).toBeDefined();
      expect(() => validate!(obj), path).not.toThrow();
    }
  });

  it('the validators catch a broken object (the test can fail)', () => {
    const set = argoObjects(fleet).find((o) => o.obj.kind === 'ApplicationSet')!.obj as { spec: { syncPolicy: Record<string, unknown> } };
    set.spec.syncPolicy.applicationsSync = 'delete-everything';
    expect(() => VALIDATORS['argoproj.io/v1alpha1/ApplicationSet']!(set as never)).toThrow(/applicationsSync/);
  });
});
