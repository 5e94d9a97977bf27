# Probabilistic decoder figures: rate against distortion per code size (with the no-code
# baseline), the held-out digits' codes for d = 2, digits decoded over a grid of 2-D codes, and
# the decoders' fantasies (decoded prior draws, a row per code size).
set datafile separator ','
set terminal pngcairo size 1400,1000 font ',11'
set output outdir.'/probabilistic_decoder.png'
set multiplot layout 2,2
set grid; set key top right
baseline = real(system("tail -1 '".outdir."/baseline.csv'"))
set title sprintf('Bits per held-out image (independent pixels: %.1f)', baseline)
set xlabel 'rate KL(q(z|x) || p(z)), bits'; set ylabel 'distortion -E_q log p(x|z), bits'
set xrange [0:*]; set yrange [0:*]
f(x) = baseline - x
plot outdir.'/rate_distortion.csv' using 2:3 skip 1 with linespoints pt 7 ps 1.2 lc rgb '#4c72b0' title 'decoder, code size d', \
     outdir.'/rate_distortion.csv' using 2:3:(sprintf('d = %d', $1)) skip 1 with labels offset 2,1 notitle, \
     f(x) with lines dt 2 lc rgb '#999999' title 'rate + distortion = no-code length'
set autoscale
set title 'Mean of q(z | x) for held-out digits (d = 2), by digit'
set xlabel 'z_1'; set ylabel 'z_2'
set palette defined (0 '#4c72b0', 1 '#dd8452', 2 '#55a868', 3 '#c44e52', 4 '#8172b3', 5 '#937860', 6 '#da8bc3', 7 '#8c8c8c', 8 '#ccb974', 9 '#64b5cd')
set cbrange [-0.5:9.5]; set cbtics 0,1,9; set colorbox
plot outdir.'/codes.csv' using 1:2:3 skip 1 with points pt 7 ps 0.6 palette notitle
unset colorbox
set palette gray negative; set cbrange [0:1]
set size ratio -1; unset xtics; unset ytics; unset key; unset grid
set xlabel ''; set ylabel ''
set yrange [*:*] reverse
set title 'Digits decoded over a grid of codes z in [-2, 2]^2 (d = 2)'
plot outdir.'/manifold.csv' matrix with image
set title 'Fantasies: decoded prior draws of z, a row per code size (d = 1, 2, 4, 8)' noenhanced
plot outdir.'/fantasies.csv' matrix with image
unset multiplot
