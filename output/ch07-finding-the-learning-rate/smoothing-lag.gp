# Range test on the quadratic: raw and smoothed loss
# Redraw with: gnuplot smoothing-lag.gp  (reads smoothing-lag.dat, writes smoothing-lag.svg and smoothing-lag.png)
reset
DATA = "smoothing-lag.dat"
set encoding utf8
set termoption noenhanced
set palette defined (0 "#440154", 1 "#3B528B", 2 "#21908C", 3 "#5DC863", 4 "#FDE725")
set style fill solid 1.0 noborder
set grid lc rgb "#e0e0e0" lw 1
set border lc rgb "#404040"
set tics nomirror
do for [fmt in "svg png"] {
    if (fmt eq "svg") {
        set terminal svg size 900,560 dynamic noenhanced font "Sans,12" background rgb "white"
        TITLEFONT = ",14"
    } else {
        set terminal pngcairo size 1350,840 noenhanced font "Sans,18" linewidth 1.5 pointscale 1.5 background rgb "white"
        TITLEFONT = ",21"
    }
    set output "smoothing-lag.".fmt
    unset label
    unset arrow
    unset logscale
    unset colorbox
    set autoscale
    set title "Range test on the quadratic: raw and smoothed loss"
    set xlabel "learning rate"
    set ylabel "loss f(θ)"
    set logscale x
    set format x "%.0e"
    set logscale y
    set format y "%.0e"
    set xrange [*:*]
    set yrange [*:*]
    set key default
    set key opaque samplen 2.5 spacing 1.15 top left
    set bmargin
    set xtics autofreq
    set arrow 1 from 0.5, graph 0 to 0.5, graph 1 nohead front lc rgb "#D55E00" lw 1.5 dt 3
    set arrow 2 from 1.6681005372000572, graph 0 to 1.6681005372000572, graph 1 nohead front lc rgb "#CC79A7" lw 1.5 dt 3
    set arrow 3 from 2.718588242732942, graph 0 to 2.718588242732942, graph 1 nohead front lc rgb "#009E73" lw 1.5 dt 3
    plot DATA index 0 using 1:2 with points lc rgb "#999999" lw 2 dt 1 pt 6 ps 0.8 title "loss after each step", \
         DATA index 1 using 1:2 with lines lc rgb "#000000" lw 2 dt 1 title "smoothed (β = 0.98)", \
         NaN with lines lc rgb "#D55E00" lw 1.5 dt 3 title "2/λmax = 0.5", \
         NaN with lines lc rgb "#CC79A7" lw 1.5 dt 3 title "last point the rules read, 1.67", \
         NaN with lines lc rgb "#009E73" lw 1.5 dt 3 title "smoothed minimum 2.72"
    unset output
}
