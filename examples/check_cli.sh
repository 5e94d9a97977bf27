#!/usr/bin/env bash
# The MDN program answers bad flags and bad files with a clear message and exit code 2, and
# fits the user's own CSV data.
set -u
mdn=$1
work=$2
mkdir -p "$work"
fail() { echo "check_cli: $*"; exit 1; }
expect() {  # expect CODE PATTERN ARGS...
  local code=$1 pattern=$2; shift 2
  local out rc
  out=$("$mdn" "$@" 2>&1); rc=$?
  [ "$rc" -eq "$code" ] || fail "'$*' exited $rc, expected $code: $out"
  echo "$out" | grep -q -- "$pattern" || fail "'$*' did not say '$pattern': $out"
}
expect 2 "--epochs" --epochs -3
expect 2 "no-such-flag" --no-such-flag
expect 2 "requires --test" --train /dev/null
printf 'x,y\n1,2\n3,oops\n' > "$work/bad.csv"
expect 2 "line 3: column 2 ('oops') is not a number" --train "$work/bad.csv" --test "$work/bad.csv" --out "$work/o"
printf 'a,b\n1,2\n' > "$work/names.csv"
expect 2 "must name columns x and y" --train "$work/names.csv" --test "$work/names.csv" --out "$work/o"
# The user's own data: a small CSV in, losses.csv out with one row per epoch.
awk 'BEGIN { print "x,y"; for (i = 0; i < 200; i++) { y = -3 + 6 * i / 199; print sin(y) * 2 + y * 0.5 "," y } }' > "$work/mine.csv"
expect 0 "final log-likelihood" --train "$work/mine.csv" --test "$work/mine.csv" --epochs 5 --out "$work/mine"
[ "$(head -1 "$work/mine/losses.csv")" = "epoch,train_ll,test_ll" ] || fail "losses.csv header"
[ "$(wc -l < "$work/mine/losses.csv")" -eq 6 ] || fail "losses.csv should have 5 epochs"
echo "check_cli: ok"
