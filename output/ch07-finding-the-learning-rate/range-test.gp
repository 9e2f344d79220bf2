# Learning-rate range test on the teacher-student regression
# Redraw with: gnuplot range-test.gp  (reads range-test.dat, writes range-test.svg and range-test.png)
reset
DATA = "range-test.dat"
set encoding utf8
set termoption noenhanced
set style line 1 lc rgb "#0072B2" lw 2 pt 7 ps 0.8
set style line 11 lc rgb "#0072B2" lw 2 dt 2 pt 7 ps 0.8
set style line 2 lc rgb "#D55E00" lw 2 pt 5 ps 0.8
set style line 12 lc rgb "#D55E00" lw 2 dt 2 pt 5 ps 0.8
set style line 3 lc rgb "#009E73" lw 2 pt 9 ps 0.8
set style line 13 lc rgb "#009E73" lw 2 dt 2 pt 9 ps 0.8
set style line 4 lc rgb "#CC79A7" lw 2 pt 11 ps 0.8
set style line 14 lc rgb "#CC79A7" lw 2 dt 2 pt 11 ps 0.8
set style line 5 lc rgb "#E69F00" lw 2 pt 13 ps 0.8
set style line 15 lc rgb "#E69F00" lw 2 dt 2 pt 13 ps 0.8
set style line 6 lc rgb "#56B4E9" lw 2 pt 15 ps 0.8
set style line 16 lc rgb "#56B4E9" lw 2 dt 2 pt 15 ps 0.8
set style line 7 lc rgb "#000000" lw 2 pt 6 ps 0.8
set style line 17 lc rgb "#000000" lw 2 dt 2 pt 6 ps 0.8
set style line 8 lc rgb "#999999" lw 2 pt 4 ps 0.8
set style line 18 lc rgb "#999999" lw 2 dt 2 pt 4 ps 0.8
set palette defined (0 "#440154", 1 "#3B528B", 2 "#21908C", 3 "#5DC863", 4 "#FDE725")
set style fill solid 1.0 noborder
set grid lc rgb "#e0e0e0" lw 1
set border lc rgb "#404040"
set tics nomirror
do for [fmt in "svg png"] {
    if (fmt eq "svg") {
        set terminal svg size 900,440 dynamic noenhanced font "Sans,12" background rgb "white"
    } else {
        set terminal pngcairo size 900,440 noenhanced font "Sans,11" background rgb "white"
    }
    set output "range-test.".fmt
    set multiplot layout 1,2 title "Learning-rate range test on the teacher-student regression" font ",14"
    unset label
    unset arrow
    unset logscale
    unset colorbox
    set autoscale
    set title "momentum 0.9"
    set xlabel "learning rate"
    set ylabel "mini-batch MSE"
    set logscale x
    set format x "%.0e"
    set logscale y
    set format y "%.0e"
    set xrange [*:*]
    set yrange [*:*]
    set key default
    set key opaque samplen 2.5 spacing 1.15 top left
    set bmargin
    set arrow 1 from 0.000644236350872137, graph 0 to 0.000644236350872137, graph 1 nohead lc rgb "#D55E00" lw 1.5 dt 3
    set arrow 2 from 0.03107866187782014, graph 0 to 0.03107866187782014, graph 1 nohead lc rgb "#009E73" lw 1.5 dt 3
    plot DATA index 0 using 1:2 with points ls 8 title "loss after each step", \
         DATA index 1 using 1:2 with lines ls 1 title "smoothed (β = 0.98)", \
         NaN with lines lc rgb "#D55E00" lw 1.5 dt 3 title "steepest: 0.00064", \
         NaN with lines lc rgb "#009E73" lw 1.5 dt 3 title "min/10: 0.031"
    unset label
    unset arrow
    unset logscale
    unset colorbox
    set autoscale
    set title "Adam"
    set xlabel "learning rate"
    set ylabel "mini-batch MSE"
    set logscale x
    set format x "%.0e"
    set logscale y
    set format y "%.0e"
    set xrange [*:*]
    set yrange [*:*]
    set key default
    set key opaque samplen 2.5 spacing 1.15 top left
    set bmargin
    set arrow 1 from 0.00036969127071950287, graph 0 to 0.00036969127071950287, graph 1 nohead lc rgb "#D55E00" lw 1.5 dt 3
    set arrow 2 from 0.009547716114208056, graph 0 to 0.009547716114208056, graph 1 nohead lc rgb "#009E73" lw 1.5 dt 3
    plot DATA index 2 using 1:2 with points ls 8 title "loss after each step", \
         DATA index 3 using 1:2 with lines ls 1 title "smoothed (β = 0.98)", \
         NaN with lines lc rgb "#D55E00" lw 1.5 dt 3 title "steepest: 0.00037", \
         NaN with lines lc rgb "#009E73" lw 1.5 dt 3 title "min/10: 0.0095"
    unset multiplot
    unset output
}
