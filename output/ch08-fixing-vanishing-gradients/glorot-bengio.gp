# tanh, 10 × 32, at initialisation: activations and gradients by layer (seed 42)
# Redraw with: gnuplot glorot-bengio.gp  (reads glorot-bengio.dat, writes glorot-bengio.svg and glorot-bengio.png)
reset
DATA = "glorot-bengio.dat"
set encoding utf8
set termoption noenhanced
set palette defined (0 "#440154", 1 "#3B528B", 2 "#21908C", 3 "#5DC863", 4 "#FDE725")
set style fill solid 1.0 noborder
set grid lc rgb "#e0e0e0" lw 1
set border lc rgb "#404040"
set tics nomirror
do for [fmt in "svg png"] {
    if (fmt eq "svg") {
        set terminal svg size 900,820 dynamic noenhanced font "Sans,12" background rgb "white"
        TITLEFONT = ",14"
    } else {
        set terminal pngcairo size 1350,1230 noenhanced font "Sans,18" linewidth 1.5 pointscale 1.5 background rgb "white"
        TITLEFONT = ",21"
    }
    set output "glorot-bengio.".fmt
    set multiplot layout 2,2 title "tanh, 10 × 32, at initialisation: activations and gradients by layer (seed 42)" font TITLEFONT
    unset label
    unset arrow
    unset logscale
    unset colorbox
    set autoscale
    set title "log₁₀|activation|, standard init"
    set xlabel "log₁₀ |activation|"
    set ylabel "density"
    set format x "% h"
    set format y "% h"
    set xrange [-7.0:0.0]
    set yrange [*:*]
    set key default
    set key opaque samplen 2.5 spacing 1.15 top left
    set bmargin
    set xtics 2.0
    plot DATA index 0 using 1:2 with lines lc rgb "#0072B2" lw 2 dt 1 title "layer 1", \
         DATA index 1 using 1:2 with lines lc rgb "#D55E00" lw 2 dt 1 title "layer 3", \
         DATA index 2 using 1:2 with lines lc rgb "#009E73" lw 2 dt 1 title "layer 5", \
         DATA index 3 using 1:2 with lines lc rgb "#CC79A7" lw 2 dt 1 title "layer 7", \
         DATA index 4 using 1:2 with lines lc rgb "#E69F00" lw 2 dt 1 title "layer 9"
    unset label
    unset arrow
    unset logscale
    unset colorbox
    set autoscale
    set title "log₁₀|activation|, normalised (Xavier) init"
    set xlabel "log₁₀ |activation|"
    set ylabel "density"
    set format x "% h"
    set format y "% h"
    set xrange [-7.0:0.0]
    set yrange [*:*]
    set key default
    set key opaque samplen 2.5 spacing 1.15 top left
    set bmargin
    set xtics 2.0
    plot DATA index 5 using 1:2 with lines lc rgb "#0072B2" lw 2 dt 1 title "layer 1", \
         DATA index 6 using 1:2 with lines lc rgb "#D55E00" lw 2 dt 1 title "layer 3", \
         DATA index 7 using 1:2 with lines lc rgb "#009E73" lw 2 dt 1 title "layer 5", \
         DATA index 8 using 1:2 with lines lc rgb "#CC79A7" lw 2 dt 1 title "layer 7", \
         DATA index 9 using 1:2 with lines lc rgb "#E69F00" lw 2 dt 1 title "layer 9"
    unset label
    unset arrow
    unset logscale
    unset colorbox
    set autoscale
    set title "log₁₀|∂ℓ/∂Z|, standard init"
    set xlabel "log₁₀ |back-propagated gradient|"
    set ylabel "density"
    set format x "% h"
    set format y "% h"
    set xrange [-11.0:-2.0]
    set yrange [*:*]
    set key default
    set key opaque samplen 2.5 spacing 1.15 top left
    set bmargin
    set xtics 5.0
    plot DATA index 10 using 1:2 with lines lc rgb "#0072B2" lw 2 dt 1 title "layer 1", \
         DATA index 11 using 1:2 with lines lc rgb "#D55E00" lw 2 dt 1 title "layer 3", \
         DATA index 12 using 1:2 with lines lc rgb "#009E73" lw 2 dt 1 title "layer 5", \
         DATA index 13 using 1:2 with lines lc rgb "#CC79A7" lw 2 dt 1 title "layer 7", \
         DATA index 14 using 1:2 with lines lc rgb "#E69F00" lw 2 dt 1 title "layer 9"
    unset label
    unset arrow
    unset logscale
    unset colorbox
    set autoscale
    set title "log₁₀|∂ℓ/∂Z|, normalised init"
    set xlabel "log₁₀ |back-propagated gradient|"
    set ylabel "density"
    set format x "% h"
    set format y "% h"
    set xrange [-11.0:-2.0]
    set yrange [*:*]
    set key default
    set key opaque samplen 2.5 spacing 1.15 top left
    set bmargin
    set xtics 5.0
    plot DATA index 15 using 1:2 with lines lc rgb "#0072B2" lw 2 dt 1 title "layer 1", \
         DATA index 16 using 1:2 with lines lc rgb "#D55E00" lw 2 dt 1 title "layer 3", \
         DATA index 17 using 1:2 with lines lc rgb "#009E73" lw 2 dt 1 title "layer 5", \
         DATA index 18 using 1:2 with lines lc rgb "#CC79A7" lw 2 dt 1 title "layer 7", \
         DATA index 19 using 1:2 with lines lc rgb "#E69F00" lw 2 dt 1 title "layer 9"
    unset multiplot
    unset output
}
