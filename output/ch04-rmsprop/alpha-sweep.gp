# RMSprop on Rosenbrock at α = 0.005 for ρ = 0.9, 0.99, 0.999
# Redraw with: gnuplot alpha-sweep.gp  (reads alpha-sweep.dat, writes alpha-sweep.svg and alpha-sweep.png)
reset
DATA = "alpha-sweep.dat"
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
    set output "alpha-sweep.".fmt
    unset label
    unset arrow
    unset logscale
    unset colorbox
    set autoscale
    set title "RMSprop on Rosenbrock at α = 0.005 for ρ = 0.9, 0.99, 0.999"
    set xlabel "step"
    set ylabel "f(θ)"
    set format x "% h"
    set logscale y
    set format y "%.0e"
    set xrange [*:*]
    set yrange [*:*]
    set key default
    set key opaque samplen 2.5 spacing 1.15 top right
    set bmargin
    set xtics 500.0
    plot DATA index 0 using 1:2 with lines lc rgb "#0072B2" lw 2 dt 1 title "ρ = 0.9", \
         DATA index 1 using 1:2 with lines lc rgb "#D55E00" lw 2 dt 1 title "ρ = 0.99", \
         DATA index 2 using 1:2 with lines lc rgb "#009E73" lw 2 dt 3 title "ρ = 0.999"
    unset output
}
