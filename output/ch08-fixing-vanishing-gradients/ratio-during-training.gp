# First ÷ tenth hidden layer gradient RMS during training (median of 5 runs)
# Redraw with: gnuplot ratio-during-training.gp  (reads ratio-during-training.dat, writes ratio-during-training.svg and ratio-during-training.png)
reset
DATA = "ratio-during-training.dat"
set encoding utf8
set termoption noenhanced
set palette defined (0 "#440154", 1 "#3B528B", 2 "#21908C", 3 "#5DC863", 4 "#FDE725")
set style fill solid 1.0 noborder
set grid lc rgb "#e0e0e0" lw 1
set border lc rgb "#404040"
set tics nomirror
do for [fmt in "svg png"] {
    if (fmt eq "svg") {
        set terminal svg size 1860,760 dynamic noenhanced font "Sans,12" background rgb "white"
        TITLEFONT = ",14"
    } else {
        set terminal pngcairo size 2790,1140 noenhanced font "Sans,18" linewidth 1.5 pointscale 1.5 background rgb "white"
        TITLEFONT = ",21"
    }
    set output "ratio-during-training.".fmt
    set multiplot layout 1,3 title "First ÷ tenth hidden layer gradient RMS during training (median of 5 runs)" font TITLEFONT
    unset label
    unset arrow
    unset logscale
    unset colorbox
    set autoscale
    set title "sigmoid networks"
    set xlabel "step + 1"
    set ylabel "RMS layer 1 ÷ RMS layer 10"
    set logscale x
    set format x "%.0e"
    set logscale y
    set format y "%.0e"
    set xrange [*:*]
    set yrange [*:*]
    set key default
    set key opaque samplen 2.5 spacing 1.15 below horizontal maxrows 3
    set bmargin 9
    set xtics autofreq
    plot DATA index 0 using 1:2 with lines lc rgb "#0072B2" lw 2 dt 1 title "PyTorch default init", \
         DATA index 1 using 1:2 with lines lc rgb "#D55E00" lw 2 dt 2 title "Xavier init", \
         DATA index 2 using 1:2 with lines lc rgb "#009E73" lw 2 dt 3 title "+ residual", \
         DATA index 3 using 1:2 with linespoints lc rgb "#CC79A7" lw 2 dt 4 pt 11 ps 0.8 title "+ batch norm", \
         DATA index 4 using 1:2 with linespoints lc rgb "#E69F00" lw 2 dt 5 pt 13 ps 0.8 title "+ Adam", \
         DATA index 5 using 1:2 with lines lc rgb "#56B4E9" lw 2 dt 1 title "all fixes"
    unset label
    unset arrow
    unset logscale
    unset colorbox
    set autoscale
    set title "tanh networks"
    set xlabel "step + 1"
    set ylabel "RMS layer 1 ÷ RMS layer 10"
    set logscale x
    set format x "%.0e"
    set logscale y
    set format y "%.0e"
    set xrange [*:*]
    set yrange [*:*]
    set key default
    set key opaque samplen 2.5 spacing 1.15 below horizontal maxrows 1
    set bmargin 6
    set xtics autofreq
    plot DATA index 6 using 1:2 with lines lc rgb "#0072B2" lw 2 dt 1 title "PyTorch default init", \
         DATA index 7 using 1:2 with lines lc rgb "#D55E00" lw 2 dt 2 title "Xavier init"
    unset label
    unset arrow
    unset logscale
    unset colorbox
    set autoscale
    set title "ReLU networks"
    set xlabel "step + 1"
    set ylabel "RMS layer 1 ÷ RMS layer 10"
    set logscale x
    set format x "%.0e"
    set logscale y
    set format y "%.0e"
    set xrange [*:*]
    set yrange [*:*]
    set key default
    set key opaque samplen 2.5 spacing 1.15 below horizontal maxrows 1
    set bmargin 6
    set xtics autofreq
    plot DATA index 8 using 1:2 with lines lc rgb "#0072B2" lw 2 dt 1 title "PyTorch default init", \
         DATA index 9 using 1:2 with lines lc rgb "#D55E00" lw 2 dt 2 title "He init"
    unset multiplot
    unset output
}
