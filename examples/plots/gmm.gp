# Points coloured by their most probable component, with the MAP means.
set datafile separator ','
set terminal pngcairo size 760,700 font ',11'
set output outdir.'/gmm.png'
set title 'Gaussian mixture: MAP clusters and means'
set xlabel 'x_0'; set ylabel 'x_1'; set key top left; set grid
plot for [k=0:2] outdir.'/clusters.csv' using 1:($3 == k ? $2 : 1/0) skip 1 with points pt 7 ps 0.5 title sprintf('cluster %d', k), \
     outdir.'/means.csv' using 1:2 skip 1 with points pt 9 ps 3 lc rgb 'black' title 'MAP means'
