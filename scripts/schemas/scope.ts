// Which kinds are cluster-scoped. The model packages do not say, so the kinds this fleet (and its add-ons) can
// emit are listed here; every other kind is namespaced and takes the Application's destination namespace.
const CLUSTER_SCOPED: ReadonlySet<string> = new Set([
  'v1/Namespace', 'v1/Node', 'v1/PersistentVolume',
  'rbac.authorization.k8s.io/ClusterRole', 'rbac.authorization.k8s.io/ClusterRoleBinding',
  'apiextensions.k8s.io/CustomResourceDefinition', 'apiregistration.k8s.io/APIService',
  'admissionregistration.k8s.io/MutatingWebhookConfiguration', 'admissionregistration.k8s.io/ValidatingWebhookConfiguration',
  'admissionregistration.k8s.io/ValidatingAdmissionPolicy', 'admissionregistration.k8s.io/ValidatingAdmissionPolicyBinding',
  'admissionregistration.k8s.io/MutatingAdmissionPolicy', 'admissionregistration.k8s.io/MutatingAdmissionPolicyBinding',
  'scheduling.k8s.io/PriorityClass', 'storage.k8s.io/StorageClass', 'storage.k8s.io/CSIDriver', 'storage.k8s.io/CSINode',
  'storage.k8s.io/VolumeAttachment', 'storage.k8s.io/VolumeAttributesClass', 'networking.k8s.io/IngressClass',
  'networking.k8s.io/IPAddress', 'networking.k8s.io/ServiceCIDR', 'node.k8s.io/RuntimeClass',
  'flowcontrol.apiserver.k8s.io/FlowSchema', 'flowcontrol.apiserver.k8s.io/PriorityLevelConfiguration',
  'certificates.k8s.io/CertificateSigningRequest', 'certificates.k8s.io/ClusterTrustBundle',
  'resource.k8s.io/DeviceClass', 'resource.k8s.io/ResourceSlice',
  'cert-manager.io/ClusterIssuer', 'nvidia.com/ClusterPolicy', 'external-secrets.io/ClusterSecretStore', 'external-secrets.io/ClusterExternalSecret',
  'keda.sh/ClusterTriggerAuthentication', 'policy/PodSecurityPolicy', 'extensions/PodSecurityPolicy',
]);

const groupOf = (apiVersion: string): string => {
  const slash = apiVersion.lastIndexOf('/');
  return slash < 0 ? 'v1' : apiVersion.slice(0, slash);
};

export const isClusterScoped = (apiVersion: string, kind: string): boolean => CLUSTER_SCOPED.has(`${groupOf(apiVersion)}/${kind}`);
