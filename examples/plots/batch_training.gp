# The minibatch estimate of the negative ELBO (scaled to the whole data set) per update.
set datafile separator ','
set terminal pngcairo size 800,480 font ',11'
set output outdir.'/batch_training.png'
set title 'Batch training: KLqp loss per minibatch update (scale N/M)'
set xlabel 'update'; set ylabel 'loss (negative ELBO estimate)'; set grid; set key off
set logscale y
plot outdir.'/losses.csv' using 1:2 skip 1 with lines lw 1.5 lc rgb '#4c72b0'
