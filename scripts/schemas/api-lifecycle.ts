// Which API versions a Kubernetes minor version serves. The model packages carry one schema per apiVersion (from
// Kubernetes 1.34 for kubernetes-models 5.x) but not when each was added or removed; this table holds the
// transitions from the Kubernetes deprecation guide that matter for the versions a fleet may pin.

/** Kubernetes minor version kubernetes-models 5.x is generated from. */
export const MODELS_KUBERNETES_MINOR = 34;

/** First minor that no longer serves a group/version (or a kind of it). */
const REMOVED_IN: Readonly<Record<string, number>> = {
  'extensions/v1beta1': 22,
  'apps/v1beta1': 16,
  'apps/v1beta2': 16,
  'networking.k8s.io/v1beta1': 22,
  'admissionregistration.k8s.io/v1beta1': 22,
  'apiextensions.k8s.io/v1beta1': 22,
  'apiregistration.k8s.io/v1beta1': 22,
  'authentication.k8s.io/v1beta1': 22,
  'authorization.k8s.io/v1beta1': 22,
  'certificates.k8s.io/v1beta1/CertificateSigningRequest': 22,
  'coordination.k8s.io/v1beta1/Lease': 22,
  'rbac.authorization.k8s.io/v1beta1': 22,
  'scheduling.k8s.io/v1beta1': 22,
  'storage.k8s.io/v1beta1/CSIDriver': 22,
  'storage.k8s.io/v1beta1/CSINode': 22,
  'storage.k8s.io/v1beta1/StorageClass': 22,
  'storage.k8s.io/v1beta1/VolumeAttachment': 22,
  'storage.k8s.io/v1beta1/CSIStorageCapacity': 27,
  'batch/v1beta1': 25,
  'discovery.k8s.io/v1beta1': 25,
  'events.k8s.io/v1beta1': 25,
  'policy/v1beta1': 25,
  'node.k8s.io/v1beta1': 25,
  'autoscaling/v2beta1': 25,
  'autoscaling/v2beta2': 26,
  'flowcontrol.apiserver.k8s.io/v1beta1': 26,
  'flowcontrol.apiserver.k8s.io/v1beta2': 29,
  'flowcontrol.apiserver.k8s.io/v1beta3': 32,
};

/** First minor that serves a GA group/version (or kind), for the ones added recently enough to matter. */
const INTRODUCED_IN: Readonly<Record<string, number>> = {
  'autoscaling/v2': 23,
  'batch/v1/CronJob': 21,
  'policy/v1/PodDisruptionBudget': 21,
  'discovery.k8s.io/v1': 21,
  'storage.k8s.io/v1/CSIStorageCapacity': 24,
  'flowcontrol.apiserver.k8s.io/v1': 29,
  'admissionregistration.k8s.io/v1/ValidatingAdmissionPolicy': 30,
  'admissionregistration.k8s.io/v1/ValidatingAdmissionPolicyBinding': 30,
  'networking.k8s.io/v1/IPAddress': 33,
  'networking.k8s.io/v1/ServiceCIDR': 33,
  'resource.k8s.io/v1': 34,
  'storage.k8s.io/v1/VolumeAttributesClass': 34,
};

/** `1.32` → 32; undefined for anything else. */
export const minorOf = (version: string): number | undefined => {
  const m = /^1\.(\d+)$/.exec(version);
  return m === null ? undefined : Number(m[1]);
};

/** Why `apiVersion` `kind` is not served by Kubernetes 1.`minor`, or undefined when it is (or is not known). */
export const notServedReason = (apiVersion: string, kind: string, minor: number): string | undefined => {
  const removed = REMOVED_IN[`${apiVersion}/${kind}`] ?? REMOVED_IN[apiVersion];
  if (removed !== undefined && minor >= removed) return `${apiVersion} ${kind} was removed in Kubernetes 1.${removed}`;
  const introduced = INTRODUCED_IN[`${apiVersion}/${kind}`] ?? INTRODUCED_IN[apiVersion];
  if (introduced !== undefined && minor < introduced) return `${apiVersion} ${kind} is served from Kubernetes 1.${introduced} on`;
  return undefined;
};
