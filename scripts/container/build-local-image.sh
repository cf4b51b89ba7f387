#!/usr/bin/env bash
# Builds the krmkit image with podman on a machine without a registry: the Dockerfile is
# used unchanged, its two bases replaced by stand-ins built from this machine's Node
# (build-standin-bases.sh). Prints the image name on stdout.
#
#   scripts/container/build-local-image.sh [--function NAME] [--tag TAG]
#     → localhost/krmkit/krmkit:TAG, or with --function localhost/krmkit/NAME:TAG (kpt catalog style)
#
# The build context is a copy of the repository with one difference: a package-lock.json
# `npm ci` accepts here (see lockfile-for-npm-ci.mjs). Layers are cached, so a rerun only
# redoes the bundle when sources change.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
function_name=""
tag=dev
while [ $# -gt 0 ]; do
  case "$1" in
    --function) function_name=$2; shift 2 ;;
    --tag) tag=$2; shift 2 ;;
    *) echo "usage: $0 [--function NAME] [--tag TAG]" >&2; exit 2 ;;
  esac
done

eval "$("$here/build-standin-bases.sh")"

context=$(mktemp -d "${TMPDIR:-/tmp}/krmkit-image-context.XXXXXX")
trap 'rm -rf "$context"' EXIT
# Only what .dockerignore lets through matters; copying a little more keeps this list short.
(cd "$repo" && tar --exclude=./node_modules --exclude=./.git --exclude=./.tools --exclude=./dist \
  --exclude=./coverage --exclude=./bench/results -cf - .) | tar -xf - -C "$context"
node "$here/lockfile-for-npm-ci.mjs" "$repo/package-lock.json" "$context/package-lock.json"

image="localhost/krmkit/${function_name:-krmkit}:$tag"
revision=$(git -C "$repo" rev-parse HEAD 2>/dev/null || true)
podman build --quiet --layers \
  --build-arg BUILD_BASE="$BUILD_BASE" \
  --build-arg RUNTIME_BASE="$RUNTIME_BASE" \
  --build-arg FUNCTION="$function_name" \
  --build-arg REVISION="$revision" \
  --tag "$image" "$context" >/dev/null
# Every source change leaves the previous build's intermediate images behind (~200 MB
# each); keep a day's worth, which is the layer cache reruns use, and drop the rest.
podman image prune --force --filter until=24h >/dev/null 2>&1 || true
echo "$image"
