# Final loss after 600 steps vs learning rate (mean, band = min–max over 3 seeds)
# Redraw with: gnuplot grid.gp  (reads grid.dat, writes grid.svg and grid.png)
reset
DATA = "grid.dat"
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
        set terminal svg size 900,560 dynamic noenhanced font "Sans,12" background rgb "white"
    } else {
        set terminal pngcairo size 900,560 noenhanced font "Sans,11" background rgb "white"
    }
    set output "grid.".fmt
    unset label
    unset arrow
    unset logscale
    unset colorbox
    set autoscale
    set title "Final loss after 600 steps vs learning rate (mean, band = min–max over 3 seeds)"
    set xlabel "log₁₀ α"
    set ylabel "full-batch MSE"
    set format x "% h"
    set logscale y
    set format y "%.0e"
    set xrange [*:*]
    set yrange [0.009:10.0]
    set key default
    set key opaque samplen 2.5 spacing 1.15 outside right top
    set bmargin
    plot DATA index 0 using 1:3:4 with filledcurves ls 1 fs transparent solid 0.25 noborder notitle, \
         DATA index 0 using 1:2 with lines ls 1 title "SGD", \
         DATA index 1 using 1:3:4 with filledcurves ls 2 fs transparent solid 0.25 noborder notitle, \
         DATA index 1 using 1:2 with lines ls 2 title "momentum 0.9", \
         DATA index 2 using 1:3:4 with filledcurves ls 3 fs transparent solid 0.25 noborder notitle, \
         DATA index 2 using 1:2 with lines ls 3 title "AdaGrad", \
         DATA index 3 using 1:3:4 with filledcurves ls 4 fs transparent solid 0.25 noborder notitle, \
         DATA index 3 using 1:2 with lines ls 4 title "RMSprop", \
         DATA index 4 using 1:3:4 with filledcurves ls 5 fs transparent solid 0.25 noborder notitle, \
         DATA index 4 using 1:2 with lines ls 5 title "Adam"
    unset output
}
