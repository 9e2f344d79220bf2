# Heavy ball on 0.1x² + 2y²: measured convergence rate per step
# Redraw with: gnuplot rate-plane.gp  (reads rate-plane.dat, writes rate-plane.svg and rate-plane.png)
reset
DATA = "rate-plane.dat"
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
    set output "rate-plane.".fmt
    unset label
    unset arrow
    unset logscale
    unset colorbox
    set autoscale
    set title "Heavy ball on 0.1x² + 2y²: measured convergence rate per step"
    set xlabel "learning rate α"
    set ylabel "momentum β"
    set format x "% h"
    set format y "% h"
    set xrange [0.0:1.0]
    set yrange [0.0:0.99]
    set key default
    set key opaque samplen 2.5 spacing 1.15 below horizontal maxrows 2
    set bmargin 7
    set xtics 0.2
    set colorbox
    set cblabel "rate per step (1 = no convergence)"
    set cbrange [*:*]
    plot DATA index 3 using 1:2:3 with image notitle, \
         DATA index 0 using 1:2 with lines lc rgb "#999999" lw 2 dt 3 title "stability limit α = 2(1 + β)/L", \
         DATA index 1 using 1:2 with points lc rgb "#000000" lw 2 dt 1 pt 7 ps 0.8 title "optimum (α*, β*)", \
         DATA index 2 using 1:2 with points lc rgb "#000000" lw 2 dt 1 pt 6 ps 0.8 title "gradient descent's best"
    unset output
}
