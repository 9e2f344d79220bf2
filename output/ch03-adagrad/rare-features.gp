# Weight error on rare and frequent features
# Redraw with: gnuplot rare-features.gp  (reads rare-features.dat, writes rare-features.svg and rare-features.png)
reset
DATA = "rare-features.dat"
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
    set output "rare-features.".fmt
    set multiplot layout 1,2 title "Weight error on rare and frequent features" font TITLEFONT
    unset label
    unset arrow
    unset logscale
    unset colorbox
    set autoscale
    set title "rare features (on in 2 % of examples)"
    set xlabel "step"
    set ylabel "mean |wⱼ − w*ⱼ|"
    set format x "% h"
    set logscale y
    set format y "%.0e"
    set xrange [*:*]
    set yrange [*:*]
    set key default
    set key opaque samplen 2.5 spacing 1.15 top right
    set bmargin
    set xtics 1000.0
    plot DATA index 0 using 1:3:4 with filledcurves lc rgb "#000000" lw 2 dt 1 fs transparent solid 0.25 noborder notitle, \
         DATA index 0 using 1:2 with lines lc rgb "#000000" lw 2 dt 1 title "SGD, α = 0.05", \
         DATA index 1 using 1:3:4 with filledcurves lc rgb "#009E73" lw 2 dt 1 fs transparent solid 0.25 noborder notitle, \
         DATA index 1 using 1:2 with lines lc rgb "#009E73" lw 2 dt 1 title "AdaGrad, α = 0.5"
    unset label
    unset arrow
    unset logscale
    unset colorbox
    set autoscale
    set title "frequent features (on in 50 %)"
    set xlabel "step"
    set ylabel "mean |wⱼ − w*ⱼ|"
    set format x "% h"
    set logscale y
    set format y "%.0e"
    set xrange [*:*]
    set yrange [*:*]
    set key default
    set key opaque samplen 2.5 spacing 1.15 top right
    set bmargin
    set xtics 1000.0
    plot DATA index 2 using 1:3:4 with filledcurves lc rgb "#000000" lw 2 dt 1 fs transparent solid 0.25 noborder notitle, \
         DATA index 2 using 1:2 with lines lc rgb "#000000" lw 2 dt 1 title "SGD, α = 0.05", \
         DATA index 3 using 1:3:4 with filledcurves lc rgb "#009E73" lw 2 dt 1 fs transparent solid 0.25 noborder notitle, \
         DATA index 3 using 1:2 with lines lc rgb "#009E73" lw 2 dt 1 title "AdaGrad, α = 0.5"
    unset multiplot
    unset output
}
