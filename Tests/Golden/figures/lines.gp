# Two rates
# Redraw with: gnuplot lines.gp  (reads lines.dat, writes lines.svg and lines.png)
reset
DATA = "lines.dat"
set encoding utf8
set termoption noenhanced
set palette defined (0 "#440154", 1 "#3B528B", 2 "#21908C", 3 "#5DC863", 4 "#FDE725")
set style fill solid 1.0 noborder
set grid lc rgb "#e0e0e0" lw 1
set border lc rgb "#404040"
set tics nomirror
do for [fmt in "svg png"] {
    if (fmt eq "svg") {
        set terminal svg size 900,560 dynamic noenhanced font "Sans,12" background rgb "white"
        TITLEFONT = ",14"
    } else {
        set terminal pngcairo size 1350,840 noenhanced font "Sans,18" linewidth 1.5 pointscale 1.5 background rgb "white"
        TITLEFONT = ",21"
    }
    set output "lines.".fmt
    unset label
    unset arrow
    unset logscale
    unset colorbox
    set autoscale
    set title "Two rates"
    set xlabel "step"
    set ylabel "loss"
    set format x "% h"
    set logscale y
    set format y "%.0e"
    set xrange [*:*]
    set yrange [*:*]
    set key default
    set key opaque samplen 2.5 spacing 1.15 top left
    set bmargin
    set xtics 0.5
    plot DATA index 0 using 1:2 with lines lc rgb "#0072B2" lw 2 dt 1 title "α = 0.1", \
         DATA index 1 using 1:2 with points lc rgb "#D55E00" lw 2 dt 2 pt 5 ps 0.8 title "α = 1"
    unset output
}
