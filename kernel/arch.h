/*
 * arch.h - the architecture boundary: everything generic kernel code and
 * drivers may ask of the CPU. Generic code calls arch_* only; inline
 * assembly lives behind this header, in kernel/arch/x86_64/: port I/O and
 * halting (cpu.h), CPUID (cpuid.h), MSRs (msr.h), device registers
 * (mmio.h), the interrupt flag (irqflags.h), never in drivers/ or the
 * core. The clock (tsc_*) and the page-table walk (pagewalk) are
 * architecture services too; reach them through here.
 */
#pragma once

#include "arch/x86_64/cpu.h"
#include "arch/x86_64/cpuid.h"
#include "arch/x86_64/irqflags.h"
#include "arch/x86_64/mmio.h"
#include "arch/x86_64/msr.h"
#include "arch/x86_64/pagewalk.h"
#include "arch/x86_64/rdrand.h"
#include "arch/x86_64/tsc.h"
