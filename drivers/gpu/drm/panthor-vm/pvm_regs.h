/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright 2026 The panthor-vm authors
 */
#ifndef __PVM_REGS_H__
#define __PVM_REGS_H__

#include <linux/bits.h>
#include <linux/bitfield.h>

/*
 * All bit-level knowledge of the Mali CSF GPU that the driver and the
 * software GPU share lives here: register offsets, register fields, page
 * table descriptor bits. No other file should spell a magic number of the
 * hardware.
 */

/* GPU_CONTROL block */
#define GPU_ID				0x000
#define   GPU_ID_ARCH_MAJOR		GENMASK(31, 28)
#define   GPU_ID_ARCH_MINOR		GENMASK(27, 24)
#define   GPU_ID_ARCH_REV		GENMASK(23, 20)
#define   GPU_ID_PROD_MAJOR		GENMASK(19, 16)
#define   GPU_ID_VER_MAJOR		GENMASK(15, 12)
#define   GPU_ID_VER_MINOR		GENMASK(11, 4)
#define   GPU_ID_VER_STATUS		GENMASK(3, 0)
#define GPU_L2_FEATURES			0x004
#define GPU_CORE_FEATURES		0x008
#define GPU_TILER_FEATURES		0x00C
#define GPU_MEM_FEATURES		0x010
#define   GPU_MEM_FEATURES_COHERENT	BIT(0)
#define GPU_MMU_FEATURES		0x014
#define   GPU_MMU_FEATURES_VA_BITS	GENMASK(7, 0)
#define   GPU_MMU_FEATURES_PA_BITS	GENMASK(15, 8)
#define GPU_AS_PRESENT			0x018
#define GPU_CSF_ID			0x01C
#define GPU_INT_RAWSTAT			0x020
#define GPU_INT_CLEAR			0x024
#define GPU_INT_MASK			0x028
#define GPU_INT_STAT			0x02C
#define   GPU_IRQ_FAULT			BIT(0)
#define   GPU_IRQ_RESET_COMPLETED	BIT(8)
#define   GPU_IRQ_CLEAN_CACHES_COMPLETED BIT(17)
#define GPU_CMD				0x030
#define   GPU_CMD_TYPE			GENMASK(7, 0)
#define   GPU_CMD_PAYLOAD		GENMASK(31, 8)
#define   GPU_CMD_NOP			0
#define   GPU_CMD_RESET			1
#define   GPU_CMD_RESET_SOFT		1
#define   GPU_CMD_RESET_HARD		2
#define   GPU_CMD_CLEAR_FAULT		7
#define   GPU_CMD_FLUSH_CACHES		4
#define   GPU_FLUSH_L2			GENMASK(3, 0)
#define   GPU_FLUSH_LSC			GENMASK(7, 4)
#define   GPU_FLUSH_OTHER		GENMASK(11, 8)
#define   GPU_CACHE_CLEAN		1
#define   GPU_CACHE_INV			2
#define GPU_STATUS			0x034
#define   GPU_STATUS_ACTIVE		BIT(0)
#define GPU_FAULT_STATUS		0x03C
#define   GPU_FAULT_STATUS_EXCEPTION_TYPE GENMASK(7, 0)
#define   GPU_FAULT_STATUS_ACCESS_TYPE	GENMASK(9, 8)
#define   GPU_FAULT_STATUS_ADDRESS_VALID BIT(10)
#define   GPU_FAULT_STATUS_JASID_VALID	BIT(11)
#define   GPU_FAULT_STATUS_JASID	GENMASK(15, 12)
#define   GPU_FAULT_STATUS_SOURCE_ID	GENMASK(31, 16)
#define   GPU_EXC_BUS_FAULT		0x80
#define GPU_FAULT_ADDR_LO		0x040
#define GPU_FAULT_ADDR_HI		0x044
#define GPU_TIMESTAMP_OFFSET_LO		0x088
#define GPU_TIMESTAMP_OFFSET_HI		0x08C
#define GPU_CYCLE_COUNT_LO		0x090
#define GPU_CYCLE_COUNT_HI		0x094
#define GPU_TIMESTAMP_LO		0x098
#define GPU_TIMESTAMP_HI		0x09C
#define GPU_THREAD_MAX_THREADS		0x0A0
#define GPU_THREAD_MAX_WORKGROUP_SIZE	0x0A4
#define GPU_THREAD_MAX_BARRIER_SIZE	0x0A8
#define GPU_THREAD_FEATURES		0x0AC
#define GPU_TEXTURE_FEATURES(n)		(0x0B0 + (n) * 4)
#define GPU_SHADER_PRESENT_LO		0x100
#define GPU_TILER_PRESENT_LO		0x110
#define GPU_L2_PRESENT_LO		0x120
#define GPU_COHERENCY_FEATURES		0x300
#define   GPU_COHERENCY_ACE_LITE	BIT(0)

/*
 * Power domains, the MCU and its JOB interrupts: the driver leaves them to
 * the firmware-facing parts of a CSF driver; the software GPU implements
 * them for upstream panthor (sim/pvm_sim_csf.c).
 */
#define SHADER_READY_LO			0x140
#define TILER_READY_LO			0x150
#define L2_READY_LO			0x160
#define SHADER_PWRON_LO			0x180
#define TILER_PWRON_LO			0x190
#define L2_PWRON_LO			0x1A0
#define SHADER_PWROFF_LO		0x1C0
#define TILER_PWROFF_LO			0x1D0
#define L2_PWROFF_LO			0x1E0
#define MCU_CONTROL			0x700
#define   MCU_CONTROL_DISABLE		0
#define   MCU_CONTROL_ENABLE		1
#define   MCU_CONTROL_AUTO		2
#define MCU_STATUS			0x704
#define   MCU_STATUS_DISABLED		0
#define   MCU_STATUS_ENABLED		1
#define   MCU_STATUS_HALT		2
#define JOB_INT_RAWSTAT			0x1000
#define JOB_INT_CLEAR			0x1004
#define JOB_INT_MASK			0x1008
#define JOB_INT_STAT			0x100C

/*
 * Software GPU only: what the MCU firmware's global interface reports on
 * real hardware (GLB_GROUP_NUM, CSG_STREAM_NUM, the work registers and
 * scoreboards of CS_FEATURES). The model has no MCU, so its profile
 * publishes these read-only registers in a block a real Mali leaves
 * unused; the driver turns them into DEV_QUERY CSIF_INFO.
 */
#define PVM_FWIF_CSG_SLOTS		0x3000
#define PVM_FWIF_CS_SLOTS		0x3004
#define PVM_FWIF_CS_WORK_REGS		0x3008
#define PVM_FWIF_CS_SCOREBOARDS		0x300C

/*
 * USER block: the page userspace maps read-only at the user MMIO offset.
 * LATEST_FLUSH_ID changes whenever the GPU completes a cache flush.
 */
#define CSF_GPU_LATEST_FLUSH_ID		0x10000

/*
 * Frequency of GPU_TIMESTAMP. On a real SoC it is the system counter's
 * (the arch timer's CNTFRQ); the software GPU's counter is
 * CLOCK_MONOTONIC_RAW in nanoseconds, so 1 GHz.
 */
#define PVM_GPU_TIMESTAMP_FREQ_HZ	1000000000ULL

/* MMU interrupt block: bit n is a page fault on AS n. */
#define MMU_INT_RAWSTAT			0x2000
#define MMU_INT_CLEAR			0x2004
#define MMU_INT_MASK			0x2008
#define MMU_INT_STAT			0x200C
#define   MMU_IRQ_AS_FAULTS		GENMASK(15, 0)

/* Per address space registers. */
#define MMU_AS_BASE			0x2400
#define MMU_AS_STRIDE			0x40
#define MMU_AS(as)			(MMU_AS_BASE + (as) * MMU_AS_STRIDE)
#define AS_TRANSTAB_LO(as)		(MMU_AS(as) + 0x00)
#define AS_TRANSTAB_HI(as)		(MMU_AS(as) + 0x04)
#define AS_MEMATTR_LO(as)		(MMU_AS(as) + 0x08)
#define AS_MEMATTR_HI(as)		(MMU_AS(as) + 0x0C)
#define AS_LOCKADDR_LO(as)		(MMU_AS(as) + 0x10)
#define AS_LOCKADDR_HI(as)		(MMU_AS(as) + 0x14)
#define AS_COMMAND(as)			(MMU_AS(as) + 0x18)
#define AS_FAULTSTATUS(as)		(MMU_AS(as) + 0x1C)
#define AS_FAULTADDRESS_LO(as)		(MMU_AS(as) + 0x20)
#define AS_FAULTADDRESS_HI(as)		(MMU_AS(as) + 0x24)
#define AS_STATUS(as)			(MMU_AS(as) + 0x28)
#define   AS_STATUS_ACTIVE		BIT(0)
#define AS_TRANSCFG_LO(as)		(MMU_AS(as) + 0x30)
#define AS_TRANSCFG_HI(as)		(MMU_AS(as) + 0x34)
#define AS_FAULTEXTRA_LO(as)		(MMU_AS(as) + 0x38)
#define AS_FAULTEXTRA_HI(as)		(MMU_AS(as) + 0x3C)
#define MMU_MAX_AS			16
/* End of the registers the driver uses (the USER page included). */
#define PVM_REG_WINDOW_SIZE		0x11000

/* AS_COMMAND values */
#define AS_COMMAND_NOP			0
#define AS_COMMAND_UPDATE		1
#define AS_COMMAND_LOCK			2
#define AS_COMMAND_UNLOCK		3
#define AS_COMMAND_FLUSH_PT		4
#define AS_COMMAND_FLUSH_MEM		5

/* AS_LOCKADDR: region = [BASE & ~(2^(SIZE+1) - 1), + 2^(SIZE+1)) */
#define AS_LOCKADDR_SIZE		GENMASK_ULL(5, 0)
#define AS_LOCKADDR_FLUSH_SKIP_LEVELS	GENMASK_ULL(9, 6)
#define AS_LOCKADDR_BASE		GENMASK_ULL(63, 12)
/* Smallest lockable region (log2 bytes): 32 KiB before arch 12, 4 KiB after. */
#define AS_LOCK_REGION_MIN_LOG2		15
#define AS_LOCK_REGION_MIN_LOG2_ARCH12	12

/* AS_TRANSCFG */
#define AS_TRANSCFG_ADRMODE		GENMASK_ULL(3, 0)
#define   AS_TRANSCFG_ADRMODE_LEGACY	0
#define   AS_TRANSCFG_ADRMODE_UNMAPPED	1
#define   AS_TRANSCFG_ADRMODE_IDENTITY	2
#define   AS_TRANSCFG_ADRMODE_AARCH64_4K 6
#define AS_TRANSCFG_INA_BITS		GENMASK_ULL(10, 6)
#define AS_TRANSCFG_OUTA_BITS		GENMASK_ULL(18, 14)
#define AS_TRANSCFG_PTW_MEMATTR		GENMASK_ULL(25, 24)
#define   AS_TRANSCFG_PTW_MEMATTR_NC	1
#define   AS_TRANSCFG_PTW_MEMATTR_WB	2
#define AS_TRANSCFG_PTW_SH		GENMASK_ULL(29, 28)
#define   AS_TRANSCFG_PTW_SH_NS		0
#define   AS_TRANSCFG_PTW_SH_OS		2
#define   AS_TRANSCFG_PTW_SH_IS		3
#define AS_TRANSCFG_PTW_RA		BIT_ULL(30)
#define AS_TRANSCFG_DISABLE_HIER_AP	BIT_ULL(33)
#define AS_TRANSCFG_DISABLE_AF_FAULT	BIT_ULL(34)
#define AS_TRANSCFG_WXN			BIT_ULL(35)
#define AS_TRANSCFG_XREADABLE		BIT_ULL(36)

/* AS_TRANSTAB (AArch64 mode): root table address in [63:4]. */
#define AS_TRANSTAB_ADDR		GENMASK_ULL(63, 4)

/* AS_MEMATTR: one byte per AttrIndx. */
#define AS_MEMATTR_TYPE			GENMASK(7, 6)
#define   AS_MEMATTR_TYPE_SHARED	0
#define   AS_MEMATTR_TYPE_NC		1
#define   AS_MEMATTR_TYPE_WB		2
#define   AS_MEMATTR_TYPE_FAULT		3
#define AS_MEMATTR_SH			GENMASK(5, 4)
#define   AS_MEMATTR_SH_MIDGARD_INNER	0
#define   AS_MEMATTR_SH_CPU_INNER	1
#define   AS_MEMATTR_SH_CPU_INNER_SHADER_COH 2
#define AS_MEMATTR_ALLOC		GENMASK(3, 0)
#define   AS_MEMATTR_ALLOC_IMPL		(2 << 2)
#define   AS_MEMATTR_ALLOC_EXPL_W	((3 << 2) | BIT(0))
#define   AS_MEMATTR_ALLOC_EXPL_R	((3 << 2) | BIT(1))
#define   AS_MEMATTR_ALLOC_EXPL_NONE	(3 << 2)
#define AS_MEMATTR_BYTE(i, v)		((u64)(v) << ((i) * 8))

/* AttrIndx values the driver programs into MEMATTR. */
#define PVM_ATTR_IDX_WB			0
#define PVM_ATTR_IDX_NC			1

/* AS_FAULTSTATUS */
#define AS_FAULTSTATUS_EXCEPTION_TYPE	GENMASK(7, 0)
#define AS_FAULTSTATUS_ACCESS_TYPE	GENMASK(9, 8)
#define   AS_FAULTSTATUS_ACCESS_ATOMIC	0
#define   AS_FAULTSTATUS_ACCESS_EXECUTE	1
#define   AS_FAULTSTATUS_ACCESS_READ	2
#define   AS_FAULTSTATUS_ACCESS_WRITE	3
#define AS_FAULTSTATUS_DECODER		BIT(10)
#define AS_FAULTSTATUS_SOURCE_ID	GENMASK(31, 16)

/* MMU exception codes: [7:6] = 0b11, [5:3] class, [2:0] level. */
#define MMU_EXC_LEVEL			GENMASK(2, 0)
#define MMU_EXC_CLASS			GENMASK(5, 3)
#define MMU_EXC_TRANSLATION		0xC0
#define MMU_EXC_PERMISSION		0xC8
#define MMU_EXC_TRANSTAB_BUS		0xD0
#define MMU_EXC_ACCESS_FLAG		0xD8
#define MMU_EXC_ADDR_SIZE_IN		0xE0
#define MMU_EXC_ADDR_SIZE_OUT		0xE4
#define MMU_EXC_MEM_ATTR		0xE8
#define MMU_EXC(base, level)		((base) | (level))

/*
 * AArch64 stage-1 descriptors, 4 KiB granule.
 */
#define PVM_PTE_TYPE_MASK			GENMASK_ULL(1, 0)
#define PVM_PTE_VALID			BIT_ULL(0)
#define PVM_PTE_TYPE_BLOCK			1
#define PVM_PTE_TYPE_TABLE			3
#define PVM_PTE_TYPE_PAGE			3
#define PVM_PTE_ATTRINDX			GENMASK_ULL(4, 2)
#define PVM_PTE_NS				BIT_ULL(5)
#define PVM_PTE_AP_UNPRIV			BIT_ULL(6)	/* AP[1]: unprivileged access */
#define PVM_PTE_AP_RDONLY			BIT_ULL(7)	/* AP[2]: read only */
#define PVM_PTE_SH				GENMASK_ULL(9, 8)
#define   PVM_PTE_SH_NS			0
#define   PVM_PTE_SH_OS			2
#define   PVM_PTE_SH_IS			3
#define PVM_PTE_AF				BIT_ULL(10)
#define PVM_PTE_NG				BIT_ULL(11)
#define PVM_PTE_ADDR			GENMASK_ULL(47, 12)
#define PVM_PTE_PXN				BIT_ULL(53)
#define PVM_PTE_XN				BIT_ULL(54)
#define PVM_PTE_SW				GENMASK_ULL(58, 55)
/* Hierarchical attributes of table descriptors (unless DISABLE_HIER_AP). */
#define PVM_PTE_TABLE_PXNTABLE		BIT_ULL(59)
#define PVM_PTE_TABLE_XNTABLE		BIT_ULL(60)
#define PVM_PTE_TABLE_AP_NO_UNPRIV		BIT_ULL(61)	/* APTable[0] */
#define PVM_PTE_TABLE_AP_RDONLY		BIT_ULL(62)	/* APTable[1] */
#define PVM_PTE_TABLE_HIER			GENMASK_ULL(62, 59)

#define PVM_PT_GRANULE_SHIFT		12
#define PVM_PT_BITS_PER_LEVEL		9
#define PVM_PT_ENTRIES			BIT(PVM_PT_BITS_PER_LEVEL)
#define PVM_PT_MAX_LEVELS		4
/* Address bits mapped by one entry at @lvl (0 = root of a 48-bit table). */
#define PVM_PT_LEVEL_SHIFT(lvl)		(PVM_PT_GRANULE_SHIFT + \
					 (3 - (lvl)) * PVM_PT_BITS_PER_LEVEL)

#endif /* __PVM_REGS_H__ */
