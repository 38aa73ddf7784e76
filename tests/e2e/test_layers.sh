#!/usr/bin/env bash
# The core's layers (src/core/layers.txt) hold: no #include runs up a layer, every
# core file sits in a layer's folder, and each layer's link probe links that layer
# whole with the layers below it and nothing else, so a call that runs up fails the build.
. "$(dirname "$0")/lib.sh"
src=$OPSFLOW_SOURCE
build=$(dirname "$OPSFLOW_BIN")
layers=$(sed 's/#.*//' "$src/src/core/layers.txt" | awk 'NF {print $1}')

CASE="the source tree has no arrow running up"
run "$src/scripts/check-layers" "$src"
expect_rc 0; expect_eq "$OUT" ""

CASE="an upward include, a file outside the layers and a table running up are refused"
tree=$(mktemp -d); TMP_ROOTS+=("$tree")
mkdir -p "$tree/src" "$tree/include"
cp -r "$src/src/core" "$tree/src/"; cp -r "$src/include/opsflow" "$tree/include/"
printf '#include "opsflow/work/incident.hpp"\n' >> "$tree/src/core/base/id.cpp"
printf '#include "store/journal.hpp"\n' >> "$tree/include/opsflow/record/record.hpp"
line=$(wc -l < "$tree/src/core/base/id.cpp")
run "$src/scripts/check-layers" "$tree"
expect_rc 1
expect_out "src/core/base/id.cpp:$line: layer base includes a header of layer work, which is above it"
expect_out "include/opsflow/record/record.hpp:$(wc -l < "$tree/include/opsflow/record/record.hpp"): layer record includes a header of layer store"
expect_eq "$(wc -l <<<"$OUT")" 2
cp -r "$src/src/core" "$tree/fresh"; rm -rf "$tree/src/core"; mv "$tree/fresh" "$tree/src/core"
cp "$src/src/core/base/id.cpp" "$tree/src/core/loose.cpp"
sed -i 's/^base .*/base store/' "$tree/src/core/layers.txt"
run "$src/scripts/check-layers" "$tree"
expect_rc 1
expect_out "src/core/loose.cpp: not in a layer's folder"
expect_out "layers.txt: layer base uses store, which is not a layer listed above it"

CASE="each layer's probe links it whole with exactly the layers it may use"
# The layers a layer may use: those it names, and what they use, from the table.
below() {
  local todo=("$1") seen=" $1 " l
  while [ ${#todo[@]} -gt 0 ]; do
    l=${todo[0]}; todo=("${todo[@]:1}")
    for u in $(sed 's/#.*//' "$src/src/core/layers.txt" | awk -v l="$l" '$1 == l {for (i = 2; i <= NF; i++) print $i}'); do
      case "$seen" in *" $u "*) ;; *) seen="$seen$u "; todo+=("$u");; esac
    done
  done
  tr ' ' '\n' <<<"$seen" | grep -v "^$1\$" | grep . | sort | tr '\n' ' '
}
for layer in $layers; do
  link=$build/CMakeFiles/opsflow_layer_probe_$layer.dir/link.txt
  if [ -x "$build/opsflow_layer_probe_$layer" ] && [ -f "$link" ]; then ok; else fail "no probe for $layer"; continue; fi
  grep -q -- "--whole-archive libopsflow_$layer.a" "$link" && ok || fail "$layer is not linked whole"
  linked=$(grep -o 'libopsflow_[a-z]*\.a' "$link" | sed 's/libopsflow_//; s/\.a//' | grep -vx "$layer" | sort -u | tr '\n' ' ')
  expect_eq "$linked" "$(below "$layer")"
done

finish
