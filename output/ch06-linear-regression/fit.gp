# The article's data, the fitted line and the true line
# Redraw with: gnuplot fit.gp  (reads fit.dat, writes fit.svg and fit.png)
reset
DATA = "fit.dat"
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
    set output "fit.".fmt
    unset label
    unset arrow
    unset logscale
    unset colorbox
    set autoscale
    set title "The article's data, the fitted line and the true line"
    set xlabel "x"
    set ylabel "y"
    set format x "% h"
    set format y "% h"
    set xrange [*:*]
    set yrange [*:*]
    set key default
    set key opaque samplen 2.5 spacing 1.15 top left
    set bmargin
    set xtics 0.5
    plot DATA index 0 using 1:2 with points lc rgb "#999999" lw 2 dt 1 pt 6 ps 0.8 title "data (NumPy seed 1)", \
         DATA index 1 using 1:2 with lines lc rgb "#0072B2" lw 2 dt 1 title "Adam after 1000 steps", \
         DATA index 2 using 1:2 with lines lc rgb "#999999" lw 2 dt 3 title "true line y = 3x + 2"
    unset output
}
