# AdaGrad and RMSprop on Rosenbrock from (−1.5, 2)
# Redraw with: gnuplot trajectories.gp  (reads trajectories.dat, writes trajectories.svg and trajectories.png)
reset
DATA = "trajectories.dat"
set encoding utf8
set termoption noenhanced
set contour base
unset surface
set view map
set cntrparam levels discrete 0.01,0.1,0.5,2.0,5.0,10.0,30.0,100.0,300.0,1000.0
set table $CONTOUR0
splot DATA index 3 using 1:2:3 with lines notitle
unset table
unset contour
set surface
set contour base
unset surface
set view map
set cntrparam levels discrete 0.01,0.1,0.5,2.0,5.0,10.0,30.0,100.0,300.0,1000.0
set table $CONTOUR1
splot DATA index 7 using 1:2:3 with lines notitle
unset table
unset contour
set surface
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
    set output "trajectories.".fmt
    set multiplot layout 1,2 title "AdaGrad and RMSprop on Rosenbrock from (−1.5, 2)" font TITLEFONT
    unset label
    unset arrow
    unset logscale
    unset colorbox
    set autoscale
    set title "AdaGrad, α = 0.5, 3000 steps"
    set xlabel "x"
    set ylabel "y"
    set format x "% h"
    set format y "% h"
    set xrange [-2.0:2.0]
    set yrange [-1.0:3.0]
    set key default
    set key opaque samplen 2.5 spacing 1.15 below horizontal maxrows 2
    set bmargin 7
    set xtics 1.0
    plot $CONTOUR0 using 1:2 with lines lc rgb "#b8b8b8" lw 1 notitle, \
         DATA index 0 using 1:2 with points lc rgb "#999999" lw 2 dt 3 pt 6 ps 0.8 title "start", \
         DATA index 1 using 1:2 with lines lc rgb "#009E73" lw 2 dt 1 title "AdaGrad", \
         DATA index 2 using 1:2 with points lc rgb "#009E73" lw 2 dt 1 pt 9 ps 0.8 title "AdaGrad end"
    unset label
    unset arrow
    unset logscale
    unset colorbox
    set autoscale
    set title "RMSprop, α = 0.005, 3000 steps"
    set xlabel "x"
    set ylabel "y"
    set format x "% h"
    set format y "% h"
    set xrange [-2.0:2.0]
    set yrange [-1.0:3.0]
    set key default
    set key opaque samplen 2.5 spacing 1.15 below horizontal maxrows 2
    set bmargin 7
    set xtics 1.0
    plot $CONTOUR1 using 1:2 with lines lc rgb "#b8b8b8" lw 1 notitle, \
         DATA index 4 using 1:2 with points lc rgb "#999999" lw 2 dt 3 pt 6 ps 0.8 title "start", \
         DATA index 5 using 1:2 with lines lc rgb "#E69F00" lw 2 dt 1 title "RMSprop", \
         DATA index 6 using 1:2 with points lc rgb "#E69F00" lw 2 dt 1 pt 11 ps 0.8 title "RMSprop end"
    unset multiplot
    unset output
}
