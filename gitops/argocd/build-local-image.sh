#!/usr/bin/env bash
# Builds the Argo CD plugin sidecar image (gitops/argocd/Dockerfile) with podman on a
# machine without a registry: the krmkit image from this checkout
# (scripts/container/build-local-image.sh), a stand-in for alpine/helm holding the pinned
# Helm 3 from .tools/bin (scripts/install-tools.sh), and the Node stand-in base
# (scripts/container/build-standin-bases.sh), which has the /bin/sh Argo CD's `sh -c` needs.
# Prints the image name on stdout.
#
#   gitops/argocd/build-local-image.sh [--tag TAG]   → localhost/krmkit/argocd-cmp:TAG
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
tag=dev
while [ $# -gt 0 ]; do
  case "$1" in
    --tag) tag=$2; shift 2 ;;
    *) echo "usage: $0 [--tag TAG]" >&2; exit 2 ;;
  esac
done
say() { printf 'argocd build-local-image: %s\n' "$*" >&2; }

krmkit_image=$("$repo/scripts/container/build-local-image.sh" --tag "$tag")
eval "$("$repo/scripts/container/build-standin-bases.sh")"

# shellcheck source=../../scripts/tools.env
source "$repo/scripts/tools.env"
helm_bin=$(readlink -f "$repo/.tools/bin/helm3")
[ -x "$helm_bin" ] || { say "no Helm 3 at .tools/bin/helm3: run scripts/install-tools.sh"; exit 2; }
helm_image="localhost/krmkit-standin/helm:${HELM3_VERSION}-$(sha256sum "$helm_bin" | cut -c1-12)"
if ! podman image exists "$helm_image"; then
  say "building $helm_image from $helm_bin"
  ctr=$(buildah from scratch)
  root=$(buildah mount "$ctr")
  mkdir -p "$root/usr/bin"
  cp "$helm_bin" "$root/usr/bin/helm"
  buildah unmount "$ctr" >/dev/null
  buildah config --entrypoint '["/usr/bin/helm"]' \
    --label org.opencontainers.image.description="krmkit test stand-in for docker.io/alpine/helm:${HELM3_VERSION#v}" "$ctr"
  buildah commit --quiet --rm --format oci "$ctr" "$helm_image" >/dev/null
fi

context=$(mktemp -d "${TMPDIR:-/tmp}/krmkit-argocd-context.XXXXXX")
trap 'rm -rf "$context"' EXIT
mkdir -p "$context/gitops" "$context/overlays/dev" "$context/overlays/prod"
cp -R "$repo/gitops/argocd" "$context/gitops/argocd"
cp "$repo/overlays/dev/pipeline.yaml" "$context/overlays/dev/"
cp "$repo/overlays/prod/pipeline.yaml" "$context/overlays/prod/"

image="localhost/krmkit/argocd-cmp:$tag"
podman build --quiet --layers \
  --build-arg KRMKIT_IMAGE="$krmkit_image" \
  --build-arg HELM_IMAGE="$helm_image" \
  --build-arg RUNTIME_BASE="$BUILD_BASE" \
  --file "$context/gitops/argocd/Dockerfile" \
  --tag "$image" "$context" >/dev/null
echo "$image"
