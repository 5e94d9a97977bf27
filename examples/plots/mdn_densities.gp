# Predicted densities p(y | x) of test points 0, 4 and 6, the true y as a vertical line.
set datafile separator ','
set terminal pngcairo size 800,900 font ',11'
set output outdir.'/densities.png'
set multiplot layout 3,1 title 'Predicted density of y for three test points'
set key top left
set ylabel 'p(y | x)'
do for [k=0:2] {
  stats outdir.'/densities.csv' using (column(k+2)) skip 1 nooutput
  top = STATS_max
  if (k == 2) { set xlabel 'y' }
  plot outdir.'/densities.csv' using 1:(column(k+2)) skip 1 with lines lw 2 lc rgb '#4c72b0' \
         title sprintf('test point %d', k == 0 ? 0 : (k == 1 ? 4 : 6)), \
       outdir.'/density_points.csv' every ::k::k using 3:(0):(0):(top) skip 1 with vectors nohead \
         lw 2 dt 2 lc rgb '#c44e52' title 'true y'
}
unset multiplot
