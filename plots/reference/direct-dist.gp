# dmabench plot: gnuplot direct-dist.gp
set datafile missing '?'
set title 'direct: distribution of per-batch map figures'."\n".'configs/demo.ini, tcg-icount, 1/1 run(s) a side, measured 2026-11-28'
set xlabel 'guest instructions per op, net'
set ylabel 'fraction of batches'
set key bottom right
set yrange [0:1.02]
set grid
set terminal pngcairo size 960,540 noenhanced font ',10'
set output 'direct-dist.png'
plot 'direct-dist.dat' index 0 using 1:2 with steps lw 2 title 'before page', 'direct-dist.dat' index 1 using 1:2 with steps lw 2 title 'after page', 'direct-dist.dat' index 2 using 1:2 with steps lw 2 title 'after phys', 'direct-dist.dat' index 3 using 1:2 with steps lw 2 title 'before roundtrip', 'direct-dist.dat' index 4 using 1:2 with steps lw 2 title 'after roundtrip'
set terminal svg size 960,540 noenhanced
set output 'direct-dist.svg'
plot 'direct-dist.dat' index 0 using 1:2 with steps lw 2 title 'before page', 'direct-dist.dat' index 1 using 1:2 with steps lw 2 title 'after page', 'direct-dist.dat' index 2 using 1:2 with steps lw 2 title 'after phys', 'direct-dist.dat' index 3 using 1:2 with steps lw 2 title 'before roundtrip', 'direct-dist.dat' index 4 using 1:2 with steps lw 2 title 'after roundtrip'
