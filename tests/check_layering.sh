#!/usr/bin/env bash
# Fails when a layer includes a layer above it (core ← distributions ← inference ← models), or
# when the library includes the MPI component (mpi/ builds on the library, never the reverse).
set -u
root=$1
status=0
check() {  # check DIR FORBIDDEN...
  local dir=$1; shift
  [ -d "$root/$dir" ] || return 0
  for above in "$@"; do
    if grep -rnE "#include [\"<]$above/" "$root/$dir" --include='*.hpp' --include='*.cpp'; then
      echo "layering: $dir/ must not include $above/ (dependencies point down only)"
      status=1
    fi
  done
}
check core distributions inference models examples edpp mpi
check distributions inference models examples edpp mpi
check inference models examples edpp mpi
check models examples mpi
[ $status -eq 0 ] && echo "layering: ok"
exit $status
