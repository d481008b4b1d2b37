/**
 * @file version.h
 * @brief The library's version.
 */
#ifndef KIZUNA_VERSION_H
#define KIZUNA_VERSION_H

#ifdef __cplusplus
extern "C" {
#endif

#define KZ_VERSION_STRING "0.1.0"

/** The version of the library the program runs with, e.g. "0.1.0". */
const char *kz_version(void);

#ifdef __cplusplus
}
#endif
#endif
