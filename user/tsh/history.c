/*
 * history.c - the history (history.h): a ring of the last HISTORY_MAX
 * lines, and the file they are appended to.
 */
#define _POSIX_C_SOURCE 200809L
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "history.h"
#include "mem.h"
#include "run.h"
#include "shell.h"

static char *lines[HISTORY_MAX];
static int first, count;                    /* lines[first] is the oldest */

static void remember(const char *line)
{
    if (count == HISTORY_MAX) {
        free(lines[first]);
        lines[first] = xstrdup(line);
        first = (first + 1) % HISTORY_MAX;
    } else {
        lines[(first + count++) % HISTORY_MAX] = xstrdup(line);
    }
}

void history_load(const char *path)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    size_t len;
    char *text, *line, *next;

    if (fd < 0)
        return;
    text = run_read_all(fd, &len);
    close(fd);
    for (line = text; *line; line = next) {
        next = strchr(line, '\n');
        next = next ? (*next = 0, next + 1) : line + strlen(line);
        if (*line)
            remember(line);
    }
    free(text);
}

void history_add(const char *line, const char *path)
{
    int fd;

    if (!*line || strchr(line, '\n') || (count && !strcmp(history_get(count - 1), line)))
        return;
    remember(line);
    if (path && (fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600)) >= 0) {
        out_str(fd, line);
        out_str(fd, "\n");
        close(fd);
    }
}

int history_count(void)
{
    return count;
}

const char *history_get(int i)
{
    return i >= 0 && i < count ? lines[(first + i) % HISTORY_MAX] : NULL;
}

int history_search(const char *text, int before)
{
    for (int i = before - 1; i >= 0; i--)
        if (strstr(history_get(i), text))
            return i;
    return -1;
}
