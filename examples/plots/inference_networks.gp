# Variational autoencoder figures: test images and their reconstructions, the test images'
# codes coloured by shape, images decoded over a grid of codes, and the bound per epoch.
set datafile separator ','
set terminal pngcairo size 1400,1000 font ',11'
set output outdir.'/inference_networks.png'
set multiplot layout 2,2
set palette gray negative; unset colorbox
set size ratio -1; unset xtics; unset ytics; unset key
set title 'Test images (rows 1, 3) and reconstructions at the mean of q (rows 2, 4)'
set yrange [*:*] reverse
plot outdir.'/reconstructions.csv' matrix with image
set title 'Images decoded over a grid of codes z in [-2.5, 2.5]^2'
plot outdir.'/manifold.csv' matrix with image
set size noratio; set yrange [*:*] noreverse; set xtics; set ytics; set grid; set key top right
set title 'Mean of q(z | x) for the test images'
set xlabel 'z_1'; set ylabel 'z_2'
plot outdir.'/codes.csv' using 1:($3==0?$2:1/0) skip 1 with points pt 7 ps 0.5 lc rgb '#4c72b0' title 'disc', \
     outdir.'/codes.csv' using 1:($3==1?$2:1/0) skip 1 with points pt 7 ps 0.5 lc rgb '#dd8452' title 'square', \
     outdir.'/codes.csv' using 1:($3==2?$2:1/0) skip 1 with points pt 7 ps 0.5 lc rgb '#55a868' title 'bar', \
     outdir.'/codes.csv' using 1:($3==3?$2:1/0) skip 1 with points pt 7 ps 0.5 lc rgb '#c44e52' title 'diagonal'
set title 'Bound on -log p(x) per image'
set xlabel 'epoch'; set ylabel 'negative ELBO per image'
plot outdir.'/losses.csv' using 1:2 skip 1 with linespoints pt 7 ps 0.5 lc rgb '#4c72b0' title 'training', \
     outdir.'/losses.csv' using 1:3 skip 1 with linespoints pt 7 ps 0.5 lc rgb '#c44e52' title 'test'
unset multiplot
