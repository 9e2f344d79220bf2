# Effective rate of the y coordinate under noisy gradients (σ = 1)
# Redraw with: gnuplot article-vs-rmsprop.gp  (reads article-vs-rmsprop.dat, writes article-vs-rmsprop.svg and article-vs-rmsprop.png)
reset
DATA = "article-vs-rmsprop.dat"
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
    set output "article-vs-rmsprop.".fmt
    unset label
    unset arrow
    unset logscale
    unset colorbox
    set autoscale
    set title "Effective rate of the y coordinate under noisy gradients (σ = 1)"
    set xlabel "step"
    set ylabel "effective learning rate"
    set logscale x
    set format x "%.0e"
    set logscale y
    set format y "%.0e"
    set xrange [1.0:20000.0]
    set yrange [*:*]
    set key default
    set key opaque samplen 2.5 spacing 1.15 bottom left
    set bmargin
    set xtics autofreq
    plot DATA index 0 using 1:3:4 with filledcurves lc rgb "#882255" lw 2 dt 2 fs transparent solid 0.25 noborder notitle, \
         DATA index 0 using 1:2 with lines lc rgb "#882255" lw 2 dt 2 title "article: α/√(decay·G + ε)", \
         DATA index 1 using 1:2 with lines lc rgb "#999999" lw 2 dt 3 title "α/(σ√(0.99 t)), slope −1/2", \
         DATA index 2 using 1:3:4 with filledcurves lc rgb "#E69F00" lw 2 dt 1 fs transparent solid 0.25 noborder notitle, \
         DATA index 2 using 1:2 with lines lc rgb "#E69F00" lw 2 dt 1 title "RMSprop: α/(√v + ε), ρ = 0.99", \
         DATA index 3 using 1:2 with lines lc rgb "#999999" lw 2 dt 4 title "fixed point η = 0.309 (table 1)"
    unset output
}
