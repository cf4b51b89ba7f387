#!/usr/bin/env bash
# Installs the pinned real tools the integration tests drive (see scripts/tools.env):
# Helm 3, Helm 4, kustomize v5 and kpt v1 with `go install` from the Go module proxy,
# and podman/buildah/runc from Debian for the container tests.
#
# Binaries go to a versioned cache outside the repository, so a fresh clone (CI) reuses
# what an earlier run built; `.tools/bin` in the repository links to them.
# Anything already installed at the pinned version is skipped.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
# shellcheck source=tools.env
source "$here/tools.env"

cache=${KRMKIT_TOOLS_CACHE:-$HOME/.cache/krmkit/tools}
bin="$repo/.tools/bin"
mkdir -p "$cache" "$bin"

say() { printf 'install-tools: %s\n' "$*" >&2; }

# go_tool NAME MODULE_PATH VERSION — builds MODULE_PATH@VERSION into $cache/NAME-VERSION/.
go_tool() {
  local name=$1 module=$2 version=$3
  local dir="$cache/$name-$version"
  local built="$dir/$(basename "${module%%@*}")"
  # Module paths ending in a major-version suffix (…/kustomize/v5) build a binary named after the parent.
  case "$(basename "$module")" in v[0-9]*) built="$dir/$(basename "$(dirname "$module")")" ;; esac
  if [ ! -x "$built" ]; then
    say "building $name $version (go install $module@$version)"
    mkdir -p "$dir"
    GOBIN="$dir" GOFLAGS=-mod=mod CGO_ENABLED=0 go install "$module@$version"
  else
    say "$name $version already built"
  fi
  ln -sfn "$built" "$bin/$name"
}

go_tool helm3 helm.sh/helm/v3/cmd/helm "$HELM3_VERSION"
go_tool helm4 helm.sh/helm/v4/cmd/helm "$HELM4_VERSION"
go_tool kustomize sigs.k8s.io/kustomize/kustomize/v5 "$KUSTOMIZE_VERSION"
# kpt: github.com/kptdev/kpt cannot be fetched through the Go module proxy (it refuses the
# `kptdev/kpt/rollouts` module it depends on), so we build the last release published under
# its former path. sum.golang.org has no entry for it, so checksum lookup is disabled for
# that one module path only.
kpt_dir="$cache/kpt-$KPT_VERSION"
if [ ! -x "$kpt_dir/kpt" ]; then
  say "building kpt $KPT_VERSION (github.com/GoogleContainerTools/kpt)"
  work=$(mktemp -d)
  (
    cd "$work"
    go mod init krmkit-kpt-build >/dev/null 2>&1
    export GOFLAGS=-mod=mod GONOSUMDB=github.com/GoogleContainerTools/kpt GONOSUMCHECK=1 CGO_ENABLED=0
    go get "github.com/GoogleContainerTools/kpt@$KPT_VERSION"
    mkdir -p "$kpt_dir"
    go build -ldflags "-X github.com/GoogleContainerTools/kpt/run.version=${KPT_VERSION#v}" -o "$kpt_dir/kpt" github.com/GoogleContainerTools/kpt
  )
  rm -rf "$work"
else
  say "kpt $KPT_VERSION already built"
fi
ln -sfn "$kpt_dir/kpt" "$bin/kpt"

# npm_tool NAME PACKAGE VERSION BIN — installs an npm package (runtimes for the single
# executables: their binaries ship inside registry packages) into $cache/NAME-VERSION/.
npm_tool() {
  local name=$1 package=$2 version=$3 exe=$4
  local dir="$cache/$name-$version"
  if [ ! -x "$dir/node_modules/.bin/$exe" ]; then
    say "installing $name $version (npm $package@$version)"
    mkdir -p "$dir"
    npm install --prefix "$dir" --no-save --no-audit --no-fund --loglevel=error "$package@$version" >/dev/null
  else
    say "$name $version already installed"
  fi
  ln -sfn "$dir/node_modules/.bin/$exe" "$bin/$name"
}

npm_tool bun bun "$BUN_VERSION" bun
npm_tool deno deno "$DENO_VERSION" deno
npm_tool postject postject "$POSTJECT_VERSION" postject

# Container tooling for the image tests (issue: container image). Debian packages.
if [ "${KRMKIT_SKIP_CONTAINER_TOOLS:-}" != 1 ]; then
  missing=()
  for tool in podman buildah runc; do command -v "$tool" >/dev/null 2>&1 || missing+=("$tool"); done
  if [ ${#missing[@]} -gt 0 ]; then
    say "installing ${missing[*]} from Debian"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq podman buildah runc fuse-overlayfs uidmap >/dev/null
  fi
  "$here/configure-podman.sh"
fi

say "tools ready in $bin:"
ls -l "$bin" >&2
