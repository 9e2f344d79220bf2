# Quadratic: speed and noise floor against the rate (gradient descent)
# Redraw with: gnuplot q4.gp  (reads q4.dat, writes q4.svg and q4.png)
reset
DATA = "q4.dat"
set encoding utf8
set termoption noenhanced
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
    set output "q4.".fmt
    set multiplot layout 1,2 title "Quadratic: speed and noise floor against the rate (gradient descent)" font TITLEFONT
    unset label
    unset arrow
    unset logscale
    unset colorbox
    set autoscale
    set title "exact gradients"
    set xlabel "learning rate α"
    set ylabel "steps to f < 10⁻⁶"
    set format x "% h"
    set logscale y
    set format y "%.0e"
    set xrange [0.04:0.52]
    set yrange [*:*]
    set key default
    set key opaque samplen 2.5 spacing 1.15 bottom left
    set bmargin
    set xtics 0.2
    set arrow 1 from 0.47619047619047616, graph 0 to 0.47619047619047616, graph 1 nohead front lc rgb "#009E73" lw 1.5 dt 3
    set arrow 2 from 0.5, graph 0 to 0.5, graph 1 nohead front lc rgb "#D55E00" lw 1.5 dt 3
    plot DATA index 0 using 1:2 with linespoints lc rgb "#000000" lw 2 dt 1 pt 7 ps 0.8 title "measured", \
         NaN with lines lc rgb "#009E73" lw 1.5 dt 3 title "2/(L + μ) = 0.476", \
         NaN with lines lc rgb "#D55E00" lw 1.5 dt 3 title "2/L = 0.5"
    unset label
    unset arrow
    unset logscale
    unset colorbox
    set autoscale
    set title "noisy gradients (σ = 1)"
    set xlabel "learning rate α"
    set ylabel "mean loss (noise floor)"
    set format x "% h"
    set logscale y
    set format y "%.0e"
    set xrange [0.04:0.52]
    set yrange [0.01:10.0]
    set key default
    set key opaque samplen 2.5 spacing 1.15 top left
    set bmargin
    set xtics 0.2
    plot DATA index 1 using 1:2 with lines lc rgb "#D55E00" lw 2 dt 1 title "closed form", \
         DATA index 2 using 1:2 with points lc rgb "#000000" lw 2 dt 1 pt 6 ps 0.8 title "measured (5 seeds)"
    unset multiplot
    unset output
}
