/*
 * input/keylog.h - the keylog listener (keylog.c), installed by
 * input_init when "keylog" is on the command line.
 */
#pragma once

void keylog_init(void);
