// chart-render lists what `helm template --include-crds` (Helm v3.19.4, as Argo CD v3.4.4 runs it) renders for a
// chart folder: every object with its source template, hook and sync annotations, the CRDs it installs, and the
// .Capabilities.APIVersions.Has queries the templates made. It is our own reimplementation of the parts of Helm
// that decide WHICH objects come out (values, dependencies, template engine, manifest splitting); it never talks
// to a cluster.
//
//	chart-render --chart DIR --name RELEASE --namespace NS [--values FILE]... \
//	  --kube-version 1.32.0 [--api-versions GROUP/VERSION[/Kind]]... [--cluster-scoped GROUP/Kind]... [--with-manifests]
//
// Output: one JSON document on stdout. Exit status 1 with the error on stderr when the chart does not render.
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"
)

type multiFlag []string

func (m *multiFlag) String() string { return strings.Join(*m, ",") }
func (m *multiFlag) Set(v string) error {
	*m = append(*m, v)
	return nil
}

var warnings []string

func warnf(format string, args ...interface{}) {
	warnings = append(warnings, fmt.Sprintf(format, args...))
}

type chartInfo struct {
	Name        string `json:"name"`
	Version     string `json:"version"`
	AppVersion  string `json:"appVersion"`
	KubeVersion string `json:"kubeVersion,omitempty"`
	Type        string `json:"type,omitempty"`
}

type output struct {
	Chart             chartInfo          `json:"chart"`
	Release           map[string]string  `json:"release"`
	KubeVersion       string             `json:"kubeVersion"`
	HelmVersion       string             `json:"helmVersion"`
	Objects           []*Object          `json:"objects"`
	CRDs              []*CRD             `json:"crds"`
	CapabilityQueries []CapabilityQuery  `json:"capabilityQueries"`
	Dependencies      []DependencyReport `json:"dependencies"`
	Warnings          []string           `json:"warnings"`
}

type options struct {
	chartDir, name, namespace, kubeVersion string
	values, apiVersions, clusterScoped     []string
	includeCRDs, withManifests             bool
}

func run(o options) (*output, error) {
	if o.chartDir == "" || o.name == "" || o.namespace == "" || o.kubeVersion == "" {
		return nil, errors.New("--chart, --name, --namespace and --kube-version are required")
	}
	kube, err := parseKubeVersion(o.kubeVersion)
	if err != nil {
		return nil, err
	}
	chart, err := loadDir(o.chartDir)
	if err != nil {
		return nil, err
	}
	user := map[string]interface{}{}
	for _, f := range o.values {
		v, err := readValuesFile(f)
		if err != nil {
			return nil, err
		}
		user = mergeMaps(user, v)
	}
	var deps []DependencyReport
	if err := processDependencies(chart, user, &deps); err != nil {
		return nil, err
	}
	if c := chart.Metadata.KubeVersion; c != "" && !isCompatibleRange(c, kube.Version) {
		return nil, fmt.Errorf("chart requires kubeVersion: %s which is incompatible with Kubernetes %s", c, kube.Version)
	}
	log := &queryLog{seen: map[string]bool{}}
	caps := newCapabilities(kube, o.apiVersions, log)
	release := map[string]interface{}{
		"Name": o.name, "Namespace": o.namespace, "IsUpgrade": false, "IsInstall": true, "Revision": 1, "Service": "Helm",
	}
	top := map[string]interface{}{
		"Chart":        chart.Metadata,
		"Capabilities": caps,
		"Release":      release,
		"Values":       Values(coalesceValues(chart, user)),
	}
	rendered, err := render(allTemplates(chart, top), log)
	if err != nil {
		return nil, err
	}
	extra := map[string]bool{}
	for _, gk := range o.clusterScoped {
		extra[gk] = true
	}
	objects, crds, err := objectsOf(rendered, chart.CRDFiles(), o.namespace, extra, o.includeCRDs)
	if err != nil {
		return nil, err
	}
	if objects == nil {
		objects = []*Object{}
	}
	if o.withManifests {
		for _, obj := range objects {
			obj.Manifest = obj.body
		}
	}
	if crds == nil {
		crds = []*CRD{}
	}
	if deps == nil {
		deps = []DependencyReport{}
	}
	queries := log.queries
	if queries == nil {
		queries = []CapabilityQuery{}
	}
	w := warnings
	if w == nil {
		w = []string{}
	}
	return &output{
		Chart: chartInfo{
			Name: chart.Metadata.Name, Version: chart.Metadata.Version, AppVersion: chart.Metadata.AppVersion,
			KubeVersion: chart.Metadata.KubeVersion, Type: chart.Metadata.Type,
		},
		Release:           map[string]string{"name": o.name, "namespace": o.namespace},
		KubeVersion:       kube.Version,
		HelmVersion:       helmVersion,
		Objects:           objects,
		CRDs:              crds,
		CapabilityQueries: queries,
		Dependencies:      deps,
		Warnings:          w,
	}, nil
}

func main() {
	var o options
	var values, apis, cluster multiFlag
	fs := flag.NewFlagSet("chart-render", flag.ContinueOnError)
	fs.StringVar(&o.chartDir, "chart", "", "chart folder")
	fs.StringVar(&o.name, "name", "", "release name")
	fs.StringVar(&o.namespace, "namespace", "", "release namespace")
	fs.StringVar(&o.kubeVersion, "kube-version", "", "Kubernetes version of the destination (e.g. 1.32.0)")
	fs.BoolVar(&o.includeCRDs, "include-crds", true, "list the crds/ files as objects (Argo CD passes --include-crds)")
	fs.BoolVar(&o.withManifests, "with-manifests", false, "include each object's parsed manifest")
	fs.Var(&values, "values", "values file (YAML or JSON); repeatable, later files win")
	fs.Var(&apis, "api-versions", "API the destination serves, group/version or group/version/Kind; repeatable")
	fs.Var(&cluster, "cluster-scoped", "group/Kind of a cluster-scoped kind defined outside this chart; repeatable")
	if err := fs.Parse(os.Args[1:]); err != nil {
		os.Exit(2)
	}
	o.values, o.apiVersions, o.clusterScoped = values, apis, cluster
	out, err := run(o)
	if err != nil {
		fmt.Fprintln(os.Stderr, "chart-render:", err)
		os.Exit(1)
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", "  ")
	if err := enc.Encode(out); err != nil {
		fmt.Fprintln(os.Stderr, "chart-render:", err)
		os.Exit(1)
	}
}
