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

# One attempt at the whole build. Other checkouts on the same machine share podman's image
# store, and a stand-in build there removes stand-ins of another script version (ours), so
# an attempt can lose a base it just made: the caller retries.
build_once() {
  # (Called as an `if` condition, where `set -e` does not apply: each step checks itself.)
  local krmkit_image bases helm_bin helm_image ctr root context status=0
  krmkit_image=$("$repo/scripts/container/build-local-image.sh" --tag "$tag") || return 1
  bases=$("$repo/scripts/container/build-standin-bases.sh") || return 1
  eval "$bases"

  # shellcheck source=../../scripts/tools.env
  source "$repo/scripts/tools.env"
  helm_bin=$(readlink -f "$repo/.tools/bin/helm3")
  [ -x "$helm_bin" ] || { say "no Helm 3 at .tools/bin/helm3: run scripts/install-tools.sh"; exit 2; }
  helm_image="localhost/krmkit-standin/helm:${HELM3_VERSION}-$(sha256sum "$helm_bin" | cut -c1-12)"
  if ! podman image exists "$helm_image"; then
    say "building $helm_image from $helm_bin"
    ctr=$(buildah from scratch) || return 1
    root=$(buildah mount "$ctr") || return 1
    mkdir -p "$root/usr/bin" && cp "$helm_bin" "$root/usr/bin/helm" || return 1
    buildah unmount "$ctr" >/dev/null || return 1
    buildah config --entrypoint '["/usr/bin/helm"]' \
      --label org.opencontainers.image.description="krmkit test stand-in for docker.io/alpine/helm:${HELM3_VERSION#v}" "$ctr" || return 1
    buildah commit --quiet --rm --format oci "$ctr" "$helm_image" >/dev/null || return 1
  fi

  context=$(mktemp -d "${TMPDIR:-/tmp}/krmkit-argocd-context.XXXXXX")
  mkdir -p "$context/gitops" "$context/overlays/dev" "$context/overlays/prod"
  cp -R "$repo/gitops/argocd" "$context/gitops/argocd"
  cp "$repo/overlays/dev/pipeline.yaml" "$context/overlays/dev/"
  cp "$repo/overlays/prod/pipeline.yaml" "$context/overlays/prod/"

  podman build --quiet --layers \
    --build-arg KRMKIT_IMAGE="$krmkit_image" \
    --build-arg HELM_IMAGE="$helm_image" \
    --build-arg RUNTIME_BASE="$BUILD_BASE" \
    --file "$context/gitops/argocd/Dockerfile" \
    --tag "$image" "$context" >/dev/null || status=$?
  rm -rf "$context"
  return $status
}

image="localhost/krmkit/argocd-cmp:$tag"
for attempt in 1 2 3; do
  if build_once; then
    echo "$image"
    exit 0
  fi
  say "attempt $attempt failed (a base image may have been removed by a build in another checkout)"
done
exit 1
