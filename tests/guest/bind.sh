# SPDX-License-Identifier: GPL-2.0
# Guest job of tests/bind.sh (booted in strict mode with a virtio-rng-pci
# beside edu): dmabench run --pci binds a device by name and gives it back,
# refuses one that virtio-pci holds unless --force, switches the IOMMU
# group's type for --set-mode and restores it, and gives the device back
# on SIGINT. Each step's output, exit code and sysfs state land in /tmp/out.
o=/tmp/out
drv=/sys/bus/pci/drivers/dmabench
edu=$(ls $drv | grep ':' | head -n1)
rng=
for d in /sys/bus/pci/devices/*; do
	[ "$(cat $d/vendor)" = 0x1af4 ] && rng=${d##*/}
done
echo "$edu" >$o/edu.txt
echo "$rng" >$o/rng.txt
group=$(basename "$(readlink /sys/bus/pci/devices/$edu/iommu_group)")
type=/sys/kernel/iommu_groups/$group/type
# state NAME BDF: its driver, driver_override and group type, one line
state() {
	d=/sys/bus/pci/devices/$2
	echo "$(basename "$(readlink $d/driver)" 2>/dev/null) $(cat $d/driver_override)" \
		"$(cat /sys/kernel/iommu_groups/$(basename "$(readlink $d/iommu_group)")/type)" >$o/$1.state
}
# go NAME ARGS...: dmabench run ARGS, output and exit code under NAME
go() {
	n=$1
	shift
	dmabench run -q -o $o/$n.json "$@" >$o/$n.out 2>&1
	echo $? >$o/$n.rc
}
cfg=/job/config.ini
dmabench info >$o/info-edu.txt 2>&1
dmabench info --json >$o/info-edu.json 2>&1
state rng-before "$rng"

# A device nobody holds, bound by name and left as found.
echo "$edu" >$drv/unbind
state edu-unbound "$edu"
go edu --pci "$edu" $cfg
state edu-after "$edu"
# Short form of the address, the device held by virtio-pci: refused.
go rng-refused --pci "${rng#0000:}" $cfg
state rng-refused "$rng"
go rng-forced --pci "$rng" --force $cfg
state rng-after "$rng"
# Not a PCI address, no such device.
go bad-address --pci 'zz:00.0;reboot' $cfg
go no-device --pci 0000:7f:1f.7 $cfg

# Group type: strict -> lazy -> back, strict -> passthrough -> back.
cat $type >$o/type-before.txt
go lazy --pci "$edu" --set-mode lazy $cfg
state lazy-after "$edu"
go passthrough --pci "$edu" --set-mode passthrough $cfg
state passthrough-after "$edu"
go strict --pci "$edu" --set-mode strict $cfg
go direct --pci "$edu" --set-mode direct $cfg
go swiotlb --pci "$edu" --set-mode swiotlb $cfg
go set-mode-alone --set-mode lazy $cfg

# SIGINT while bound and switched: given back, group type restored.
dmabench run -o $o/int.json --pci "$edu" --set-mode lazy /job/bind-long.ini >$o/int.out 2>&1 &
a=$!
n=0
while [ "$(cat $type)" != DMA-FQ ] && [ $n -lt 600 ]; do sleep 0.1; n=$((n + 1)); done
# a moment inside the measuring, not before it
sleep 1
kill -INT $a
wait $a
echo $? >$o/int.rc
state int-after "$edu"

# Bound by the module's own table again: info names the group.
echo "$edu" >$drv/bind
go held-elsewhere --pci "$rng" --force $cfg
state final "$edu"
