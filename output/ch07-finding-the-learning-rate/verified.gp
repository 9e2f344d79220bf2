# The verified rule's trials (300-step budget)
# Redraw with: gnuplot verified.gp  (reads verified.dat, writes verified.svg and verified.png)
reset
DATA = "verified.dat"
set encoding utf8
set termoption noenhanced
set palette defined (0 "#440154", 1 "#3B528B", 2 "#21908C", 3 "#5DC863", 4 "#FDE725")
set style fill solid 1.0 noborder
set grid lc rgb "#e0e0e0" lw 1
set border lc rgb "#404040"
set tics nomirror
do for [fmt in "svg png"] {
    if (fmt eq "svg") {
        set terminal svg size 1860,1060 dynamic noenhanced font "Sans,12" background rgb "white"
        TITLEFONT = ",14"
    } else {
        set terminal pngcairo size 2790,1590 noenhanced font "Sans,18" linewidth 1.5 pointscale 1.5 background rgb "white"
        TITLEFONT = ",21"
    }
    set output "verified.".fmt
    set multiplot layout 2,3 title "The verified rule's trials (300-step budget)" font TITLEFONT
    unset label
    unset arrow
    unset logscale
    unset colorbox
    set autoscale
    set title "SGD: verified α = 1.2"
    set xlabel "learning rate"
    set ylabel "loss"
    set logscale x
    set format x "%.0e"
    set logscale y
    set format y "%.0e"
    set xrange [0.0013147353531458852:11.832618178312966]
    set yrange [0.03212344539833109:4.646017840512095]
    set key default
    set key opaque samplen 2.5 spacing 1.15 below horizontal maxrows 2
    set bmargin 7
    set xtics autofreq
    set arrow 1 from 1.2472674708860454, graph 0 to 1.2472674708860454, graph 1 nohead front lc rgb "#D55E00" lw 1.5 dt 3
    plot DATA index 0 using 1:2 with points lc rgb "#000000" lw 2 dt 1 pt 6 ps 0.8 title "B/8 steps", \
         DATA index 1 using 1:2 with points lc rgb "#000000" lw 2 dt 1 pt 7 ps 0.8 title "B steps", \
         NaN with lines lc rgb "#D55E00" lw 1.5 dt 3 title "verified rate"
    unset label
    unset arrow
    unset logscale
    unset colorbox
    set autoscale
    set title "momentum: verified α = 0.12"
    set xlabel "learning rate"
    set ylabel "loss"
    set logscale x
    set format x "%.0e"
    set logscale y
    set format y "%.0e"
    set xrange [0.0013147353531458852:11.832618178312966]
    set yrange [0.03468197987716674:13.996761818017067]
    set key default
    set key opaque samplen 2.5 spacing 1.15 below horizontal maxrows 2
    set bmargin 7
    set xtics autofreq
    set arrow 1 from 0.12472674708860453, graph 0 to 0.12472674708860453, graph 1 nohead front lc rgb "#D55E00" lw 1.5 dt 3
    plot DATA index 2 using 1:2 with points lc rgb "#56B4E9" lw 2 dt 1 pt 6 ps 0.8 title "B/8 steps", \
         DATA index 3 using 1:2 with points lc rgb "#56B4E9" lw 2 dt 1 pt 5 ps 0.8 title "B steps", \
         NaN with lines lc rgb "#D55E00" lw 1.5 dt 3 title "verified rate"
    unset label
    unset arrow
    unset logscale
    unset colorbox
    set autoscale
    set title "AdaGrad: verified α = 0.12"
    set xlabel "learning rate"
    set ylabel "loss"
    set logscale x
    set format x "%.0e"
    set logscale y
    set format y "%.0e"
    set xrange [0.0013147353531458852:11.832618178312966]
    set yrange [0.032863144302923274:6.984303203062176]
    set key default
    set key opaque samplen 2.5 spacing 1.15 below horizontal maxrows 2
    set bmargin 7
    set xtics autofreq
    set arrow 1 from 0.12472674708860453, graph 0 to 0.12472674708860453, graph 1 nohead front lc rgb "#D55E00" lw 1.5 dt 3
    plot DATA index 4 using 1:2 with points lc rgb "#009E73" lw 2 dt 1 pt 6 ps 0.8 title "B/8 steps", \
         DATA index 5 using 1:2 with points lc rgb "#009E73" lw 2 dt 1 pt 9 ps 0.8 title "B steps", \
         NaN with lines lc rgb "#D55E00" lw 1.5 dt 3 title "verified rate"
    unset label
    unset arrow
    unset logscale
    unset colorbox
    set autoscale
    set title "RMSprop: verified α = 0.0077"
    set xlabel "learning rate"
    set ylabel "loss"
    set logscale x
    set format x "%.0e"
    set logscale y
    set format y "%.0e"
    set xrange [8.067094215981277e-05:0.7260384794383149]
    set yrange [0.03394039981066571:4.725981607332279]
    set key default
    set key opaque samplen 2.5 spacing 1.15 below horizontal maxrows 2
    set bmargin 7
    set xtics autofreq
    set arrow 1 from 0.0076531175465013425, graph 0 to 0.0076531175465013425, graph 1 nohead front lc rgb "#D55E00" lw 1.5 dt 3
    plot DATA index 6 using 1:2 with points lc rgb "#E69F00" lw 2 dt 1 pt 6 ps 0.8 title "B/8 steps", \
         DATA index 7 using 1:2 with points lc rgb "#E69F00" lw 2 dt 1 pt 11 ps 0.8 title "B steps", \
         NaN with lines lc rgb "#D55E00" lw 1.5 dt 3 title "verified rate"
    unset label
    unset arrow
    unset logscale
    unset colorbox
    set autoscale
    set title "Adam: verified α = 0.015"
    set xlabel "learning rate"
    set ylabel "loss"
    set logscale x
    set format x "%.0e"
    set logscale y
    set format y "%.0e"
    set xrange [0.00090619608091098:8.15576472819882]
    set yrange [0.03156674996494233:27.011272537322526]
    set key default
    set key opaque samplen 2.5 spacing 1.15 below horizontal maxrows 2
    set bmargin 7
    set xtics autofreq
    set arrow 1 from 0.015287745150653438, graph 0 to 0.015287745150653438, graph 1 nohead front lc rgb "#D55E00" lw 1.5 dt 3
    plot DATA index 8 using 1:2 with points lc rgb "#0072B2" lw 2 dt 1 pt 6 ps 0.8 title "B/8 steps", \
         DATA index 9 using 1:2 with points lc rgb "#0072B2" lw 2 dt 1 pt 13 ps 0.8 title "B steps", \
         NaN with lines lc rgb "#D55E00" lw 1.5 dt 3 title "verified rate"
    unset multiplot
    unset output
}
