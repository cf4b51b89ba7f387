#!/usr/bin/env bash
# Installs the pinned real tools the integration tests drive (see scripts/tools.env):
# Helm 3, Helm 4, kustomize v5 and kpt v1 with `go install` from the Go module proxy; helmfile,
# flux-check and Argo CD's cmp-server built from module copies / test/gitops sources;
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

# go_tool NAME MODULE_PATH VERSION [LDFLAGS] — builds MODULE_PATH@VERSION into $cache/NAME-VERSION/.
go_tool() {
  local name=$1 module=$2 version=$3 ldflags=${4:-}
  local dir="$cache/$name-$version"
  local built="$dir/$(basename "${module%%@*}")"
  # Module paths ending in a major-version suffix (…/kustomize/v5) build a binary named after the parent.
  case "$(basename "$module")" in v[0-9]*) built="$dir/$(basename "$(dirname "$module")")" ;; esac
  if [ ! -x "$built" ]; then
    say "building $name $version (go install $module@$version)"
    mkdir -p "$dir"
    GOBIN="$dir" GOFLAGS=-mod=mod CGO_ENABLED=0 go install ${ldflags:+-ldflags "$ldflags"} "$module@$version"
  else
    say "$name $version already built"
  fi
  ln -sfn "$built" "$bin/$name"
}

go_tool helm3 helm.sh/helm/v3/cmd/helm "$HELM3_VERSION"
go_tool helm4 helm.sh/helm/v4/cmd/helm "$HELM4_VERSION"
go_tool kustomize sigs.k8s.io/kustomize/kustomize/v5 "$KUSTOMIZE_VERSION"
# cyclonus: an independent NetworkPolicy simulator, the judge of the network-policy tests.
go_tool cyclonus github.com/mattfenwick/cyclonus/cmd/cyclonus "$CYCLONUS_VERSION" "-s -w"
# kwok simulates the nodes and kubelets of the high-availability scenarios' cluster.
go_tool kwok sigs.k8s.io/kwok/cmd/kwok "$KWOK_VERSION" "-s -w"
# kube-score: the static checks teams run in CI, a judge of the prod overlay (issue 11).
go_tool kube-score github.com/zegl/kube-score/cmd/kube-score "$KUBE_SCORE_VERSION" "-s -w"
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

# helmfile: `go install` refuses it (its go.mod has replace directives), so build from a
# writable copy of the module folder the proxy serves.
helmfile_dir="$cache/helmfile-$HELMFILE_VERSION"
if [ ! -x "$helmfile_dir/helmfile" ]; then
  say "building helmfile $HELMFILE_VERSION (go build in a copy of the module; takes 10-20 min)"
  module_dir=$(cd "$(mktemp -d)" && go mod download -json "github.com/helmfile/helmfile@$HELMFILE_VERSION" |
    sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
  [ -d "$module_dir" ] || { say "go mod download did not name a module folder for helmfile"; exit 1; }
  work=$(mktemp -d)
  cp -R "$module_dir/." "$work/"
  chmod -R u+w "$work"
  mkdir -p "$helmfile_dir"
  (cd "$work" && CGO_ENABLED=0 GOFLAGS=-mod=mod go build -ldflags "-s -w -X go.szostok.io/version.version=$HELMFILE_VERSION" -o "$helmfile_dir/helmfile.partial" .)
  mv "$helmfile_dir/helmfile.partial" "$helmfile_dir/helmfile"
  rm -rf "$work"
else
  say "helmfile $HELMFILE_VERSION already built"
fi
ln -sfn "$helmfile_dir/helmfile" "$bin/helmfile"

# flux-check (test/gitops/flux-check): decodes a HelmRelease strictly into Flux's own API
# types. Cached by the helm-controller/api version and a hash of its source.
flux_src="$repo/test/gitops/flux-check"
flux_hash=$(cat "$flux_src/main.go" "$flux_src/go.mod" "$flux_src/go.sum" | sha256sum | cut -c1-12)
flux_dir="$cache/flux-check-$FLUX_HELM_CONTROLLER_API_VERSION-$flux_hash"
if [ ! -x "$flux_dir/flux-check" ]; then
  grep -q "github.com/fluxcd/helm-controller/api $FLUX_HELM_CONTROLLER_API_VERSION\$" "$flux_src/go.mod" ||
    { say "test/gitops/flux-check/go.mod does not require helm-controller/api $FLUX_HELM_CONTROLLER_API_VERSION (scripts/tools.env)"; exit 1; }
  say "building flux-check against github.com/fluxcd/helm-controller/api $FLUX_HELM_CONTROLLER_API_VERSION"
  mkdir -p "$flux_dir"
  (cd "$flux_src" && CGO_ENABLED=0 GOFLAGS=-mod=mod go build -ldflags "-s -w" -o "$flux_dir/flux-check.partial" .)
  mv "$flux_dir/flux-check.partial" "$flux_dir/flux-check"
else
  say "flux-check ($FLUX_HELM_CONTROLLER_API_VERSION) already built"
fi
ln -sfn "$flux_dir/flux-check" "$bin/flux-check"

# argocd-cmp-server (Argo CD's plugin server) and cmp-client (drives it as argocd-repo-server
# does), from test/gitops/argocd-cmp: Argo CD's own packages at ARGOCD_VERSION. Newer Argo CD
# releases cannot be built from the module proxy (see tools.env).
cmp_src="$repo/test/gitops/argocd-cmp"
cmp_hash=$(cat "$cmp_src/server/main.go" "$cmp_src/client/main.go" "$cmp_src/go.mod" "$cmp_src/go.sum" | sha256sum | cut -c1-12)
cmp_dir="$cache/argocd-cmp-$ARGOCD_VERSION-$cmp_hash"
if [ ! -x "$cmp_dir/argocd-cmp-server" ] || [ ! -x "$cmp_dir/cmp-client" ]; then
  grep -q "github.com/argoproj/argo-cd/v3 $ARGOCD_VERSION\$" "$cmp_src/go.mod" ||
    { say "test/gitops/argocd-cmp/go.mod does not require argo-cd $ARGOCD_VERSION (scripts/tools.env)"; exit 1; }
  say "building argocd-cmp-server and cmp-client from github.com/argoproj/argo-cd/v3 $ARGOCD_VERSION (10-20 min)"
  mkdir -p "$cmp_dir"
  for program in server client; do
    name=$([ "$program" = server ] && echo argocd-cmp-server || echo cmp-client)
    (cd "$cmp_src" && CGO_ENABLED=0 GOFLAGS=-mod=mod go build -ldflags "-s -w" -o "$cmp_dir/$name.partial" "./$program")
    mv "$cmp_dir/$name.partial" "$cmp_dir/$name"
  done
else
  say "argocd-cmp-server and cmp-client ($ARGOCD_VERSION) already built"
fi
ln -sfn "$cmp_dir/argocd-cmp-server" "$bin/argocd-cmp-server"
ln -sfn "$cmp_dir/cmp-client" "$bin/cmp-client"

# etcd for the API server below: Debian's etcd-server (the package only; its service is not started).
if ! command -v etcd >/dev/null 2>&1; then
  say "installing etcd-server from Debian"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends etcd-server >/dev/null
fi
etcd_series=$(etcd --version | sed -n 's/^etcd Version: \([0-9]*\.[0-9]*\).*/\1/p')
if [ "$etcd_series" != "$ETCD_SERIES" ]; then
  say "etcd $etcd_series found, but the tests are pinned to $ETCD_SERIES (scripts/tools.env)"
  exit 1
fi
ln -sfn "$(command -v etcd)" "$bin/etcd"

# kube-apiserver and kubectl (issue 10: outputs judged by a real API server). k8s.io/kubernetes
# replaces its staging modules with ./staging/… paths its module zip lacks, so it cannot be
# `go install`ed. A throwaway main module requires it and replaces each of those modules with
# its published k8s.io/<name> v0.<minor>.<patch> instead (sample-cli-plugin and
# sample-controller are not published and nothing needs them). One module builds both binaries
# so kubectl is pinned to the same release. The version ldflags are what `make` would set:
# without them the server reports v0.0.0 and cannot derive its emulation version.
kube_version=$KUBERNETES_VERSION
staging_version="v0.${kube_version#v1.}"
# kube-scheduler and kube-controller-manager (issue 18: the simulated cluster of the
# high-availability scenarios) come from the same module and flags, so they reuse the Go build
# cache of the server's build. Only the binaries not yet in the cache are built.
kube_binaries=(kube-apiserver kubectl kube-scheduler kube-controller-manager)
kube_missing=()
for binary in "${kube_binaries[@]}"; do
  [ -x "$cache/$binary-$kube_version/$binary" ] || kube_missing+=("$binary")
done
if [ ${#kube_missing[@]} -gt 0 ]; then
  say "building ${kube_missing[*]} $kube_version (k8s.io/kubernetes through a throwaway module; ~10 min on 2 cores for the first, 2–4 min for each further one)"
  started=$(date +%s)
  work=$(mktemp -d)
  (
    cd "$work"
    export GOFLAGS=-mod=mod CGO_ENABLED=0
    go mod init krmkit-kubernetes-build >/dev/null 2>&1
    upstream_mod=$(go mod download -json "k8s.io/kubernetes@$kube_version" | sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",$/\1/p')
    sed -n '/^replace (/,/^)/s#^[[:space:]]*\(k8s.io/[a-z0-9-]*\) => ./staging/.*#\1#p' "$upstream_mod" |
      grep -v -e '^k8s.io/sample-cli-plugin$' -e '^k8s.io/sample-controller$' |
      while read -r staging; do go mod edit -replace "$staging=$staging@$staging_version"; done
    go get "k8s.io/kubernetes@$kube_version"
    minor=${kube_version#v1.}; minor=${minor%%.*}
    ldflags="-s -w"
    for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
      ldflags+=" -X $pkg.gitVersion=$kube_version -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor"
      ldflags+=" -X $pkg.gitTreeState=clean -X $pkg.buildDate=1970-01-01T00:00:00Z"
    done
    mkdir -p out
    go build -trimpath -ldflags "$ldflags" -o out/ "${kube_missing[@]/#/k8s.io/kubernetes/cmd/}"
    for binary in "${kube_missing[@]}"; do
      mkdir -p "$cache/$binary-$kube_version"
      mv "out/$binary" "$cache/$binary-$kube_version/$binary"
    done
  )
  rm -rf "$work"
  elapsed=$(( $(date +%s) - started ))
  for binary in "${kube_missing[@]}"; do echo "$elapsed" >"$cache/$binary-$kube_version/build-seconds"; done
  say "built ${kube_missing[*]} $kube_version in ${elapsed}s"
else
  say "${kube_binaries[*]} $kube_version already built"
fi
for binary in "${kube_binaries[@]}"; do ln -sfn "$cache/$binary-$kube_version/$binary" "$bin/$binary"; done

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
