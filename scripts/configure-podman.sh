#!/usr/bin/env bash
# podman on this kind of machine needs runc, cgroupfs and explicit ulimits (no systemd, no
# writable cgroup tree); without these settings `podman run` fails before the container starts.
set -euo pipefail
conf=/etc/containers/containers.conf
mkdir -p /etc/containers
if ! grep -q 'krmkit' "$conf" 2>/dev/null; then
  cat >>"$conf" <<'CONF'
# krmkit: settings this sandbox needs (scripts/configure-podman.sh)
[containers]
default_ulimits = ["nofile=1024:1024", "nproc=1024:1024"]
[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
CONF
fi
