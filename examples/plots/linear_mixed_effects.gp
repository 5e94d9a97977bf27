# The negative ELBO per KLqp step, and the instructors' effects sorted, with ±2 posterior sd.
set datafile separator ','
set terminal pngcairo size 1200,480 font ',11'
set output outdir.'/linear_mixed_effects.png'
set multiplot layout 1,2
set grid
set title 'KLqp: negative ELBO per step'
set xlabel 'step'; set ylabel '−ELBO'; set logscale x
plot outdir.'/losses.csv' using 1:2 skip 1 with lines lc rgb '#4c72b0' notitle
unset logscale x
set title "Instructors' effects (posterior mean ± 2 sd), sorted"
set xlabel 'instructor (rank)'; set ylabel 'effect on the rating'; set key top left
plot outdir.'/instructors.csv' using 1:($2-2*$3):($2+2*$3) skip 1 with filledcurves fc rgb '#f2c4c4' title '± 2 sd', \
     '' using 1:2 skip 1 with lines lw 2 lc rgb '#c44e52' title 'posterior mean'
unset multiplot
