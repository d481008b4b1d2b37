# CI runs the README's test command verbatim: the second command of the
# README's quick start must be the last line of .ci/run.
set -u
: "${KZ_SOURCE_DIR:?}"
readme_cmd=$(sed 's/^ *//' "$KZ_SOURCE_DIR/README.md" | awk '/^```sh$/{n++; next} /^```$/{next} n==2 && NF {print; exit}')
ci_cmd=$(grep -v '^#' "$KZ_SOURCE_DIR/.ci/run" | grep -v '^\s*$' | tail -1)
if [ "$readme_cmd" != "$ci_cmd" ]; then
  echo "README test command: $readme_cmd"
  echo ".ci/run command:     $ci_cmd"
  exit 1
fi
echo "README and .ci/run agree"
