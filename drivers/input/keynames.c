/*
 * keynames.c - the names of the key and button codes (input/keycodes.h),
 * for the log lines ("[input] key KEY_A down"): expanded from
 * INPUT_KEY_LIST, so a code and its name are written once.
 * Pure code: the host tests link it.
 */
#include <stddef.h>

#include "input/keycodes.h"

struct key_name {
    unsigned code;
    const char *name;
};

#define INPUT_KEY_NAME(name, value) { value, #name },
static const struct key_name names[] = { INPUT_KEY_LIST(INPUT_KEY_NAME) };
#undef INPUT_KEY_NAME

const char *input_key_name(unsigned code)
{
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (names[i].code == code)
            return names[i].name;
    return NULL;
}
