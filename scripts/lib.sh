# Shared by scripts/demo and scripts/test: installs what is missing, configures and builds.
# Sourced, not run.

EDPP_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# ccache (used when installed) hashes paths relative to the checkout, so a fresh clone elsewhere
# (as CI makes) still hits the cache.
export CCACHE_BASEDIR="$EDPP_ROOT" CCACHE_NOHASHDIR=1
# Debian packages the build needs. gnuplot-nox is gnuplot without the Qt/X11 front ends: the PNG
# (pngcairo) terminal is all the examples use.
# OpenMPI (libopenmpi-dev, openmpi-bin) builds the MPI component and runs its tests under mpirun.
EDPP_PACKAGES=(g++ cmake make libeigen3-dev libboost-math-dev libboost-dev doctest-dev libcli11-dev
  gnuplot-nox ccache nlohmann-json3-dev libopenmpi-dev openmpi-bin)

edpp_install_missing() {
  local missing=()
  for pkg in "${EDPP_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "edpp: installing missing Debian packages: ${missing[*]}"
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  # Another apt-get (unattended upgrades, a second terminal) may hold dpkg's or the package
  # lists' lock: wait for it, up to 10 minutes, rather than fail at once.
  edpp_apt $sudo apt-get update -qq
  edpp_apt $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
    --no-install-recommends "${missing[@]}"
}

# edpp_apt [sudo] apt-get ARGS...: runs it with dpkg's lock timeout, and retries while the
# package lists' lock (which that timeout does not cover) is held by another process.
edpp_apt() {
  local waited=0 log status
  log=$(mktemp)
  while true; do
    status=0
    "$@" -o DPkg::Lock::Timeout=600 2>"$log" || status=$?
    cat "$log" >&2
    if [ $status -eq 0 ]; then
      rm -f "$log"
      return 0
    fi
    if ! grep -q "Could not get lock" "$log" || [ $waited -ge 600 ]; then
      rm -f "$log"
      return 1
    fi
    echo "edpp: another apt-get holds its lock; waiting ($waited s so far)" >&2
    sleep 10
    waited=$((waited + 10))
  done
}

# edpp_build BUILD_DIR [cmake options...] [-- targets...]
edpp_build() {
  local dir=$1; shift
  local options=() targets=()
  while [ $# -gt 0 ] && [ "$1" != "--" ]; do options+=("$1"); shift; done
  [ "${1:-}" = "--" ] && shift
  targets=("$@")
  local generator=()
  command -v ninja >/dev/null 2>&1 && generator=(-G Ninja)
  if [ ! -f "$dir/CMakeCache.txt" ]; then
    cmake -S "$EDPP_ROOT" -B "$dir" "${generator[@]}" "${options[@]}"
  else
    cmake "$dir" "${options[@]}" >/dev/null
  fi
  local target_args=()
  [ ${#targets[@]} -gt 0 ] && target_args=(--target "${targets[@]}")
  cmake --build "$dir" --parallel "$(nproc)" "${target_args[@]}"
}
