# dmabench plot: gnuplot summary.gp
set datafile missing '?'
set terminal dumb size 72,24
set output 'summary.txt'
set title 'map, guest instructions per op (B before, A after)'
set logscale y
set border back
set xlabel 'd s l w: direct strict lazy swiotlb; pg ph rt: page phys roundtrip'
set xtics rotate
set key off
set xrange [-0.5:11.5]
plot 'summary.dat' using 1:(1/0):xtic(2), '' using ($1-0.25):3 with points pt 'B', '' using ($1+0.25):4 with points pt 'A'
