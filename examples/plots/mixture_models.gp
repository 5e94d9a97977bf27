# The points coloured by their cluster under the Gibbs posterior, and the traces of the means.
set datafile separator ','
set terminal pngcairo size 760,700 font ',11'
set output outdir.'/clusters.png'
stats outdir.'/clusters.csv' using 3 skip 1 nooutput
K = int(STATS_max)
set title 'Gaussian mixture by Gibbs: clusters and posterior means'
set xlabel 'x_0'; set ylabel 'x_1'; set key top left; set grid
plot for [k=0:K] outdir.'/clusters.csv' using 1:($3 == k ? $2 : 1/0) skip 1 with points pt 7 ps 0.5 title sprintf('cluster %d', k), \
     outdir.'/means.csv' using 1:2 skip 1 with points pt 9 ps 3 lc rgb 'black' title 'posterior means'
set terminal pngcairo size 1000,480 font ',11'
set output outdir.'/traces.png'
set title 'Gibbs traces of the component means'
set xlabel 'sweep'; set ylabel 'mean'; set key outside right noenhanced
set key autotitle columnhead
stats outdir.'/traces.csv' skip 1 nooutput
plot for [c=2:STATS_columns] outdir.'/traces.csv' using 1:c with lines
