/*
 * prompt.c - the prompt's backslash escapes (prompt.h): /etc/profile sets
 * PS1 to '\u@HOST:\w\$ ', which tsh shows as "root@tessera:~# ".
 */
#define _POSIX_C_SOURCE 200809L
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "mem.h"
#include "prompt.h"
#include "shell.h"

/* The user's name: $USER, else the password file's name for the uid, else the uid. */
static void add_user(struct strbuf *sb)
{
    const char *user = var_get("USER");
    struct passwd *pw;
    char uid[24];

    if (user && *user) {
        sb_adds(sb, user);
    } else if ((pw = getpwuid(geteuid()))) {
        sb_adds(sb, pw->pw_name);
    } else {
        snprintf(uid, sizeof uid, "%d", (int)geteuid());
        sb_adds(sb, uid);
    }
}

/* The host name: $HOSTNAME, else uname's; whole or up to the first dot. */
static void add_host(struct strbuf *sb, bool whole)
{
    const char *host = var_get("HOSTNAME");
    struct utsname u;

    if (!host || !*host)
        host = uname(&u) == 0 ? u.nodename : "?";
    sb_add(sb, host, whole || !strchr(host, '.') ? strlen(host) : (size_t)(strchr(host, '.') - host));
}

/* The working folder, ~ for $HOME and below it; only its last part when last_only. */
static void add_folder(struct strbuf *sb, bool last_only)
{
    char cwd[4096];
    const char *home = var_get("HOME"), *shown = cwd;
    size_t hl = home ? strlen(home) : 0;

    if (!getcwd(cwd, sizeof cwd)) {
        sb_addc(sb, '?');
        return;
    }
    if (last_only) {
        const char *slash = strrchr(cwd, '/');
        sb_adds(sb, slash && slash[1] ? slash + 1 : cwd);
        return;
    }
    if (hl > 1 && !strncmp(cwd, home, hl) && (cwd[hl] == '/' || !cwd[hl])) {
        sb_addc(sb, '~');
        shown = cwd + hl;
    }
    sb_adds(sb, shown);
}

char *prompt_expand(const char *ps)
{
    struct strbuf sb = { 0 };

    for (const char *p = ps; *p; p++) {
        if (*p != '\\' || !p[1]) {
            sb_addc(&sb, *p);
            continue;
        }
        switch (*++p) {
        case 'u': add_user(&sb); break;
        case 'h': add_host(&sb, false); break;
        case 'H': add_host(&sb, true); break;
        case 'w': add_folder(&sb, false); break;
        case 'W': add_folder(&sb, true); break;
        case '$': sb_addc(&sb, geteuid() == 0 ? '#' : '$'); break;
        case '\\': sb_addc(&sb, '\\'); break;
        default: sb_addc(&sb, '\\'); sb_addc(&sb, *p); break;
        }
    }
    return sb_take(&sb);
}
