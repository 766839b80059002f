/*
 * exit.c - the last step: leave the firmware and jump to the kernel.
 *
 * Order, and why:
 *  1. the last line ("exit: ... jumping to ..."), then the loader log is
 *     copied into the boot block: no line can follow it on the screen;
 *  2. GetMemoryMap into the buffer memmap.c prepared, ExitBootServices
 *     with its key. A stale key (the map changed in between: a timer event
 *     allocated memory) gives EFI_INVALID_PARAMETER: fetch the map and try
 *     again, EXIT_TRIES times (UEFI 2.10, 7.4 "ExitBootServices()");
 *  3. from here the firmware is gone: no boot service, no ConOut, no
 *     allocation. Interrupts off; the map converted into the boot info
 *     (memmap_convert allocates nothing); the timeline copied;
 *  4. EFER.NXE on (the tables use NX), CR3 = our PML4, our GDT, CS
 *     reloaded with a far return, data segments 0x10, RSP = the hand-off
 *     stack in the boot block (HHDM address), RDI = the boot info (HHDM
 *     address), jump to e_entry.
 * A failure before the first ExitBootServices call is an ordinary error
 * (line, pause, return to the firmware). After it, boot services may be
 * half shut down (the spec allows only GetMemoryMap and ExitBootServices
 * then), so a failure there prints on COM1 only and halts.
 */
#include <efi.h>

#include "arch/x86_64/cpu.h"    /* arch_halt_forever: shared with the kernel */
#include "loader.h"
#include <string.h>

#define EXIT_TRIES      8
#define MSR_EFER        0xC0000080U
#define EFER_NXE        (1ULL << 11)
#define GDT_CODE64      0x00AF9A000000FFFFULL   /* P, DPL 0, code exec/read, L = 1 */
#define GDT_DATA        0x00CF92000000FFFFULL   /* P, DPL 0, data read/write */
#define SEL_CODE        0x08
#define SEL_DATA        0x10

static uint64_t hhdm(const void *p)
{
    return HHDM_BASE + (uint64_t)(uintptr_t)p;
}

static void enable_nx(void)
{
    uint32_t lo, hi;

    __asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(MSR_EFER));
    lo |= (uint32_t)EFER_NXE;
    __asm__ volatile("wrmsr" : : "a"(lo), "d"(hi), "c"(MSR_EFER));
}

/* The GDT in the boot block; GDTR's base is its HHDM address, so it stays
 * valid when the kernel drops the identity map. */
static void gdt_fill(struct boot_block *b)
{
    uint16_t limit = sizeof b->gdt - 1;
    uint64_t base = hhdm(b->gdt);

    b->gdt[0] = 0;
    b->gdt[1] = GDT_CODE64;
    b->gdt[2] = GDT_DATA;
    memcpy(b->gdtr, &limit, 2);
    memcpy(b->gdtr + 2, &base, 8);
}

/*
 * Load CR3 and the GDT, reload the segments, switch stacks and jump.
 * Runs on the new tables from the `mov cr3` on: this code and the GDTR
 * bytes are identity mapped (paging.c maps all RAM).
 */
static __attribute__((noreturn)) void handoff(uint64_t pml4, const uint8_t *gdtr,
                                              uint64_t stack_top, uint64_t entry,
                                              uint64_t bootinfo)
{
    __asm__ volatile(
        "cli\n\t"
        "mov %[pml4], %%cr3\n\t"
        "lgdt (%[gdtr])\n\t"
        "pushq %[code]\n\t"
        "leaq 1f(%%rip), %%rax\n\t"
        "pushq %%rax\n\t"
        "lretq\n"
        "1:\n\t"
        "mov %[data], %%eax\n\t"
        "mov %%eax, %%ds\n\t"
        "mov %%eax, %%es\n\t"
        "mov %%eax, %%ss\n\t"
        "xor %%eax, %%eax\n\t"
        "mov %%eax, %%fs\n\t"
        "mov %%eax, %%gs\n\t"
        "mov %[stack], %%rsp\n\t"
        "xor %%ebp, %%ebp\n\t"
        "jmp *%[entry]\n\t"
        :
        : [pml4] "r"(pml4), [gdtr] "r"(gdtr), [stack] "r"(stack_top), [entry] "r"(entry),
          [code] "i"(SEL_CODE), [data] "i"(SEL_DATA), "D"(bootinfo)
        : "rax", "memory");
    __builtin_unreachable();
}

/* GetMemoryMap + ExitBootServices until the key is fresh; *called says
 * whether ExitBootServices ran at all. */
static EFI_STATUS exit_firmware(struct loader *ld, int *called)
{
    EFI_STATUS status = EFI_INVALID_PARAMETER;

    *called = 0;
    for (int i = 0; i < EXIT_TRIES && status == EFI_INVALID_PARAMETER; i++) {
        status = memmap_fetch(ld);
        if (EFI_ERROR(status))
            return status;
        *called = 1;
        status = ld->bs->ExitBootServices(ld->image, ld->map.key);
    }
    return status;
}

static __attribute__((noreturn)) void die_after_exit(const char *what)
{
    say_serial_only("exit: error, %s after ExitBootServices; halting", what);
    arch_halt_forever();
}

EFI_STATUS exit_boot_services_and_jump(struct loader *ld)
{
    struct boot_block *b = ld->block;
    struct bootinfo *bi = ld->bi;
    int called, count;
    EFI_STATUS status;

    say("exit: boot info at 0x%llx, %u disk reads (%llu KiB), jumping to 0x%llx",
        (unsigned long long)hhdm(bi), bi->disk_reads, (unsigned long long)(bi->disk_bytes >> 10),
        (unsigned long long)ld->kernel.entry);
    bi->loader_log = (uint64_t)(uintptr_t)b->log;
    bi->loader_log_len = (uint32_t)console_log_copy(b->log, sizeof b->log);
    gdt_fill(b);
    status = exit_firmware(ld, &called);
    if (EFI_ERROR(status) && !called) {
        say("exit: error, GetMemoryMap failed (%s)", status_text(status));
        return status;
    }
    if (EFI_ERROR(status))
        die_after_exit("ExitBootServices kept failing");
    __asm__ volatile("cli");
    count = memmap_convert(ld);
    if (count < 0)
        die_after_exit("the memory map outgrew its buffers");
    bi->mmap = (uint64_t)(uintptr_t)ld->map.out;
    bi->mmap_count = (uint32_t)count;
    bi->mmap_entry_size = sizeof(struct bootinfo_mmap_entry);
    step_done("exit");
    timeline_copy(bi);
    if (ld->cpu_has_nx)
        enable_nx();
    handoff(ld->pml4, b->gdtr, hhdm(b->stack + sizeof b->stack), ld->kernel.entry, hhdm(bi));
}
