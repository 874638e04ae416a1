#!/bin/sh
# Git merge driver "streamfleet-generated" for the generated paths (.gitattributes `merge=streamfleet-generated`),
# registered by bin/register-merge-driver.sh (package.json "prepare"), called by git as
#   sh bin/merge-generated.sh %O %A %B %P
# (base, ours, theirs: temporary files; %P: the path in the repository), from the top of the work tree.
# A generated file is never merged line by line: both sides are outputs of `pnpm gen`, so this keeps ours (already in
# %A) and reports the file merged; `pnpm gen` (or `pnpm resolve`) then regenerates it from the merged inventory, and
# CI's `pnpm gen --check` catches a forgotten regeneration. The ledger is merged path by path
# (scripts/merge/ledger-driver.ts), so that it still describes the files this merge leaves. See docs/merging.md.
# Checked: git/git @ 00035bdf2fd94f2fff3eb51e0d880da5102243d0 : Documentation/gitattributes.txt ("Defining a custom
# merge driver": result in %A, exit 0 when merged cleanly, non-zero up to 128 for a conflict);
# git/git @ e5a0d5d8bbeed7d0cb21533f9727591e110f50b8 : merge-ll.c (ll_ext_merge: run through the shell, %P quoted).
set -eu

if [ "$#" -ne 4 ]; then
  echo "usage: $0 BASE OURS THEIRS PATH (git merge driver %O %A %B %P)" >&2
  exit 1
fi

case "$4" in
  .gen-ledger.json)
    here=$(dirname "$0")
    # Exit 1 on any failure (tsx missing included): git then records a conflict, which `pnpm resolve` settles.
    "$here/../node_modules/.bin/tsx" "$here/../scripts/merge/ledger-driver.ts" "$1" "$2" "$3" || exit 1
    ;;
esac
exit 0
