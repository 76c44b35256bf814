# Sourced by the conformance scripts: compiling the examples.
#
# compile_examples KAFKAMESH SOURCE_DIR OUT_DIR [--containing TEXT] [COMPILE_OPTION...]
# Compiles every example (a directory under examples/, or a top-level examples/*.yaml; not
# examples/ci, whose files are CI and GitOps configuration) with the options given, into
# OUT_DIR/NAME.yaml. With --containing, only the examples in which a file contains TEXT. Sets
# `compiled` to how many it compiled; returns 1, naming the example, when a compile fails.
compile_examples() {
  local kafkamesh=$1 source_dir=$2 out_dir=$3
  shift 3
  local containing=
  if [ "${1-}" = --containing ]; then
    containing=$2
    shift 2
  fi
  compiled=0
  local example name
  for example in "$source_dir"/examples/*/ "$source_dir"/examples/*.yaml; do
    [ -e "$example" ] || continue  # a pattern that matched nothing
    name=$(basename "$example" .yaml)
    [ "$name" = ci ] && continue
    if [ -n "$containing" ] && ! grep -rqs -- "$containing" "$example"; then
      continue
    fi
    if ! "$kafkamesh" compile "$example" "$@" > "$out_dir/$name.yaml"; then
      echo "$(basename "$0" .sh): kafkamesh compile examples/$name${*:+ $*} failed" >&2
      return 1
    fi
    compiled=$((compiled + 1))
  done
}
