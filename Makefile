# SPDX-License-Identifier: GPL-2.0-only
#
# panthor-vm top level.
#
#   make run      build what is missing, boot the software GPU, run the client
#   make check    everything CI checks; ends with "N passed, N failed"
#   make bench    page-table benchmark against io-pgtable-arm (not a test)
#   make mutate   break each guarded property in turn, expect the checks to fail
#   make soak     the uAPI fuzzer, 1,000,000 calls in a lockdep kernel
#   make upstream upstream panthor's kernel on the software GPU (probe state)
#   make compare  the same VM_BIND scenarios on upstream panthor and panthor-vm, one table
#   make modules KDIR=<kernel build dir> [ARCH=arm64 CROSS_COMPILE=...]
#                 out-of-tree module for a real board
#
# The kernel tree and every build directory live in $(PVM_CACHE)
# (default ~/.cache/panthor-vm), outside the repo.

PVM_CACHE ?= $(HOME)/.cache/panthor-vm
export PVM_CACHE

.PHONY: all run check bench mutate soak upstream compare prepare modules modules_install clean help

all: help

help:
	@sed -n '3,16p' Makefile | sed 's/^# \{0,1\}//'

prepare:
	bash scripts/prepare-tree.sh

run:
	bash scripts/run.sh

check:
	bash scripts/check.sh

bench:
	bash scripts/bench.sh

mutate:
	bash scripts/mutate.sh

soak:
	bash scripts/soak.sh

upstream:
	bash scripts/upstream.sh

compare:
	bash scripts/compare.sh

# Out-of-tree build against a configured kernel (needs DRM, DRM_GPUVM,
# DRM_SCHED, DRM_GEM_SHMEM_HELPER and DRM_EXEC as modules or built in).
KDIR ?= /lib/modules/$(shell uname -r)/build
modules modules_install:
	$(MAKE) -C $(KDIR) M=$(CURDIR)/drivers/gpu/drm/panthor-vm \
		CONFIG_DRM_PANTHOR_VM=m $@

clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR)/drivers/gpu/drm/panthor-vm clean
