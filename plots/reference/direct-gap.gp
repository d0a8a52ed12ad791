# dmabench plot: gnuplot direct-gap.gp
set datafile missing '?'
set title 'direct: page - phys, guest instructions per op, medians of batches'."\n".'configs/demo.ini, tcg-icount, 1/1 run(s) a side, measured 2026-11-28'
set style fill solid 0.5 border -1
set boxwidth 1.0/3
set xrange [-0.5:1.5]
set yrange [*<0:0<*]
set offsets 0,0,graph 0.12,0
set xzeroaxis lt -1
set key top left
set ylabel 'page - phys, guest instructions per op'
set terminal pngcairo size 960,540 noenhanced font ',10'
set output 'direct-gap.png'
plot 'direct-gap.dat' using 0:(1/0):xtic(1) notitle, '' using ($0-1.0/6):6:4 with labels offset 0,0.6 notitle, '' using ($0+1.0/6):7:5 with labels offset 0,0.6 notitle, keyentry with boxes lc 1 title 'before 6.12.117+deb12-amd64', 'direct-gap.dat' using ($0+0.1667):3 with boxes lc 2 title 'after 7.3.4+deb13-amd64'
set terminal svg size 960,540 noenhanced
set output 'direct-gap.svg'
plot 'direct-gap.dat' using 0:(1/0):xtic(1) notitle, '' using ($0-1.0/6):6:4 with labels offset 0,0.6 notitle, '' using ($0+1.0/6):7:5 with labels offset 0,0.6 notitle, keyentry with boxes lc 1 title 'before 6.12.117+deb12-amd64', 'direct-gap.dat' using ($0+0.1667):3 with boxes lc 2 title 'after 7.3.4+deb13-amd64'
