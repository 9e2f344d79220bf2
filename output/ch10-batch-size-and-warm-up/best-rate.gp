# Best SGD rate against batch size, digits, 10 epochs
# Redraw with: gnuplot best-rate.gp  (reads best-rate.dat, writes best-rate.svg and best-rate.png)
reset
DATA = "best-rate.dat"
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
    set output "best-rate.".fmt
    unset label
    unset arrow
    unset logscale
    unset colorbox
    set autoscale
    set title "Best SGD rate against batch size, digits, 10 epochs"
    set xlabel "batch size B"
    set ylabel "best learning rate α"
    set logscale x
    set format x "%.0e"
    set logscale y
    set format y "%.0e"
    set xrange [3.0:2000.0]
    set yrange [0.04807692307692307:14.142135623730951]
    set key default
    set key opaque samplen 2.5 spacing 1.15 bottom right
    set bmargin
    set xtics autofreq
    plot DATA index 0 using 1:2 with lines lc rgb "#D55E00" lw 2 dt 2 title "linear rule α = r·B, r = 2.5e-02", \
         DATA index 1 using 1:2 with lines lc rgb "#0072B2" lw 2 dt 1 title "fit α_max/(1 + B_noise/B): B_noise = 214, α_max = 5.9", \
         DATA index 2 using 1:3:4 with filledcurves lc rgb "#009E73" lw 2 dt 3 fs transparent solid 0.25 noborder notitle, \
         DATA index 2 using 1:2 with lines lc rgb "#009E73" lw 2 dt 3 title "each run's best rate, min–max of 6", \
         DATA index 3 using 1:2 with points lc rgb "#000000" lw 2 dt 1 pt 7 ps 0.8 title "best rate of the 6 runs' mean loss"
    unset output
}
