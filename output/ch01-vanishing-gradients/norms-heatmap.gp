# Per-layer gradient size during training, first draw (seed 42)
# Redraw with: gnuplot norms-heatmap.gp  (reads norms-heatmap.dat, writes norms-heatmap.svg and norms-heatmap.png)
reset
DATA = "norms-heatmap.dat"
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
    set output "norms-heatmap.".fmt
    set multiplot layout 1,2 title "Per-layer gradient size during training, first draw (seed 42)" font TITLEFONT
    unset label
    unset arrow
    unset logscale
    unset colorbox
    set autoscale
    set title "sigmoid, standard init"
    set xlabel "step"
    set ylabel "layer (top row: 11, the output layer)"
    set format x "% h"
    set format y "% h"
    set xrange [0.0:300.0]
    set yrange [0.5:11.5]
    unset key
    set bmargin 5
    set xtics 100.0
    set colorbox
    set cblabel "log10 per-weight RMS of ∂L/∂Wᵢ"
    set cbrange [-12.251290403810682:-1.0433665551617397]
    plot DATA index 0 using 1:2:3 with image notitle
    unset label
    unset arrow
    unset logscale
    unset colorbox
    set autoscale
    set title "tanh, Xavier init"
    set xlabel "step"
    set ylabel "layer (top row: 11, the output layer)"
    set format x "% h"
    set format y "% h"
    set xrange [0.0:300.0]
    set yrange [0.5:11.5]
    unset key
    set bmargin 5
    set xtics 100.0
    set colorbox
    set cblabel "log10 per-weight RMS of ∂L/∂Wᵢ"
    set cbrange [-12.251290403810682:-1.0433665551617397]
    plot DATA index 1 using 1:2:3 with image notitle
    unset multiplot
    unset output
}
