// A system's services as Components: each completed by its preset (if any), then compiled (service-component.ts).
import type { System } from '../../model/fleet.ts';
import type { Component } from '../component.ts';
import { serviceComponent } from './service-component.ts';
import { systemView } from './system-view.ts';

/** One component per service of the system, in name order; name = service, stack = namespace = system. */
export const systemComponents = (system: System): Component[] => {
  const view = systemView(system);
  return [...view.services.keys()].map((name) => serviceComponent(view, name));
};
