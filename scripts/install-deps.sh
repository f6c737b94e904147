#!/usr/bin/env bash
# Installs what Kaiku needs on Debian 12, only what is missing: build tools and
# libraries from apt, browser-test packages from npm (with the lock file).
# Usage: scripts/install-deps.sh [--test]   (--test adds what the tests need)
set -euo pipefail
cd "$(dirname "$0")/.."

want_tests=0
[[ "${1:-}" == "--test" ]] && want_tests=1

packages=(
  g++ cmake ninja-build make pkg-config git
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libsqlite3-dev libyaml-cpp-dev libspdlog-dev libfmt-dev libcli11-dev
  libsodium-dev libqrencode-dev libicu-dev libssl-dev
  libvoikko-dev voikko-fi libstemmer-dev
  libxlsxwriter-dev libcurl4-openssl-dev
  libgtest-dev
)
# Node.js 20 and npm come with the machine (nodesource); Debian's own nodejs only if absent.
command -v node >/dev/null || packages+=(nodejs)
command -v npm >/dev/null || packages+=(npm)
if ((want_tests)); then
  packages+=(chromium sqlite3 wrk strace curl kannel)
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if ((${#missing[@]})); then
  echo "install-deps: installing ${missing[*]}"
  sudo_cmd=()
  [[ $(id -u) -ne 0 ]] && sudo_cmd=(sudo)
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -qq
  "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# Node packages of the staff web application (app/: Vite, TypeScript, Chart.js),
# exactly as locked; `make app` builds it into app/dist.
if [[ ! -f app/node_modules/.package-lock.json ]] || [[ app/package-lock.json -nt app/node_modules/.package-lock.json ]]; then
  (cd app && npm ci --no-audit --no-fund --loglevel=error)
fi

if ((want_tests)); then
  # Node packages for end-to-end and browser tests, exactly as locked.
  if [[ ! -d tests/node_modules ]] || [[ tests/package-lock.json -nt tests/node_modules ]]; then
    (cd tests && npm ci --no-audit --no-fund --loglevel=error)
  fi
fi
