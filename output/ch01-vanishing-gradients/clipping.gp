# ReLU + N(0, 1) at α = 0.5: without and with clipping
# Redraw with: gnuplot clipping.gp  (reads clipping.dat, writes clipping.svg and clipping.png)
reset
DATA = "clipping.dat"
set encoding utf8
set termoption noenhanced
set palette defined (0 "#440154", 1 "#3B528B", 2 "#21908C", 3 "#5DC863", 4 "#FDE725")
set style fill solid 1.0 noborder
set grid lc rgb "#e0e0e0" lw 1
set border lc rgb "#404040"
set tics nomirror
do for [fmt in "svg png"] {
    if (fmt eq "svg") {
        set terminal svg size 1330,440 dynamic noenhanced font "Sans,12" background rgb "white"
        TITLEFONT = ",14"
    } else {
        set terminal pngcairo size 1995,660 noenhanced font "Sans,18" linewidth 1.5 pointscale 1.5 background rgb "white"
        TITLEFONT = ",21"
    }
    set output "clipping.".fmt
    set multiplot layout 1,3 title "ReLU + N(0, 1) at α = 0.5: without and with clipping" font TITLEFONT
    unset label
    unset arrow
    unset logscale
    unset colorbox
    set autoscale
    set title "loss, first 5 steps"
    set xlabel "step"
    set ylabel "loss"
    set format x "% h"
    set logscale y
    set format y "%.0e"
    set xrange [-0.5:5.5]
    set yrange [21342.836906619585:3.390954290782039e+70]
    set key default
    set key opaque samplen 2.5 spacing 1.15 below horizontal maxrows 2
    set bmargin 7
    set xtics 2.0
    plot DATA index 0 using 1:2 with linespoints lc rgb "#D55E00" lw 2 dt 2 pt 11 ps 0.8 title "no clipping (diverged at 1)", \
         DATA index 1 using 1:2 with linespoints lc rgb "#009E73" lw 2 dt 1 pt 7 ps 0.8 title "clip ‖g‖ ≤ 1"
    unset label
    unset arrow
    unset logscale
    unset colorbox
    set autoscale
    set title "loss, clipped run, all steps"
    set xlabel "step"
    set ylabel "loss"
    set format x "% h"
    set logscale y
    set format y "%.0e"
    set xrange [*:*]
    set yrange [*:*]
    unset key
    set bmargin
    set xtics 500.0
    plot DATA index 2 using 1:2 with lines lc rgb "#009E73" lw 2 dt 1 title "clip ‖g‖ ≤ 1"
    unset label
    unset arrow
    unset logscale
    unset colorbox
    set autoscale
    set title "gradient norm before clipping"
    set xlabel "step"
    set ylabel "‖g‖"
    set format x "% h"
    set logscale y
    set format y "%.0e"
    set xrange [*:*]
    set yrange [1.698809642412466e-05:223716348.94644296]
    set key default
    set key opaque samplen 2.5 spacing 1.15 top right
    set bmargin
    set xtics 500.0
    plot DATA index 3 using 1:2 with lines lc rgb "#009E73" lw 2 dt 1 title "clip ‖g‖ ≤ 1", \
         DATA index 4 using 1:2 with lines lc rgb "#999999" lw 2 dt 3 title "clip threshold ‖g‖ = 1"
    unset multiplot
    unset output
}
