#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# build-kernel.sh <boot|debug|soak|bench|upstream|upstream-perf> [make args...]
#
# Configure (from `make ARCH=um defconfig` plus the committed fragments) and
# build one UML kernel in $PVM_BUILD/<name>. Reconfigures only when a
# fragment changed; the build itself is incremental.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

name=$1; shift
case $name in
boot)	frags="$PVM_REPO/scripts/configs/boot.config" ;;
debug)	frags="$PVM_REPO/scripts/configs/boot.config $PVM_REPO/scripts/configs/debug.config" ;;
soak)	frags="$PVM_REPO/scripts/configs/boot.config $PVM_REPO/scripts/configs/soak.config" ;;
upstream) frags="$PVM_REPO/scripts/configs/upstream.config $PVM_REPO/scripts/configs/upstream-debug.config" ;;
upstream-perf) frags="$PVM_REPO/scripts/configs/upstream.config" ;;
*)	frags="$PVM_REPO/scripts/configs/$name.config" ;;
esac
O=$PVM_BUILD/$name
mkdir -p "$O"
# Our uAPI headers for every kernel but those running upstream panthor.
case $name in
upstream|upstream-perf) ;;
*) pvm_uapi_overlay "$O" ;;
esac

sum=$(cat $frags | sha1sum | cut -d' ' -f1)
if [ ! -f "$O/.config" ] || [ "$(cat "$O/.pvm-config-sum" 2>/dev/null)" != "$sum" ]; then
	pvm_say "configuring $name kernel"
	make -s -C "$KSRC" ARCH=um O="$O" defconfig >/dev/null
	"$KSRC/scripts/kconfig/merge_config.sh" -m -O "$O" "$O/.config" $frags >/dev/null
	make -s -C "$KSRC" ARCH=um O="$O" olddefconfig >/dev/null
	# Every option the fragments ask for must have survived olddefconfig.
	bad=0
	for f in $frags; do
		while IFS= read -r line; do
			case $line in
			CONFIG_*=n) want="# ${line%=n} is not set" ;;
			CONFIG_*) want=$line ;;
			*) continue ;;
			esac
			grep -qxF "$want" "$O/.config" || { echo "config: $line did not stick" >&2; bad=1; }
		done < "$f"
	done
	[ $bad = 0 ] || pvm_die "$name kernel config is missing options (dependencies?)"
	echo "$sum" > "$O/.pvm-config-sum"
fi

pvm_say "building $name kernel in $O"
make -s -C "$KSRC" ARCH=um O="$O" -j"$PVM_JOBS" "$@" 2>&1 | tee "$O/.pvm-build.log" >&2
test "${PIPESTATUS[0]}" = 0
