# Noisy gradients (σ = 1): the loss settles at a floor set by α/(1 − β)
# Redraw with: gnuplot noise.gp  (reads noise.dat, writes noise.svg and noise.png)
reset
DATA = "noise.dat"
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
    set output "noise.".fmt
    unset label
    unset arrow
    unset logscale
    unset colorbox
    set autoscale
    set title "Noisy gradients (σ = 1): the loss settles at a floor set by α/(1 − β)"
    set xlabel "step"
    set ylabel "f(θ), moving average over 200 steps"
    set logscale x
    set format x "%.0e"
    set logscale y
    set format y "%.0e"
    set xrange [1.0:20000.0]
    set yrange [0.001:1000.0]
    set key default
    set key opaque samplen 2.5 spacing 1.15 top right
    set bmargin
    set xtics autofreq
    plot DATA index 0 using 1:3:4 with filledcurves lc rgb "#000000" lw 2 dt 1 fs transparent solid 0.25 noborder notitle, \
         DATA index 0 using 1:2 with lines lc rgb "#000000" lw 2 dt 1 title "SGD, α = 0.05", \
         DATA index 1 using 1:3:4 with filledcurves lc rgb "#56B4E9" lw 2 dt 1 fs transparent solid 0.25 noborder notitle, \
         DATA index 1 using 1:2 with lines lc rgb "#56B4E9" lw 2 dt 1 title "momentum β = 0.9, α = 0.005 (α/(1 − β) = 0.05)", \
         DATA index 2 using 1:3:4 with filledcurves lc rgb "#56B4E9" lw 2 dt 2 fs transparent solid 0.25 noborder notitle, \
         DATA index 2 using 1:2 with lines lc rgb "#56B4E9" lw 2 dt 2 title "momentum β = 0.9, α = 0.05 (α/(1 − β) = 0.5)", \
         DATA index 3 using 1:2 with lines lc rgb "#999999" lw 2 dt 2 title "closed-form floor, α_eff = 0.05"
    unset output
}
