# The true low-rank matrix, the observed mask and the MAP reconstruction.
set datafile separator ','
set terminal pngcairo size 1500,520 font ',11'
set output outdir.'/matrix_factorization.png'
set multiplot layout 1,3 title 'Matrix factorisation: rank 2 from half the entries'
set palette defined (-1 '#2166ac', 0 'white', 1 '#b2182b')
set key off; set yrange [*:*] reverse
stats outdir.'/cells.csv' using 3 skip 1 nooutput
m = STATS_max > -STATS_min ? STATS_max : -STATS_min
set cbrange [-m:m]
set title 'truth'
plot outdir.'/cells.csv' using 1:2:3 skip 1 with points pt 5 ps 1.6 lc palette
set title 'observed entries'
plot outdir.'/cells.csv' using 1:2:($5 > 0 ? $3 : 1/0) skip 1 with points pt 5 ps 1.6 lc palette
set title 'MAP reconstruction'
plot outdir.'/cells.csv' using 1:2:4 skip 1 with points pt 5 ps 1.6 lc palette
unset multiplot
