# Edward's supervised regression figures: ten regression lines drawn from the prior and ten from
# the KLqp posterior, over the training data (first feature).
set datafile separator ','
set terminal pngcairo size 1200,480 font ',11'
set output outdir.'/supervised_regression.png'
set multiplot layout 1,2
set xlabel 'x'; set ylabel 'y'; set grid; set key bottom right
set xrange [-8:8]; set yrange [-10:10]
set title 'Prior: 10 draws of (w, b)'
plot outdir.'/data.csv' using 1:2 skip 1 with points pt 7 ps 0.6 lc rgb '#333333' title 'data', \
     for [k=2:11] outdir.'/prior_lines.csv' using 1:k with lines lw 1.5 lc rgb '#4c72b0' notitle
set title 'Posterior (KLqp): 10 draws of (w, b)'
plot outdir.'/data.csv' using 1:2 skip 1 with points pt 7 ps 0.6 lc rgb '#333333' title 'data', \
     for [k=2:11] outdir.'/posterior_lines.csv' using 1:k with lines lw 1.5 lc rgb '#c44e52' notitle
unset multiplot
