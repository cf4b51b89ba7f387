#!/usr/bin/env bash
# Builds the two stand-in base images the container tests pass to the Dockerfile when no
# registry is reachable, from this machine's own Node (the one that runs the tests):
#
#   runtime  like gcr.io/distroless/nodejs20-debian12:nonroot — /nodejs/bin/node, the shared
#            libraries it links (per ldd), /etc/passwd with root, nobody and nonroot,
#            USER 65532, ENTRYPOINT ["/nodejs/bin/node"]; no shell, no package manager.
#   build    like docker.io/library/node:20-bookworm-slim, only as much as the build stage
#            needs — node and npm in /usr/local, /bin/sh (npm runs scripts through it) and
#            /usr/bin/env (npm's shebang).
#
# Each image is tagged by a hash of everything that goes into it, so a rerun on the same
# machine finds it and builds nothing. Prints "RUNTIME_BASE=…" and "BUILD_BASE=…".
set -euo pipefail

node_bin=$(readlink -f "${NODE_BINARY:-$(command -v node)}")
npm_dir=$(readlink -f "${NPM_DIR:-$(dirname "$(readlink -f "$(command -v npm)")")/..}")
shell_bin=$(readlink -f /bin/sh)
env_bin=$(readlink -f /usr/bin/env)
# The build stage downloads packages; this machine's CA bundle lets it through a proxy that
# re-signs TLS the way the host's own npm is set up to accept.
ca_bundle=${CA_BUNDLE:-/etc/ssl/certs/ca-certificates.crt}
[ -f "$ca_bundle" ] || ca_bundle=
self="$0"

say() { printf 'build-standin-bases: %s\n' "$*" >&2; }

# The shared libraries (and the dynamic loader) the given executables link, per ldd.
libraries_of() {
  ldd "$@" 2>/dev/null | awk '/=> \//{print $3} $1 ~ /^\/.*ld-linux/{print $1}' | sort -u
}

# A tag for the files that go into an image: their contents, plus this script.
content_tag() {
  { sha256sum "$self" "$@"; "$node_bin" --version; } | sha256sum | cut -c1-16
}

passwd_text='root:x:0:0:root:/root:/sbin/nologin
nobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin
nonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin
'
group_text='root:x:0:
nobody:x:65534:
nonroot:x:65532:
'

# new_rootfs CONTAINER — a scratch working container with /etc/passwd, /etc/group and /tmp.
new_rootfs() {
  local ctr=$1 root
  root=$(buildah mount "$ctr")
  mkdir -p "$root/etc" "$root/tmp" "$root/home/nonroot" "$root/root"
  chmod 1777 "$root/tmp"
  chown 65532:65532 "$root/home/nonroot"
  printf '%s' "$passwd_text" >"$root/etc/passwd"
  printf '%s' "$group_text" >"$root/etc/group"
  echo "$root"
}

# copy_files ROOT FILE… — copies files to the same absolute paths inside ROOT.
copy_files() {
  local root=$1 file
  shift
  for file in "$@"; do
    mkdir -p "$root$(dirname "$file")"
    cp -L "$file" "$root$file"
  done
}

runtime_libs=$(libraries_of "$node_bin")
build_libs=$(libraries_of "$node_bin" "$shell_bin" "$env_bin")

# shellcheck disable=SC2086
runtime_image="localhost/krmkit-standin/nodejs-runtime:$(content_tag "$node_bin" $runtime_libs)"
# shellcheck disable=SC2086
build_image="localhost/krmkit-standin/node-build:$(content_tag "$node_bin" "$shell_bin" "$env_bin" "$npm_dir/package.json" $ca_bundle $build_libs)"

if podman image exists "$runtime_image"; then
  say "$runtime_image already built"
else
  say "building $runtime_image from $node_bin"
  ctr=$(buildah from scratch)
  root=$(new_rootfs "$ctr")
  # shellcheck disable=SC2086
  copy_files "$root" $runtime_libs
  mkdir -p "$root/nodejs/bin"
  cp "$node_bin" "$root/nodejs/bin/node"
  buildah unmount "$ctr" >/dev/null
  buildah config --user 65532:65532 --workingdir /home/nonroot \
    --env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    --entrypoint '["/nodejs/bin/node"]' --cmd '' \
    --label org.opencontainers.image.description="krmkit test stand-in for gcr.io/distroless/nodejs20-debian12:nonroot" \
    "$ctr"
  buildah commit --quiet --rm --format oci "$ctr" "$runtime_image" >/dev/null
fi

if podman image exists "$build_image"; then
  say "$build_image already built"
else
  say "building $build_image from $node_bin and $npm_dir"
  ctr=$(buildah from scratch)
  root=$(new_rootfs "$ctr")
  # shellcheck disable=SC2086
  copy_files "$root" $build_libs
  mkdir -p "$root/usr/local/bin" "$root/usr/local/lib/node_modules" "$root/bin" "$root/usr/bin"
  cp "$node_bin" "$root/usr/local/bin/node"
  cp -a "$npm_dir" "$root/usr/local/lib/node_modules/npm"
  ln -s ../lib/node_modules/npm/bin/npm-cli.js "$root/usr/local/bin/npm"
  ln -s ../lib/node_modules/npm/bin/npx-cli.js "$root/usr/local/bin/npx"
  cp "$shell_bin" "$root/bin/sh"
  cp "$env_bin" "$root/usr/bin/env"
  ca_env=()
  if [ -n "$ca_bundle" ]; then
    mkdir -p "$root/etc/ssl/certs"
    cp -L "$ca_bundle" "$root/etc/ssl/certs/ca-certificates.crt"
    ca_env=(--env NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt)
  fi
  buildah unmount "$ctr" >/dev/null
  buildah config --workingdir / "${ca_env[@]}" \
    --env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    --cmd '["node"]' \
    --label org.opencontainers.image.description="krmkit test stand-in for docker.io/library/node:20-bookworm-slim" \
    "$ctr"
  buildah commit --quiet --rm --format oci "$ctr" "$build_image" >/dev/null
fi

# Stand-ins from an earlier Node or an earlier version of this script are of no further use.
for current in "$runtime_image" "$build_image"; do
  podman images --noheading --format '{{.Repository}}:{{.Tag}}' --filter "reference=${current%:*}" |
    grep -vxF "$current" | xargs -r podman rmi >/dev/null 2>&1 || true
done

echo "RUNTIME_BASE=$runtime_image"
echo "BUILD_BASE=$build_image"
