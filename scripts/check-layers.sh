#!/usr/bin/env bash
# Checks the layer rule of ARCHITECTURE.md: a file under src/<layer>/ may include
# only headers of its own layer and of the layers it depends on. Prints each
# violation as file:line: message and exits 1 if there is any.
set -euo pipefail
cd "$(dirname "$0")/.."

declare -A allowed=(
  [base]="base"
  [domain]="base domain"
  [modelfile]="base domain modelfile"
  [storage]="base domain security storage"
  [security]="base security"
  [web]="base domain web"
  [analytics]="base domain analytics"
  [text]="base domain text"
  [service]="base domain modelfile storage security analytics text service"
  [http]="base domain modelfile storage security web analytics text service http"
  [channels]="base domain modelfile storage security web analytics text service http channels"
  [apps]="base domain modelfile storage security web analytics text service http channels apps"
)

status=0
for layer in "${!allowed[@]}"; do
  [[ -d src/$layer ]] || continue
  while IFS=: read -r file line include; do
    target=$(sed -E 's/.*#include "([a-z_]+)\/.*/\1/' <<<"$include")
    [[ -d src/$target ]] || continue  # not a Kaiku layer (e.g. a local header)
    if [[ " ${allowed[$layer]} " != *" $target "* ]]; then
      echo "$file:$line: layer '$layer' must not include '$target' (${include#*#})"
      status=1
    fi
  done < <(grep -rn --include='*.hpp' --include='*.cpp' -E '^#include "[a-z_]+/' "src/$layer" || true)
done
# The domain uses only the standard library.
if grep -rn --include='*.hpp' --include='*.cpp' -E '^#include <(boost|yaml-cpp|sqlite3|sodium|spdlog|CLI|qrencode|fmt)' src/domain; then
  echo "src/domain must use only the standard library"
  status=1
fi
exit $status
