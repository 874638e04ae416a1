package main

// From rendered files to objects, as helm/helm@v3.19.4:pkg/releaseutil (manifest.go SplitManifests,
// manifest_sorter.go sort) and pkg/action/action.go renderResources do it: partials and blank files skipped,
// NOTES.txt dropped, each file split on `---`, a document with a `helm.sh/hook` annotation is a hook (and is
// dropped when any of its events is unknown, e.g. Helm 2's crd-install), crds/ files are printed first when
// --include-crds is set.

import (
	"fmt"
	"path"
	"regexp"
	"sort"
	"strings"

	"sigs.k8s.io/yaml"
)

var docSep = regexp.MustCompile("(?:^|\\s*\n)---\\s*")

func splitManifests(big string) []string {
	var out []string
	for _, d := range docSep.Split(strings.TrimSpace(big), -1) {
		if d == "" {
			continue
		}
		out = append(out, strings.TrimSpace(d))
	}
	return out
}

var hookEvents = map[string]bool{
	"pre-install": true, "post-install": true, "pre-delete": true, "post-delete": true,
	"pre-upgrade": true, "post-upgrade": true, "pre-rollback": true, "post-rollback": true,
	"test": true, "test-success": true,
}

// Object is one rendered Kubernetes object, as listed in the output.
type Object struct {
	APIVersion string `json:"apiVersion"`
	Kind       string `json:"kind"`
	Group      string `json:"group"`
	Version    string `json:"version"`
	Name       string `json:"name"`
	// Namespace is the object's own, or the release namespace for a namespaced kind; "" when cluster-scoped.
	Namespace string `json:"namespace"`
	// Scope is Namespaced, Cluster, or Unknown (a kind neither built in nor defined by a CRD this render saw).
	Scope  string `json:"scope"`
	Source string `json:"source"`
	// FromCRDsDir marks the crds/ files that --include-crds prints before the templates.
	FromCRDsDir      bool     `json:"fromCrdsDir,omitempty"`
	HelmHook         []string `json:"helmHook,omitempty"`
	HelmHookWeight   string   `json:"helmHookWeight,omitempty"`
	HelmDeletePolicy string   `json:"helmHookDeletePolicy,omitempty"`
	ArgoHook         string   `json:"argocdHook,omitempty"`
	ArgoDeletePolicy string   `json:"argocdHookDeletePolicy,omitempty"`
	SyncWave         string   `json:"syncWave,omitempty"`
	SyncOptions      string   `json:"syncOptions,omitempty"`
	ResourcePolicy   string   `json:"resourcePolicy,omitempty"`
	// Manifest is the whole parsed document, with --with-manifests only.
	Manifest map[string]interface{} `json:"manifest,omitempty"`
	body     map[string]interface{}
}

// CRD is a CustomResourceDefinition the render installs.
type CRD struct {
	Name           string   `json:"name"`
	Group          string   `json:"group"`
	Kind           string   `json:"kind"`
	Plural         string   `json:"plural"`
	Scope          string   `json:"scope"`
	ServedVersions []string `json:"servedVersions"`
	StorageVersion string   `json:"storageVersion,omitempty"`
	Source         string   `json:"source"`
	FromCRDsDir    bool     `json:"fromCrdsDir,omitempty"`
}

func groupVersion(apiVersion string) (string, string) {
	if i := strings.LastIndex(apiVersion, "/"); i >= 0 {
		return apiVersion[:i], apiVersion[i+1:]
	}
	return "", apiVersion
}

func stringIn(m map[string]interface{}, keys ...string) string {
	var cur interface{} = m
	for _, k := range keys {
		mm, ok := cur.(map[string]interface{})
		if !ok {
			return ""
		}
		cur = mm[k]
	}
	switch v := cur.(type) {
	case string:
		return v
	case nil:
		return ""
	default:
		return fmt.Sprint(v)
	}
}

func annotationsOf(m map[string]interface{}) map[string]string {
	out := map[string]string{}
	meta, _ := m["metadata"].(map[string]interface{})
	ann, _ := meta["annotations"].(map[string]interface{})
	for k, v := range ann {
		if s, ok := v.(string); ok {
			out[k] = s
		} else if v != nil {
			out[k] = fmt.Sprint(v)
		}
	}
	return out
}

// parseDoc reads one document; a document that is not a map with apiVersion and kind is reported as an error,
// since kubectl (and Argo CD) would refuse it too.
func parseDoc(source, doc string, fromCRDsDir bool) (*Object, error) {
	var body map[string]interface{}
	if err := yaml.Unmarshal([]byte(doc), &body); err != nil {
		return nil, fmt.Errorf("YAML parse error on %s: %w", source, err)
	}
	if body == nil {
		return nil, nil
	}
	o := &Object{APIVersion: stringIn(body, "apiVersion"), Kind: stringIn(body, "kind"), Source: source, FromCRDsDir: fromCRDsDir, body: body}
	if o.APIVersion == "" || o.Kind == "" {
		return nil, fmt.Errorf("%s: a document without apiVersion/kind:\n%s", source, doc)
	}
	o.Group, o.Version = groupVersion(o.APIVersion)
	o.Name = stringIn(body, "metadata", "name")
	if o.Name == "" {
		o.Name = stringIn(body, "metadata", "generateName")
	}
	o.Namespace = stringIn(body, "metadata", "namespace")
	ann := annotationsOf(body)
	if h, ok := ann["helm.sh/hook"]; ok {
		for _, e := range strings.Split(h, ",") {
			o.HelmHook = append(o.HelmHook, strings.ToLower(strings.TrimSpace(e)))
		}
	}
	o.HelmHookWeight = ann["helm.sh/hook-weight"]
	o.HelmDeletePolicy = ann["helm.sh/hook-delete-policy"]
	o.ArgoHook = ann["argocd.argoproj.io/hook"]
	o.ArgoDeletePolicy = ann["argocd.argoproj.io/hook-delete-policy"]
	o.SyncWave = ann["argocd.argoproj.io/sync-wave"]
	o.SyncOptions = ann["argocd.argoproj.io/sync-options"]
	o.ResourcePolicy = ann["helm.sh/resource-policy"]
	return o, nil
}

// unknownHook is a hook Helm drops from the release (any event it does not know).
func (o *Object) unknownHook() bool {
	for _, e := range o.HelmHook {
		if !hookEvents[e] {
			return true
		}
	}
	return false
}

func crdOf(o *Object) (*CRD, error) {
	spec, _ := o.body["spec"].(map[string]interface{})
	if spec == nil {
		return nil, fmt.Errorf("%s: CustomResourceDefinition %s has no spec", o.Source, o.Name)
	}
	c := &CRD{
		Name:        o.Name,
		Group:       stringIn(spec, "group"),
		Kind:        stringIn(spec, "names", "kind"),
		Plural:      stringIn(spec, "names", "plural"),
		Scope:       stringIn(spec, "scope"),
		Source:      o.Source,
		FromCRDsDir: o.FromCRDsDir,
	}
	if c.Scope == "" {
		c.Scope = "Namespaced"
	}
	if versions, ok := spec["versions"].([]interface{}); ok && len(versions) > 0 {
		for _, v := range versions {
			vm, _ := v.(map[string]interface{})
			name := stringIn(vm, "name")
			served, _ := vm["served"].(bool)
			if served {
				c.ServedVersions = append(c.ServedVersions, name)
			}
			if storage, _ := vm["storage"].(bool); storage {
				c.StorageVersion = name
			}
		}
	} else if v := stringIn(spec, "version"); v != "" {
		// apiextensions.k8s.io/v1beta1 single-version form.
		c.ServedVersions = []string{v}
		c.StorageVersion = v
	}
	sort.Strings(c.ServedVersions)
	if c.ServedVersions == nil {
		c.ServedVersions = []string{}
	}
	return c, nil
}

// builtinClusterScoped lists the cluster-scoped kinds of the Kubernetes API (group/Kind); every other kind of a
// built-in group is namespaced.
var builtinClusterScoped = map[string]bool{
	"/Namespace": true, "/Node": true, "/PersistentVolume": true, "/ComponentStatus": true,
	"rbac.authorization.k8s.io/ClusterRole": true, "rbac.authorization.k8s.io/ClusterRoleBinding": true,
	"apiextensions.k8s.io/CustomResourceDefinition": true, "apiregistration.k8s.io/APIService": true,
	"admissionregistration.k8s.io/MutatingWebhookConfiguration":     true,
	"admissionregistration.k8s.io/ValidatingWebhookConfiguration":   true,
	"admissionregistration.k8s.io/ValidatingAdmissionPolicy":        true,
	"admissionregistration.k8s.io/ValidatingAdmissionPolicyBinding": true,
	"admissionregistration.k8s.io/MutatingAdmissionPolicy":          true,
	"admissionregistration.k8s.io/MutatingAdmissionPolicyBinding":   true,
	"scheduling.k8s.io/PriorityClass":                               true,
	"storage.k8s.io/StorageClass":                                   true, "storage.k8s.io/CSIDriver": true, "storage.k8s.io/CSINode": true,
	"storage.k8s.io/VolumeAttachment": true, "storage.k8s.io/VolumeAttributesClass": true,
	"networking.k8s.io/IngressClass": true, "networking.k8s.io/IPAddress": true, "networking.k8s.io/ServiceCIDR": true,
	"node.k8s.io/RuntimeClass":                                true,
	"flowcontrol.apiserver.k8s.io/FlowSchema":                 true,
	"flowcontrol.apiserver.k8s.io/PriorityLevelConfiguration": true,
	"certificates.k8s.io/CertificateSigningRequest":           true,
	"certificates.k8s.io/ClusterTrustBundle":                  true,
	"resource.k8s.io/DeviceClass":                             true, "resource.k8s.io/ResourceSlice": true,
	"policy/PodSecurityPolicy": true, "extensions/PodSecurityPolicy": true,
	"internal.apiserver.k8s.io/StorageVersion":        true,
	"storagemigration.k8s.io/StorageVersionMigration": true,
	"authentication.k8s.io/TokenReview":               true, "authentication.k8s.io/SelfSubjectReview": true,
	"authorization.k8s.io/SubjectAccessReview": true, "authorization.k8s.io/SelfSubjectAccessReview": true,
	"authorization.k8s.io/SelfSubjectRulesReview": true,
}

// builtinGroups are the groups served by the API server itself (the default version set plus apiregistration).
func builtinGroups() map[string]bool {
	g := map[string]bool{"apiregistration.k8s.io": true}
	for _, gv := range defaultVersionSet {
		group, _ := groupVersion(gv)
		g[group] = true
	}
	return g
}

// objectsOf turns the rendered files into objects and CRDs, in Helm's order of appearance.
func objectsOf(rendered map[string]string, crdFiles []CRDFile, releaseNS string, extraCluster map[string]bool, includeCRDs bool) ([]*Object, []*CRD, error) {
	var objects []*Object
	if includeCRDs {
		for _, f := range crdFiles {
			for _, doc := range splitManifests(string(f.Data)) {
				o, err := parseDoc(f.Filename, doc, true)
				if err != nil {
					return nil, nil, err
				}
				if o != nil {
					objects = append(objects, o)
				}
			}
		}
	}
	names := make([]string, 0, len(rendered))
	for n := range rendered {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, name := range names {
		content := rendered[name]
		if strings.HasPrefix(path.Base(name), "_") || strings.HasSuffix(name, "NOTES.txt") || strings.TrimSpace(content) == "" {
			continue
		}
		for _, doc := range splitManifests(content) {
			o, err := parseDoc(name, doc, false)
			if err != nil {
				return nil, nil, err
			}
			if o == nil {
				continue
			}
			if len(o.HelmHook) > 0 && o.unknownHook() {
				warnf("skipping unknown hook %q of %s %s in %s", strings.Join(o.HelmHook, ","), o.Kind, o.Name, name)
				continue
			}
			objects = append(objects, o)
		}
	}
	var crds []*CRD
	scopes := map[string]string{}
	for _, o := range objects {
		if o.Group == "apiextensions.k8s.io" && o.Kind == "CustomResourceDefinition" {
			c, err := crdOf(o)
			if err != nil {
				return nil, nil, err
			}
			crds = append(crds, c)
			scopes[c.Group+"/"+c.Kind] = c.Scope
		}
	}
	groups := builtinGroups()
	for _, o := range objects {
		key := o.Group + "/" + o.Kind
		switch {
		case builtinClusterScoped[key] || extraCluster[key]:
			o.Scope = "Cluster"
		case scopes[key] != "":
			o.Scope = scopes[key]
		case groups[o.Group]:
			o.Scope = "Namespaced"
		default:
			o.Scope = "Unknown"
		}
		if o.Scope == "Cluster" {
			o.Namespace = ""
		} else if o.Namespace == "" {
			o.Namespace = releaseNS
		}
	}
	return objects, crds, nil
}
