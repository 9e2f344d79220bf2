# SGD + momentum at peak α = 0.0311: three schedules
# Redraw with: gnuplot one-cycle.gp  (reads one-cycle.dat, writes one-cycle.svg and one-cycle.png)
reset
DATA = "one-cycle.dat"
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
        set terminal svg size 900,440 dynamic noenhanced font "Sans,12" background rgb "white"
    } else {
        set terminal pngcairo size 900,440 noenhanced font "Sans,11" background rgb "white"
    }
    set output "one-cycle.".fmt
    set multiplot layout 1,2 title "SGD + momentum at peak α = 0.0311: three schedules" font ",14"
    unset label
    unset arrow
    unset logscale
    unset colorbox
    set autoscale
    set title "training loss (mean of 3 seeds, smoothed)"
    set xlabel "step"
    set ylabel "mini-batch MSE"
    set format x "% h"
    set logscale y
    set format y "%.0e"
    set xrange [*:*]
    set yrange [*:*]
    set key default
    set key opaque samplen 2.5 spacing 1.15 top right
    set bmargin
    plot DATA index 0 using 1:2 with lines ls 1 title "constant", \
         DATA index 1 using 1:2 with lines ls 2 title "cosine decay", \
         DATA index 2 using 1:2 with lines ls 3 title "one-cycle"
    unset label
    unset arrow
    unset logscale
    unset colorbox
    set autoscale
    set title "learning rate"
    set xlabel "step"
    set ylabel "α_t"
    set format x "% h"
    set format y "% h"
    set xrange [*:*]
    set yrange [*:*]
    set key default
    set key opaque samplen 2.5 spacing 1.15 top right
    set bmargin
    plot DATA index 3 using 1:2 with lines ls 1 title "constant", \
         DATA index 4 using 1:2 with lines ls 2 title "cosine decay", \
         DATA index 5 using 1:2 with lines ls 3 title "one-cycle"
    unset multiplot
    unset output
}
