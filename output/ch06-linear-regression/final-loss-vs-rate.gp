# MSE − MSE_LS after 1000 steps vs learning rate
# Redraw with: gnuplot final-loss-vs-rate.gp  (reads final-loss-vs-rate.dat, writes final-loss-vs-rate.svg and final-loss-vs-rate.png)
reset
DATA = "final-loss-vs-rate.dat"
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
    set output "final-loss-vs-rate.".fmt
    unset label
    unset arrow
    unset logscale
    unset colorbox
    set autoscale
    set title "MSE − MSE_LS after 1000 steps vs learning rate"
    set xlabel "log₁₀ α"
    set ylabel "excess loss"
    set format x "% h"
    set logscale y
    set format y "%.0e"
    set xrange [*:*]
    set yrange [*:*]
    set key default
    set key opaque samplen 2.5 spacing 1.15 bottom left
    set bmargin
    set xtics 0.5
    set arrow 1 from -0.006909472592199768, graph 0 to -0.006909472592199768, graph 1 nohead front lc rgb "#999999" lw 1.5 dt 3
    plot DATA index 0 using 1:2 with linespoints lc rgb "#0072B2" lw 2 dt 1 pt 13 ps 0.8 title "Adam", \
         DATA index 1 using 1:2 with linespoints lc rgb "#000000" lw 2 dt 1 pt 7 ps 0.8 title "gradient descent", \
         NaN with lines lc rgb "#999999" lw 1.5 dt 3 title "2/λmax for gradient descent"
    unset output
}
