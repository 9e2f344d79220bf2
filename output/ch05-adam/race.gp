# The race to f < 1e-3 on Rosenbrock from (−1.5, 2)
# Redraw with: gnuplot race.gp  (reads race.dat, writes race.svg and race.png)
reset
DATA = "race.dat"
set encoding utf8
set termoption noenhanced
set contour base
unset surface
set view map
set cntrparam levels discrete 0.5,2.0,5.0,10.0,30.0,100.0,300.0,1000.0
set table $CONTOUR0
splot DATA index 3 using 1:2:3 with lines notitle
unset table
unset contour
set surface
set contour base
unset surface
set view map
set cntrparam levels discrete 0.5,2.0,5.0,10.0,30.0,100.0,300.0,1000.0
set table $CONTOUR1
splot DATA index 7 using 1:2:3 with lines notitle
unset table
unset contour
set surface
set contour base
unset surface
set view map
set cntrparam levels discrete 0.5,2.0,5.0,10.0,30.0,100.0,300.0,1000.0
set table $CONTOUR2
splot DATA index 11 using 1:2:3 with lines notitle
unset table
unset contour
set surface
set contour base
unset surface
set view map
set cntrparam levels discrete 0.5,2.0,5.0,10.0,30.0,100.0,300.0,1000.0
set table $CONTOUR3
splot DATA index 15 using 1:2:3 with lines notitle
unset table
unset contour
set surface
set contour base
unset surface
set view map
set cntrparam levels discrete 0.5,2.0,5.0,10.0,30.0,100.0,300.0,1000.0
set table $CONTOUR4
splot DATA index 19 using 1:2:3 with lines notitle
unset table
unset contour
set surface
set contour base
unset surface
set view map
set cntrparam levels discrete 0.5,2.0,5.0,10.0,30.0,100.0,300.0,1000.0
set table $CONTOUR5
splot DATA index 23 using 1:2:3 with lines notitle
unset table
unset contour
set surface
set contour base
unset surface
set view map
set cntrparam levels discrete 0.5,2.0,5.0,10.0,30.0,100.0,300.0,1000.0
set table $CONTOUR6
splot DATA index 27 using 1:2:3 with lines notitle
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
        set terminal svg size 1760,820 dynamic noenhanced font "Sans,12" background rgb "white"
        TITLEFONT = ",14"
    } else {
        set terminal pngcairo size 2640,1230 noenhanced font "Sans,18" linewidth 1.5 pointscale 1.5 background rgb "white"
        TITLEFONT = ",21"
    }
    set output "race.".fmt
    set multiplot layout 2,4 title "The race to f < 1e-3 on Rosenbrock from (−1.5, 2)" font TITLEFONT
    unset label
    unset arrow
    unset logscale
    unset colorbox
    set autoscale
    set title "SGD, α = 0.001: 7156 steps"
    set xlabel "x"
    set ylabel "y"
    set format x "% h"
    set format y "% h"
    set xrange [-2.0:2.0]
    set yrange [-1.0:3.0]
    unset key
    set bmargin
    set xtics 1.0
    plot $CONTOUR0 using 1:2 with lines lc rgb "#b8b8b8" lw 1 notitle, \
         DATA index 0 using 1:2 with lines lc rgb "#000000" lw 2 dt 1 title "path", \
         DATA index 1 using 1:2 with points lc rgb "#999999" lw 2 dt 3 pt 6 ps 0.8 title "start", \
         DATA index 2 using 1:2 with points lc rgb "#000000" lw 2 dt 1 pt 5 ps 0.8 title "end"
    unset label
    unset arrow
    unset logscale
    unset colorbox
    set autoscale
    set title "momentum 0.9, α = 0.001: 666 steps"
    set xlabel "x"
    set ylabel "y"
    set format x "% h"
    set format y "% h"
    set xrange [-2.0:2.0]
    set yrange [-1.0:3.0]
    unset key
    set bmargin
    set xtics 1.0
    plot $CONTOUR1 using 1:2 with lines lc rgb "#b8b8b8" lw 1 notitle, \
         DATA index 4 using 1:2 with lines lc rgb "#56B4E9" lw 2 dt 1 title "path", \
         DATA index 5 using 1:2 with points lc rgb "#999999" lw 2 dt 3 pt 6 ps 0.8 title "start", \
         DATA index 6 using 1:2 with points lc rgb "#000000" lw 2 dt 1 pt 5 ps 0.8 title "end"
    unset label
    unset arrow
    unset logscale
    unset colorbox
    set autoscale
    set title "Nesterov 0.9, α = 0.001: 557 steps"
    set xlabel "x"
    set ylabel "y"
    set format x "% h"
    set format y "% h"
    set xrange [-2.0:2.0]
    set yrange [-1.0:3.0]
    unset key
    set bmargin
    set xtics 1.0
    plot $CONTOUR2 using 1:2 with lines lc rgb "#b8b8b8" lw 1 notitle, \
         DATA index 8 using 1:2 with lines lc rgb "#56B4E9" lw 2 dt 1 title "path", \
         DATA index 9 using 1:2 with points lc rgb "#999999" lw 2 dt 3 pt 6 ps 0.8 title "start", \
         DATA index 10 using 1:2 with points lc rgb "#000000" lw 2 dt 1 pt 5 ps 0.8 title "end"
    unset label
    unset arrow
    unset logscale
    unset colorbox
    set autoscale
    set title "AdaGrad, α = 1: 5416 steps"
    set xlabel "x"
    set ylabel "y"
    set format x "% h"
    set format y "% h"
    set xrange [-2.0:2.0]
    set yrange [-1.0:3.0]
    unset key
    set bmargin
    set xtics 1.0
    plot $CONTOUR3 using 1:2 with lines lc rgb "#b8b8b8" lw 1 notitle, \
         DATA index 12 using 1:2 with lines lc rgb "#009E73" lw 2 dt 1 title "path", \
         DATA index 13 using 1:2 with points lc rgb "#999999" lw 2 dt 3 pt 6 ps 0.8 title "start", \
         DATA index 14 using 1:2 with points lc rgb "#000000" lw 2 dt 1 pt 5 ps 0.8 title "end"
    unset label
    unset arrow
    unset logscale
    unset colorbox
    set autoscale
    set title "RMSprop, α = 0.001: 4842 steps"
    set xlabel "x"
    set ylabel "y"
    set format x "% h"
    set format y "% h"
    set xrange [-2.0:2.0]
    set yrange [-1.0:3.0]
    unset key
    set bmargin
    set xtics 1.0
    plot $CONTOUR4 using 1:2 with lines lc rgb "#b8b8b8" lw 1 notitle, \
         DATA index 16 using 1:2 with lines lc rgb "#E69F00" lw 2 dt 1 title "path", \
         DATA index 17 using 1:2 with points lc rgb "#999999" lw 2 dt 3 pt 6 ps 0.8 title "start", \
         DATA index 18 using 1:2 with points lc rgb "#000000" lw 2 dt 1 pt 5 ps 0.8 title "end"
    unset label
    unset arrow
    unset logscale
    unset colorbox
    set autoscale
    set title "Adam, α = 2.15: 377 steps"
    set xlabel "x"
    set ylabel "y"
    set format x "% h"
    set format y "% h"
    set xrange [-2.0:2.0]
    set yrange [-1.0:3.0]
    unset key
    set bmargin
    set xtics 1.0
    plot $CONTOUR5 using 1:2 with lines lc rgb "#b8b8b8" lw 1 notitle, \
         DATA index 20 using 1:2 with lines lc rgb "#0072B2" lw 2 dt 1 title "path", \
         DATA index 21 using 1:2 with points lc rgb "#999999" lw 2 dt 3 pt 6 ps 0.8 title "start", \
         DATA index 22 using 1:2 with points lc rgb "#000000" lw 2 dt 1 pt 5 ps 0.8 title "end"
    unset label
    unset arrow
    unset logscale
    unset colorbox
    set autoscale
    set title "AMSGrad, α = 2.15: 405 steps"
    set xlabel "x"
    set ylabel "y"
    set format x "% h"
    set format y "% h"
    set xrange [-2.0:2.0]
    set yrange [-1.0:3.0]
    unset key
    set bmargin
    set xtics 1.0
    plot $CONTOUR6 using 1:2 with lines lc rgb "#b8b8b8" lw 1 notitle, \
         DATA index 24 using 1:2 with lines lc rgb "#D55E00" lw 2 dt 1 title "path", \
         DATA index 25 using 1:2 with points lc rgb "#999999" lw 2 dt 3 pt 6 ps 0.8 title "start", \
         DATA index 26 using 1:2 with points lc rgb "#000000" lw 2 dt 1 pt 5 ps 0.8 title "end"
    unset multiplot
    unset output
}
