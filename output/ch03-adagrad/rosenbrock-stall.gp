# Rosenbrock from (−1.5, 2): AdaGrad and Adam at their best rates
# Redraw with: gnuplot rosenbrock-stall.gp  (reads rosenbrock-stall.dat, writes rosenbrock-stall.svg and rosenbrock-stall.png)
reset
DATA = "rosenbrock-stall.dat"
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
    set output "rosenbrock-stall.".fmt
    unset label
    unset arrow
    unset logscale
    unset colorbox
    set autoscale
    set title "Rosenbrock from (−1.5, 2): AdaGrad and Adam at their best rates"
    set xlabel "step"
    set ylabel "f(θ), floored at 1e-12"
    set logscale x
    set format x "%.0e"
    set logscale y
    set format y "%.0e"
    set xrange [1.0:10000.0]
    set yrange [1e-13:7584.999999985472]
    set key default
    set key opaque samplen 2.5 spacing 1.15 top right
    set bmargin
    set xtics autofreq
    plot DATA index 0 using 1:2 with lines lc rgb "#009E73" lw 2 dt 1 title "AdaGrad, α = 1", \
         DATA index 1 using 1:2 with lines lc rgb "#0072B2" lw 2 dt 1 title "Adam, α = 0.003", \
         DATA index 2 using 1:2 with lines lc rgb "#999999" lw 2 dt 3 title "floor 1e-12"
    unset output
}
