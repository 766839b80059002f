/*
 * ktest_list.h - every in-kernel test, once. Add a test here and define
 * ktest_NAME in a kernel/test/test_*.c file; ktest.h declares it and
 * ktest.c runs it, both expanded from this list. Tests run in list order.
 */
#pragma once

#define KTEST_LIST(X)               \
    X(bootinfo_live_is_good)        \
    X(bootinfo_forged_good)         \
    X(bootinfo_bad_magic)           \
    X(bootinfo_bad_major)           \
    X(bootinfo_too_small)           \
    X(bootinfo_bad_mmap)            \
    X(format_integers)              \
    X(format_width_and_padding)     \
    X(format_strings)               \
    X(format_modifiers)             \
    X(format_truncation)            \
    X(logbuf_no_wrap)               \
    X(logbuf_wrap)                  \
    X(logbuf_oversized_write)       \
    X(logbuf_read_newest)           \
    X(printk_log_holds_boot_lines)  \
    X(printk_log_headers)           \
    X(memmap_normal_form)           \
    X(memmap_kernel_range)          \
    X(memmap_bootinfo_reclaimable)  \
    X(memmap_usable_sane)           \
    X(modules_loaded)               \
    X(cmdline_words)                \
    X(cmdline_numbers)              \
    X(psf_builtin_font)             \
    X(psf_rejects_garbage)          \
    X(tsc_calibrated)               \
    X(kernel_segment_permissions)   \
    X(kernel_phys_matches_mapping)  \
    X(firmware_matches_loader)      \
    X(firmware_efi_system_table)    \
    X(firmware_boot_device)         \
    X(firmware_acpi_rsdp)           \
    X(firmware_smbios_anchor)       \
    X(firmware_display)             \
    X(loader_log_and_timeline)      \
    X(traps_every_exception)        \
    X(traps_ist_stacks)             \
    X(traps_describe_errors)        \
    X(backtrace_names_callers)      \
    X(ksyms_lookup)                 \
    X(acpi_tables_parsed)           \
    X(acpi_madt_matches_machine)    \
    X(smp_cpus_online)              \
    X(smp_percpu_apic_ids)          \
    X(smp_stacks_guarded)           \
    X(irq_mode_matches_machine)     \
    X(irq_pit_delivered)            \
    X(irq_rtc_delivered)            \
    X(irq_register_refuses_taken)   \
    X(timer_hz_parsing)             \
    X(timer_tick_vs_reference)      \
    X(clock_monotonic)              \
    X(clock_agrees_with_reference)  \
    X(lapic_timer_oneshot)          \
    X(lapic_timer_tsc_deadline)     \
    X(rtc_decode)                   \
    X(rtc_boot_time_sane)           \
    X(mm_frames_match_bootinfo)     \
    X(mm_2m_block)                  \
    X(mm_heap_million)              \
    X(mm_text_is_read_only)         \
    X(mm_heap_is_not_executable)    \
    X(mm_identity_map_gone)         \
    X(mm_lazy_region_filled_on_touch) \
    X(mm_guard_pages)               \
    X(mm_cpu_protections)           \
    X(mm_huge_mmio_and_caching)     \
    X(mm_address_space)             \
    X(sched_join_frees)             \
    X(sched_busy_thread_preempted)  \
    X(sched_priority_first)         \
    X(sched_aging)                  \
    X(sched_sleep_on_time)          \
    X(sched_ps)                     \
    X(sync_mutex_counter)           \
    X(sync_producer_consumer)       \
    X(sync_semaphore_pingpong)      \
    X(sync_lockcheck)               \
    X(fpu_state_per_thread)
