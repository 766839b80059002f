/*
 * mutant.h - switches that remove one feature, for `make mutants`.
 *
 * A test proves a feature only if it fails when the feature is gone.
 * `make mutants` (tests/mutants.sh) builds the kernel once per entry of
 * tests/mutants.list with MUTANT=NAME (the build then defines MUTANT_NAME
 * to 1), boots the tests the list names for it, and fails if they all
 * pass: the mutant survived.
 *
 * A site is one line where the feature is decided, e.g.
 *     if (MUTANT_ENABLED(aging))
 *         return;                         (no aging)
 * MUTANT_ENABLED(name) is the constant 1 only in the kernel built with
 * MUTANT=name, the constant 0 in every other build, so the compiler
 * removes the site from the real kernel. The test for "defined as 1" is
 * the one Linux's IS_ENABLED uses: MUTANT_name expands to 1 or stays a
 * bare word, and only "1" pastes into a placeholder holding a comma.
 *
 * Rules: a site changes behaviour only (never a layout); its name is the
 * feature, as tests/mutants.list spells it.
 */
#pragma once

#define MUTANT_PLACEHOLDER_1 0,
#define MUTANT_SECOND_(ignored, val, ...) val
#define MUTANT_SECOND(arg) MUTANT_SECOND_(arg 1, 0, ~)
#define MUTANT_PASTE(val) MUTANT_SECOND(MUTANT_PLACEHOLDER_##val)
#define MUTANT_VALUE(x) MUTANT_PASTE(x)

/* 1 in the kernel built with MUTANT=name, 0 otherwise (a constant). */
#define MUTANT_ENABLED(name) MUTANT_VALUE(MUTANT_##name)
