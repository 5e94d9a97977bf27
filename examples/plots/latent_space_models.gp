# Latent space model figures: the simulated count matrix, and fitted against true distances.
set datafile separator ','
set terminal pngcairo size 1200,520 font ',11'
set output outdir.'/latent_space_models.png'
set multiplot layout 1,2
set title 'Edge counts x_{ij} (nodes ordered by their first MAP coordinate)'
stats outdir.'/counts.csv' matrix nooutput
n = STATS_size_x
set xrange [-0.5:n-0.5]; set yrange [n-0.5:-0.5]
set xlabel 'node j'; set ylabel 'node i'; set size ratio -1
set palette defined (0 '#ffffff', 1 '#4c72b0', 4 '#08306b')
plot outdir.'/counts.csv' matrix with image notitle
set size noratio; set autoscale xy; unset colorbox
set title 'Distances between fitted positions'
set xlabel 'true distance'; set ylabel 'fitted distance'; set grid; set key top left
plot outdir.'/distances.csv' using 3:1 skip 1 with points pt 7 ps 0.3 lc rgb '#4c72b0' title 'MAP', \
     outdir.'/distances.csv' using 3:2 skip 1 with points pt 7 ps 0.3 lc rgb '#c44e52' title 'KLqp mean', \
     x with lines lc rgb '#333333' dt 2 title 'y = x'
unset multiplot
