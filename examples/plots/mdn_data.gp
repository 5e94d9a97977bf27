# The tutorial's first figure: the training data, an inverse problem (one x, several y).
set datafile separator ','
set terminal pngcairo size 800,600 font ',11'
set output outdir.'/data.png'
set title 'Toy data: x = 7 sin(0.75 y) + 0.5 y + noise'
set xlabel 'x'
set ylabel 'y'
set key off
plot outdir.'/train.csv' using 1:2 skip 1 with points pt 7 ps 0.35 lc rgb '#4c72b0'
