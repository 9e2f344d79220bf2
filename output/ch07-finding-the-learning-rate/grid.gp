# Validation loss after 300 steps vs rate, and each rule's rate
# Redraw with: gnuplot grid.gp  (reads grid.dat, writes grid.svg and grid.png)
reset
DATA = "grid.dat"
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
        set terminal pngcairo size 3720,2120 noenhanced font "Sans,24" linewidth 2 pointscale 2 background rgb "white"
        TITLEFONT = ",28"
    }
    set output "grid.".fmt
    set multiplot layout 2,3 title "Validation loss after 300 steps vs rate, and each rule's rate" font TITLEFONT
    unset label
    unset arrow
    unset logscale
    unset colorbox
    set autoscale
    set title "SGD"
    set xlabel "learning rate"
    set ylabel "validation loss"
    set logscale x
    set format x "%.0e"
    set logscale y
    set format y "%.0e"
    set xrange [*:*]
    set yrange [0.005558395726463598:5.0069553006398415]
    set key default
    set key opaque samplen 2.5 spacing 1.15 below horizontal maxrows 4
    set bmargin 10
    set xtics autofreq
    plot DATA index 0 using 1:2 with linespoints lc rgb "#999999" lw 2 dt 1 pt 6 ps 0.8 title "grid", \
         DATA index 1 using 1:2 with lines lc rgb "#999999" lw 2 dt 3 title "hit threshold", \
         DATA index 2 using 1:2 with linespoints lc rgb "#D55E00" lw 2 dt 1 pt 5 ps 0.8 title "valley", \
         DATA index 3 using 1:2 with linespoints lc rgb "#009E73" lw 2 dt 1 pt 9 ps 0.8 title "steep", \
         DATA index 4 using 1:2 with linespoints lc rgb "#CC79A7" lw 2 dt 1 pt 11 ps 0.8 title "minimum", \
         DATA index 5 using 1:2 with linespoints lc rgb "#332288" lw 2 dt 1 pt 13 ps 0.8 title "slide", \
         DATA index 6 using 1:2 with linespoints lc rgb "#56B4E9" lw 2 dt 1 pt 7 ps 0.8 title "verified"
    unset label
    unset arrow
    unset logscale
    unset colorbox
    set autoscale
    set title "momentum"
    set xlabel "learning rate"
    set ylabel "validation loss"
    set logscale x
    set format x "%.0e"
    set logscale y
    set format y "%.0e"
    set xrange [*:*]
    set yrange [0.0065356201845759975:49.35387100045525]
    set key default
    set key opaque samplen 2.5 spacing 1.15 below horizontal maxrows 4
    set bmargin 10
    set xtics autofreq
    plot DATA index 7 using 1:2 with linespoints lc rgb "#999999" lw 2 dt 1 pt 6 ps 0.8 title "grid", \
         DATA index 8 using 1:2 with lines lc rgb "#999999" lw 2 dt 3 title "hit threshold", \
         DATA index 9 using 1:2 with linespoints lc rgb "#D55E00" lw 2 dt 1 pt 5 ps 0.8 title "valley", \
         DATA index 10 using 1:2 with linespoints lc rgb "#009E73" lw 2 dt 1 pt 9 ps 0.8 title "steep", \
         DATA index 11 using 1:2 with linespoints lc rgb "#CC79A7" lw 2 dt 1 pt 11 ps 0.8 title "minimum", \
         DATA index 12 using 1:2 with linespoints lc rgb "#332288" lw 2 dt 1 pt 13 ps 0.8 title "slide", \
         DATA index 13 using 1:2 with linespoints lc rgb "#56B4E9" lw 2 dt 1 pt 7 ps 0.8 title "verified"
    unset label
    unset arrow
    unset logscale
    unset colorbox
    set autoscale
    set title "AdaGrad"
    set xlabel "learning rate"
    set ylabel "validation loss"
    set logscale x
    set format x "%.0e"
    set logscale y
    set format y "%.0e"
    set xrange [*:*]
    set yrange [0.006199259418271318:8.849174010278297]
    set key default
    set key opaque samplen 2.5 spacing 1.15 below horizontal maxrows 4
    set bmargin 10
    set xtics autofreq
    plot DATA index 14 using 1:2 with linespoints lc rgb "#999999" lw 2 dt 1 pt 6 ps 0.8 title "grid", \
         DATA index 15 using 1:2 with lines lc rgb "#999999" lw 2 dt 3 title "hit threshold", \
         DATA index 16 using 1:2 with linespoints lc rgb "#D55E00" lw 2 dt 1 pt 5 ps 0.8 title "valley", \
         DATA index 17 using 1:2 with linespoints lc rgb "#009E73" lw 2 dt 1 pt 9 ps 0.8 title "steep", \
         DATA index 18 using 1:2 with linespoints lc rgb "#CC79A7" lw 2 dt 1 pt 11 ps 0.8 title "minimum", \
         DATA index 19 using 1:2 with linespoints lc rgb "#332288" lw 2 dt 1 pt 13 ps 0.8 title "slide", \
         DATA index 20 using 1:2 with linespoints lc rgb "#56B4E9" lw 2 dt 1 pt 7 ps 0.8 title "verified"
    unset label
    unset arrow
    unset logscale
    unset colorbox
    set autoscale
    set title "RMSprop"
    set xlabel "learning rate"
    set ylabel "validation loss"
    set logscale x
    set format x "%.0e"
    set logscale y
    set format y "%.0e"
    set xrange [*:*]
    set yrange [0.005724125259153681:142.24650234925338]
    set key default
    set key opaque samplen 2.5 spacing 1.15 below horizontal maxrows 4
    set bmargin 10
    set xtics autofreq
    plot DATA index 21 using 1:2 with linespoints lc rgb "#999999" lw 2 dt 1 pt 6 ps 0.8 title "grid", \
         DATA index 22 using 1:2 with lines lc rgb "#999999" lw 2 dt 3 title "hit threshold", \
         DATA index 23 using 1:2 with linespoints lc rgb "#D55E00" lw 2 dt 1 pt 5 ps 0.8 title "valley", \
         DATA index 24 using 1:2 with linespoints lc rgb "#009E73" lw 2 dt 1 pt 9 ps 0.8 title "steep", \
         DATA index 25 using 1:2 with linespoints lc rgb "#CC79A7" lw 2 dt 1 pt 11 ps 0.8 title "minimum", \
         DATA index 26 using 1:2 with linespoints lc rgb "#332288" lw 2 dt 1 pt 13 ps 0.8 title "slide", \
         DATA index 27 using 1:2 with linespoints lc rgb "#56B4E9" lw 2 dt 1 pt 7 ps 0.8 title "verified"
    unset label
    unset arrow
    unset logscale
    unset colorbox
    set autoscale
    set title "Adam"
    set xlabel "learning rate"
    set ylabel "validation loss"
    set logscale x
    set format x "%.0e"
    set logscale y
    set format y "%.0e"
    set xrange [*:*]
    set yrange [0.005535446265265429:104.25489581531258]
    set key default
    set key opaque samplen 2.5 spacing 1.15 below horizontal maxrows 4
    set bmargin 10
    set xtics autofreq
    plot DATA index 28 using 1:2 with linespoints lc rgb "#999999" lw 2 dt 1 pt 6 ps 0.8 title "grid", \
         DATA index 29 using 1:2 with lines lc rgb "#999999" lw 2 dt 3 title "hit threshold", \
         DATA index 30 using 1:2 with linespoints lc rgb "#D55E00" lw 2 dt 1 pt 5 ps 0.8 title "valley", \
         DATA index 31 using 1:2 with linespoints lc rgb "#009E73" lw 2 dt 1 pt 9 ps 0.8 title "steep", \
         DATA index 32 using 1:2 with linespoints lc rgb "#CC79A7" lw 2 dt 1 pt 11 ps 0.8 title "minimum", \
         DATA index 33 using 1:2 with linespoints lc rgb "#332288" lw 2 dt 1 pt 13 ps 0.8 title "slide", \
         DATA index 34 using 1:2 with linespoints lc rgb "#56B4E9" lw 2 dt 1 pt 7 ps 0.8 title "verified"
    unset multiplot
    unset output
}
