# dmabench plot: gnuplot swiotlb-bars.gp
set datafile missing '?'
set title 'swiotlb: guest instructions per op, net of the null twins'."\n".'configs/demo.ini, tcg-icount, 1/1 run(s) a side, measured 2026-11-28'
set style data histogram
set style histogram errorbars gap 1 lw 1
set style fill solid 0.5 border -1
set xtics rotate by -30
set ylabel 'guest instructions per op'
set yrange [0:*]
set key top left
set terminal pngcairo size 960,540 noenhanced font ',10'
set output 'swiotlb-bars.png'
plot 'swiotlb-bars.dat' using 2:3:4:xtic(1) title 'before 6.12.117+deb12-amd64', '' using 5:6:7 title 'after 7.3.4+deb13-amd64', '' using ($0-1.0/6):(0):(strcol(8) eq 'n/a' ? 'n/a' : '') with labels offset 0,0.6 notitle, '' using ($0+1.0/6):(0):(strcol(9) eq 'n/a' ? 'n/a' : '') with labels offset 0,0.6 notitle
set terminal svg size 960,540 noenhanced
set output 'swiotlb-bars.svg'
plot 'swiotlb-bars.dat' using 2:3:4:xtic(1) title 'before 6.12.117+deb12-amd64', '' using 5:6:7 title 'after 7.3.4+deb13-amd64', '' using ($0-1.0/6):(0):(strcol(8) eq 'n/a' ? 'n/a' : '') with labels offset 0,0.6 notitle, '' using ($0+1.0/6):(0):(strcol(9) eq 'n/a' ? 'n/a' : '') with labels offset 0,0.6 notitle
