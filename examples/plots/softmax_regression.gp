# Predicted class regions of the softmax regression, with the data.
set datafile separator ','
set terminal pngcairo size 760,700 font ',11'
set output outdir.'/softmax_regression.png'
set title 'Softmax regression: predicted regions'
set xlabel 'x_0'; set ylabel 'x_1'; set key top left
set xrange [-7:7]; set yrange [-7:7]
set palette defined (0 '#c6dbef', 1 '#fdd0a2', 2 '#c7e9c0')
unset colorbox
set cbrange [0:2]
plot outdir.'/regions.csv' using 1:2:3 skip 1 with points pt 5 ps 1.3 lc palette notitle, \
     outdir.'/data.csv' using 1:($3 == 0 ? $2 : 1/0) skip 1 with points pt 7 ps 0.45 lc rgb '#08519c' title 'class 0', \
     outdir.'/data.csv' using 1:($3 == 1 ? $2 : 1/0) skip 1 with points pt 7 ps 0.45 lc rgb '#a63603' title 'class 1', \
     outdir.'/data.csv' using 1:($3 == 2 ? $2 : 1/0) skip 1 with points pt 7 ps 0.45 lc rgb '#006d2c' title 'class 2'
