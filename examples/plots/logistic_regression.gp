# Two classes and the decision boundary p = ½ of the fit and of the truth.
set datafile separator ','
set terminal pngcairo size 760,700 font ',11'
set output outdir.'/logistic_regression.png'
set title 'Logistic regression: decision boundary'
set xlabel 'x_0'; set ylabel 'x_1'; set key top left; set grid
set xrange [-5:5]; set yrange [-5:5]
set clip two  # the boundary lines end outside the plotted square
plot outdir.'/data.csv' using 1:($3 == 0 ? $2 : 1/0) skip 1 with points pt 7 ps 0.5 lc rgb '#4c72b0' title 'y = 0', \
     outdir.'/data.csv' using 1:($3 == 1 ? $2 : 1/0) skip 1 with points pt 7 ps 0.5 lc rgb '#dd8452' title 'y = 1', \
     outdir.'/boundary.csv' using 1:2 skip 1 with lines lw 3 lc rgb '#c44e52' title 'MAP boundary', \
     '' using 1:3 skip 1 with lines lw 2 dt 2 lc rgb '#333333' title 'true boundary'
