#!/usr/bin/env bash
# edpp's NUTS beside Stan's on posteriordb posteriors, one posterior after the other in one
# sitting (issue #24 item 6): for each seed and posterior, Stan's 4 chains one after another
# on one core (stan_side_by_side.R), then edpp's bench_nuts the same way (--sequential: 4 runs
# of one chain, seeds 100·SEED … 100·SEED + 3, one after another on one thread), each 1000
# draws after 1000 warm-up; the minimum bulk ESS over the reference's parameters per
# CPU-second of warm-up plus sampling, and their ratio, as a Markdown table.
#   scripts/crosscheck/side_by_side.sh [--seeds "1 2 3"] [--init-at-reference-mean] NAME...
#   scripts/crosscheck/side_by_side.sh [--seeds "1 2 3"] --all
# Needs rstan (scripts/crosscheck/install_rstan.sh) and bench_nuts, built here in
# build/bench-portable with CMake's defaults, as scripts/bench builds it.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

seeds="1"
init=()
while [ $# -gt 0 ]; do
  case "$1" in
    --seeds) seeds="$2"; shift 2 ;;
    # Both samplers' chains start at the reference's means (where Stan does not find the
    # posterior from random starts: hmm_drive_0, lotka_volterra).
    --init-at-reference-mean) init=(--init-at-reference-mean); shift ;;
    *) break ;;
  esac
done
here="$EDPP_ROOT/scripts/crosscheck"
if [ "${1:-}" = "--all" ]; then
  # Every posterior folder (their names hold a '-'); ls would also print the directories'
  # own paths as headings.
  set -- $(find "$EDPP_ROOT/../shared/posteriordb" "$EDPP_ROOT/data/posteriordb" -mindepth 1 \
    -maxdepth 1 -type d -name '*-*' -printf '%f\n' 2>/dev/null | sort -u)
fi
[ $# -gt 0 ] || { echo "usage: $0 [--seeds \"1 2 3\"] [--init-at-reference-mean] NAME... | --all" >&2; exit 2; }

build="$EDPP_ROOT/build/bench-portable"
edpp_build "$build" -DCMAKE_BUILD_TYPE=Release -DEDPP_BUILD_TESTS=OFF -- bench_nuts >/dev/null
log="$EDPP_ROOT/build/side_by_side.log"
: >"$log"
echo "| posterior | seed | Stan ESS/s | Stan µs/leapfrog | edpp ESS/CPU-s | edpp µs/gradient | ratio |"
echo "|---|---|---|---|---|---|---|"
for seed in $seeds; do
  for name in "$@"; do
    stan=$(Rscript "$here/stan_side_by_side.R" "${init[@]}" "$seed" "$name" 2>>"$log" | tee -a "$log" |
      grep "^$name seed" || true)
    edpp=$("$build/bench/bench_nuts" "${init[@]}" --sequential --seed "$seed" --posterior "${name%@*}" 2>>"$log" |
      tee -a "$log" | grep "^${name%@*}:" || true)
    stan_rate=$(sed -n 's/.*ESS per second \([0-9.]*\).*/\1/p' <<<"$stan")
    stan_step=$(sed -n 's/.*, \([0-9.]*\) µs per leapfrog step.*/\1/p' <<<"$stan")
    edpp_rate=$(sed -n 's/.*ESS per cpu-second \([0-9.]*\).*/\1/p' <<<"$edpp")
    edpp_step=$(sed -n 's/.*gradients [0-9]* (\([0-9.]*\) us each.*/\1/p' <<<"$edpp")
    ratio=$(awk -v a="${edpp_rate:-0}" -v b="${stan_rate:-0}" \
      'BEGIN { if (b > 0) printf "%.1f", a / b; else print "-" }')
    echo "| $name | $seed | ${stan_rate:--} | ${stan_step:--} | ${edpp_rate:--} | ${edpp_step:--} | $ratio |"
  done
done
echo "(both programs' whole output: $log)" >&2
