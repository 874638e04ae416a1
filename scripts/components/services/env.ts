// Environment variables of a service's main container. Literals stay literals; secret references become
// `secretKeyRef`s into one Secret per service that an ExternalSecret materialises from the platform store (never a
// value in Git); `fromService` becomes the other service's in-cluster address, with the port its *Service* listens
// on (servicePort when declared), so `{host}:{port}` connects where the old generic app's port 80 did not.
import type { IEnvVar } from 'kubernetes-models/v1/EnvVar';
import type { EnvVar } from '../../inventory/system-schema.ts';
import type { K8sObject } from '../component.ts';
import { externalSecret, type SecretKeyRef } from '../secrets.ts';
import { portNamed, serviceHost, serviceOf, servicePortNumber, type SystemView } from './system-view.ts';
import type { ServiceInput } from './types.ts';

/** The ExternalSecret (and the Secret it writes) holding every secret env value of a service. */
export const envSecretName = (service: string): string => `${service}-env`;

/** Default `fromService.format`. */
const DEFAULT_FORMAT = '{host}:{port}';

/** The value of a `fromService` variable: the format with `{host}` and `{port}` replaced. */
export const serviceAddress = (view: SystemView, from: NonNullable<EnvVar['fromService']>): string => {
  const target = serviceOf(view, from.service);
  const port = portNamed(target.spec, from.port);
  if (port === undefined) {
    throw new Error(`${view.system.file}: env fromService: service "${from.service}" has no port named "${from.port}"`);
  }
  return (from.format ?? DEFAULT_FORMAT)
    .replaceAll('{host}', serviceHost(from.service, view.namespace))
    .replaceAll('{port}', String(servicePortNumber(port)));
};

/** The store values a service's env reads, keyed in its Secret by the variable's name. */
export const envSecretData = (input: ServiceInput): SecretKeyRef[] =>
  (input.spec.env ?? []).flatMap((e) =>
    e.secret ? [{ secretKey: e.name, remoteKey: e.secret.key, ...(e.secret.property !== undefined ? { property: e.secret.property } : {}) }] : [],
  );

/** The container's env, in spec order. */
export const containerEnv = (view: SystemView, input: ServiceInput): IEnvVar[] =>
  (input.spec.env ?? []).map((e): IEnvVar => {
    if (e.value !== undefined) return { name: e.name, value: e.value };
    if (e.secret) return { name: e.name, valueFrom: { secretKeyRef: { name: envSecretName(input.name), key: e.name } } };
    if (e.fromService) return { name: e.name, value: serviceAddress(view, e.fromService) };
    throw new Error(`${view.system.file}: services.${input.name}.env.${e.name}: expected one of value, secret or fromService`);
  });

/** The ExternalSecret behind the secret env values, when there are any. */
export const envSecretObjects = (view: SystemView, input: ServiceInput): K8sObject[] => {
  const data = envSecretData(input);
  return data.length === 0 ? [] : [externalSecret({ name: envSecretName(input.name), namespace: view.namespace, stack: view.system.name, app: input.name, data })];
};
