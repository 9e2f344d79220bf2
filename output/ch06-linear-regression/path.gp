# The (w, b) path on the MSE contours, α = 0.01
# Redraw with: gnuplot path.gp  (reads path.dat, writes path.svg and path.png)
reset
DATA = "path.dat"
set encoding utf8
set termoption noenhanced
set contour base
unset surface
set view map
set cntrparam levels discrete 0.5,1.0,2.0,4.0,8.0,16.0
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
        set terminal svg size 900,560 dynamic noenhanced font "Sans,12" background rgb "white"
        TITLEFONT = ",14"
    } else {
        set terminal pngcairo size 1350,840 noenhanced font "Sans,18" linewidth 1.5 pointscale 1.5 background rgb "white"
        TITLEFONT = ",21"
    }
    set output "path.".fmt
    unset label
    unset arrow
    unset logscale
    unset colorbox
    set autoscale
    set title "The (w, b) path on the MSE contours, α = 0.01"
    set xlabel "w"
    set ylabel "b"
    set format x "% h"
    set format y "% h"
    set xrange [-0.5:4.0]
    set yrange [-0.5:3.0]
    set key default
    set key opaque samplen 2.5 spacing 1.15 below horizontal maxrows 2
    set bmargin 7
    set xtics 0.5
    plot $CONTOUR0 using 1:2 with lines lc rgb "#b8b8b8" lw 1 notitle, \
         DATA index 0 using 1:2 with linespoints lc rgb "#0072B2" lw 2 dt 1 pt 13 ps 0.8 title "Adam", \
         DATA index 1 using 1:2 with linespoints lc rgb "#000000" lw 2 dt 1 pt 7 ps 0.8 title "gradient descent", \
         DATA index 2 using 1:2 with lines lc rgb "#D55E00" lw 2 dt 1 title "least squares (ring centre)", \
         DATA index 3 using 1:2 with points lc rgb "#D55E00" lw 2 dt 1 pt 2 ps 0.8 title ""
    unset output
}
