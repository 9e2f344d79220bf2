# Gradient descent on 0.1x² + 2y² from (−5, −2)
# Redraw with: gnuplot gd-trajectories.gp  (reads gd-trajectories.dat, writes gd-trajectories.svg and gd-trajectories.png)
reset
DATA = "gd-trajectories.dat"
set encoding utf8
set termoption noenhanced
set contour base
unset surface
set view map
set cntrparam levels discrete 0.0021600000000000005,0.004989880152179626,0.011527270339405631,0.026629489571948627,0.06151757475821333,0.14211357652603468,0.32830079391783357,0.7584174145904683,1.7520425945057245,4.047445633378431,9.350124367139403,21.6
set table $CONTOUR0
splot DATA index 4 using 1:2:3 with lines notitle
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
    set output "gd-trajectories.".fmt
    set multiplot layout 1,2 title "Gradient descent on 0.1x² + 2y² from (−5, −2)" font TITLEFONT
    unset label
    unset arrow
    unset logscale
    unset colorbox
    set autoscale
    set title "paths (first 30 steps)"
    set xlabel "x"
    set ylabel "y"
    set format x "% h"
    set format y "% h"
    set xrange [-6.0:2.0]
    set yrange [-3.0:3.0]
    set key default
    set key opaque samplen 2.5 spacing 1.15 below horizontal maxrows 2
    set bmargin 7
    set xtics 2.0
    plot $CONTOUR0 using 1:2 with lines lc rgb "#b8b8b8" lw 1 notitle, \
         DATA index 0 using 1:2 with linespoints lc rgb "#CC79A7" lw 2 dt 4 pt 9 ps 0.8 title "α = 0.49", \
         DATA index 1 using 1:2 with linespoints lc rgb "#D55E00" lw 2 dt 2 pt 11 ps 0.8 title "α = 0.51", \
         DATA index 2 using 1:2 with linespoints lc rgb "#009E73" lw 2 dt 1 pt 7 ps 0.8 title "α = 0.4", \
         DATA index 3 using 1:2 with lines lc rgb "#56B4E9" lw 2 dt 3 title "α = 0.05"
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
    set key opaque samplen 2.5 spacing 1.15 bottom left
    set bmargin
    set xtics 50.0
    plot DATA index 5 using 1:2 with lines lc rgb "#56B4E9" lw 2 dt 3 title "α = 0.05", \
         DATA index 6 using 1:2 with lines lc rgb "#009E73" lw 2 dt 1 title "α = 0.4", \
         DATA index 7 using 1:2 with lines lc rgb "#CC79A7" lw 2 dt 4 title "α = 0.49", \
         DATA index 8 using 1:2 with lines lc rgb "#D55E00" lw 2 dt 2 title "α = 0.51"
    unset multiplot
    unset output
}
