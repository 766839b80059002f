/*
 * passwd.c - root's entry in /etc/passwd: the shell each terminal's login
 * runs and its home folder. The shell is taken from the file, never built
 * in, so changing root's shell is a one-line edit of /etc/passwd. Without
 * the file, or without a root line, /bin/sh and / (and a message).
 *
 * A line is Linux's: name:password:uid:gid:comment:home:shell.
 */
#include <stdio.h>
#include <string.h>

#include "init.h"

#define PASSWD_FIELDS   7

/* Split line at ':' into at most PASSWD_FIELDS fields; the count. */
static int split_fields(char *line, char *field[PASSWD_FIELDS])
{
    int n = 0;

    line[strcspn(line, "\r\n")] = 0;
    field[n++] = line;
    for (char *p = line; *p && n < PASSWD_FIELDS; p++)
        if (*p == ':') {
            *p = 0;
            field[n++] = p + 1;
        }
    return n;
}

void passwd_root(struct login_user *u)
{
    char line[512], *field[PASSWD_FIELDS];
    FILE *f = fopen("/etc/passwd", "r");

    snprintf(u->shell, sizeof u->shell, "/bin/sh");
    snprintf(u->home, sizeof u->home, "/");
    if (!f) {
        init_log("/etc/passwd: cannot open it; root's shell is /bin/sh");
        return;
    }
    while (fgets(line, sizeof line, f))
        if (split_fields(line, field) == PASSWD_FIELDS && strcmp(field[0], "root") == 0) {
            if (field[6][0])
                snprintf(u->shell, sizeof u->shell, "%s", field[6]);
            if (field[5][0])
                snprintf(u->home, sizeof u->home, "%s", field[5]);
            fclose(f);
            return;
        }
    fclose(f);
    init_log("/etc/passwd: no line for root; root's shell is /bin/sh");
}
