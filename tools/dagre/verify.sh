#!/bin/sh
# Checks that the committed dagre.min.js is the file of the pinned package (package-lock.json), byte for byte:
# installs it with `npm ci` into a temporary copy of this folder and compares. Run after changing the pin, with
# `--update` to copy the new file in (and its hash into dagre.min.js.sha256, which the test suite checks).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$here/package.json" "$here/package-lock.json" "$work/"
(cd "$work" && npm ci --ignore-scripts --no-audit --no-fund >/dev/null)
built="$work/node_modules/@dagrejs/dagre/dist/dagre.min.js"
if [ "${1:-}" = "--update" ]; then
  cp "$built" "$here/dagre.min.js"
  cp "$built.LEGAL.txt" "$here/dagre.min.js.LEGAL.txt"
  sha256sum "$here/dagre.min.js" | cut -d' ' -f1 > "$here/dagre.min.js.sha256"
  echo "updated dagre.min.js from $(node -p "require('$work/node_modules/@dagrejs/dagre/package.json').version")"
else
  cmp "$built" "$here/dagre.min.js"
  echo "dagre.min.js is the pinned package's file"
fi
