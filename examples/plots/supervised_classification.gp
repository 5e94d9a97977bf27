# Gaussian process classification: the posterior predictive P(y = 1 | x) over the plane, with
# the training points of each class.
set datafile separator ','
set terminal pngcairo size 760,640 font ',11'
set output outdir.'/supervised_classification.png'
set title 'GP classification (KLqp): posterior predictive P(y = 1 | x)'
set xlabel 'x_1'; set ylabel 'x_2'; set size ratio -1
set xrange [-2:2]; set yrange [-2:2]; set cbrange [0:1]
set palette defined (0 '#4c72b0', 0.5 '#f7f7f7', 1 '#c44e52')
set key outside bottom center horizontal
plot outdir.'/surface.csv' using 1:2:3 skip 1 with image notitle, \
     outdir.'/points.csv' using 1:($3==1?$2:1/0) skip 1 with points pt 7 ps 0.7 lc rgb '#8c1c13' title 'y = 1', \
     outdir.'/points.csv' using 1:($3==0?$2:1/0) skip 1 with points pt 5 ps 0.6 lc rgb '#08306b' title 'y = 0'
