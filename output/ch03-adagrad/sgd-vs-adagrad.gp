# SGD and AdaGrad on 0.1x² + 2y², each at its best rate
# Redraw with: gnuplot sgd-vs-adagrad.gp  (reads sgd-vs-adagrad.dat, writes sgd-vs-adagrad.svg and sgd-vs-adagrad.png)
reset
DATA = "sgd-vs-adagrad.dat"
set encoding utf8
set termoption noenhanced
set contour base
unset surface
set view map
set cntrparam levels discrete 0.0021600000000000005,0.004989880152179626,0.011527270339405631,0.026629489571948627,0.06151757475821333,0.14211357652603468,0.32830079391783357,0.7584174145904683,1.7520425945057245,4.047445633378431,9.350124367139403,21.6
set table $CONTOUR0
splot DATA index 2 using 1:2:3 with lines notitle
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
    set output "sgd-vs-adagrad.".fmt
    set multiplot layout 1,2 title "SGD and AdaGrad on 0.1x² + 2y², each at its best rate" font TITLEFONT
    unset label
    unset arrow
    unset logscale
    unset colorbox
    set autoscale
    set title "paths"
    set xlabel "x"
    set ylabel "y"
    set format x "% h"
    set format y "% h"
    set xrange [-6.0:2.0]
    set yrange [-3.0:3.0]
    set key default
    set key opaque samplen 2.5 spacing 1.15 below horizontal maxrows 1
    set bmargin 6
    set xtics 2.0
    plot $CONTOUR0 using 1:2 with lines lc rgb "#b8b8b8" lw 1 notitle, \
         DATA index 0 using 1:2 with lines lc rgb "#000000" lw 2 dt 1 title "SGD, α = 0.45", \
         DATA index 1 using 1:2 with linespoints lc rgb "#009E73" lw 2 dt 1 pt 9 ps 0.8 title "AdaGrad, α = 2"
    unset label
    unset arrow
    unset logscale
    unset colorbox
    set autoscale
    set title "loss"
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
    set xtics 50.0
    plot DATA index 3 using 1:2 with lines lc rgb "#000000" lw 2 dt 1 title "SGD", \
         DATA index 4 using 1:2 with lines lc rgb "#009E73" lw 2 dt 1 title "AdaGrad"
    unset multiplot
    unset output
}
