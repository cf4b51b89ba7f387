#!/usr/bin/env bash
# Image size and container cold start, as docs/container.md reports them. Rerun with:
#
#   scripts/container/measure-cold-start.sh [IMAGE]      (default: builds localhost/krmkit/krmkit:bench)
#
# Each figure is the median wall time of RUNS (default 10) `podman run`s with the flags kpt
# uses (plus --read-only), after one unmeasured run so the image is in the page cache:
#   node -e 0        the base's Node doing nothing: the floor any Node image pays
#   krmkit           bench/fixtures/one-app.yaml in a ResourceList, functionConfig = every
#                    function (bench/fixtures/all-functions.yaml)
#   krmkit, no cache the same with the V8 code cache hidden (/dev/null mounted over it), which
#                    is what a cache made by another Node build costs: V8 rejects it
# and then the same three as processes inside one container, without podman's share.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
runs=${RUNS:-10}
image=${1:-$("$here/build-local-image.sh" --tag bench)}
flags=(--rm -i --network none --user nobody --read-only --security-opt=no-new-privileges)

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# one-app.yaml is a document stream; kpt and kustomize hand a function a ResourceList.
(cd "$repo" && node --input-type=module -e '
  import { readFileSync } from "node:fs";
  import { parseAllDocuments, stringify } from "yaml";
  const docs = (file) => parseAllDocuments(readFileSync(file, "utf8")).map((d) => d.toJS()).filter(Boolean);
  const [functionConfig] = docs("bench/fixtures/all-functions.yaml");
  process.stdout.write(stringify({ apiVersion: "config.kubernetes.io/v1", kind: "ResourceList", items: docs("bench/fixtures/one-app.yaml"), functionConfig }));
') >"$work/resource-list.yaml"

# time_ms COMMAND… — wall time of one run of COMMAND, stdin the ResourceList, in ms.
time_ms() {
  local start end
  start=$(date +%s%N)
  "$@" <"$work/resource-list.yaml" >/dev/null
  end=$(date +%s%N)
  echo $(((end - start) / 1000000))
}

# summary LABEL FILE — median (and spread) of the times in FILE.
summary() {
  sort -n "$2" | awk -v label="$1" '{ t[NR] = $1 } END { m = (NR % 2) ? t[(NR + 1) / 2] : (t[NR / 2] + t[NR / 2 + 1]) / 2; printf "%-38s median %5.0f ms  (min %d, max %d, n=%d)\n", label, m, t[1], t[NR], NR }'
}

base=$(podman image inspect --format '{{index .Labels "org.opencontainers.image.base.name"}}' "$image")
size=$(podman image inspect --format '{{.Size}}' "$image")
base_size=$(podman image inspect --format '{{.Size}}' "$base" 2>/dev/null || echo 0)
echo "image          $image"
echo "base           $base"
printf 'size           %.1f MB (base %.1f MB, krmkit layers %.0f kB)\n' "$(echo "$size / 1000000" | bc -l)" "$(echo "$base_size / 1000000" | bc -l)" "$(echo "($size - $base_size) / 1000" | bc -l)"
echo "podman         $(podman --version), runtime $(podman info --format '{{.Host.OCIRuntime.Name}}')"
echo
node_floor=(podman run "${flags[@]}" --entrypoint /nodejs/bin/node "$image" -e 0)
krmkit=(podman run "${flags[@]}" "$image")
no_cache=(podman run "${flags[@]}" -v /dev/null:/app/krmkit.cache:ro "$image")
# One unmeasured run each, then the three interleaved, so load from anything else running
# on the machine falls on all of them alike.
for command in node_floor krmkit no_cache; do
  declare -n run_it=$command
  "${run_it[@]}" <"$work/resource-list.yaml" >/dev/null
done
for ((i = 0; i < runs; i++)); do
  time_ms "${node_floor[@]}" >>"$work/node_floor"
  time_ms "${krmkit[@]}" >>"$work/krmkit"
  time_ms "${no_cache[@]}" >>"$work/no_cache"
done
summary "podman run … node -e 0" "$work/node_floor"
summary "podman run … krmkit (one-app RL)" "$work/krmkit"
summary "podman run … krmkit, code cache hidden" "$work/no_cache"

# The same three inside one container, without podman's share: the Node process alone.
echo
echo "inside one container (process start to exit, median of $runs):"
podman run "${flags[@]}" --entrypoint /nodejs/bin/node "$image" -e '
  const { spawnSync } = require("node:child_process");
  const fs = require("node:fs");
  const input = fs.readFileSync(0);
  // No cache: the launcher looks for krmkit.cache next to itself, so run a copy from /tmp.
  fs.mkdirSync("/tmp/no-cache");
  fs.copyFileSync("/app/krmkit.cjs", "/tmp/no-cache/krmkit.cjs");
  const variants = [["node -e 0", ["-e", "0"]], ["krmkit (one-app RL)", ["/app/krmkit.cjs"]], ["krmkit, no code cache", ["/tmp/no-cache/krmkit.cjs"]]];
  const times = new Map(variants.map(([label]) => [label, []]));
  for (let i = 0; i <= '"$runs"'; i++) {
    for (const [label, args] of variants) {
      const start = process.hrtime.bigint();
      const run = spawnSync(process.execPath, args, { input, stdio: ["pipe", "ignore", "inherit"] });
      if (run.status !== 0) throw new Error(label + " exited " + run.status);
      if (i > 0) times.get(label).push(Number(process.hrtime.bigint() - start) / 1e6);
    }
  }
  for (const [label, list] of times) {
    list.sort((a, b) => a - b);
    const m = list.length % 2 ? list[(list.length - 1) / 2] : (list[list.length / 2 - 1] + list[list.length / 2]) / 2;
    console.log("  " + label.padEnd(36) + " median " + m.toFixed(0).padStart(5) + " ms  (min " + list[0].toFixed(0) + ", max " + list[list.length - 1].toFixed(0) + ")");
  }
' <"$work/resource-list.yaml"
