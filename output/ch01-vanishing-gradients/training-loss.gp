# Training loss, plain SGD at α = 0.1, first draw (seed 42)
# Redraw with: gnuplot training-loss.gp  (reads training-loss.dat, writes training-loss.svg and training-loss.png)
reset
DATA = "training-loss.dat"
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
    set output "training-loss.".fmt
    set multiplot layout 1,3 title "Training loss, plain SGD at α = 0.1, first draw (seed 42)" font TITLEFONT
    unset label
    unset arrow
    unset logscale
    unset colorbox
    set autoscale
    set title "sigmoid"
    set xlabel "step"
    set ylabel "training loss (trailing 25-step mean)"
    set format x "% h"
    set format y "% h"
    set xrange [*:*]
    set yrange [0.0:1.2]
    set key default
    set key opaque samplen 2.5 spacing 1.15 below horizontal maxrows 2
    set bmargin 7
    set xtics 100.0
    plot DATA index 0 using 1:2 with lines lc rgb "#000000" lw 2 dt 1 title "", \
         DATA index 1 using 1:2 with points lc rgb "#000000" lw 2 dt 1 pt 7 ps 0.8 title "", \
         DATA index 2 using 1:2 with linespoints lc rgb "#000000" lw 2 dt 1 pt 7 ps 0.8 title "standard", \
         DATA index 3 using 1:2 with lines lc rgb "#D55E00" lw 2 dt 2 title "", \
         DATA index 4 using 1:2 with points lc rgb "#D55E00" lw 2 dt 2 pt 5 ps 0.8 title "", \
         DATA index 5 using 1:2 with linespoints lc rgb "#D55E00" lw 2 dt 2 pt 5 ps 0.8 title "N(0, 1)", \
         DATA index 6 using 1:2 with lines lc rgb "#009E73" lw 2 dt 4 title "", \
         DATA index 7 using 1:2 with points lc rgb "#009E73" lw 2 dt 4 pt 9 ps 0.8 title "", \
         DATA index 8 using 1:2 with linespoints lc rgb "#009E73" lw 2 dt 4 pt 9 ps 0.8 title "Xavier", \
         DATA index 9 using 1:2 with lines lc rgb "#0072B2" lw 2 dt 3 title "", \
         DATA index 10 using 1:2 with points lc rgb "#0072B2" lw 2 dt 3 pt 11 ps 0.8 title "", \
         DATA index 11 using 1:2 with linespoints lc rgb "#0072B2" lw 2 dt 3 pt 11 ps 0.8 title "He"
    unset label
    unset arrow
    unset logscale
    unset colorbox
    set autoscale
    set title "tanh"
    set xlabel "step"
    set ylabel "training loss (trailing 25-step mean)"
    set format x "% h"
    set format y "% h"
    set xrange [*:*]
    set yrange [0.0:1.2]
    set key default
    set key opaque samplen 2.5 spacing 1.15 below horizontal maxrows 2
    set bmargin 7
    set xtics 100.0
    plot DATA index 12 using 1:2 with lines lc rgb "#000000" lw 2 dt 1 title "", \
         DATA index 13 using 1:2 with points lc rgb "#000000" lw 2 dt 1 pt 7 ps 0.8 title "", \
         DATA index 14 using 1:2 with linespoints lc rgb "#000000" lw 2 dt 1 pt 7 ps 0.8 title "standard", \
         DATA index 15 using 1:2 with lines lc rgb "#D55E00" lw 2 dt 2 title "", \
         DATA index 16 using 1:2 with points lc rgb "#D55E00" lw 2 dt 2 pt 5 ps 0.8 title "", \
         DATA index 17 using 1:2 with linespoints lc rgb "#D55E00" lw 2 dt 2 pt 5 ps 0.8 title "N(0, 1)", \
         DATA index 18 using 1:2 with lines lc rgb "#009E73" lw 2 dt 4 title "", \
         DATA index 19 using 1:2 with points lc rgb "#009E73" lw 2 dt 4 pt 9 ps 0.8 title "", \
         DATA index 20 using 1:2 with linespoints lc rgb "#009E73" lw 2 dt 4 pt 9 ps 0.8 title "Xavier", \
         DATA index 21 using 1:2 with lines lc rgb "#0072B2" lw 2 dt 3 title "", \
         DATA index 22 using 1:2 with points lc rgb "#0072B2" lw 2 dt 3 pt 11 ps 0.8 title "", \
         DATA index 23 using 1:2 with linespoints lc rgb "#0072B2" lw 2 dt 3 pt 11 ps 0.8 title "He"
    unset label
    unset arrow
    unset logscale
    unset colorbox
    set autoscale
    set title "relu"
    set xlabel "step"
    set ylabel "training loss (trailing 25-step mean)"
    set format x "% h"
    set format y "% h"
    set xrange [*:*]
    set yrange [0.0:1.2]
    set key default
    set key opaque samplen 2.5 spacing 1.15 below horizontal maxrows 2
    set bmargin 7
    set xtics 100.0
    plot DATA index 24 using 1:2 with lines lc rgb "#000000" lw 2 dt 1 title "", \
         DATA index 25 using 1:2 with points lc rgb "#000000" lw 2 dt 1 pt 7 ps 0.8 title "", \
         DATA index 26 using 1:2 with linespoints lc rgb "#000000" lw 2 dt 1 pt 7 ps 0.8 title "standard", \
         DATA index 27 using 1:2 with lines lc rgb "#D55E00" lw 2 dt 2 title "", \
         DATA index 28 using 1:2 with linespoints lc rgb "#D55E00" lw 2 dt 2 pt 5 ps 0.8 title "N(0, 1)", \
         DATA index 29 using 1:2 with lines lc rgb "#009E73" lw 2 dt 4 title "", \
         DATA index 30 using 1:2 with points lc rgb "#009E73" lw 2 dt 4 pt 9 ps 0.8 title "", \
         DATA index 31 using 1:2 with linespoints lc rgb "#009E73" lw 2 dt 4 pt 9 ps 0.8 title "Xavier", \
         DATA index 32 using 1:2 with lines lc rgb "#0072B2" lw 2 dt 3 title "", \
         DATA index 33 using 1:2 with points lc rgb "#0072B2" lw 2 dt 3 pt 11 ps 0.8 title "", \
         DATA index 34 using 1:2 with linespoints lc rgb "#0072B2" lw 2 dt 3 pt 11 ps 0.8 title "He"
    unset multiplot
    unset output
}
