# Every schedule form
# Redraw with: gnuplot schedule-gallery.gp  (reads schedule-gallery.dat, writes schedule-gallery.svg and schedule-gallery.png)
reset
DATA = "schedule-gallery.dat"
set encoding utf8
set termoption noenhanced
set palette defined (0 "#440154", 1 "#3B528B", 2 "#21908C", 3 "#5DC863", 4 "#FDE725")
set style fill solid 1.0 noborder
set grid lc rgb "#e0e0e0" lw 1
set border lc rgb "#404040"
set tics nomirror
do for [fmt in "svg png"] {
    if (fmt eq "svg") {
        set terminal svg size 1300,1100 dynamic noenhanced font "Sans,12" background rgb "white"
        TITLEFONT = ",14"
    } else {
        set terminal pngcairo size 1950,1650 noenhanced font "Sans,18" linewidth 1.5 pointscale 1.5 background rgb "white"
        TITLEFONT = ",21"
    }
    set output "schedule-gallery.".fmt
    set multiplot layout 2,2 title "Every schedule form" font TITLEFONT
    unset label
    unset arrow
    unset logscale
    unset colorbox
    set autoscale
    set title "the article's polynomial family, base α = 0.1"
    set xlabel "step"
    set ylabel "learning rate"
    set format x "% h"
    set format y "% h"
    set xrange [*:*]
    set yrange [0.0:0.10800000000000001]
    set key default
    set key opaque samplen 2.5 spacing 1.15 below horizontal maxrows 2
    set bmargin 7
    set xtics 50.0
    plot DATA index 0 using 1:2 with lines lc rgb "#000000" lw 2 dt 1 title "constant", \
         DATA index 1 using 1:2 with lines lc rgb "#332288" lw 2 dt 3 title "polynomial, γ = 0.5", \
         DATA index 2 using 1:2 with lines lc rgb "#0072B2" lw 2 dt 1 title "polynomial, γ = 1", \
         DATA index 3 using 1:2 with lines lc rgb "#999933" lw 2 dt 2 title "polynomial, γ = 2"
    unset label
    unset arrow
    unset logscale
    unset colorbox
    set autoscale
    set title "smooth and stepwise decays, T = 300"
    set xlabel "step"
    set ylabel "learning rate"
    set format x "% h"
    set format y "% h"
    set xrange [*:*]
    set yrange [0.0:0.10800000000000001]
    set key default
    set key opaque samplen 2.5 spacing 1.15 below horizontal maxrows 2
    set bmargin 7
    set xtics 50.0
    plot DATA index 4 using 1:2 with lines lc rgb "#009E73" lw 2 dt 1 title "exponential, γ = 0.99", \
         DATA index 5 using 1:2 with lines lc rgb "#CC79A7" lw 2 dt 1 title "step, every 100, ×0.5", \
         DATA index 6 using 1:2 with lines lc rgb "#D55E00" lw 2 dt 1 title "cosine, T = 300"
    unset label
    unset arrow
    unset logscale
    unset colorbox
    set autoscale
    set title "restarts and warm-up"
    set xlabel "step"
    set ylabel "learning rate"
    set format x "% h"
    set format y "% h"
    set xrange [*:*]
    set yrange [0.0:0.10800000000000001]
    set key default
    set key opaque samplen 2.5 spacing 1.15 below horizontal maxrows 1
    set bmargin 6
    set xtics 50.0
    plot DATA index 7 using 1:2 with lines lc rgb "#E69F00" lw 2 dt 2 title "SGDR, T₀ = 50, ×2", \
         DATA index 8 using 1:2 with lines lc rgb "#882255" lw 2 dt 4 title "warm-up 30 + cosine"
    unset label
    unset arrow
    unset logscale
    unset colorbox
    set autoscale
    set title "restart rule on a real run: base α = 0.2, τ = 0.05, ×0.7, γ = 0.995"
    set xlabel "step"
    set ylabel "learning rate; mini-batch loss"
    set format x "% h"
    set logscale y
    set format y "%.0e"
    set xrange [*:*]
    set yrange [*:*]
    set key default
    set key opaque samplen 2.5 spacing 1.15 top right
    set bmargin
    set xtics 500.0
    plot DATA index 9 using 1:2 with lines lc rgb "#0072B2" lw 2 dt 1 title "learning rate", \
         DATA index 10 using 1:2 with lines lc rgb "#999999" lw 2 dt 1 title "mini-batch loss"
    unset multiplot
    unset output
}
