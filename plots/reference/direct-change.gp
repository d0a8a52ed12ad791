# dmabench plot: gnuplot direct-change.gp
set datafile missing '?'
set title 'direct: change, after over before (* the 95 % interval excludes zero)'."\n".'configs/demo.ini, tcg-icount, 1/1 run(s) a side, measured 2026-11-28'
set style fill solid 0.5 border -1
set boxwidth 0.6
set xtics rotate by -30
set xrange [-0.6:7.6]
set yrange [*<0:0<*]
set offsets 0,0,graph 0.12,graph 0.04
set xzeroaxis lt -1
set ylabel 'change, %'
set key below horizontal
set terminal pngcairo size 960,540 noenhanced font ',10'
set output 'direct-change.png'
plot 'direct-change.dat' using 0:7:6:xtic(1) with labels offset 0,0.8 notitle, 'direct-change.dat' using 0:($5 > 0 ? $2 : 1/0) with boxes lc rgb '#b03030' title 'starred: the interval excludes zero', 'direct-change.dat' using 0:($5 > 0 ? 1/0 : $2) with boxes fs empty lc rgb '#404040' title 'not starred', 'direct-change.dat' using 0:2:3:4 with yerrorbars lc rgb 'black' pt 7 ps 0.3 title '95 % interval (dmabench compare)'
set terminal svg size 960,540 noenhanced
set output 'direct-change.svg'
plot 'direct-change.dat' using 0:7:6:xtic(1) with labels offset 0,0.8 notitle, 'direct-change.dat' using 0:($5 > 0 ? $2 : 1/0) with boxes lc rgb '#b03030' title 'starred: the interval excludes zero', 'direct-change.dat' using 0:($5 > 0 ? 1/0 : $2) with boxes fs empty lc rgb '#404040' title 'not starred', 'direct-change.dat' using 0:2:3:4 with yerrorbars lc rgb 'black' pt 7 ps 0.3 title '95 % interval (dmabench compare)'
