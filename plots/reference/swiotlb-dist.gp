# dmabench plot: gnuplot swiotlb-dist.gp
set datafile missing '?'
set title 'swiotlb: distribution of per-batch map figures'."\n".'configs/demo.ini, tcg-icount, 1/1 run(s) a side, measured 2026-11-28'
set xlabel 'guest instructions per op, net'
set ylabel 'fraction of batches'
set key bottom right
set yrange [0:1.02]
set grid
set terminal pngcairo size 960,540 noenhanced font ',10'
set output 'swiotlb-dist.png'
plot 'swiotlb-dist.dat' index 0 using 1:2 with steps lw 2 title 'before page', 'swiotlb-dist.dat' index 1 using 1:2 with steps lw 2 title 'after page', 'swiotlb-dist.dat' index 2 using 1:2 with steps lw 2 title 'after phys', 'swiotlb-dist.dat' index 3 using 1:2 with steps lw 2 title 'before roundtrip', 'swiotlb-dist.dat' index 4 using 1:2 with steps lw 2 title 'after roundtrip'
set terminal svg size 960,540 noenhanced
set output 'swiotlb-dist.svg'
plot 'swiotlb-dist.dat' index 0 using 1:2 with steps lw 2 title 'before page', 'swiotlb-dist.dat' index 1 using 1:2 with steps lw 2 title 'after page', 'swiotlb-dist.dat' index 2 using 1:2 with steps lw 2 title 'after phys', 'swiotlb-dist.dat' index 3 using 1:2 with steps lw 2 title 'before roundtrip', 'swiotlb-dist.dat' index 4 using 1:2 with steps lw 2 title 'after roundtrip'
