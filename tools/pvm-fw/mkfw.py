#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
#
# mkfw.py OUT: the firmware image the software GPU's "MCU" boots, in the
# CSF firmware container format upstream panthor parses (panthor_fw.c):
# a 20-byte header (magic, minor, major 0, version hash, size) and one
# interface entry, the shared section at MCU VA 0x04000000 (read, write,
# shared, zero-filled, 128 KiB, no data). The MCU runs no code from it:
# the model writes the CSF interface blocks into that section at boot
# (drivers/gpu/drm/panthor-vm/sim/pvm_sim_csf.c).
import struct
import sys

MAGIC = 0xC3F13A6E
ENTRY_IFACE = 0
IFACE_RD, IFACE_WR, IFACE_SHARED, IFACE_ZERO = 1 << 0, 1 << 1, 1 << 30, 1 << 31
SHARED_VA, SHARED_SIZE = 0x04000000, 128 * 1024


def iface(flags, va_start, va_end, data_start, data_end, name):
    body = struct.pack("<5I", flags, va_start, va_end, data_start, data_end)
    body += name.encode() + b"\0" * (-len(name) % 4)
    size = 4 + len(body)
    assert size < 256 and size % 4 == 0
    return struct.pack("<I", ENTRY_IFACE | size << 8) + body


def main():
    entries = iface(IFACE_RD | IFACE_WR | IFACE_SHARED | IFACE_ZERO,
                    SHARED_VA, SHARED_VA + SHARED_SIZE, 0, 0, "shared")
    header = struct.pack("<IBBHIII", MAGIC, 0, 0, 0, 0x70766d31, 0,
                         20 + len(entries))
    with open(sys.argv[1], "wb") as f:
        f.write(header + entries)


if __name__ == "__main__":
    main()
