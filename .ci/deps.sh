#!/usr/bin/env bash
# Installs the Debian packages Kizuna needs to build and test, if missing.
# Runs apt-get (through sudo when not root) only when something is missing.
set -euo pipefail
packages=(
  cmake make gcc clang pkg-config
  librdf0-dev librdf-storage-sqlite libraptor2-dev librasqal3-dev libpcre2-dev nettle-dev uuid-dev libxxhash-dev
  libmicrohttpd-dev
  libcmocka-dev
  raptor2-utils python3 valgrind util-linux curl chromium
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "installing: ${missing[*]}" >&2
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
