/*
 * ktest_sets.h - named sets of ktests for the command line's "ktest=@NAME"
 * (kernel/test/ktest.c), by the part of the machine the tests exercise.
 * A boot cell made for one part (a second disk, a late CPU) runs that
 * part's set; most of the machine matrix runs @machine, every part a
 * change of firmware, chipset, disk, memory or CPUs can break; a few full
 * cells run everything, the machine-independent rest too (file systems,
 * the line discipline, the monitor, formatting); the file systems' own
 * cells (their volumes as module RAM disks) run @boot,@fs. tests/qemu/ktest.sh
 * reads this file to know which of a cell's skips can happen: keep one
 * KTEST_SET per line, a set's entries being groups ("smp_*"), test names
 * or earlier sets.
 */
KTEST_SET(boot, "bootinfo_*,firmware_*,memmap_*,cmdline_*,loader_*,modules_*,acpi_*,kernel_*,ksyms_*,backtrace_*")
KTEST_SET(cpu, "smp_*,sched_*,callout_*,waitq_*,sync_*,lapic_*,timer_*,clock_*,tsc_*,hpet_*,rtc_*,irq_*,traps_*,fpu_*,power_*")
KTEST_SET(mem, "mm_*,uspace_*,dma_*")
KTEST_SET(disk, "blk_*,block_*,bcache_*,ahci_*,ide_*,nvme_*,virtio_*,pci_*,devfs_block_*")
KTEST_SET(screen, "console_*,psf_*,term_*,printk_*,logbuf_*,input_*,serial_*")
KTEST_SET(user, "proc_*,signal_*,futex_*,pipe_*,fd_*")
KTEST_SET(machine, "@boot,@cpu,@mem,@disk,@screen,@user")
KTEST_SET(fs, "vfs_*,fsio_*,fat_*,ext2_*,devfs_*,procfs_*,initramfs_*,root_*")
