# SPDX-License-Identifier: GPL-2.0-only
#
# Out-of-tree build of neuron.ko.
#
#   make [KDIR=<kernel build dir>] [BUILD=<dir>] [W=1] [C=1]
#
# KDIR defaults to the running kernel's /lib/modules/$(uname -r)/build.
# The module is built in BUILD (default build/<kernel release of KDIR>), a
# tree of symlinks to the sources, because 6.12's Kbuild cannot put an
# external module's output anywhere but next to its sources and we build
# for several kernels from one tree.  Targets:
#
#   modules (default)  build BUILD/neuron.ko
#   install            modules_install into /lib/modules/<release> + depmod
#   clean              remove BUILD
#   checkpatch         scripts/checkpatch.pl --strict on the driver sources
#   sparse             check every file with sparse (C=2)
#
# Kbuild reads ./Kbuild, not this file, so a plain
# "make -C <kdir> M=$PWD" (as DKMS does) builds in place.

KDIR ?= /lib/modules/$(shell uname -r)/build
KRELEASE := $(shell cat $(KDIR)/include/config/kernel.release 2>/dev/null)
NEURON_KBUILD_GOALS := all modules link install sparse
ifeq ($(KRELEASE),)
  ifneq ($(if $(MAKECMDGOALS),$(filter $(NEURON_KBUILD_GOALS),$(MAKECMDGOALS)),all),)
    $(error no kernel release in $(KDIR)/include/config/kernel.release: set KDIR)
  endif
endif
BUILD ?= build/$(KRELEASE)
BUILD_ABS := $(abspath $(BUILD))
SRC_ABS := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))

# The module's sources; hw/v1 register headers (hardware facts) and hw/model
# headers (the device model's own inventions) are shared with the model.
NEURON_SOURCES := Kbuild \
	$(wildcard neuron_*.c neuron_*.h hw/*.c hw/*.h hw/v1/*.c hw/v1/*.h hw/model/*.h) \
	$(wildcard uapi/drm/*.h conftest/*.c conftest/*.sh)
NEURON_DRIVER_FILES := $(filter-out uapi/% conftest/% hw/v1/%.h hw/model/%.h,$(filter %.c %.h,$(NEURON_SOURCES))) \
	$(wildcard conftest/*.c)
# Headers shared with userspace (the uapi, and the register headers the
# device model includes) cannot use BIT(): they are checked without it.
NEURON_SHARED_HEADERS := uapi/drm/neuron_accel.h $(wildcard hw/v1/*.h hw/model/*.h)

# checkpatch.pl from a kernel source tree (the trixie root has 7.3's).
CHECKPATCH ?= $(firstword $(wildcard /usr/src/linux-source-7.3/scripts/checkpatch.pl \
	$(HOME)/.cache/neuron/root/usr/src/linux-source-7.3/scripts/checkpatch.pl \
	$(KDIR)/scripts/checkpatch.pl) checkpatch.pl)

KMAKE = $(MAKE) -C $(KDIR) M=$(BUILD_ABS)

.PHONY: all modules install clean checkpatch sparse link

all modules: link
	$(KMAKE) modules

# Mirror the sources into BUILD as symlinks (real directories, so that
# objects of hw/v1/*.c land in BUILD too).  Dangling links of removed
# sources are dropped.
link:
	@mkdir -p $(BUILD_ABS)
	@find $(BUILD_ABS) -type l ! -exec test -e {} \; -delete
	@for f in $(NEURON_SOURCES); do \
		mkdir -p $(BUILD_ABS)/$$(dirname $$f); \
		ln -sfn $(SRC_ABS)/$$f $(BUILD_ABS)/$$f; \
	done

install: modules
	$(KMAKE) modules_install
	depmod -a $(KRELEASE)

clean:
	rm -rf $(BUILD_ABS)

CHECKPATCH_FLAGS := --strict --no-tree --show-types --quiet

checkpatch:
	$(CHECKPATCH) $(CHECKPATCH_FLAGS) -f $(NEURON_DRIVER_FILES)
	$(CHECKPATCH) $(CHECKPATCH_FLAGS) --ignore BIT_MACRO -f $(NEURON_SHARED_HEADERS)

# Sparse 0.6.4 (trixie) predates __typeof_unqual__, which 7.x headers use,
# and Debian's 7.x headers lack scripts/checker-valid.sh, so the kernel
# would switch the checker off: force it on and spell the keyword as
# __typeof__ (harmless where the headers do not use it).  On 7.x sparse
# 0.6.4 still flags every MODULE_*() / module_param() line with "bad
# constant expression": a false positive on the modinfo macros.
sparse: link
	$(KMAKE) C=2 KBUILD_CHECKSRC=2 CF=-D__typeof_unqual__=__typeof__ modules

-include scripts/project.mk
