// `pnpm new service <system>/<name>`: add a service to `inventory/systems/<system>.yaml` (created when absent), from a
// preset or as a plain HTTP service, as a comment-preserving edit. Pure: the current inventory and file text in, the
// new text and what the user still has to do out. The CLI (scripts/cli/new.ts) reads, prints and writes.
import { Ajv, type ValidateFunction } from 'ajv';
import { DNS1035_LABEL, STACKS } from '../inventory/schema.ts';
import { SCHEMA_VERSION } from '../inventory/schema-version.ts';
import { PRESET_IMAGES } from '../inventory/preset-images.ts';
import { PRESETS, ServiceSchema, type PresetName, type ServiceSpec } from '../inventory/system-schema.ts';
import { serviceImages } from '../inventory/preset-images.ts';
import { INVENTORY_DIR, SCHEMA_DIR, SYSTEMS_DIR } from '../lib/layout.ts';
import type { Fleet } from '../model/fleet.ts';
import { insertMapEntry } from './yaml-insert.ts';

export const SERVICE_USAGE = `pnpm new service <system>/<name> [--preset ${PRESETS.join('|')}] [--image IMAGE] [--port PORT]
                       [--public HOST] [--description TEXT] [--dry-run] [--root DIR]`;

export const SERVICE_HELP = `usage: ${SERVICE_USAGE}
Adds a service to ${INVENTORY_DIR}/${SYSTEMS_DIR}/<system>.yaml, creating the file when the system is new.
  --preset P        a backing service (${PRESETS.join(', ')}): StatefulSet, probes, volume, exporter;
                    its credentials are read from the secret store under <system>/<name>
  --image IMAGE     a key of fleet.yaml images (required without --preset; a preset's default is its own image)
  --port PORT       the HTTP port of a plain service (default ${8080}; not with --preset)
  --public HOST     a public HTTPS route, e.g. "api.{domain}" (not with --preset)
  --description T   the system's description, when the file is created (default "Services of <system>")
  --dry-run         print the plan, write nothing
Then run \`pnpm gen\`. Every field: docs/reference/system.md; how-to: docs/services.md.`;

/** The port a plain service listens on when --port is not given: unprivileged (Pod Security restricted). */
export const DEFAULT_PORT = 8080;

/** The first lines of a new system file: editor completion and checks from the published schema. */
export const SYSTEM_MODELINE = `# yaml-language-server: $schema=../${SCHEMA_DIR}/system.schema.json`;

export interface NewService {
  /** `<system>/<name>` as typed. */
  readonly spec: string;
  readonly preset?: string | undefined;
  readonly image?: string | undefined;
  readonly port?: string | undefined;
  readonly public?: string | undefined;
  readonly description?: string | undefined;
}

export interface ServiceScaffoldInput {
  /** The inventory as loaded now (it loads without issues). */
  readonly fleet: Fleet;
  /** Names of the built-in components (the catalog), which a service may not take. */
  readonly builtIn: readonly string[];
  /** The system file's current text, or undefined when the system is new. */
  readonly systemText: string | undefined;
  /** Properties a preset reads from its credentials key in the secret store (from the preset modules). */
  readonly secretProperties: (preset: PresetName) => readonly string[];
}

export interface ServicePlan {
  readonly system: string;
  readonly name: string;
  /** Inventory-relative path of the system file: `systems/<system>.yaml`. */
  readonly file: string;
  readonly created: boolean;
  /** The system file's new text. */
  readonly text: string;
  /** The service's spec as written. */
  readonly service: ServiceSpec;
  /** The secret-store key and the properties the user must create under it (presets with credentials). */
  readonly secret?: { readonly key: string; readonly properties: readonly string[] };
  /** Fleet image names the service runs that fleet.yaml does not declare yet. */
  readonly undeclaredImages: readonly string[];
  /** Declared images the service runs, with the environments that do not pin them yet. */
  readonly unpinned: ReadonlyArray<{ readonly image: string; readonly environments: readonly string[] }>;
}

const LABEL = new RegExp(DNS1035_LABEL);
const LABEL_WORDS = "a DNS-1035 label (lowercase letters, digits and '-', a letter first, at most 63 characters)";

/** Who already has a name: built-in components, fleet.yaml apps, the services of every system. */
const nameOwner = (input: ServiceScaffoldInput, name: string): string | undefined => {
  if (input.builtIn.includes(name)) return 'a built-in component';
  if (input.fleet.apps?.[name] !== undefined) return 'an app of fleet.yaml';
  const system = input.fleet.systems.find((s) => s.services[name] !== undefined);
  return system !== undefined ? `a service of ${system.file}` : undefined;
};

const plainService = (req: NewService, name: string): ServiceSpec | { error: string } => {
  if (req.image === undefined) return { error: `a service without --preset needs --image (a key of fleet.yaml images) for "${name}"` };
  const port = req.port === undefined ? DEFAULT_PORT : Number(req.port);
  if (!Number.isInteger(port) || port < 1024 || port > 65535) {
    return { error: `--port: expected an unprivileged port 1024–65535 (Pod Security restricted drops NET_BIND_SERVICE), found "${req.port}"` };
  }
  return {
    image: req.image,
    ports: [{ name: 'http', port }],
    probes: {
      readiness: { http: { path: '/health/ready', port: 'http' } },
      liveness: { http: { path: '/health', port: 'http' } },
    },
    replicas: 2,
    ...(req.public !== undefined ? { expose: { public: { host: req.public } } } : {}),
  };
};

const presetService = (req: NewService, system: string, name: string, input: ServiceScaffoldInput): ServiceSpec | { error: string } => {
  const preset = req.preset as PresetName;
  if (req.port !== undefined) return { error: `--port: the ${preset} preset brings its own ports; leave --port out` };
  if (req.public !== undefined) return { error: `--public: a ${preset} preset service is internal; other services reach it through dependsOn` };
  const properties = input.secretProperties(preset);
  return {
    preset,
    ...(req.image !== undefined ? { image: req.image } : {}),
    ...(properties.length > 0 ? { credentials: { key: `${system}/${name}` } } : {}),
  };
};

/** ajv, as the loader validates (TypeBox's own checker does not know the schema's Unsafe enums); compiled on first use. */
let validateService: ValidateFunction | undefined;

/** The first schema error of a spec, as `field: message` (the loader repeats it with file and line on `pnpm gen`). */
const specError = (spec: ServiceSpec, name: string): string | undefined => {
  validateService ??= new Ajv({ strict: false }).compile(ServiceSchema);
  if (validateService(spec)) return undefined;
  const first = validateService.errors![0]!;
  const field = first.instancePath.split('/').filter(Boolean).join('.');
  return `services.${name}${field === '' ? '' : `.${field}`}: ${first.message ?? 'invalid'}`;
};

/** A new system file: the modeline, the version, a true description and the one service. */
const newSystemText = (description: string, name: string, service: ServiceSpec): string =>
  insertMapEntry(
    [
      SYSTEM_MODELINE,
      '# Every field: docs/reference/system.md. How-to: docs/services.md.',
      `schemaVersion: ${SCHEMA_VERSION}`,
      `description: ${JSON.stringify(description)}`,
      '',
    ].join('\n'),
    ['services'],
    name,
    service,
  );

export const planService = (input: ServiceScaffoldInput, req: NewService): ServicePlan | { error: string } => {
  const [system, name, ...rest] = req.spec.split('/');
  if (system === undefined || name === undefined || rest.length > 0 || system === '' || name === '') {
    return { error: `expected <system>/<name>, found "${req.spec}"` };
  }
  if (!LABEL.test(system)) return { error: `system "${system}": expected ${LABEL_WORDS}` };
  if (!LABEL.test(name)) return { error: `service "${name}": expected ${LABEL_WORDS}` };
  if ((STACKS as readonly string[]).includes(system)) return { error: `system "${system}" is a built-in stack; choose another system name` };
  if (req.preset !== undefined && !(PRESETS as readonly string[]).includes(req.preset)) {
    return { error: `--preset: expected one of ${PRESETS.join(', ')}, found "${req.preset}"` };
  }
  const owner = nameOwner(input, name);
  if (owner !== undefined) return { error: `"${name}" is already ${owner}; service names are unique across the fleet (e.g. "${system}-${name}")` };
  const created = input.systemText === undefined;
  if (!created && req.description !== undefined) {
    return { error: `--description: system "${system}" exists; its description is in its file` };
  }
  if (req.description !== undefined && req.description.trim() === '') return { error: '--description: expected some text' };

  const service = req.preset !== undefined ? presetService(req, system, name, input) : plainService(req, name);
  if ('error' in service) return service;
  const invalid = specError(service, name);
  if (invalid !== undefined) return { error: invalid };

  const text = created
    ? newSystemText(req.description ?? `Services of ${system}`, name, service)
    : insertMapEntry(input.systemText!, ['services'], name, service);
  const images = serviceImages(service);
  const declared = images.filter((i) => Object.hasOwn(input.fleet.images, i));
  const properties = service.preset !== undefined ? input.secretProperties(service.preset) : [];
  return {
    system,
    name,
    file: `${SYSTEMS_DIR}/${system}.yaml`,
    created,
    text,
    service,
    ...(service.credentials !== undefined ? { secret: { key: service.credentials.key, properties } } : {}),
    undeclaredImages: images.filter((i) => !declared.includes(i)),
    unpinned: declared
      .map((image) => ({ image, environments: input.fleet.environments.filter((e) => e.versions[image] === undefined).map((e) => e.name) }))
      .filter((u) => u.environments.length > 0),
  };
};

/** What `pnpm new service` prints: the plan, what the user must still do, and the next command. */
export const describePlan = (plan: ServicePlan, dryRun: boolean): string => {
  const path = `${INVENTORY_DIR}/${plan.file}`;
  const what = plan.service.preset !== undefined ? `${plan.service.preset} preset` : `image "${plan.service.image}"`;
  const lines = [
    `${dryRun ? 'would add' : 'adding'} service "${plan.name}" (${what}) to system "${plan.system}"`,
    `  ${plan.created ? 'create' : 'edit'} ${path}: services.${plan.name}`,
  ];
  if (plan.service.preset !== undefined && PRESET_IMAGES[plan.service.preset].sidecars.length > 0) {
    lines.push(`  the preset runs ${serviceImages(plan.service).join(', ')}`);
  }
  const todo: string[] = [];
  if (plan.secret !== undefined) {
    todo.push(`create secret-store key "${plan.secret.key}" with properties ${plan.secret.properties.join(', ')} (the ${plan.service.preset} preset reads them)`);
  }
  for (const image of plan.undeclaredImages) {
    todo.push(`declare image "${image}" under images in ${INVENTORY_DIR}/fleet.yaml and pin it under versions in every environment file`);
  }
  for (const u of plan.unpinned) todo.push(`pin image "${u.image}" under versions in ${u.environments.map((e) => `${INVENTORY_DIR}/environments/${e}.yaml`).join(', ')}`);
  if (todo.length > 0) lines.push('to do:', ...todo.map((t) => `  - ${t}`));
  lines.push(dryRun ? 'dry run: nothing was written' : `then run \`pnpm gen\` (it validates the system and writes its stack)`);
  return `${lines.join('\n')}\n`;
};
