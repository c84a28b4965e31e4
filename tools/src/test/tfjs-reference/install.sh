#!/usr/bin/env bash
# Installs the TensorFlow.js reference runner (this folder: tfjs-core, -converter
# and -backend-cpu 4.22.0 from npm, versions locked) into the assets cache, for the test that
# checks converted models against TensorFlow.js's own outputs. Idempotent; prints the directory.
set -euo pipefail
SRC="$(cd "$(dirname "$0")" && pwd)"
ASSETS="${VIGIL_ASSETS:-$HOME/.cache/vigil/assets}"
DEST="$ASSETS/tools/tfjs-reference"
marker="$DEST/.lock.sha256"
want=$(cat "$SRC/package-lock.json" "$SRC/run.mjs" "$SRC/dlib-resnet.mjs" | sha256sum | cut -d' ' -f1)
if [[ -f "$marker" && "$(cat "$marker")" == "$want" && -d "$DEST/node_modules" ]]; then
  echo "$DEST"
  exit 0
fi
command -v npm >/dev/null || { echo "install-tfjs-reference: npm is required" >&2; exit 1; }
mkdir -p "$DEST"
cp "$SRC/package.json" "$SRC/package-lock.json" "$SRC/run.mjs" "$SRC/dlib-resnet.mjs" "$DEST/"
echo "install-tfjs-reference: npm ci in $DEST" >&2
(cd "$DEST" && npm ci --silent --no-audit --no-fund >/dev/null 2>&1)
echo "$want" >"$marker"
echo "$DEST"
