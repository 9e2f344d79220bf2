# Final loss after 1000 steps vs learning rate (after Kingma and Ba, Fig. 4)
# Redraw with: gnuplot bias-correction.gp  (reads bias-correction.dat, writes bias-correction.svg and bias-correction.png)
reset
DATA = "bias-correction.dat"
set encoding utf8
set termoption noenhanced
set palette defined (0 "#440154", 1 "#3B528B", 2 "#21908C", 3 "#5DC863", 4 "#FDE725")
set style fill solid 1.0 noborder
set grid lc rgb "#e0e0e0" lw 1
set border lc rgb "#404040"
set tics nomirror
do for [fmt in "svg png"] {
    if (fmt eq "svg") {
        set terminal svg size 1330,440 dynamic noenhanced font "Sans,12" background rgb "white"
        TITLEFONT = ",14"
    } else {
        set terminal pngcairo size 1995,660 noenhanced font "Sans,18" linewidth 1.5 pointscale 1.5 background rgb "white"
        TITLEFONT = ",21"
    }
    set output "bias-correction.".fmt
    set multiplot layout 1,3 title "Final loss after 1000 steps vs learning rate (after Kingma and Ba, Fig. 4)" font TITLEFONT
    unset label
    unset arrow
    unset logscale
    unset colorbox
    set autoscale
    set title "β₂ = 0.99"
    set xlabel "log₁₀ α"
    set ylabel "training loss (BCE)"
    set format x "% h"
    set logscale y
    set format y "%.0e"
    set xrange [*:*]
    set yrange [0.01904990525303597:6.509007449038992]
    set key default
    set key opaque samplen 2.5 spacing 1.15 top right
    set bmargin
    set xtics 0.5
    plot DATA index 0 using 1:3:4 with filledcurves lc rgb "#0072B2" lw 2 dt 1 fs transparent solid 0.25 noborder notitle, \
         DATA index 0 using 1:2 with lines lc rgb "#0072B2" lw 2 dt 1 title "with bias correction", \
         DATA index 1 using 1:3:4 with filledcurves lc rgb "#D55E00" lw 2 dt 2 fs transparent solid 0.25 noborder notitle, \
         DATA index 1 using 1:2 with lines lc rgb "#D55E00" lw 2 dt 2 title "without (the article's)"
    unset label
    unset arrow
    unset logscale
    unset colorbox
    set autoscale
    set title "β₂ = 0.999"
    set xlabel "log₁₀ α"
    set ylabel "training loss (BCE)"
    set format x "% h"
    set logscale y
    set format y "%.0e"
    set xrange [*:*]
    set yrange [0.01904990525303597:6.509007449038992]
    set key default
    set key opaque samplen 2.5 spacing 1.15 top right
    set bmargin
    set xtics 0.5
    plot DATA index 2 using 1:3:4 with filledcurves lc rgb "#0072B2" lw 2 dt 1 fs transparent solid 0.25 noborder notitle, \
         DATA index 2 using 1:2 with lines lc rgb "#0072B2" lw 2 dt 1 title "with bias correction", \
         DATA index 3 using 1:3:4 with filledcurves lc rgb "#D55E00" lw 2 dt 2 fs transparent solid 0.25 noborder notitle, \
         DATA index 3 using 1:2 with lines lc rgb "#D55E00" lw 2 dt 2 title "without (the article's)"
    unset label
    unset arrow
    unset logscale
    unset colorbox
    set autoscale
    set title "β₂ = 0.9999"
    set xlabel "log₁₀ α"
    set ylabel "training loss (BCE)"
    set format x "% h"
    set logscale y
    set format y "%.0e"
    set xrange [*:*]
    set yrange [0.01904990525303597:6.509007449038992]
    set key default
    set key opaque samplen 2.5 spacing 1.15 top right
    set bmargin
    set xtics 0.5
    plot DATA index 4 using 1:3:4 with filledcurves lc rgb "#0072B2" lw 2 dt 1 fs transparent solid 0.25 noborder notitle, \
         DATA index 4 using 1:2 with lines lc rgb "#0072B2" lw 2 dt 1 title "with bias correction", \
         DATA index 5 using 1:3:4 with filledcurves lc rgb "#D55E00" lw 2 dt 2 fs transparent solid 0.25 noborder notitle, \
         DATA index 5 using 1:2 with lines lc rgb "#D55E00" lw 2 dt 2 title "without (the article's)"
    unset multiplot
    unset output
}
