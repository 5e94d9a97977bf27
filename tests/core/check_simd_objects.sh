#!/usr/bin/env bash
# Note [SIMD dispatch], checked on the objects themselves:
#  - the upper levels' objects define no weak (COMDAT) symbol outside their own namespaces, so
#    the linker cannot pick their AVX code for a caller elsewhere in the library;
#  - the baseline object uses no AVX register (ymm/zmm) unless the library is built natively.
#   check_simd_objects.sh NATIVE(ON|OFF) BASELINE_OBJECT LEVEL_OBJECT...
set -u
native=$1 baseline=$2
shift 2
status=0
for object in "$@"; do
  level=$(basename "$object" | sed -n 's/kernels_\(x86_64_v[0-9]\).*/\1/p')
  # Weak symbols (W, V, u) not in edpp_eigen_<level>:: or ed::simd::<level>:: (the personality
  # routine's reference is data every C++ object has).
  foreign=$(nm -C --defined-only "$object" | awk '$2 ~ /^[WVu]$/' |
            grep -v -e "edpp_eigen_$level::" -e "ed::simd::$level::" -e "DW.ref.__gxx_personality_v0" || true)
  if [ -n "$foreign" ]; then
    echo "simd: $object defines weak symbols outside its namespaces:"; echo "$foreign" | head
    status=1
  fi
  if ! nm -C --defined-only "$object" | grep -q "ed::simd::$level::table"; then
    echo "simd: $object does not define ed::simd::$level::table"; status=1
  fi
done
if [ "$native" != "ON" ]; then
  if objdump -d --no-show-raw-insn "$baseline" | grep -qE "%[yz]mm"; then
    echo "simd: the baseline object $baseline uses AVX registers"; status=1
  fi
fi
[ $status -eq 0 ] && echo "simd objects: ok ($# levels above the baseline)"
exit $status
