# 'cmake --install' puts the binary, library, headers, pkg-config file and
# the bundled data where they belong, and the installed kizuna finds its data.
set -u
: "${KZ_BUILD_DIR:?}"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cmake --install "$KZ_BUILD_DIR" --prefix "$dir/prefix" >"$dir/log" 2>&1 || { cat "$dir/log"; exit 1; }
fail=0
for f in bin/kizuna include/kizuna/kizuna.h share/kizuna/ontology/kizuna.ttl; do
  [ -e "$dir/prefix/$f" ] || { echo "missing: $f"; fail=1; }
done
pc=$(find "$dir/prefix" -name kizuna.pc | head -1)
[ -n "$pc" ] || { echo "missing: kizuna.pc"; fail=1; }
[ -n "$(find "$dir/prefix" -name "libkizuna.so*" | head -1)" ] || { echo "missing: libkizuna.so"; fail=1; }
# The installed binary finds PREFIX/share/kizuna on its own.
out=$(env -u KIZUNA_DATA_DIR "$dir/prefix/bin/kizuna" query -f csv -e 'ASK { ?s ?p ?o }' 2>&1)
[ "$(printf '%s' "$out" | tail -1 | tr -d '\r')" = "true" ] || { echo "installed kizuna: $out"; fail=1; }
# A program built against the installed library through pkg-config.
# (Not in the sanitizer build: a program linked to an ASan library needs the
# ASan runtime first, which an ordinary build of it does not arrange.)
if [ -n "$pc" ] && command -v pkg-config >/dev/null && [ "${KZ_SANITIZE:-OFF}" != "ON" ]; then
  cat >"$dir/use.c" <<'C'
#include <kizuna/kizuna.h>
#include <stdio.h>
int main(void) {
  kz_store *store = NULL;
  kz_error err;
  if (kz_store_open(&store, "memory", NULL, &err) != KZ_OK) return 1;
  kz_store_free(store);
  printf("%s\n", kz_version());
  return 0;
}
C
  export PKG_CONFIG_PATH=$(dirname "$pc")
  libdir=$(pkg-config --variable=libdir kizuna)
  cc "$dir/use.c" -o "$dir/use" $(pkg-config --cflags --libs kizuna) -Wl,-rpath,"$libdir" \
    >"$dir/log" 2>&1 && "$dir/use" >/dev/null || { echo "pkg-config build failed:"; cat "$dir/log"; fail=1; }
fi
[ $fail -eq 0 ] && echo "install: ok"
exit $fail
