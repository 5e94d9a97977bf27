#!/usr/bin/env bash
# The MPI example end to end: simulated data on 1 process, the same data read from CSV in shards
# by 2 processes, estimates equal to 1e-12; a malformed line in rank 1's shard stops both ranks
# with rank 1's message naming the line.
#   check_example.sh MPIEXEC EXAMPLE WORK_DIR [MPIEXEC_FLAGS...]  (OMPI_* variables in the environment)
set -euo pipefail
mpiexec=$1 example=$2 work=$3
shift 3
mkdir -p "$work"
cd "$work"
"$mpiexec" -n 1 "$@" "$example" --rows 3001 --features 4 --iterations 150 --save-data data.csv \
  --out simulated_np1.csv >np1.txt
"$mpiexec" -n 2 "$@" "$example" --data data.csv --iterations 150 --out csv_np2.csv >np2.txt
grep -q "2 processes, 3001 rows (0 to 1501 on rank 0)" np2.txt
paste -d, simulated_np1.csv csv_np2.csv | awk -F, '
  NR > 1 { d = $1 - $2; if (d < 0) d = -d; s = $1 < 0 ? -$1 : $1;
           if (d > 1e-12 * (s > 1 ? s : 1)) { print "estimates differ: " $1 " vs " $2; bad = 1 } }
  END { exit bad }'
# Rank 1 holds the last rows; line 3002 (header + 3001 rows) is made malformed.
sed '3002s/.*/1,2,oops,4,1/' data.csv >bad.csv
if "$mpiexec" -n 2 "$@" "$example" --data bad.csv --iterations 1 >bad.txt 2>&1; then
  echo "a malformed shard did not fail"; exit 1
fi
grep -q "rank 1: read_csv: bad.csv, line 3002: column 3 ('oops') is not a number" bad.txt || {
  cat bad.txt; exit 1; }
echo "mpi example: estimates agree on 1 and 2 processes; a bad shard stops both ranks"
