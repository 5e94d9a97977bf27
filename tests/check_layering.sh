#!/usr/bin/env bash
# Fails when a floor includes a floor above it, or when the library includes the MPI component
# (mpi/ builds on the library, never the reverse). The floors, bottom up:
#   core ← distributions ← optim, parallel ← inference (mcmc/, variational/) ← criticism ← models
# optim and parallel share a floor and do not include each other.
set -u
root=$1
status=0
check() {  # check DIR FORBIDDEN...
  local dir=$1; shift
  [ -d "$root/$dir" ] || return 0
  for above in "$@"; do
    if grep -rnE "#include [\"<](edpp/)?$above/" "$root/$dir" --include='*.hpp' --include='*.cpp'; then
      echo "layering: $dir/ must not include $above/ (dependencies point down only)"
      status=1
    fi
  done
}
check core distributions optim parallel inference criticism models examples edpp mpi
check distributions optim parallel inference criticism models examples edpp mpi
check optim parallel inference criticism models examples edpp mpi
check parallel optim inference criticism models examples edpp mpi
check inference criticism models examples edpp mpi
check criticism models examples edpp mpi
check models examples mpi
[ $status -eq 0 ] && echo "layering: ok"
exit $status
