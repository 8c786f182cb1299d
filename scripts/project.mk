# SPDX-License-Identifier: MIT
#
# Project targets, included at the end of the top-level Makefile (which
# otherwise builds the kernel module).  Everything runs inside the hermetic
# trixie root; the first run builds it (a few minutes, cached in
# ~/.cache/neuron).

PROJECT_DIR := $(dir $(lastword $(MAKEFILE_LIST)))..
DEMO_DEVICES ?= 4
DEMO_KERNEL ?= 7.3

# Boot a VM with emulated Inferentia devices, load the driver and show them.
demo:
	@$(PROJECT_DIR)/scripts/demo --kernel $(DEMO_KERNEL) --devices $(DEMO_DEVICES)

# All tests: model unit tests, builds for both kernels, in-VM tests.
check:
	@$(PROJECT_DIR)/scripts/check

# The same on the debug kernel (KASAN, lockdep...), built on first use by
# scripts/debug-kernel (about 40 minutes on 2 cores); not part of `check`.
check-debug:
	@$(PROJECT_DIR)/scripts/debug-kernel >/dev/null
	@$(PROJECT_DIR)/scripts/check --kernels debug

.PHONY: demo check check-debug
