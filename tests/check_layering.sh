#!/usr/bin/env bash
# Fails when a floor includes a floor above it, or when the library includes the MPI component
# (mpi/ builds on the library, never the reverse). The floors, bottom up:
#   core ← distributions ← optim, parallel ← inference (mcmc/, variational/) ← criticism ← models
# optim and parallel share a floor and do not include each other.
set -u
root=$1
status=0
# Headers are included as "edpp/<floor>/…"; "edpp/<name>.hpp" is an umbrella header (the user's
# API, the model builders, the MPI component), which the library itself never includes.
check() {  # check DIR FORBIDDEN...
  local dir=$1; shift
  [ -d "$root/$dir" ] || return 0
  for above in "$@"; do
    local pattern="#include [\"<]edpp/$above/"
    [ "$above" = umbrella ] && pattern='#include ["<]edpp/[a-z_]+[.]hpp'
    if grep -rnE "$pattern" "$root/$dir" --include='*.hpp' --include='*.cpp' --include='*.inc'; then
      echo "layering: $dir/ must not include $above/ (dependencies point down only)"
      status=1
    fi
  done
  # Every include of the library names its floor from edpp/.
  if grep -rnE '#include "(core|distributions|optim|parallel|inference|criticism|models|mpi)/' \
      "$root/$dir" --include='*.hpp' --include='*.cpp' --include='*.inc'; then
    echo "layering: $dir/ includes a header without its edpp/ prefix"
    status=1
  fi
}
check core distributions optim parallel inference criticism models umbrella mpi
check distributions optim parallel inference criticism models umbrella mpi
check optim parallel inference criticism models umbrella mpi
check parallel optim inference criticism models umbrella mpi
check inference criticism models umbrella mpi
check criticism models umbrella mpi
check models umbrella mpi
[ $status -eq 0 ] && echo "layering: ok"
exit $status
