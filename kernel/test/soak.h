/*
 * soak.h - test=soak (soak.c): the thread, lock and memory tests in a loop
 * for soak=N seconds; nonzero when anything failed, slowed or leaked.
 */
#pragma once

int soak_run(void);
