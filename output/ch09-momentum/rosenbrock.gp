# Rosenbrock: gradient descent and momentum at their best rates
# Redraw with: gnuplot rosenbrock.gp  (reads rosenbrock.dat, writes rosenbrock.svg and rosenbrock.png)
reset
DATA = "rosenbrock.dat"
set encoding utf8
set termoption noenhanced
set contour base
unset surface
set view map
set cntrparam levels discrete 2.0,5.0,10.0,30.0,100.0,300.0,1000.0
set table $CONTOUR0
splot DATA index 1 using 1:2:3 with lines notitle
unset table
unset contour
set surface
set contour base
unset surface
set view map
set cntrparam levels discrete 2.0,5.0,10.0,30.0,100.0,300.0,1000.0
set table $CONTOUR1
splot DATA index 3 using 1:2:3 with lines notitle
unset table
unset contour
set surface
set contour base
unset surface
set view map
set cntrparam levels discrete 2.0,5.0,10.0,30.0,100.0,300.0,1000.0
set table $CONTOUR2
splot DATA index 5 using 1:2:3 with lines notitle
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
        set terminal svg size 900,820 dynamic noenhanced font "Sans,12" background rgb "white"
        TITLEFONT = ",14"
    } else {
        set terminal pngcairo size 1350,1230 noenhanced font "Sans,18" linewidth 1.5 pointscale 1.5 background rgb "white"
        TITLEFONT = ",21"
    }
    set output "rosenbrock.".fmt
    set multiplot layout 2,2 title "Rosenbrock: gradient descent and momentum at their best rates" font TITLEFONT
    unset label
    unset arrow
    unset logscale
    unset colorbox
    set autoscale
    set title "gradient descent, α = 0.0015"
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
         DATA index 0 using 1:2 with lines lc rgb "#000000" lw 2 dt 1 title "gradient descent"
    unset label
    unset arrow
    unset logscale
    unset colorbox
    set autoscale
    set title "heavy ball, α = 0.002"
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
         DATA index 2 using 1:2 with lines lc rgb "#56B4E9" lw 2 dt 1 title "heavy ball"
    unset label
    unset arrow
    unset logscale
    unset colorbox
    set autoscale
    set title "Nesterov, α = 0.001"
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
         DATA index 4 using 1:2 with lines lc rgb "#D55E00" lw 2 dt 1 title "Nesterov"
    unset label
    unset arrow
    unset logscale
    unset colorbox
    set autoscale
    set title "loss"
    set xlabel "step"
    set ylabel "f(θ)"
    set logscale x
    set format x "%.0e"
    set logscale y
    set format y "%.0e"
    set xrange [*:*]
    set yrange [*:*]
    set key default
    set key opaque samplen 2.5 spacing 1.15 bottom left
    set bmargin
    set xtics autofreq
    plot DATA index 6 using 1:2 with lines lc rgb "#000000" lw 2 dt 1 title "gradient descent", \
         DATA index 7 using 1:2 with lines lc rgb "#56B4E9" lw 2 dt 1 title "heavy ball", \
         DATA index 8 using 1:2 with lines lc rgb "#D55E00" lw 2 dt 2 title "Nesterov"
    unset multiplot
    unset output
}
