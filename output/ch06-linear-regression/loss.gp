# Training loss, full batch, α = 0.01
# Redraw with: gnuplot loss.gp  (reads loss.dat, writes loss.svg and loss.png)
reset
DATA = "loss.dat"
set encoding utf8
set termoption noenhanced
set palette defined (0 "#440154", 1 "#3B528B", 2 "#21908C", 3 "#5DC863", 4 "#FDE725")
set style fill solid 1.0 noborder
set grid lc rgb "#e0e0e0" lw 1
set border lc rgb "#404040"
set tics nomirror
do for [fmt in "svg png"] {
    if (fmt eq "svg") {
        set terminal svg size 900,540 dynamic noenhanced font "Sans,12" background rgb "white"
        TITLEFONT = ",14"
    } else {
        set terminal pngcairo size 1350,810 noenhanced font "Sans,18" linewidth 1.5 pointscale 1.5 background rgb "white"
        TITLEFONT = ",21"
    }
    set output "loss.".fmt
    set multiplot layout 1,2 title "Training loss, full batch, α = 0.01" font TITLEFONT
    unset label
    unset arrow
    unset logscale
    unset colorbox
    set autoscale
    set title "excess over the least-squares loss"
    set xlabel "step"
    set ylabel "MSE − MSE_LS"
    set format x "% h"
    set logscale y
    set format y "%.0e"
    set xrange [*:*]
    set yrange [*:*]
    set key default
    set key opaque samplen 2.5 spacing 1.15 below horizontal maxrows 3
    set bmargin 9
    set xtics 500.0
    plot DATA index 0 using 1:2 with lines lc rgb "#0072B2" lw 2 dt 1 title "Adam (PyTorch)", \
         DATA index 1 using 1:2 with points lc rgb "#0072B2" lw 2 dt 4 pt 6 ps 0.8 title "Adam (Keras), every 50th step", \
         DATA index 2 using 1:2 with lines lc rgb "#000000" lw 2 dt 1 title "gradient descent"
    unset label
    unset arrow
    unset logscale
    unset colorbox
    set autoscale
    set title "the two Adams: |MSE_Keras − MSE_PyTorch|"
    set xlabel "step"
    set ylabel "difference"
    set format x "% h"
    set logscale y
    set format y "%.0e"
    set xrange [*:*]
    set yrange [*:*]
    unset key
    set bmargin
    set xtics 500.0
    plot DATA index 3 using 1:2 with lines lc rgb "#0072B2" lw 2 dt 1 title "|Keras − PyTorch|"
    unset multiplot
    unset output
}
