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
        set terminal pngcairo size 1800,880 noenhanced font "Sans,24" linewidth 2 pointscale 2 background rgb "white"
        TITLEFONT = ",28"
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
    set xrange [*:*]
    set yrange [*:*]
    unset key
    set bmargin
    set xtics 0.2
    plot DATA index 0 using 1:2 with linespoints lc rgb "#000000" lw 2 dt 1 pt 7 ps 0.8 title "measured"
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
    set xrange [*:*]
    set yrange [0.001:10.0]
    set key default
    set key opaque samplen 2.5 spacing 1.15 bottom right
    set bmargin
    set xtics 0.2
    plot DATA index 1 using 1:2 with points lc rgb "#000000" lw 2 dt 1 pt 6 ps 0.8 title "measured (every third rate)", \
         DATA index 2 using 1:2 with lines lc rgb "#D55E00" lw 2 dt 1 title "closed form Σ ½λ·ασ²/(λ(2 − αλ))"
    unset multiplot
    unset output
}
