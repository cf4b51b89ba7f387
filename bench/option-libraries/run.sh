#!/usr/bin/env bash
# Cold-start cost of the schema libraries considered for option declarations (docs/options.md):
# the same ~10 options declared (and one config parsed) with each, bundled by esbuild, run 20×
# alternating under node and bun, against the same file without a library (base.mjs).
# The libraries are installed in a scratch folder: the project itself needs only valibot.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$here"/*.mjs "$here"/measure.py "$work"
cd "$work"
npm init -y >/dev/null
npm i --no-audit --no-fund @sinclair/typebox@0.34 zod@4 valibot@1 @valibot/to-json-schema@1 >/dev/null
for f in base typebox typebox-value zod zod-mini valibot valibot-json; do
  "$root/node_modules/.bin/esbuild" "$f.mjs" --bundle --minify --platform=node --format=cjs --outfile="out/$f.cjs" --log-level=warning
done
BUN="$root/.tools/bin/bun" python3 measure.py base,typebox,typebox-value,zod,zod-mini,valibot,valibot-json
