# Per-layer gradient RMS at initialisation, 10 × 32 network on digits
# Redraw with: gnuplot rms-at-init.gp  (reads rms-at-init.dat, writes rms-at-init.svg and rms-at-init.png)
reset
DATA = "rms-at-init.dat"
set encoding utf8
set termoption noenhanced
set palette defined (0 "#440154", 1 "#3B528B", 2 "#21908C", 3 "#5DC863", 4 "#FDE725")
set style fill solid 1.0 noborder
set grid lc rgb "#e0e0e0" lw 1
set border lc rgb "#404040"
set tics nomirror
do for [fmt in "svg png"] {
    if (fmt eq "svg") {
        set terminal svg size 1000,760 dynamic noenhanced font "Sans,12" background rgb "white"
        TITLEFONT = ",14"
    } else {
        set terminal pngcairo size 1500,1140 noenhanced font "Sans,18" linewidth 1.5 pointscale 1.5 background rgb "white"
        TITLEFONT = ",21"
    }
    set output "rms-at-init.".fmt
    unset label
    unset arrow
    unset logscale
    unset colorbox
    set autoscale
    set title "Per-layer gradient RMS at initialisation, 10 × 32 network on digits"
    set xlabel "layer (1 = input side, 11 = output)"
    set ylabel "RMS of ∂ℓ/∂W (median of 5 draws)"
    set format x "% h"
    set logscale y
    set format y "%.0e"
    set xrange [*:*]
    set yrange [*:*]
    set key default
    set key opaque samplen 2.5 spacing 1.15 below horizontal maxrows 4
    set bmargin 10
    set xtics 1.0
    plot DATA index 0 using 1:2 with linespoints lc rgb "#0072B2" lw 2 dt 1 pt 7 ps 0.8 title "sigmoid, PyTorch default init", \
         DATA index 1 using 1:2 with linespoints lc rgb "#D55E00" lw 2 dt 2 pt 5 ps 0.8 title "sigmoid, Xavier init", \
         DATA index 2 using 1:2 with linespoints lc rgb "#009E73" lw 2 dt 3 pt 9 ps 0.8 title "sigmoid + residual", \
         DATA index 3 using 1:2 with linespoints lc rgb "#CC79A7" lw 2 dt 4 pt 11 ps 0.8 title "sigmoid + batch norm", \
         DATA index 4 using 1:2 with linespoints lc rgb "#E69F00" lw 2 dt 5 pt 13 ps 0.8 title "tanh, PyTorch default init", \
         DATA index 5 using 1:2 with linespoints lc rgb "#56B4E9" lw 2 dt 1 pt 15 ps 0.8 title "tanh, Xavier init", \
         DATA index 6 using 1:2 with linespoints lc rgb "#000000" lw 2 dt 2 pt 6 ps 0.8 title "ReLU, PyTorch default init", \
         DATA index 7 using 1:2 with linespoints lc rgb "#999999" lw 2 dt 3 pt 4 ps 0.8 title "ReLU, He init"
    unset output
}
