# Data projected on the top two principal components (SVD) beside the MAP latent coordinates.
set datafile separator ','
set terminal pngcairo size 1200,560 font ',11'
set output outdir.'/ppca.png'
set multiplot layout 1,2 title 'Probabilistic PCA'
set key off; set grid
set title 'projection on the SVD principal components'
set xlabel 'pc 1'; set ylabel 'pc 2'
plot outdir.'/scores.csv' using 1:2 skip 1 with points pt 7 ps 0.5 lc rgb '#4c72b0'
set title 'MAP latent coordinates z'
set xlabel 'z 1'; set ylabel 'z 2'
plot outdir.'/scores.csv' using 3:4 skip 1 with points pt 7 ps 0.5 lc rgb '#dd8452'
unset multiplot
