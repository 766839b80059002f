/*
 * version.h - the kernel's name and version, as printed on its first line.
 */
#pragma once

#define TESSERA_NAME    "Tessera"
#define TESSERA_VERSION "0.1"
