# Counts against x with the fitted and the true rate exp(wx + b).
set datafile separator ','
set terminal pngcairo size 800,560 font ',11'
set output outdir.'/poisson_regression.png'
set title 'Poisson regression (log link)'
set xlabel 'x'; set ylabel 'count'; set key top left; set grid
plot outdir.'/data.csv' using 1:2 skip 1 with points pt 7 ps 0.5 lc rgb '#8fa8c8' title 'counts', \
     outdir.'/rate.csv' using 1:2 skip 1 with lines lw 3 lc rgb '#c44e52' title 'MAP rate', \
     '' using 1:3 skip 1 with lines lw 2 dt 2 lc rgb '#333333' title 'true rate'
