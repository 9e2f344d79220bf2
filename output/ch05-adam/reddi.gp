# Adam vs AMSGrad on f_t(x) = 3x (t mod 3 = 1), −x otherwise
# Redraw with: gnuplot reddi.gp  (reads reddi.dat, writes reddi.svg and reddi.png)
reset
DATA = "reddi.dat"
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
    set output "reddi.".fmt
    set multiplot layout 1,2 title "Adam vs AMSGrad on f_t(x) = 3x (t mod 3 = 1), −x otherwise" font TITLEFONT
    unset label
    unset arrow
    unset logscale
    unset colorbox
    set autoscale
    set title "iterate x_t"
    set xlabel "log₁₀ t"
    set ylabel "x_t"
    set format x "% h"
    set format y "% h"
    set xrange [*:*]
    set yrange [-1.1:1.1]
    set key default
    set key opaque samplen 2.5 spacing 1.15 below horizontal maxrows 1
    set bmargin 6
    set xtics 2.0
    plot DATA index 0 using 1:2 with lines lc rgb "#0072B2" lw 2 dt 1 title "Adam", \
         DATA index 1 using 1:2 with lines lc rgb "#D55E00" lw 2 dt 2 title "AMSGrad"
    unset label
    unset arrow
    unset logscale
    unset colorbox
    set autoscale
    set title "average regret R_t/t"
    set xlabel "log₁₀ t"
    set ylabel "R_t / t"
    set format x "% h"
    set format y "% h"
    set xrange [*:*]
    set yrange [*:*]
    set key default
    set key opaque samplen 2.5 spacing 1.15 below horizontal maxrows 1
    set bmargin 6
    set xtics 2.0
    plot DATA index 2 using 1:2 with lines lc rgb "#0072B2" lw 2 dt 1 title "Adam", \
         DATA index 3 using 1:2 with lines lc rgb "#D55E00" lw 2 dt 2 title "AMSGrad"
    unset multiplot
    unset output
}
