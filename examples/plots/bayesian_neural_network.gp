# Edward's Bayesian neural network figures: ten functions from the prior, and the KLqp
# posterior predictive (mean, 90% bands of f and of new y, ten function draws) over the data.
set datafile separator ','
set terminal pngcairo size 1200,480 font ',11'
set output outdir.'/bayesian_neural_network.png'
set multiplot layout 1,2
set xlabel 'x (rescaled)'; set ylabel 'y'; set grid; set key top left
set xrange [-2:2]; set yrange [-3:3]
set title 'Prior: 10 functions'
plot outdir.'/data.csv' using 1:2 skip 1 with points pt 7 ps 0.6 lc rgb '#333333' title 'data', \
     for [k=2:11] outdir.'/prior.csv' using 1:k with lines lw 1.2 lc rgb '#4c72b0' notitle
set title 'Posterior predictive (KLqp)'
plot outdir.'/posterior.csv' using 1:5:6 with filledcurves fs transparent solid 0.15 noborder lc rgb '#c44e52' title '90% band of y', \
     outdir.'/posterior.csv' using 1:3:4 with filledcurves fs transparent solid 0.35 noborder lc rgb '#c44e52' title '90% band of f', \
     for [k=7:16] outdir.'/posterior.csv' using 1:k with lines lw 0.8 lc rgb '#8c1c13' notitle, \
     outdir.'/posterior.csv' using 1:2 with lines lw 2 lc rgb '#000000' title 'mean of f', \
     outdir.'/data.csv' using 1:2 skip 1 with points pt 7 ps 0.6 lc rgb '#333333' title 'data'
unset multiplot
