/*
 * bootrules.c - the names and texts of the loaders' rules (bootrules.h),
 * for the UEFI loader's messages and the host tests. The BIOS loader gets
 * the same strings from build/gen/bootrules.inc.
 */
#include "bootrules.h"

struct rule_words {
    const char *name;
    const char *text;
};

static const struct rule_words rules[BOOTRULE_COUNT] = {
    [BOOTRULE_OK] = { "ok", "no rule broken" },
#define BOOTRULE_WORDS(id, name, text) [BOOTRULE_##id] = { name, text },
    BOOTRULES_CFG(BOOTRULE_WORDS)
    BOOTRULES_ELF(BOOTRULE_WORDS)
#undef BOOTRULE_WORDS
};

const char *bootrule_name(int rule)
{
    return rule >= 0 && rule < BOOTRULE_COUNT ? rules[rule].name : "?";
}

const char *bootrule_text(int rule)
{
    return rule >= 0 && rule < BOOTRULE_COUNT ? rules[rule].text : "?";
}
