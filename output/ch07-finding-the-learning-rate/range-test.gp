# Range test on digits, five optimizers, fastai's four rules
# Redraw with: gnuplot range-test.gp  (reads range-test.dat, writes range-test.svg and range-test.png)
reset
DATA = "range-test.dat"
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
    set output "range-test.".fmt
    set multiplot layout 2,3 title "Range test on digits, five optimizers, fastai's four rules" font TITLEFONT
    unset label
    unset arrow
    unset logscale
    unset colorbox
    set autoscale
    set title "SGD"
    set xlabel "learning rate"
    set ylabel "training loss"
    set logscale x
    set format x "%.0e"
    set logscale y
    set format y "%.0e"
    set xrange [*:*]
    set yrange [0.10084246582839303:300.0]
    set key default
    set key opaque samplen 2.5 spacing 1.15 top left
    set bmargin
    set xtics autofreq
    plot DATA index 0 using 1:2 with points lc rgb "#999999" lw 2 dt 1 pt 6 ps 0.8 title "loss after each step", \
         DATA index 1 using 1:2 with lines lc rgb "#000000" lw 2 dt 1 title "smoothed (β = 0.98)", \
         DATA index 2 using 1:2 with lines lc rgb "#D55E00" lw 2 dt 3 title "", \
         DATA index 3 using 1:2 with points lc rgb "#D55E00" lw 2 dt 1 pt 5 ps 0.8 title "valley", \
         DATA index 4 using 1:2 with lines lc rgb "#009E73" lw 2 dt 3 title "", \
         DATA index 5 using 1:2 with points lc rgb "#009E73" lw 2 dt 1 pt 9 ps 0.8 title "steep", \
         DATA index 6 using 1:2 with lines lc rgb "#CC79A7" lw 2 dt 3 title "", \
         DATA index 7 using 1:2 with points lc rgb "#CC79A7" lw 2 dt 1 pt 11 ps 0.8 title "minimum", \
         DATA index 8 using 1:2 with lines lc rgb "#332288" lw 2 dt 3 title "", \
         DATA index 9 using 1:2 with points lc rgb "#332288" lw 2 dt 1 pt 13 ps 0.8 title "slide"
    unset label
    unset arrow
    unset logscale
    unset colorbox
    set autoscale
    set title "momentum"
    set xlabel "learning rate"
    set ylabel "training loss"
    set logscale x
    set format x "%.0e"
    set logscale y
    set format y "%.0e"
    set xrange [*:*]
    set yrange [0.04895846413499876:300.0]
    set key default
    set key opaque samplen 2.5 spacing 1.15 top left
    set bmargin
    set xtics autofreq
    plot DATA index 10 using 1:2 with points lc rgb "#999999" lw 2 dt 1 pt 6 ps 0.8 title "loss after each step", \
         DATA index 11 using 1:2 with lines lc rgb "#000000" lw 2 dt 1 title "smoothed (β = 0.98)", \
         DATA index 12 using 1:2 with lines lc rgb "#D55E00" lw 2 dt 3 title "", \
         DATA index 13 using 1:2 with points lc rgb "#D55E00" lw 2 dt 1 pt 5 ps 0.8 title "valley = slide", \
         DATA index 14 using 1:2 with lines lc rgb "#009E73" lw 2 dt 3 title "", \
         DATA index 15 using 1:2 with points lc rgb "#009E73" lw 2 dt 1 pt 9 ps 0.8 title "steep", \
         DATA index 16 using 1:2 with lines lc rgb "#CC79A7" lw 2 dt 3 title "", \
         DATA index 17 using 1:2 with points lc rgb "#CC79A7" lw 2 dt 1 pt 11 ps 0.8 title "minimum"
    unset label
    unset arrow
    unset logscale
    unset colorbox
    set autoscale
    set title "AdaGrad"
    set xlabel "learning rate"
    set ylabel "training loss"
    set logscale x
    set format x "%.0e"
    set logscale y
    set format y "%.0e"
    set xrange [*:*]
    set yrange [0.13366491621421425:300.0]
    set key default
    set key opaque samplen 2.5 spacing 1.15 top left
    set bmargin
    set xtics autofreq
    plot DATA index 18 using 1:2 with points lc rgb "#999999" lw 2 dt 1 pt 6 ps 0.8 title "loss after each step", \
         DATA index 19 using 1:2 with lines lc rgb "#000000" lw 2 dt 1 title "smoothed (β = 0.98)", \
         DATA index 20 using 1:2 with lines lc rgb "#D55E00" lw 2 dt 3 title "", \
         DATA index 21 using 1:2 with points lc rgb "#D55E00" lw 2 dt 1 pt 5 ps 0.8 title "valley", \
         DATA index 22 using 1:2 with lines lc rgb "#009E73" lw 2 dt 3 title "", \
         DATA index 23 using 1:2 with points lc rgb "#009E73" lw 2 dt 1 pt 9 ps 0.8 title "steep", \
         DATA index 24 using 1:2 with lines lc rgb "#CC79A7" lw 2 dt 3 title "", \
         DATA index 25 using 1:2 with points lc rgb "#CC79A7" lw 2 dt 1 pt 11 ps 0.8 title "minimum", \
         DATA index 26 using 1:2 with lines lc rgb "#332288" lw 2 dt 3 title "", \
         DATA index 27 using 1:2 with points lc rgb "#332288" lw 2 dt 1 pt 13 ps 0.8 title "slide"
    unset label
    unset arrow
    unset logscale
    unset colorbox
    set autoscale
    set title "RMSprop"
    set xlabel "learning rate"
    set ylabel "training loss"
    set logscale x
    set format x "%.0e"
    set logscale y
    set format y "%.0e"
    set xrange [*:*]
    set yrange [0.08632514568619372:300.0]
    set key default
    set key opaque samplen 2.5 spacing 1.15 top left
    set bmargin
    set xtics autofreq
    plot DATA index 28 using 1:2 with points lc rgb "#999999" lw 2 dt 1 pt 6 ps 0.8 title "loss after each step", \
         DATA index 29 using 1:2 with lines lc rgb "#000000" lw 2 dt 1 title "smoothed (β = 0.98)", \
         DATA index 30 using 1:2 with lines lc rgb "#D55E00" lw 2 dt 3 title "", \
         DATA index 31 using 1:2 with points lc rgb "#D55E00" lw 2 dt 1 pt 5 ps 0.8 title "valley", \
         DATA index 32 using 1:2 with lines lc rgb "#009E73" lw 2 dt 3 title "", \
         DATA index 33 using 1:2 with points lc rgb "#009E73" lw 2 dt 1 pt 9 ps 0.8 title "steep", \
         DATA index 34 using 1:2 with lines lc rgb "#CC79A7" lw 2 dt 3 title "", \
         DATA index 35 using 1:2 with points lc rgb "#CC79A7" lw 2 dt 1 pt 11 ps 0.8 title "minimum", \
         DATA index 36 using 1:2 with lines lc rgb "#332288" lw 2 dt 3 title "", \
         DATA index 37 using 1:2 with points lc rgb "#332288" lw 2 dt 1 pt 13 ps 0.8 title "slide"
    unset label
    unset arrow
    unset logscale
    unset colorbox
    set autoscale
    set title "Adam"
    set xlabel "learning rate"
    set ylabel "training loss"
    set logscale x
    set format x "%.0e"
    set logscale y
    set format y "%.0e"
    set xrange [*:*]
    set yrange [0.03023595333023406:300.0]
    set key default
    set key opaque samplen 2.5 spacing 1.15 top left
    set bmargin
    set xtics autofreq
    plot DATA index 38 using 1:2 with points lc rgb "#999999" lw 2 dt 1 pt 6 ps 0.8 title "loss after each step", \
         DATA index 39 using 1:2 with lines lc rgb "#000000" lw 2 dt 1 title "smoothed (β = 0.98)", \
         DATA index 40 using 1:2 with lines lc rgb "#D55E00" lw 2 dt 3 title "", \
         DATA index 41 using 1:2 with points lc rgb "#D55E00" lw 2 dt 1 pt 5 ps 0.8 title "valley", \
         DATA index 42 using 1:2 with lines lc rgb "#009E73" lw 2 dt 3 title "", \
         DATA index 43 using 1:2 with points lc rgb "#009E73" lw 2 dt 1 pt 9 ps 0.8 title "steep", \
         DATA index 44 using 1:2 with lines lc rgb "#CC79A7" lw 2 dt 3 title "", \
         DATA index 45 using 1:2 with points lc rgb "#CC79A7" lw 2 dt 1 pt 11 ps 0.8 title "minimum", \
         DATA index 46 using 1:2 with lines lc rgb "#332288" lw 2 dt 3 title "", \
         DATA index 47 using 1:2 with points lc rgb "#332288" lw 2 dt 1 pt 13 ps 0.8 title "slide"
    unset multiplot
    unset output
}
