# Log-likelihood per point on the training and test sets, per epoch.
set datafile separator ','
set terminal pngcairo size 800,500 font ',11'
set output outdir.'/losses.png'
set title 'MDN training: log-likelihood per point'
set xlabel 'epoch'
set ylabel 'log-likelihood per point'
set key bottom right
set grid
plot outdir.'/losses.csv' using 1:2 skip 1 with lines lw 2 title 'train', \
     ''                   using 1:3 skip 1 with lines lw 2 title 'test'
