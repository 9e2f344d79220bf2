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
set style line 1 lc rgb "#0072B2" lw 2 pt 7 ps 0.8
set style line 11 lc rgb "#0072B2" lw 2 dt 2 pt 7 ps 0.8
set style line 2 lc rgb "#D55E00" lw 2 pt 5 ps 0.8
set style line 12 lc rgb "#D55E00" lw 2 dt 2 pt 5 ps 0.8
set style line 3 lc rgb "#009E73" lw 2 pt 9 ps 0.8
set style line 13 lc rgb "#009E73" lw 2 dt 2 pt 9 ps 0.8
set style line 4 lc rgb "#CC79A7" lw 2 pt 11 ps 0.8
set style line 14 lc rgb "#CC79A7" lw 2 dt 2 pt 11 ps 0.8
set style line 5 lc rgb "#E69F00" lw 2 pt 13 ps 0.8
set style line 15 lc rgb "#E69F00" lw 2 dt 2 pt 13 ps 0.8
set style line 6 lc rgb "#56B4E9" lw 2 pt 15 ps 0.8
set style line 16 lc rgb "#56B4E9" lw 2 dt 2 pt 15 ps 0.8
set style line 7 lc rgb "#000000" lw 2 pt 6 ps 0.8
set style line 17 lc rgb "#000000" lw 2 dt 2 pt 6 ps 0.8
set style line 8 lc rgb "#999999" lw 2 pt 4 ps 0.8
set style line 18 lc rgb "#999999" lw 2 dt 2 pt 4 ps 0.8
set palette defined (0 "#440154", 1 "#3B528B", 2 "#21908C", 3 "#5DC863", 4 "#FDE725")
set style fill solid 1.0 noborder
set grid lc rgb "#e0e0e0" lw 1
set border lc rgb "#404040"
set tics nomirror
do for [fmt in "svg png"] {
    if (fmt eq "svg") {
        set terminal svg size 900,440 dynamic noenhanced font "Sans,12" background rgb "white"
    } else {
        set terminal pngcairo size 900,440 noenhanced font "Sans,11" background rgb "white"
    }
    set output "gd-trajectories.".fmt
    set multiplot layout 1,2 title "Gradient descent on 0.1x² + 2y² from (−5, −2)" font ",14"
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
    set key opaque samplen 2.5 spacing 1.15 bottom right
    set bmargin
    plot $CONTOUR0 using 1:2 with lines lc rgb "#b8b8b8" lw 1 notitle, \
         DATA index 0 using 1:2 with linespoints ls 1 title "α = 0.05", \
         DATA index 1 using 1:2 with linespoints ls 2 title "α = 0.4", \
         DATA index 2 using 1:2 with linespoints ls 3 title "α = 0.49", \
         DATA index 3 using 1:2 with linespoints ls 4 title "α = 0.51"
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
    plot DATA index 5 using 1:2 with lines ls 1 title "α = 0.05", \
         DATA index 6 using 1:2 with lines ls 2 title "α = 0.4", \
         DATA index 7 using 1:2 with lines ls 3 title "α = 0.49", \
         DATA index 8 using 1:2 with lines ls 4 title "α = 0.51"
    unset multiplot
    unset output
}
