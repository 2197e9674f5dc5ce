#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Cross-build panthor-vm.ko for arm64, the architecture real Mali boards
# use: ARCH=arm64 defconfig + modules_prepare in the cache (once), then an
# external-module build of a copy of the driver (M= writes its objects next
# to the sources, so the repo is never the build directory).
#
# The tree is only modules_prepare'd, not built, so modpost has no
# Module.symvers and reports every kernel symbol the module uses as
# "undefined"; those lines are expected and filtered. Any other warning
# fails the build.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

A=$PVM_BUILD/arm64
M=$PVM_BUILD/arm64-mod
X="ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu-"
mkdir -p "$A"
pvm_uapi_overlay "$A"
if [ ! -f "$A/.pvm-prepared" ]; then
	pvm_say "preparing arm64 defconfig tree in $A"
	make -s -C "$KSRC" $X O="$A" defconfig
	make -s -C "$KSRC" $X O="$A" -j"$PVM_JOBS" modules_prepare
	touch "$A/.pvm-prepared"
fi

# Kconfig refuses CPU pages other than 4 KiB (the only tested size):
# with 16 KiB pages DRM_PANTHOR_VM must not be selectable, with 4 KiB it
# must. The module build below uses the defconfig, which has 4 KiB pages.
grep -q '^CONFIG_ARM64_4K_PAGES=y' "$A/.config" || pvm_die "arm64 defconfig without 4 KiB pages"
for pages in 4K 16K; do
	K=$PVM_BUILD/arm64-kconfig-$pages
	mkdir -p "$K"
	sed '/^CONFIG_ARM64_[0-9]*K_PAGES=/d; /^# CONFIG_ARM64_[0-9]*K_PAGES is not set/d' \
		"$A/.config" > "$K/.config"
	printf 'CONFIG_ARM64_%s_PAGES=y\nCONFIG_DRM=y\nCONFIG_DRM_PANTHOR_VM=m\n' "$pages" >> "$K/.config"
	make -s -C "$KSRC" $X O="$K" olddefconfig > "$K/kconfig.log" 2>&1 ||
		{ cat "$K/kconfig.log"; pvm_die "arm64 olddefconfig ($pages pages) failed"; }
	grep -q "^CONFIG_ARM64_${pages}_PAGES=y" "$K/.config" || pvm_die "arm64 $pages pages not set"
	got=$(grep -c '^CONFIG_DRM_PANTHOR_VM=m' "$K/.config" || true)
	want=$([ $pages = 4K ] && echo 1 || echo 0)
	[ "$got" = "$want" ] || pvm_die "arm64 $pages pages: DRM_PANTHOR_VM selectable=$got, want $want"
done
echo "arm64 Kconfig: DRM_PANTHOR_VM available with 4K pages, refused with 16K pages"

mkdir -p "$M"
rsync -a --delete --exclude '*.o' --exclude '*.ko' --exclude '.*.cmd' \
	"$PVM_REPO/drivers/gpu/drm/panthor-vm/" "$M/src/"
pvm_say "building panthor-vm.ko for arm64"
make -C "$KSRC" $X O="$A" M="$M/src" CONFIG_DRM_PANTHOR_VM=m W=1 KBUILD_MODPOST_WARN=1 \
	-j"$PVM_JOBS" modules > "$M/build.log" 2>&1 || { cat "$M/build.log"; exit 1; }
# Compiler diagnostics, and any modpost report but the expected ones.
if grep -E ': (warning|error):|^(WARNING|ERROR):' "$M/build.log" |
	grep -vE 'modpost: "[^"]+" \[.*\] undefined!|Module.symvers is missing|suppressed [0-9]+ unresolved symbol'; then
	echo "arm64 build has warnings (above)"
	exit 1
fi
ko="$M/src/panthor-vm.ko"
[ -f "$ko" ] || pvm_die "no $ko"
file "$ko" 2>/dev/null || true
echo "arm64: $(basename "$ko") built, $(stat -c %s "$ko") bytes, no warnings"
