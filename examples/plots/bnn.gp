# Training data, the network's MAP fit and the true curve.
set datafile separator ','
set terminal pngcairo size 800,560 font ',11'
set output outdir.'/bnn.png'
set title 'Bayesian neural network regression (MAP)'
set xlabel 'x'; set ylabel 'y'; set key top left; set grid
plot outdir.'/data.csv' using 1:2 skip 1 with points pt 7 ps 0.5 lc rgb '#8fa8c8' title 'data', \
     outdir.'/curve.csv' using 1:2 skip 1 with lines lw 3 lc rgb '#c44e52' title 'MAP network', \
     '' using 1:3 skip 1 with lines lw 2 dt 2 lc rgb '#333333' title 'truth'
