#!/bin/sh
# The comparison for bench/postrender-overhead.mjs: a Helm post-renderer in the style of the
# reference deployments — stdin to a file, then `kustomize build` with one JSON patch.
set -e
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cat > "$dir/all.yaml"
cat > "$dir/kustomization.yaml" <<'YAML'
resources:
  - all.yaml
patches:
  - target:
      kind: Deployment
    patch: |-
      - op: add
        path: /spec/revisionHistoryLimit
        value: 5
YAML
"${KUSTOMIZE:-kustomize}" build "$dir"
