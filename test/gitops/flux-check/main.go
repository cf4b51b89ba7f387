// flux-check reads a HelmRelease the way Flux does: decoded strictly into helm-controller's
// own API types (github.com/fluxcd/helm-controller/api), so an unknown or misplaced field
// is an error, as the API server would reject it. It then prints the kustomization that
// helm-controller's kustomize post-renderer builds over a release's render from that
// decoded spec: the render as the one resource, every post-renderer's patches in order.
//
//	flux-check HELMRELEASE.yaml RENDER_FILE_NAME > kustomization.yaml
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"

	helmv2 "github.com/fluxcd/helm-controller/api/v2"
	"sigs.k8s.io/yaml"
)

// The kustomization fields helm-controller fills in (it uses kustomize's own types).
type selector struct {
	Group              string `json:"group,omitempty"`
	Version            string `json:"version,omitempty"`
	Kind               string `json:"kind,omitempty"`
	Name               string `json:"name,omitempty"`
	Namespace          string `json:"namespace,omitempty"`
	AnnotationSelector string `json:"annotationSelector,omitempty"`
	LabelSelector      string `json:"labelSelector,omitempty"`
}

type patch struct {
	Patch  string    `json:"patch,omitempty"`
	Target *selector `json:"target,omitempty"`
}

type kustomization struct {
	APIVersion string   `json:"apiVersion"`
	Kind       string   `json:"kind"`
	Resources  []string `json:"resources"`
	Patches    []patch  `json:"patches,omitempty"`
}

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: flux-check HELMRELEASE.yaml RENDER_FILE_NAME")
		os.Exit(2)
	}
	raw, err := os.ReadFile(os.Args[1])
	if err != nil {
		fail(err)
	}
	asJSON, err := yaml.YAMLToJSON(raw)
	if err != nil {
		fail(fmt.Errorf("%s: not YAML: %w", os.Args[1], err))
	}
	decoder := json.NewDecoder(bytes.NewReader(asJSON))
	decoder.DisallowUnknownFields()
	var release helmv2.HelmRelease
	if err := decoder.Decode(&release); err != nil {
		fail(fmt.Errorf("%s: does not decode strictly into %s HelmRelease: %w", os.Args[1], helmv2.GroupVersion, err))
	}
	if release.APIVersion != helmv2.GroupVersion.String() || release.Kind != "HelmRelease" {
		fail(fmt.Errorf("%s: apiVersion/kind %s/%s, want %s/HelmRelease", os.Args[1], release.APIVersion, release.Kind, helmv2.GroupVersion))
	}
	out := kustomization{APIVersion: "kustomize.config.k8s.io/v1beta1", Kind: "Kustomization", Resources: []string{os.Args[2]}}
	for _, renderer := range release.Spec.PostRenderers {
		if renderer.Kustomize == nil {
			continue
		}
		for _, p := range renderer.Kustomize.Patches {
			entry := patch{Patch: p.Patch}
			if p.Target != nil {
				entry.Target = &selector{
					Group: p.Target.Group, Version: p.Target.Version, Kind: p.Target.Kind,
					Name: p.Target.Name, Namespace: p.Target.Namespace,
					AnnotationSelector: p.Target.AnnotationSelector, LabelSelector: p.Target.LabelSelector,
				}
			}
			out.Patches = append(out.Patches, entry)
		}
	}
	printed, err := json.MarshalIndent(out, "", "  ")
	if err != nil {
		fail(err)
	}
	fmt.Println(string(printed))
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "flux-check:", err)
	os.Exit(1)
}
