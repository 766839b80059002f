/*
 * timeline_rows.c - /proc/timeline's rows parsed (timeline.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "timeline.h"
#include "tools.h"

#define PREFIX "timeline: "

/* One row "timeline: NAME T ticks U us  (at A us)": 0, or -1 when it is not one. The name
 * may hold spaces ("kernel entry"), so the numbers are found from the right. */
static int parse_row(const char *line, size_t len, struct timeline_row *r)
{
    char copy[256], *at, *ticks_word;
    size_t name_len;

    if (len >= sizeof copy || strncmp(line, PREFIX, strlen(PREFIX)) != 0)
        return -1;
    memcpy(copy, line, len);
    copy[len] = 0;
    if (!(at = strstr(copy, "  (at ")) || sscanf(at, "  (at %llu us)", (unsigned long long *)&r->at_us) != 1)
        return -1;
    *at = 0;
    if (!(ticks_word = strstr(copy, " ticks ")))
        return -1;
    if (sscanf(ticks_word, " ticks %llu us", (unsigned long long *)&r->us) != 1)
        return -1;
    while (ticks_word > copy && ticks_word[-1] != ' ')      /* back over the tick count */
        ticks_word--;
    if (sscanf(ticks_word, "%llu", (unsigned long long *)&r->ticks) != 1)
        return -1;
    name_len = (size_t)(ticks_word - copy) - strlen(PREFIX);
    while (name_len && copy[strlen(PREFIX) + name_len - 1] == ' ')
        name_len--;
    if (!name_len || name_len >= sizeof r->name)
        return -1;
    memcpy(r->name, copy + strlen(PREFIX), name_len);
    r->name[name_len] = 0;
    return 0;
}

struct timeline_row *timeline_parse(const char *text, unsigned *n)
{
    struct timeline_row *rows = NULL;
    unsigned count = 0, line_no = 0;

    for (const char *line = text; *line; ) {
        const char *end = strchr(line, '\n');
        size_t len = end ? (size_t)(end - line) : strlen(line);

        line_no++;
        if (!(rows = realloc(rows, (count + 1) * sizeof *rows)))
            tool_fail("out of memory");
        if (parse_row(line, len, &rows[count]) != 0)
            tool_fail("line %u of the timeline is not a row: \"%.*s\"", line_no, (int)(len > 80 ? 80 : len), line);
        count++;
        line += len + (end != NULL);
    }
    *n = count;
    return rows;
}

unsigned timeline_kernel_entry(const struct timeline_row *rows, unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        if (strcmp(rows[i].name, "kernel entry") == 0)
            return i;
    return n;
}
