/*
 * pc_clockevents.c - the clock event devices a PC offers the tick
 * (clockevent.h): the local APIC timer, when it can serve (APIC mode,
 * measured, not refused on the command line), and PIT channel 0, which
 * every PC has. HPET comparators could join here later (rated between
 * the two: global, but no I/O ports). Called once, by timer_init.
 */
#include "timer/clockevent.h"
#include "x86/lapic_timer.h"
#include "x86/pit.h"

void clockevent_register_platform(void)
{
    lapic_timer_register_clockevent();
    pit_register_clockevent();
}
