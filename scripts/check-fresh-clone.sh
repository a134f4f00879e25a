#!/usr/bin/env bash
# Run CI (.ci/run, i.e. the README's test command) in a copy of the working
# tree that holds only what a fresh clone would: tracked files plus new files
# that are not git-ignored. Catches tests that depend on a local .venv, var/,
# caches or files someone forgot to add. The repository is only read.
#
# Usage: scripts/check-fresh-clone.sh [--keep]   (--keep: leave the copy behind)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
copy="$(mktemp -d "${TMPDIR:-/tmp}/lerum-flow-fresh-XXXXXX")"
if [ "${1:-}" != "--keep" ]; then
    trap 'rm -rf "$copy"' EXIT
fi

cd "$root"
# -c tracked, -o untracked, minus ignored; deleted-but-tracked files are skipped.
git ls-files -z -c -o --exclude-standard \
    | while IFS= read -r -d '' path; do [ -e "$path" ] && printf '%s\0' "$path"; done \
    | tar --null -T - -cf - \
    | tar -xf - -C "$copy"

echo "check-fresh-clone: running .ci/run in $copy"
cd "$copy"
./.ci/run
