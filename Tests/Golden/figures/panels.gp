# Small multiples
# Redraw with: gnuplot panels.gp  (reads panels.dat, writes panels.svg and panels.png)
reset
DATA = "panels.dat"
set encoding utf8
set termoption noenhanced
set palette defined (0 "#440154", 1 "#3B528B", 2 "#21908C", 3 "#5DC863", 4 "#FDE725")
set style fill solid 1.0 noborder
set grid lc rgb "#e0e0e0" lw 1
set border lc rgb "#404040"
set tics nomirror
do for [fmt in "svg png"] {
    if (fmt eq "svg") {
        set terminal svg size 900,440 dynamic noenhanced font "Sans,12" background rgb "white"
        TITLEFONT = ",14"
    } else {
        set terminal pngcairo size 1350,660 noenhanced font "Sans,18" linewidth 1.5 pointscale 1.5 background rgb "white"
        TITLEFONT = ",21"
    }
    set output "panels.".fmt
    set multiplot layout 1,2 title "Small multiples" font TITLEFONT
    unset label
    unset arrow
    unset logscale
    unset colorbox
    set autoscale
    set title "left"
    set xlabel "x"
    set ylabel "y"
    set format x "% h"
    set format y "% h"
    set xrange [*:*]
    set yrange [*:*]
    unset key
    set bmargin
    set xtics 0.5
    plot DATA index 0 using 1:2 with steps lc rgb "#0072B2" lw 2 dt 1 title "a"
    unset label
    unset arrow
    unset logscale
    unset colorbox
    set autoscale
    set title "right"
    set xlabel "x"
    set ylabel "count"
    set format x "% h"
    set format y "% h"
    set xrange [*:*]
    set yrange [0:*]
    set key default
    set key opaque samplen 2.5 spacing 1.15 below horizontal maxrows 1
    set bmargin 6
    set xtics 0.5
    set arrow 1 from 1.0, graph 0 to 1.0, graph 1 nohead front lc rgb "#999999" lw 1.5 dt 3
    plot DATA index 1 using 1:2 with boxes lc rgb "#0072B2" lw 2 dt 1 fs solid 0.5 title "histogram", \
         NaN with lines lc rgb "#999999" lw 1.5 dt 3 title "suggested"
    unset multiplot
    unset output
}
