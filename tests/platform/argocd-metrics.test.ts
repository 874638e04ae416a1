// Argo CD on the hub exposes metrics with ServiceMonitors for the monitoring stack's Argo CD alerts
// (`argocd_app_info` from the application controller), identically in the bootstrap values and the
// self-managed Application, and its project allows the ServiceMonitor kind.
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { renderFleet } from '../../scripts/render/render-fleet.ts';
import { DEFAULT_INVENTORY, loadFleet } from '../support/fleet.ts';

describe('Argo CD metrics on the hub', async () => {
  const files = new Map(renderFleet(await loadFleet(DEFAULT_INVENTORY)).map((f) => [f.path, f.content]));
  const app = parse(files.get('argocd/argocd-application.yaml')!) as { spec: { source: { helm: { valuesObject: Record<string, unknown> } } } };
  const bootstrap = parse(files.get('argocd/bootstrap/argocd-values.yaml')!) as Record<string, unknown>;

  it.each(['controller', 'server', 'repoServer', 'applicationSet'])('enables %s metrics and its ServiceMonitor', (part) => {
    expect(app.spec.source.helm.valuesObject[part]).toMatchObject({ metrics: { enabled: true, serviceMonitor: { enabled: true } } });
    expect(bootstrap[part]).toEqual(app.spec.source.helm.valuesObject[part]);
  });

  it('allows ServiceMonitors in the argocd project', () => {
    const project = parse(files.get('argocd/projects/argocd-appproject.yaml')!) as { spec: { namespaceResourceWhitelist: Array<{ group: string; kind: string }> } };
    expect(project.spec.namespaceResourceWhitelist).toContainEqual({ group: 'monitoring.coreos.com', kind: 'ServiceMonitor' });
  });
});
