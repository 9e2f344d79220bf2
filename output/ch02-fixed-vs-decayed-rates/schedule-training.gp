# Mini-batch SGD under each schedule: full-batch MSE (mean of 5 seeds)
# Redraw with: gnuplot schedule-training.gp  (reads schedule-training.dat, writes schedule-training.svg and schedule-training.png)
reset
DATA = "schedule-training.dat"
set encoding utf8
set termoption noenhanced
set style line 1 lc rgb "#0072B2" lw 2 pt 7 ps 0.8
set style line 11 lc rgb "#0072B2" lw 2 dt 2 pt 7 ps 0.8
set style line 2 lc rgb "#D55E00" lw 2 pt 5 ps 0.8
set style line 12 lc rgb "#D55E00" lw 2 dt 2 pt 5 ps 0.8
set style line 3 lc rgb "#009E73" lw 2 pt 9 ps 0.8
set style line 13 lc rgb "#009E73" lw 2 dt 2 pt 9 ps 0.8
set style line 4 lc rgb "#CC79A7" lw 2 pt 11 ps 0.8
set style line 14 lc rgb "#CC79A7" lw 2 dt 2 pt 11 ps 0.8
set style line 5 lc rgb "#E69F00" lw 2 pt 13 ps 0.8
set style line 15 lc rgb "#E69F00" lw 2 dt 2 pt 13 ps 0.8
set style line 6 lc rgb "#56B4E9" lw 2 pt 15 ps 0.8
set style line 16 lc rgb "#56B4E9" lw 2 dt 2 pt 15 ps 0.8
set style line 7 lc rgb "#000000" lw 2 pt 6 ps 0.8
set style line 17 lc rgb "#000000" lw 2 dt 2 pt 6 ps 0.8
set style line 8 lc rgb "#999999" lw 2 pt 4 ps 0.8
set style line 18 lc rgb "#999999" lw 2 dt 2 pt 4 ps 0.8
set palette defined (0 "#440154", 1 "#3B528B", 2 "#21908C", 3 "#5DC863", 4 "#FDE725")
set style fill solid 1.0 noborder
set grid lc rgb "#e0e0e0" lw 1
set border lc rgb "#404040"
set tics nomirror
do for [fmt in "svg png"] {
    if (fmt eq "svg") {
        set terminal svg size 1100,560 dynamic noenhanced font "Sans,12" background rgb "white"
    } else {
        set terminal pngcairo size 1100,560 noenhanced font "Sans,11" background rgb "white"
    }
    set output "schedule-training.".fmt
    unset label
    unset arrow
    unset logscale
    unset colorbox
    set autoscale
    set title "Mini-batch SGD under each schedule: full-batch MSE (mean of 5 seeds)"
    set xlabel "step"
    set ylabel "mean squared error on all 512 points"
    set format x "% h"
    set format y "% h"
    set xrange [*:*]
    set yrange [0.009900000000000003:0.011200000000000003]
    set key default
    set key opaque samplen 2.5 spacing 1.15 outside right top
    set bmargin
    plot DATA index 0 using 1:2 with lines ls 1 title "constant", \
         DATA index 1 using 1:2 with lines ls 2 title "polynomial, power 1", \
         DATA index 2 using 1:2 with lines ls 3 title "exponential", \
         DATA index 3 using 1:2 with lines ls 4 title "step", \
         DATA index 4 using 1:2 with lines ls 5 title "cosine", \
         DATA index 5 using 1:2 with lines ls 6 title "SGDR (warm restarts)", \
         DATA index 6 using 1:2 with lines ls 7 title "warm-up + cosine", \
         DATA index 7 using 1:2 with lines ls 8 title "article's restart rule", \
         DATA index 8 using 1:2 with lines ls 11 title "reduce on plateau", \
         DATA index 9 using 1:2 with lines ls 18 title "noise floor 0.01"
    unset output
}
