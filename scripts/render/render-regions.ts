// Managed regions of hand-written files: the README's fleet drawing follows the inventory.
import type { Component } from '../components/component.ts';
import { fleetMermaid } from '../fleet/fleet-views.ts';
import type { Fleet } from '../model/fleet.ts';
import type { GeneratedFile } from './generated-file.ts';

export const README_FLEET_REGION = 'fleet-diagram';

export const renderRegions = (fleet: Fleet, components: readonly Component[]): GeneratedFile[] => [
  { path: 'README.md', region: README_FLEET_REGION, content: `\`\`\`mermaid\n${fleetMermaid(fleet, components)}\`\`\`\n` },
];
