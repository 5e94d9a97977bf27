# Histograms of HMC draws and KLqp guide draws of a Gamma(1, 1) latent against its density.
set datafile separator ','
set terminal pngcairo size 800,500 font ',11'
set output outdir.'/automated_transformations.png'
set title 'Gamma(1, 1) latent: HMC and KLqp on the log scale'
set xlabel 'x'; set ylabel 'density'; set grid; set key top right
set xrange [0:6]; set yrange [0:1.2]
stats outdir.'/draws.csv' using 1 skip 1 nooutput
n = STATS_records
width = 0.1
bin(x) = width * (floor(x / width) + 0.5)
set style fill transparent solid 0.35 noborder
plot outdir.'/draws.csv' using (bin($1)):(1.0 / (n * width)) skip 1 smooth frequency with boxes \
       lc rgb '#4c72b0' title 'HMC draws', \
     '' using (bin($2)):(1.0 / (n * width)) skip 1 smooth frequency with boxes \
       lc rgb '#c44e52' title 'KLqp guide draws', \
     exp(-x) with lines lw 3 lc rgb '#333333' title 'density e^{-x}'
