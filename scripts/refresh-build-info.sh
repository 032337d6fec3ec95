#!/usr/bin/env bash
# SwiftPM caches its build plan and then skips the BuildInfo plugin's prebuild command, so after a
# commit with no source change the binary would keep recording the previous commit. Remove the
# generated BuildInfo.swift when it names another commit than the tree's (the same rule as
# Plugins/BuildInfo), and with it the cached build descriptions, so the next build plans again, runs the
# prebuild command and relinks (with the descriptions kept, a build could fail on the missing file:
# "couldn't build … because of missing inputs: …/BuildInfo.swift").
set -u
cd "$(dirname "$0")/.."
commit=$(git rev-parse HEAD 2>/dev/null) || commit=unknown
if [ "$commit" != unknown ] && ! git diff --quiet HEAD -- 2>/dev/null; then commit="$commit+dirty"; fi
for stamp in .build/plugins/outputs/*/Store/destination/BuildInfo/BuildInfo/BuildInfo.swift; do
    [ -f "$stamp" ] || continue
    grep -q "commit = \"$commit\"" "$stamp" && continue
    rm -f "$stamp" .build/*/*/description.json
done
