# Eight schools: theta[0] against log tau from NUTS, centred and non-centred.
set datafile separator ','
set terminal pngcairo size 1200,480 font ',11'
set output outdir.'/eight_schools.png'
set multiplot layout 1,2
set xlabel 'log tau'; set ylabel 'theta[0]'; set grid
set xrange [-6:4]; set yrange [-20:50]
set title "Centred: the funnel's neck is barely reached"
plot outdir.'/funnel.csv' using 1:2 skip 1 with points pt 7 ps 0.3 lc rgb '#c44e52' notitle
set title 'Non-centred: the whole funnel'
plot outdir.'/funnel.csv' using 3:4 skip 1 with points pt 7 ps 0.3 lc rgb '#4c72b0' notitle
unset multiplot
