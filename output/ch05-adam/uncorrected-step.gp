# Step size / α with a constant gradient, β₁ = 0.9
# Redraw with: gnuplot uncorrected-step.gp  (reads uncorrected-step.dat, writes uncorrected-step.svg and uncorrected-step.png)
reset
DATA = "uncorrected-step.dat"
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
    set output "uncorrected-step.".fmt
    unset label
    unset arrow
    unset logscale
    unset colorbox
    set autoscale
    set title "Step size / α with a constant gradient, β₁ = 0.9"
    set xlabel "step t"
    set ylabel "step / α"
    set logscale x
    set format x "%.0e"
    set format y "% h"
    set xrange [*:*]
    set yrange [0.0:24.0]
    set key default
    set key opaque samplen 2.5 spacing 1.15 top right
    set bmargin
    set xtics autofreq
    plot DATA index 0 using 1:2 with lines lc rgb "#D55E00" lw 2 dt 2 title "article's Adam, β₂ = 0.99", \
         DATA index 1 using 1:2 with lines lc rgb "#009E73" lw 2 dt 3 title "article's Adam, β₂ = 0.999", \
         DATA index 2 using 1:2 with lines lc rgb "#CC79A7" lw 2 dt 4 title "article's Adam, β₂ = 0.9999", \
         DATA index 3 using 1:2 with lines lc rgb "#0072B2" lw 2 dt 1 title "Adam (bias-corrected), β₂ = 0.999"
    unset output
}
