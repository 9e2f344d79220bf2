# Loss per step
# Redraw with: gnuplot loss.gp  (reads loss.dat, writes loss.svg and loss.png)
reset
DATA = "loss.dat"
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
    set output "loss.".fmt
    unset label
    unset arrow
    unset logscale
    unset colorbox
    set autoscale
    set title "Loss per step"
    set xlabel "step"
    set ylabel "f(θ)"
    set format x "% h"
    set logscale y
    set format y "%.0e"
    set xrange [*:*]
    set yrange [*:*]
    set key default
    set key opaque samplen 2.5 spacing 1.15 top left
    set bmargin
    set xtics 10.0
    plot DATA index 0 using 1:2 with lines lc rgb "#56B4E9" lw 2 dt 3 title "α = 0.05", \
         DATA index 1 using 1:2 with lines lc rgb "#009E73" lw 2 dt 1 title "α = 0.4", \
         DATA index 2 using 1:2 with lines lc rgb "#D55E00" lw 2 dt 2 title "α = 0.51"
    unset output
}
