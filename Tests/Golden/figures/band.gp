# Mean ± std
# Redraw with: gnuplot band.gp  (reads band.dat, writes band.svg and band.png)
reset
DATA = "band.dat"
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
    set output "band.".fmt
    unset label
    unset arrow
    unset logscale
    unset colorbox
    set autoscale
    set title "Mean ± std"
    set xlabel "log10 lr"
    set ylabel "final loss"
    set format x "% h"
    set format y "% h"
    set xrange [*:*]
    set yrange [*:*]
    unset key
    set bmargin
    set xtics 0.5
    plot DATA index 0 using 1:3:4 with filledcurves lc rgb "#0072B2" lw 2 dt 1 fs transparent solid 0.25 noborder notitle, \
         DATA index 0 using 1:2 with lines lc rgb "#0072B2" lw 2 dt 1 title "Adam"
    unset output
}
