# Norms
# Redraw with: gnuplot heat.gp  (reads heat.dat, writes heat.svg and heat.png)
reset
DATA = "heat.dat"
set encoding utf8
set termoption noenhanced
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
        set terminal svg size 900,560 dynamic noenhanced font "Sans,12" background rgb "white"
    } else {
        set terminal pngcairo size 900,560 noenhanced font "Sans,11" background rgb "white"
    }
    set output "heat.".fmt
    unset label
    unset arrow
    unset logscale
    unset colorbox
    set autoscale
    set title "Norms"
    set xlabel "step"
    set ylabel "layer"
    set format x "% h"
    set format y "% h"
    set xrange [*:*]
    set yrange [*:*]
    unset key
    set bmargin
    set colorbox
    set cblabel "log10 norm"
    set cbrange [*:*]
    plot DATA index 0 using 1:2:3 with image notitle
    unset output
}
