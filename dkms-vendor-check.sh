#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# DKMS guard, run before every build (dkms.conf): refuse to build this
# neuron.ko for a kernel that already has AWS's own Neuron driver, which is
# also called neuron.ko and binds the same PCI ids (1d0f:7064-7067).  Two
# modules of one name cannot live side by side: whichever depmod finds
# first would bind the devices, and removing one package would delete the
# other's module.
#
#   dkms-vendor-check.sh KERNELVER [DKMS_TREE]
#
# Checks that the vendor's DKMS module (aws-neuronx, from the
# aws-neuronx-dkms package) is not registered, and that any neuron.ko
# modinfo finds for KERNELVER is ours (same description).  Exit 0: go on.
set -eu

kernelver=${1:?usage: dkms-vendor-check.sh KERNELVER [DKMS_TREE]}
dkms_tree=${2:-/var/lib/dkms}
ours="DRM accel driver for AWS Inferentia v1 accelerators"

fail() {
	echo "neuron: $*" >&2
	echo "neuron: remove the vendor's driver first (apt-get remove aws-neuronx-dkms," \
		"or dkms remove aws-neuronx/VERSION --all), then build this one again." >&2
	exit 1
}

for d in "$dkms_tree"/aws-neuronx*; do
	[ -d "$d" ] || continue
	fail "the vendor's DKMS module $(basename "$d") is registered in $dkms_tree;" \
		"it also builds neuron.ko for the same devices."
done

# A neuron.ko already installed for this kernel: ours (an older build of
# this package) is fine, anything else is the vendor's.
if command -v modinfo >/dev/null 2>&1; then
	file=$(modinfo -k "$kernelver" -F filename neuron 2>/dev/null || true)
	if [ -n "$file" ] && [ -e "$file" ]; then
		desc=$(modinfo -F description "$file" 2>/dev/null || true)
		[ "$desc" = "$ours" ] ||
			fail "$file is another neuron.ko (\"$desc\") for $kernelver."
	fi
fi
exit 0
