# The first 60 steps at α = 16, B = 256, 6 runs
# Redraw with: gnuplot warm-up.gp  (reads warm-up.dat, writes warm-up.svg and warm-up.png)
reset
DATA = "warm-up.dat"
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
    set output "warm-up.".fmt
    set multiplot layout 1,2 title "The first 60 steps at α = 16, B = 256, 6 runs" font TITLEFONT
    unset label
    unset arrow
    unset logscale
    unset colorbox
    set autoscale
    set title "mini-batch loss"
    set xlabel "step"
    set ylabel "loss"
    set format x "% h"
    set logscale y
    set format y "%.0e"
    set xrange [*:*]
    set yrange [0.001:100.0]
    set key default
    set key opaque samplen 2.5 spacing 1.15 below horizontal maxrows 3
    set bmargin 9
    set xtics 20.0
    set arrow 1 from 30.0, graph 0 to 30.0, graph 1 nohead front lc rgb "#999999" lw 1.5 dt 3
    plot DATA index 0 using 1:3:4 with filledcurves lc rgb "#000000" lw 2 dt 1 fs transparent solid 0.25 noborder notitle, \
         DATA index 0 using 1:2 with lines lc rgb "#000000" lw 2 dt 1 title "constant α = 16", \
         DATA index 1 using 1:3:4 with filledcurves lc rgb "#882255" lw 2 dt 4 fs transparent solid 0.25 noborder notitle, \
         DATA index 1 using 1:2 with lines lc rgb "#882255" lw 2 dt 4 title "linear warm-up over 5 epochs", \
         NaN with lines lc rgb "#999999" lw 1.5 dt 3 title "warm-up ends"
    unset label
    unset arrow
    unset logscale
    unset colorbox
    set autoscale
    set title "step length αₜ‖gₜ‖"
    set xlabel "step"
    set ylabel "αₜ · ‖∇L(θₜ)‖"
    set format x "% h"
    set logscale y
    set format y "%.0e"
    set xrange [*:*]
    set yrange [0.01:100.0]
    set key default
    set key opaque samplen 2.5 spacing 1.15 below horizontal maxrows 3
    set bmargin 9
    set xtics 20.0
    set arrow 1 from 30.0, graph 0 to 30.0, graph 1 nohead front lc rgb "#999999" lw 1.5 dt 3
    plot DATA index 2 using 1:3:4 with filledcurves lc rgb "#000000" lw 2 dt 1 fs transparent solid 0.25 noborder notitle, \
         DATA index 2 using 1:2 with lines lc rgb "#000000" lw 2 dt 1 title "constant α = 16", \
         DATA index 3 using 1:3:4 with filledcurves lc rgb "#882255" lw 2 dt 4 fs transparent solid 0.25 noborder notitle, \
         DATA index 3 using 1:2 with lines lc rgb "#882255" lw 2 dt 4 title "linear warm-up over 5 epochs", \
         NaN with lines lc rgb "#999999" lw 1.5 dt 3 title "warm-up ends"
    unset multiplot
    unset output
}
