# The library, CLI and tests build warning-free (-Wall -Wextra -Werror) with
# clang as well as gcc. Skips when clang is not installed.
set -u
command -v clang >/dev/null || { echo "SKIP: clang is not installed"; exit 77; }
: "${KZ_SOURCE_DIR:?}"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
CC=clang cmake -S "$KZ_SOURCE_DIR" -B "$dir" -DKZ_BUILD_TESTS=ON >"$dir/log" 2>&1 &&
  cmake --build "$dir" -j2 >>"$dir/log" 2>&1 || { tail -30 "$dir/log"; exit 1; }
echo "clang build: ok"
