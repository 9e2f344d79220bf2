# Back-propagated gradients at initialisation (after Glorot and Bengio, Fig. 7)
# Redraw with: gnuplot backprop-histograms.gp  (reads backprop-histograms.dat, writes backprop-histograms.svg and backprop-histograms.png)
reset
DATA = "backprop-histograms.dat"
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
    set output "backprop-histograms.".fmt
    set multiplot layout 1,2 title "Back-propagated gradients at initialisation (after Glorot and Bengio, Fig. 7)" font TITLEFONT
    unset label
    unset arrow
    unset logscale
    unset colorbox
    set autoscale
    set title "sigmoid, standard init"
    set xlabel "log₁₀ |∂L/∂zᵢ|"
    set ylabel "fraction of units × examples × draws"
    set format x "% h"
    set format y "% h"
    set xrange [*:*]
    set yrange [*:*]
    set key default
    set key opaque samplen 2.5 spacing 1.15 below horizontal maxrows 2
    set bmargin 7
    set xtics 5.0
    plot DATA index 0 using 1:2 with steps lc rgb "#0072B2" lw 2 dt 1 title "layer 1", \
         DATA index 1 using 1:2 with steps lc rgb "#D55E00" lw 2 dt 2 title "layer 5", \
         DATA index 2 using 1:2 with steps lc rgb "#009E73" lw 2 dt 3 title "layer 10"
    unset label
    unset arrow
    unset logscale
    unset colorbox
    set autoscale
    set title "tanh, Xavier init"
    set xlabel "log₁₀ |∂L/∂zᵢ|"
    set ylabel "fraction of units × examples × draws"
    set format x "% h"
    set format y "% h"
    set xrange [*:*]
    set yrange [*:*]
    set key default
    set key opaque samplen 2.5 spacing 1.15 below horizontal maxrows 2
    set bmargin 7
    set xtics 5.0
    plot DATA index 3 using 1:2 with steps lc rgb "#0072B2" lw 2 dt 1 title "layer 1", \
         DATA index 4 using 1:2 with steps lc rgb "#D55E00" lw 2 dt 2 title "layer 5", \
         DATA index 5 using 1:2 with steps lc rgb "#009E73" lw 2 dt 3 title "layer 10"
    unset multiplot
    unset output
}
