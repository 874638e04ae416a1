// inventory folder → validated model → files. The only IO here is reading the inventory text.
import { COMPONENTS, catalogEntries, componentsFor } from '../components/catalog.ts';
import type { Component } from '../components/component.ts';
import { parseInventory } from '../inventory/parse-inventory.ts';
import { readInventorySources } from '../inventory/read-inventory.ts';
import type { Fleet } from '../model/fleet.ts';
import type { GeneratedFile } from '../render/generated-file.ts';
import { renderFleet } from '../render/render-fleet.ts';

export interface Generated {
  readonly fleet: Fleet;
  readonly files: readonly GeneratedFile[];
}

/**
 * Throws InventoryError (all problems at once) or PathConflictError; never writes. `components` are the
 * built-in ones; apps the inventory declares are added to them.
 */
export const generate = async (inventoryDir: string, components: readonly Component[] = COMPONENTS): Promise<Generated> => {
  const fleet = parseInventory(await readInventorySources(inventoryDir), catalogEntries(components));
  const all = [...components, ...componentsFor(fleet).filter((c) => !COMPONENTS.includes(c))];
  return { fleet, files: renderFleet(fleet, all) };
};
