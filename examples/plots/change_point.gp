# The counts per year, and the posterior of the change point from ed::factor's marginalisation.
set datafile separator ','
set terminal pngcairo size 1200,480 font ',11'
set output outdir.'/change_point.png'
set multiplot layout 1,2
set grid
set title 'Counts per year'
set xlabel 'year'; set ylabel 'count'
plot outdir.'/change_point.csv' using 1:2 skip 1 with impulses lw 2 lc rgb '#4c72b0' notitle
set title 'p(change before year s | data)'
set xlabel 's'; set ylabel 'probability'
plot outdir.'/change_point.csv' using 1:3 skip 1 with boxes fs solid 0.6 lc rgb '#c44e52' notitle
unset multiplot
