# Mini-batch SGD under each schedule: held-out excess error (mean of 5 seeds)
# Redraw with: gnuplot schedule-training.gp  (reads schedule-training.dat, writes schedule-training.svg and schedule-training.png)
reset
DATA = "schedule-training.dat"
set encoding utf8
set termoption noenhanced
set palette defined (0 "#440154", 1 "#3B528B", 2 "#21908C", 3 "#5DC863", 4 "#FDE725")
set style fill solid 1.0 noborder
set grid lc rgb "#e0e0e0" lw 1
set border lc rgb "#404040"
set tics nomirror
do for [fmt in "svg png"] {
    if (fmt eq "svg") {
        set terminal svg size 1500,640 dynamic noenhanced font "Sans,12" background rgb "white"
        TITLEFONT = ",14"
    } else {
        set terminal pngcairo size 2250,960 noenhanced font "Sans,18" linewidth 1.5 pointscale 1.5 background rgb "white"
        TITLEFONT = ",21"
    }
    set output "schedule-training.".fmt
    set multiplot layout 1,3 title "Mini-batch SGD under each schedule: held-out excess error (mean of 5 seeds)" font TITLEFONT
    unset label
    unset arrow
    unset logscale
    unset colorbox
    set autoscale
    set title "smooth decays"
    set xlabel "step"
    set ylabel "mean (student − teacher)², 1024 held-out inputs"
    set format x "% h"
    set logscale y
    set format y "%.0e"
    set xrange [*:*]
    set yrange [9.742690537534642e-05:0.06754666027244886]
    set key default
    set key opaque samplen 2.5 spacing 1.15 top right
    set bmargin
    set xtics 500.0
    plot DATA index 0 using 1:3:4 with filledcurves lc rgb "#000000" lw 2 dt 1 fs transparent solid 0.25 noborder notitle, \
         DATA index 0 using 1:2 with lines lc rgb "#000000" lw 2 dt 1 title "constant", \
         DATA index 1 using 1:2 with lines lc rgb "#0072B2" lw 2 dt 2 title "polynomial, power 1", \
         DATA index 2 using 1:2 with lines lc rgb "#009E73" lw 2 dt 1 title "exponential", \
         DATA index 3 using 1:2 with lines lc rgb "#D55E00" lw 2 dt 4 title "cosine"
    unset label
    unset arrow
    unset logscale
    unset colorbox
    set autoscale
    set title "steps, restarts, warm-up"
    set xlabel "step"
    set ylabel "mean (student − teacher)², 1024 held-out inputs"
    set format x "% h"
    set logscale y
    set format y "%.0e"
    set xrange [*:*]
    set yrange [9.742690537534642e-05:0.06754666027244886]
    set key default
    set key opaque samplen 2.5 spacing 1.15 top right
    set bmargin
    set xtics 500.0
    plot DATA index 4 using 1:3:4 with filledcurves lc rgb "#000000" lw 2 dt 1 fs transparent solid 0.25 noborder notitle, \
         DATA index 4 using 1:2 with lines lc rgb "#000000" lw 2 dt 1 title "constant", \
         DATA index 5 using 1:2 with lines lc rgb "#CC79A7" lw 2 dt 1 title "step", \
         DATA index 6 using 1:2 with lines lc rgb "#E69F00" lw 2 dt 2 title "SGDR (warm restarts)", \
         DATA index 7 using 1:2 with lines lc rgb "#882255" lw 2 dt 4 title "warm-up + cosine"
    unset label
    unset arrow
    unset logscale
    unset colorbox
    set autoscale
    set title "driven by the loss"
    set xlabel "step"
    set ylabel "mean (student − teacher)², 1024 held-out inputs"
    set format x "% h"
    set logscale y
    set format y "%.0e"
    set xrange [*:*]
    set yrange [9.742690537534642e-05:0.06754666027244886]
    set key default
    set key opaque samplen 2.5 spacing 1.15 top right
    set bmargin
    set xtics 500.0
    plot DATA index 8 using 1:3:4 with filledcurves lc rgb "#000000" lw 2 dt 1 fs transparent solid 0.25 noborder notitle, \
         DATA index 8 using 1:2 with lines lc rgb "#000000" lw 2 dt 1 title "constant", \
         DATA index 9 using 1:2 with lines lc rgb "#56B4E9" lw 2 dt 1 title "article's restart rule", \
         DATA index 10 using 1:2 with lines lc rgb "#882255" lw 2 dt 4 title "reduce on plateau"
    unset multiplot
    unset output
}
