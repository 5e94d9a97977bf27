# GAN figures: real digits, generated digits after each shown epoch (one row each, top: first),
# and both players' losses per epoch.
set datafile separator ','
set terminal pngcairo size 1000,1100 font ',11'
set output outdir.'/gan.png'
set multiplot layout 3,1
set palette gray negative; unset colorbox
set size ratio -1; unset xtics; unset ytics; unset key
set yrange [*:*] reverse
set title 'Real digits'
plot outdir.'/real.csv' matrix with image
set title 'Generated digits, a row per shown epoch (first at the top)'
plot outdir.'/samples_per_epoch.csv' matrix with image
set size noratio; set yrange [*:*] noreverse; set xtics; set ytics; set grid; set key top right
set title 'Losses per epoch (GAN equilibrium: generator log 2, discriminator 2 log 2)'
set xlabel 'epoch'; set ylabel 'loss'
plot outdir.'/losses.csv' using 1:2 skip 1 with lines lw 2 lc rgb '#4c72b0' title 'generator', \
     outdir.'/losses.csv' using 1:3 skip 1 with lines lw 2 lc rgb '#c44e52' title 'discriminator'
unset multiplot
