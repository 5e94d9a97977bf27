# Standardised differences of the posterior means from posteriordb's reference.
set datafile separator ','
set terminal pngcairo size 800,420 font ',11'
set output outdir.'/posteriordb.png'
set title 'edpp NUTS against the reference: (mean - reference) / MCSE of the difference'
set xlabel 'parameter'; set ylabel 'z'; set grid; set key off
set yrange [-5:5]
plot outdir.'/z_scores.csv' using 1:2 skip 1 with points pt 7 ps 1.2 lc rgb '#4c72b0', \
     4 with lines dt 2 lc rgb '#c44e52', -4 with lines dt 2 lc rgb '#c44e52'
