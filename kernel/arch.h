/*
 * arch.h - the architecture boundary: everything generic kernel code and
 * drivers may ask of the CPU. Generic code calls arch_* only; inline
 * assembly lives behind this header (kernel/arch/x86_64/cpu.h), never in
 * drivers/ or the core. The clock (tsc_*) and the page-table walk
 * (pagewalk) are architecture services too; reach them through here.
 */
#pragma once

#include "arch/x86_64/cpu.h"
#include "arch/x86_64/pagewalk.h"
#include "arch/x86_64/tsc.h"
