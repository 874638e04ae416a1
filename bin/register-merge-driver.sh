#!/bin/sh
# Registers the "streamfleet-generated" merge driver that .gitattributes names for the generated paths (see
# bin/merge-generated.sh and docs/merging.md). Git reads merge drivers only from its configuration, never from the
# repository, so `pnpm install` runs this through package.json "prepare". Idempotent (git config overwrites the two
# keys), and does nothing outside a git work tree or without git (e.g. when installed from a tarball).
# Checked: git/git @ 00035bdf2fd94f2fff3eb51e0d880da5102243d0 : Documentation/gitattributes.txt ("Defining a custom
# merge driver": merge.<driver>.name and merge.<driver>.driver in $GIT_DIR/config).
set -eu

command -v git >/dev/null 2>&1 || exit 0
git rev-parse --is-inside-work-tree >/dev/null 2>&1 || exit 0
[ -f bin/merge-generated.sh ] || exit 0
# The driver runs from the top of the work tree; this package (the current folder) may sit in a subfolder of it.
prefix=$(git rev-parse --show-prefix)
git config merge.streamfleet-generated.name "streamfleet generated files: keep ours; pnpm gen regenerates"
git config merge.streamfleet-generated.driver "sh ${prefix}bin/merge-generated.sh %O %A %B %P"
