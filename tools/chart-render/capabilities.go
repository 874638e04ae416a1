package main

// .Capabilities as `helm template` builds it (Helm v3.19.4, the Helm that Argo CD v3.4.4 runs:
// argoproj/argo-cd@v3.4.4:hack/tool-versions.sh). In client-only mode Helm starts from
// chartutil.DefaultCapabilities and appends the --api-versions list (helm/helm@v3.19.4:pkg/action/install.go),
// so every group/version that Helm's client-go scheme knows answers Has() with true whatever the cluster serves.

import (
	"fmt"
	"regexp"
	"strconv"
)

// defaultVersionSet is chartutil.DefaultVersionSet of Helm v3.19.4: the group/versions registered in
// k8s.io/client-go v0.34.2 kubernetes/scheme/register.go (Helm's go.mod pins client-go v0.34.2) plus
// apiextensions.k8s.io v1 and v1beta1 (helm/helm@v3.19.4:pkg/chartutil/capabilities.go allKnownVersions).
// Only group/version strings: the scheme never lists kinds, so "group/version/Kind" queries need --api-versions.
var defaultVersionSet = []string{
	"admissionregistration.k8s.io/v1", "admissionregistration.k8s.io/v1alpha1", "admissionregistration.k8s.io/v1beta1",
	"internal.apiserver.k8s.io/v1alpha1",
	"apps/v1", "apps/v1beta1", "apps/v1beta2",
	"authentication.k8s.io/v1", "authentication.k8s.io/v1alpha1", "authentication.k8s.io/v1beta1",
	"authorization.k8s.io/v1", "authorization.k8s.io/v1beta1",
	"autoscaling/v1", "autoscaling/v2", "autoscaling/v2beta1", "autoscaling/v2beta2",
	"batch/v1", "batch/v1beta1",
	"certificates.k8s.io/v1", "certificates.k8s.io/v1beta1", "certificates.k8s.io/v1alpha1",
	"coordination.k8s.io/v1alpha2", "coordination.k8s.io/v1beta1", "coordination.k8s.io/v1",
	"v1",
	"discovery.k8s.io/v1", "discovery.k8s.io/v1beta1",
	"events.k8s.io/v1", "events.k8s.io/v1beta1",
	"extensions/v1beta1",
	"flowcontrol.apiserver.k8s.io/v1", "flowcontrol.apiserver.k8s.io/v1beta1", "flowcontrol.apiserver.k8s.io/v1beta2", "flowcontrol.apiserver.k8s.io/v1beta3",
	"networking.k8s.io/v1", "networking.k8s.io/v1beta1",
	"node.k8s.io/v1", "node.k8s.io/v1alpha1", "node.k8s.io/v1beta1",
	"policy/v1", "policy/v1beta1",
	"rbac.authorization.k8s.io/v1", "rbac.authorization.k8s.io/v1beta1", "rbac.authorization.k8s.io/v1alpha1",
	"resource.k8s.io/v1", "resource.k8s.io/v1beta2", "resource.k8s.io/v1beta1", "resource.k8s.io/v1alpha3",
	"scheduling.k8s.io/v1alpha1", "scheduling.k8s.io/v1beta1", "scheduling.k8s.io/v1",
	"storage.k8s.io/v1beta1", "storage.k8s.io/v1", "storage.k8s.io/v1alpha1",
	"storagemigration.k8s.io/v1alpha1",
	"apiextensions.k8s.io/v1beta1", "apiextensions.k8s.io/v1",
}

// helmVersion is what .Capabilities.HelmVersion reports: the Helm release whose behaviour this tool follows.
const helmVersion = "v3.19.4"

// KubeVersion mirrors chartutil.KubeVersion; GitVersion is a method there, kept for charts that still call it.
type KubeVersion struct {
	Version string
	Major   string
	Minor   string
}

func (kv *KubeVersion) String() string     { return kv.Version }
func (kv *KubeVersion) GitVersion() string { return kv.Version }

// HelmBuildInfo mirrors Helm's version.BuildInfo (only the version is meaningful here).
type HelmBuildInfo struct {
	Version      string `json:"version,omitempty"`
	GitCommit    string `json:"git_commit,omitempty"`
	GitTreeState string `json:"git_tree_state,omitempty"`
	GoVersion    string `json:"go_version,omitempty"`
}

// CapabilityQuery is one .Capabilities.APIVersions.Has call: which API, its answer, in which template.
type CapabilityQuery struct {
	API      string `json:"api"`
	Result   bool   `json:"result"`
	Template string `json:"template"`
}

// queryLog collects Has() calls; the engine sets current to the file being executed.
type queryLog struct {
	current string
	seen    map[string]bool
	queries []CapabilityQuery
}

func (l *queryLog) record(api string, result bool) {
	if l == nil {
		return
	}
	key := l.current + "\x00" + api
	if l.seen[key] {
		return
	}
	l.seen[key] = true
	l.queries = append(l.queries, CapabilityQuery{API: api, Result: result, Template: l.current})
}

// VersionSet mirrors chartutil.VersionSet, recording each Has() for the caller.
type VersionSet struct {
	list []string
	log  *queryLog
}

func (v VersionSet) Has(apiVersion string) bool {
	found := false
	for _, x := range v.list {
		if x == apiVersion {
			found = true
			break
		}
	}
	v.log.record(apiVersion, found)
	return found
}

// Capabilities mirrors chartutil.Capabilities.
type Capabilities struct {
	KubeVersion KubeVersion
	APIVersions VersionSet
	HelmVersion HelmBuildInfo
}

// genericVersion follows k8s.io/apimachinery util/version ParseGeneric: "1.32", "v1.32.0", "1.32.3-eks-1" →
// major, minor, patch (the pre-release and build parts are dropped, as Argo CD's parseKubeVersion does).
var genericVersion = regexp.MustCompile(`^v?([0-9]+)\.([0-9]+)(?:\.([0-9]+))?`)

func parseKubeVersion(s string) (KubeVersion, error) {
	m := genericVersion.FindStringSubmatch(s)
	if m == nil {
		return KubeVersion{}, fmt.Errorf("could not parse %q as a Kubernetes version", s)
	}
	major, _ := strconv.ParseUint(m[1], 10, 64)
	minor, _ := strconv.ParseUint(m[2], 10, 64)
	var patch uint64
	if m[3] != "" {
		patch, _ = strconv.ParseUint(m[3], 10, 64)
	}
	return KubeVersion{
		Version: fmt.Sprintf("v%d.%d.%d", major, minor, patch),
		Major:   strconv.FormatUint(major, 10),
		Minor:   strconv.FormatUint(minor, 10),
	}, nil
}

func newCapabilities(kube KubeVersion, extra []string, log *queryLog) *Capabilities {
	list := append(append([]string{}, defaultVersionSet...), extra...)
	return &Capabilities{
		KubeVersion: kube,
		APIVersions: VersionSet{list: list, log: log},
		HelmVersion: HelmBuildInfo{Version: helmVersion},
	}
}
