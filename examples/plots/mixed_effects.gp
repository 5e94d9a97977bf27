# Group levels β₀ + u_j: fitted against true, one point per group.
set datafile separator ','
set terminal pngcairo size 700,640 font ',11'
set output outdir.'/mixed_effects.png'
set title 'Mixed effects: random intercepts, MAP against truth'
set xlabel 'true level'; set ylabel 'MAP level'; set key top left; set grid
set size square
stats outdir.'/levels.csv' using 2 skip 1 nooutput
lo = STATS_min - 0.5; hi = STATS_max + 0.5
set xrange [lo:hi]; set yrange [lo:hi]
plot x with lines dt 2 lc rgb '#333333' title 'y = x', \
     outdir.'/levels.csv' using 2:3 skip 1 with points pt 7 ps 1.5 lc rgb '#4c72b0' title 'groups'
