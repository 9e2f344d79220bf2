# Best gradient descent and heavy ball; Nesterov at the heavy ball's β*
# Redraw with: gnuplot optimal.gp  (reads optimal.dat, writes optimal.svg and optimal.png)
reset
DATA = "optimal.dat"
set encoding utf8
set termoption noenhanced
set contour base
unset surface
set view map
set cntrparam levels discrete 0.00536,0.012382295192445736,0.02860470787926582,0.06608058523409474,0.15265472254815898,0.3526522084164564,0.8146723404627721,1.8819987695393103,4.347661253032724,10.043661386531664,23.202160466605186,53.6
set table $CONTOUR0
splot DATA index 3 using 1:2:3 with lines notitle
unset table
unset contour
set surface
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
    set output "optimal.".fmt
    set multiplot layout 1,2 title "Best gradient descent and heavy ball; Nesterov at the heavy ball's β*" font TITLEFONT
    unset label
    unset arrow
    unset logscale
    unset colorbox
    set autoscale
    set title "paths (first 60 steps)"
    set xlabel "x"
    set ylabel "y"
    set format x "% h"
    set format y "% h"
    set xrange [-6.0:2.0]
    set yrange [-5.0:5.0]
    set key default
    set key opaque samplen 2.5 spacing 1.15 below horizontal maxrows 3
    set bmargin 9
    set xtics 2.0
    plot $CONTOUR0 using 1:2 with lines lc rgb "#b8b8b8" lw 1 notitle, \
         DATA index 0 using 1:2 with linespoints lc rgb "#000000" lw 2 dt 1 pt 7 ps 0.8 title "gradient descent, α = 0.476", \
         DATA index 1 using 1:2 with linespoints lc rgb "#56B4E9" lw 2 dt 1 pt 5 ps 0.8 title "heavy ball (α*, β*)", \
         DATA index 2 using 1:2 with linespoints lc rgb "#D55E00" lw 2 dt 2 pt 4 ps 0.8 title "Nesterov (β = β*)"
    unset label
    unset arrow
    unset logscale
    unset colorbox
    set autoscale
    set title "distance to the minimum"
    set xlabel "step"
    set ylabel "‖θ − θ*‖"
    set format x "% h"
    set logscale y
    set format y "%.0e"
    set xrange [*:*]
    set yrange [*:*]
    set key default
    set key opaque samplen 2.5 spacing 1.15 bottom left
    set bmargin
    set xtics 50.0
    plot DATA index 4 using 1:2 with lines lc rgb "#000000" lw 2 dt 1 title "gradient descent", \
         DATA index 5 using 1:2 with lines lc rgb "#56B4E9" lw 2 dt 1 title "heavy ball", \
         DATA index 6 using 1:2 with lines lc rgb "#D55E00" lw 2 dt 2 title "Nesterov (β = β*)", \
         DATA index 7 using 1:2 with lines lc rgb "#999999" lw 2 dt 3 title "‖θ₀‖·ρ*ᵗ"
    unset multiplot
    unset output
}
