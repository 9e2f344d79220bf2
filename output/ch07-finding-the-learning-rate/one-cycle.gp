# SGD + momentum from the verified rate α = 0.125: three schedules
# Redraw with: gnuplot one-cycle.gp  (reads one-cycle.dat, writes one-cycle.svg and one-cycle.png)
reset
DATA = "one-cycle.dat"
set encoding utf8
set termoption noenhanced
set palette defined (0 "#440154", 1 "#3B528B", 2 "#21908C", 3 "#5DC863", 4 "#FDE725")
set style fill solid 1.0 noborder
set grid lc rgb "#e0e0e0" lw 1
set border lc rgb "#404040"
set tics nomirror
do for [fmt in "svg png"] {
    if (fmt eq "svg") {
        set terminal svg size 1500,560 dynamic noenhanced font "Sans,12" background rgb "white"
        TITLEFONT = ",14"
    } else {
        set terminal pngcairo size 2250,840 noenhanced font "Sans,18" linewidth 1.5 pointscale 1.5 background rgb "white"
        TITLEFONT = ",21"
    }
    set output "one-cycle.".fmt
    set multiplot layout 1,3 title "SGD + momentum from the verified rate α = 0.125: three schedules" font TITLEFONT
    unset label
    unset arrow
    unset logscale
    unset colorbox
    set autoscale
    set title "validation loss (mean over seeds)"
    set xlabel "step"
    set ylabel "validation loss"
    set format x "% h"
    set logscale y
    set format y "%.0e"
    set xrange [*:*]
    set yrange [0.05:5.0]
    set key default
    set key opaque samplen 2.5 spacing 1.15 top right
    set bmargin
    set xtics 100.0
    plot DATA index 0 using 1:2 with linespoints lc rgb "#000000" lw 2 dt 1 pt 7 ps 0.8 title "constant", \
         DATA index 1 using 1:2 with lines lc rgb "#D55E00" lw 2 dt 2 title "cosine", \
         DATA index 2 using 1:2 with linespoints lc rgb "#CC79A7" lw 2 dt 2 pt 10 ps 0.8 title "one-cycle"
    unset label
    unset arrow
    unset logscale
    unset colorbox
    set autoscale
    set title "validation loss ÷ the constant rate's"
    set xlabel "step"
    set ylabel "ratio"
    set format x "% h"
    set format y "% h"
    set xrange [*:*]
    set yrange [*:*]
    set key default
    set key opaque samplen 2.5 spacing 1.15 top right
    set bmargin
    set xtics 100.0
    plot DATA index 3 using 1:2 with linespoints lc rgb "#D55E00" lw 2 dt 1 pt 13 ps 0.8 title "cosine", \
         DATA index 4 using 1:2 with linespoints lc rgb "#CC79A7" lw 2 dt 2 pt 10 ps 0.8 title "one-cycle", \
         DATA index 5 using 1:2 with lines lc rgb "#000000" lw 2 dt 1 title "constant"
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
    set yrange [0.0:0.14967209650632543]
    set key default
    set key opaque samplen 2.5 spacing 1.15 below horizontal maxrows 2
    set bmargin 7
    set xtics 100.0
    plot DATA index 6 using 1:2 with lines lc rgb "#000000" lw 2 dt 1 title "constant", \
         DATA index 7 using 1:2 with lines lc rgb "#D55E00" lw 2 dt 1 title "cosine", \
         DATA index 8 using 1:2 with lines lc rgb "#CC79A7" lw 2 dt 2 title "one-cycle"
    unset multiplot
    unset output
}
