# Mean validation loss of 6 runs after 10 epochs against α ÷ B
# Redraw with: gnuplot loss-vs-rate.gp  (reads loss-vs-rate.dat, writes loss-vs-rate.svg and loss-vs-rate.png)
reset
DATA = "loss-vs-rate.dat"
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
    set output "loss-vs-rate.".fmt
    set multiplot layout 1,2 title "Mean validation loss of 6 runs after 10 epochs against α ÷ B" font TITLEFONT
    unset label
    unset arrow
    unset logscale
    unset colorbox
    set autoscale
    set title "small batches (x shifted ×0.95, ×1, ×1.05)"
    set xlabel "learning rate per example α ÷ B"
    set ylabel "validation loss"
    set logscale x
    set format x "%.0e"
    set format y "% h"
    set xrange [*:*]
    set yrange [0.08194745571946661:0.1105977148943363]
    set key default
    set key opaque samplen 2.5 spacing 1.15 below horizontal maxrows 2
    set bmargin 7
    set xtics autofreq
    plot DATA index 0 using 1:2 with linespoints lc rgb "#0072B2" lw 2 dt 1 pt 6 ps 0.8 title "B = 4", \
         DATA index 1 using 1:2 with linespoints lc rgb "#D55E00" lw 2 dt 2 pt 5 ps 0.8 title "B = 16", \
         DATA index 2 using 1:2 with linespoints lc rgb "#009E73" lw 2 dt 3 pt 9 ps 0.8 title "B = 64"
    unset label
    unset arrow
    unset logscale
    unset colorbox
    set autoscale
    set title "large batches"
    set xlabel "learning rate per example α ÷ B"
    set ylabel "validation loss"
    set logscale x
    set format x "%.0e"
    set format y "% h"
    set xrange [*:*]
    set yrange [0.06232355947717376:0.38280951525378043]
    set key default
    set key opaque samplen 2.5 spacing 1.15 below horizontal maxrows 2
    set bmargin 7
    set xtics autofreq
    plot DATA index 3 using 1:2 with linespoints lc rgb "#CC79A7" lw 2 dt 1 pt 11 ps 0.8 title "B = 256", \
         DATA index 4 using 1:2 with linespoints lc rgb "#E69F00" lw 2 dt 2 pt 13 ps 0.8 title "B = 512", \
         DATA index 5 using 1:2 with linespoints lc rgb "#56B4E9" lw 2 dt 4 pt 5 ps 0.8 title "B = 1437"
    unset multiplot
    unset output
}
