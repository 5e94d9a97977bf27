# 2-D density of the test data beside that of samples from the fitted mixture.
set datafile separator ','
set terminal pngcairo size 1200,520 font ',11'
set output outdir.'/samples.png'
set multiplot layout 1,2 title 'Joint density of (x, y): data and samples from the MDN'
set xlabel 'x'
set ylabel 'y'
set key off
set palette defined (0 'white', 1 '#c6dbef', 2 '#6baed6', 3 '#2171b5', 4 '#08306b')
set cbrange [0:*]
unset colorbox
set title 'test data'
plot outdir.'/heatmap.csv' using 1:2:3 skip 1 with points pt 5 ps 0.9 lc palette
set title 'samples from the fitted mixture'
plot outdir.'/heatmap.csv' using 1:2:4 skip 1 with points pt 5 ps 0.9 lc palette
unset multiplot
