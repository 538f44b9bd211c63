#!/usr/bin/env bash
# vendor-assets.sh installs the pinned front-end packages from npm into a
# temporary directory and copies only the files the product serves (or the
# browser tests inject) into the source tree. The copies are committed, so a
# build and a running server never reach the network.
#
# Usage: scripts/vendor-assets.sh   (from anywhere inside the repository)
set -euo pipefail

KERN_VERSION=2.7.2    # @kern-ux/native
HTMX_VERSION=2.0.11   # htmx.org, newest 2.0.x; htmx 4 changes the attribute model
AXE_VERSION=4.14.1    # axe-core, browser tests only
SPDX_LIST_VERSION=6.12.0 # spdx-license-list: which licences are OSI-approved

root=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

npm install --silent --no-audit --no-fund --ignore-scripts --prefix "$tmp" \
	"@kern-ux/native@$KERN_VERSION" "htmx.org@$HTMX_VERSION" "axe-core@$AXE_VERSION" \
	"spdx-license-list@$SPDX_LIST_VERSION"
mods=$tmp/node_modules

# KERN UX: the compiled stylesheet and the Fira Sans font face with the font
# files it references. The icons in kern.min.css are inline data: URIs.
kern_src=$mods/@kern-ux/native
kern_dst=$root/internal/web/static/vendor/kern
rm -rf "$kern_dst"
mkdir -p "$kern_dst/fonts"
cp "$kern_src/dist/kern.min.css" "$kern_dst/"
cp "$kern_src/LICENSE.md" "$kern_dst/LICENSE.md"
cp "$kern_src/dist/fonts/fira-sans.css" "$kern_dst/fonts/"
# Copy exactly the files named by url("./…") in fira-sans.css, keeping their
# relative paths so the stylesheet works unchanged.
grep -o 'url([^)]*)' "$kern_src/dist/fonts/fira-sans.css" |
	sed -e 's/^url(//' -e 's/)$//' -e "s/[\"']//g" -e 's#^\./##' |
	sort -u |
	while read -r f; do
		mkdir -p "$kern_dst/fonts/$(dirname "$f")"
		cp "$kern_src/dist/fonts/$f" "$kern_dst/fonts/$f"
	done
# kern.min.css must not load anything but data: URIs, or the copy above is incomplete.
if grep -o 'url([^)]*)' "$kern_dst/kern.min.css" | grep -qv 'url("data:'; then
	echo "vendor-assets: kern.min.css references files that are not vendored" >&2
	exit 1
fi

# htmx
htmx_dst=$root/internal/web/static/vendor/htmx
rm -rf "$htmx_dst"
mkdir -p "$htmx_dst"
cp "$mods/htmx.org/dist/htmx.min.js" "$htmx_dst/"
cp "$mods/htmx.org/LICENSE" "$htmx_dst/LICENSE"

# axe-core, injected into pages by the browser tests.
axe_dst=$root/internal/e2e/axe
mkdir -p "$axe_dst"
cp "$mods/axe-core/axe.min.js" "$axe_dst/"
cp "$mods/axe-core/LICENSE" "$axe_dst/LICENSE"
cp "$mods/axe-core/LICENSE-3RD-PARTY.txt" "$axe_dst/LICENSE-3RD-PARTY.txt"

# The OSI-approved licences, for the catalogue's open-source flag.
osi=$root/internal/catalog/osi-approved.txt
{
	echo "# SPDX identifiers of the licences approved by the Open Source Initiative."
	echo "# From the npm package spdx-license-list $SPDX_LIST_VERSION (spdx.json, field osiApproved),"
	echo "# which compiles the SPDX License List; CC0-1.0. Refresh with scripts/vendor-assets.sh."
	node -e 'const l=require(process.argv[1]);for(const k of Object.keys(l).sort())if(l[k].osiApproved)console.log(k)' "$mods/spdx-license-list/spdx.json"
} >"$osi"

for p in @kern-ux/native htmx.org axe-core spdx-license-list; do
	printf '%s@%s\n' "$p" "$(node -p "require('$mods/$p/package.json').version")"
done
