# Data with outliers: the Student-t fit stays on the line, the Normal fit is pulled up.
set datafile separator ','
set terminal pngcairo size 800,560 font ',11'
set output outdir.'/robust_regression.png'
set title 'Robust regression: Student t against Normal likelihood'
set xlabel 'x'; set ylabel 'y'; set key top left; set grid
plot outdir.'/data.csv' using 1:2 skip 1 with points pt 7 ps 0.5 lc rgb '#8fa8c8' title 'data', \
     outdir.'/fits.csv' using 1:2 skip 1 with lines lw 3 lc rgb '#55a868' title 'Student t (MAP)', \
     '' using 1:3 skip 1 with lines lw 3 lc rgb '#c44e52' title 'Normal (MAP)', \
     '' using 1:4 skip 1 with lines lw 2 dt 2 lc rgb '#333333' title 'truth'
