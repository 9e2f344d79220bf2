# Final loss after 1000 steps vs learning rate (after Kingma and Ba, Fig. 4)
# Redraw with: gnuplot bias-correction.gp  (reads bias-correction.dat, writes bias-correction.svg and bias-correction.png)
reset
DATA = "bias-correction.dat"
set encoding utf8
set termoption noenhanced
set style line 1 lc rgb "#0072B2" lw 2 pt 7 ps 0.8
set style line 11 lc rgb "#0072B2" lw 2 dt 2 pt 7 ps 0.8
set style line 2 lc rgb "#D55E00" lw 2 pt 5 ps 0.8
set style line 12 lc rgb "#D55E00" lw 2 dt 2 pt 5 ps 0.8
set style line 3 lc rgb "#009E73" lw 2 pt 9 ps 0.8
set style line 13 lc rgb "#009E73" lw 2 dt 2 pt 9 ps 0.8
set style line 4 lc rgb "#CC79A7" lw 2 pt 11 ps 0.8
set style line 14 lc rgb "#CC79A7" lw 2 dt 2 pt 11 ps 0.8
set style line 5 lc rgb "#E69F00" lw 2 pt 13 ps 0.8
set style line 15 lc rgb "#E69F00" lw 2 dt 2 pt 13 ps 0.8
set style line 6 lc rgb "#56B4E9" lw 2 pt 15 ps 0.8
set style line 16 lc rgb "#56B4E9" lw 2 dt 2 pt 15 ps 0.8
set style line 7 lc rgb "#000000" lw 2 pt 6 ps 0.8
set style line 17 lc rgb "#000000" lw 2 dt 2 pt 6 ps 0.8
set style line 8 lc rgb "#999999" lw 2 pt 4 ps 0.8
set style line 18 lc rgb "#999999" lw 2 dt 2 pt 4 ps 0.8
set palette defined (0 "#440154", 1 "#3B528B", 2 "#21908C", 3 "#5DC863", 4 "#FDE725")
set style fill solid 1.0 noborder
set grid lc rgb "#e0e0e0" lw 1
set border lc rgb "#404040"
set tics nomirror
do for [fmt in "svg png"] {
    if (fmt eq "svg") {
        set terminal svg size 1330,440 dynamic noenhanced font "Sans,12" background rgb "white"
    } else {
        set terminal pngcairo size 1330,440 noenhanced font "Sans,11" background rgb "white"
    }
    set output "bias-correction.".fmt
    set multiplot layout 1,3 title "Final loss after 1000 steps vs learning rate (after Kingma and Ba, Fig. 4)" font ",14"
    unset label
    unset arrow
    unset logscale
    unset colorbox
    set autoscale
    set title "β₂ = 0.99"
    set xlabel "log₁₀ α"
    set ylabel "training loss (BCE)"
    set format x "% h"
    set format y "% h"
    set xrange [*:*]
    set yrange [0.0:1.0]
    set key default
    set key opaque samplen 2.5 spacing 1.15 top left
    set bmargin
    plot DATA index 0 using 1:2 with linespoints ls 1 title "with bias correction", \
         DATA index 1 using 1:2 with linespoints ls 12 title "without (the article's)"
    unset label
    unset arrow
    unset logscale
    unset colorbox
    set autoscale
    set title "β₂ = 0.999"
    set xlabel "log₁₀ α"
    set ylabel "training loss (BCE)"
    set format x "% h"
    set format y "% h"
    set xrange [*:*]
    set yrange [0.0:1.0]
    set key default
    set key opaque samplen 2.5 spacing 1.15 top left
    set bmargin
    plot DATA index 2 using 1:2 with linespoints ls 1 title "with bias correction", \
         DATA index 3 using 1:2 with linespoints ls 12 title "without (the article's)"
    unset label
    unset arrow
    unset logscale
    unset colorbox
    set autoscale
    set title "β₂ = 0.9999"
    set xlabel "log₁₀ α"
    set ylabel "training loss (BCE)"
    set format x "% h"
    set format y "% h"
    set xrange [*:*]
    set yrange [0.0:1.0]
    set key default
    set key opaque samplen 2.5 spacing 1.15 top left
    set bmargin
    plot DATA index 4 using 1:2 with linespoints ls 1 title "with bias correction", \
         DATA index 5 using 1:2 with linespoints ls 12 title "without (the article's)"
    unset multiplot
    unset output
}
