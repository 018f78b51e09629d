#!/usr/bin/env bash
# The production install, as the README's "Configure and run the bot" tells an admin, in a fresh copy of this
# checkout: npm ci, npm run build, npm prune --omit=dev, then scripts/productionSmoke.ts runs the pruned bot
# against the simulator (/readyz, a help and a migrate turn through a fake Bot Connector, SIGTERM). A dev-only
# package reached at run time fails it, and so does an install-script or engine warning from npm.
#
#   scripts/production-check.sh [folder]             # the copy goes into folder (default: a new temporary one)
#   scripts/with-node.sh 24 scripts/production-check.sh
#
# The copy holds the checkout's files as they are now (committed or not, without what .gitignore ignores).
# Given a folder, the copy is left there (the pruned app is in <folder>/app); without one it is removed.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
if [ $# -gt 0 ]; then
  work=$1
else
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
fi
app=$work/app
rm -rf "$app" && mkdir -p "$app"
fail() {
  echo "production check FAILED: $*" >&2
  exit 1
}

echo "== production install in $app, Node $(node --version)"
(cd "$root" && git ls-files -z --cached --others --exclude-standard) |
  (cd "$root" && tar --null --files-from=- --ignore-failed-read -cf - 2>/dev/null) | tar -xf - -C "$app"
cd "$app"

log=$work/npm-ci.log
npm ci --no-audit --no-fund 2>&1 | tee "$log"
# Every dependency's install script is decided in package.json (allowScripts), not left to npm's default.
if grep -q "allowScripts" "$log"; then fail "npm ci printed install scripts not covered by allowScripts"; fi
# No engine warning, except the one npm gives on Node 20 (out of support, yet tested) for restify 12, which
# declares Node 22 or later.
engine=$(sed -n "s/.*EBADENGINE *package: '\([^']*\)'.*/\1/p" "$log")
case "$(node --version)" in v20.*) engine=$(grep -v '^restify@' <<<"$engine" || true) ;; esac
if [ -n "$engine" ]; then fail "npm ci printed an engine warning on Node $(node --version) for: $engine"; fi

npm run build
npm prune --omit=dev --no-audit --no-fund
for dev in jest typescript ts-jest @microsoft/m365agentsplayground; do
  if [ -e "node_modules/$dev" ]; then fail "node_modules/$dev is still there after npm prune --omit=dev"; fi
done

node dist/scripts/productionSmoke.js
