#!/usr/bin/env bash
# Enforces docs/ARCHITECTURE.md's import table: every `import X` in Sources/<target>/ must name a
# module the target's row lists (system modules aside). Prints each violation; exits 1 on any.
set -euo pipefail
cd "$(dirname "$0")/.."
system="Foundation Dispatch Glibc Darwin FoundationXML"
table=$(sed -n '/<!-- imports/,/<!-- end imports -->/p' docs/ARCHITECTURE.md | grep '^| [A-Za-z]' | grep -v '^| target')
status=0
for folder in Sources/*/; do
  target=$(basename "$folder")
  [ -n "$(find "$folder" -name '*.swift' -print -quit)" ] || continue   # C targets
  row=$(echo "$table" | awk -F'|' -v t="$target" '{ gsub(/ /, "", $2) } $2 == t { print $3 }')
  if [ -z "$row" ]; then echo "docs/ARCHITECTURE.md: no row for target $target"; status=1; continue; fi
  allowed=" $(echo "$row" | tr ',' ' ') $system "
  while IFS=: read -r file line text; do
    module=$(echo "$text" | sed -E 's/^(@testable )?import (struct |class |enum |func |protocol )?([A-Za-z0-9_]+).*/\3/')
    case "$allowed" in *" $module "*) ;; *) echo "$file:$line: $target may not import $module (docs/ARCHITECTURE.md)"; status=1 ;; esac
  done < <(grep -rnE '^(@testable )?import ' "$folder" --include='*.swift')
done
[ $status -eq 0 ] && echo "imports follow docs/ARCHITECTURE.md"
exit $status
