# Edward's probabilistic PCA figures: the simulated data, and a data set regenerated from the
# KLqp posterior predictive.
set datafile separator ','
set terminal pngcairo size 1200,520 font ',11'
set output outdir.'/probabilistic_pca.png'
set multiplot layout 1,2
set xlabel 'x_1'; set ylabel 'x_2'; set grid; set size ratio -1
set title 'Simulated data'
plot outdir.'/data.csv' using 1:2 skip 1 with points pt 7 ps 0.3 lc rgb '#4c72b0' notitle
set title 'Posterior predictive replicate (KLqp)'
plot outdir.'/replicate.csv' using 1:2 skip 1 with points pt 7 ps 0.3 lc rgb '#c44e52' notitle
unset multiplot
