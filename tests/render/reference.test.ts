// docs/reference/system.md lists every field of the system file, and follows the schema: the leaf paths are found
// here by a walk of our own over the JSON Schema, so a field the renderer skips fails the test.
import { describe, expect, it } from 'vitest';
import { SystemFileSchema } from '../../scripts/inventory/system-schema.ts';
import { renderSystemReference, SYSTEM_REFERENCE_PATH } from '../../scripts/render/render-reference.ts';
import { renderFleet } from '../../scripts/render/render-fleet.ts';
import { loadFleet, SMALL_FLEET_INVENTORY } from '../support/fleet.ts';

type Node = {
  properties?: Record<string, Node>;
  patternProperties?: Record<string, Node>;
  items?: Node;
  description?: string;
};

/** Every leaf path (a value with no fields of its own): `.` between fields, `<…>` for a map key, `[]` for list items. */
const leafPaths = (node: Node, path: string): string[] => {
  if (node.properties !== undefined) {
    return Object.entries(node.properties).flatMap(([key, child]) => leafPaths(child, path === '' ? key : `${path}.${key}`));
  }
  if (node.patternProperties !== undefined) return Object.values(node.patternProperties).flatMap((child) => leafPaths(child, `${path}.<*>`));
  if (node.items !== undefined && (node.items.properties !== undefined || node.items.patternProperties !== undefined)) return leafPaths(node.items, `${path}[]`);
  return [path];
};

/** The path as written in the page, in backticks, whatever word names each map key. */
const pathPattern = (path: string): RegExp =>
  new RegExp(`\`${path.split('<*>').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('<[a-z]+>')}\``);

const json = (): Node => JSON.parse(JSON.stringify(SystemFileSchema)) as Node;
const page = (schema: unknown = SystemFileSchema): string => renderSystemReference(schema as typeof SystemFileSchema)[0]!.content;

describe('system file reference', () => {
  const leaves = leafPaths(json(), '');

  it('finds the leaves of the schema (the walk itself reaches deep fields)', () => {
    expect(leaves).toContain('services.<*>.probes.readiness.http.path');
    expect(leaves).toContain('services.<*>.environments.<*>.autoscaling.scaleUp.policies[].periodSeconds');
    expect(leaves).toContain('services.<*>.triggers[].sqs.auth.secret.property');
    expect(leaves.length).toBeGreaterThan(100);
  });

  it.each(leaves)('lists %s', (path) => {
    expect(page()).toMatch(pathPattern(path));
  });

  it('states whether a field is required, its allowed values and its description', () => {
    const text = page();
    const line = (path: string): string => text.split('\n').find((l) => l.startsWith(`| \`${path}\` |`)) ?? '';
    expect(line('schemaVersion')).toMatch(/\| integer \| required \|/);
    expect(line('services.<name>.preset')).toMatch(/\| optional \| one of `postgres`, `redis`, `nats`, `minio`, `rabbitmq` \|/);
    expect(line('services.<name>.ports[].port')).toMatch(/\| required \| 1024–65535 \| Port the container listens on/);
    expect(line('services.<name>.volumes[].persistent.size')).toContain('a Kubernetes quantity');
    // A pipe inside a pattern is escaped, so the table keeps its columns.
    const budget = line('services.<name>.disruptionBudget.minAvailable');
    expect(budget).toContain('\\|');
    expect(budget.replaceAll('\\|', '').split('|')).toHaveLength(7);
  });

  it('follows a change of a field description', () => {
    const changed = json() as Node & { properties: { services: { patternProperties: Record<string, Node & { properties: Record<string, Node> }> } } };
    const service = Object.values(changed.properties.services.patternProperties)[0]!;
    service.properties.replicas!.description = 'Replica count, changed for this test';
    const before = page();
    const after = page(changed);
    expect(after).not.toBe(before);
    expect(after).toContain('Replica count, changed for this test');
    expect(before).not.toContain('Replica count, changed for this test');
  });

  it('is deterministic and written by the fleet render', async () => {
    expect(page()).toBe(page());
    const files = renderFleet(await loadFleet(SMALL_FLEET_INVENTORY));
    expect(files.find((f) => f.path === SYSTEM_REFERENCE_PATH)?.content).toBe(page());
    expect(files.find((f) => f.path === 'inventory/schema/system.schema.json')?.content).toContain('"title": "System (inventory/systems/<system>.yaml)"');
  });
});
