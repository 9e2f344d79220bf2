# Norms
# Redraw with: gnuplot heat.gp  (reads heat.dat, writes heat.svg and heat.png)
reset
DATA = "heat.dat"
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
    set bmargin 5
    set xtics 0.2
    set colorbox
    set cblabel "log10 norm"
    set cbrange [*:*]
    plot DATA index 0 using 1:2:3 with image notitle
    unset output
}
