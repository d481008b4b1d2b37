/**
 * @file kizuna.h
 * @brief libkizuna: a knowledge-graph engine over Redland. Includes every
 * public header.
 */
#ifndef KIZUNA_KIZUNA_H
#define KIZUNA_KIZUNA_H

#include "kizuna/catalog.h"
#include "kizuna/infer.h"
#include "kizuna/query.h"
#include "kizuna/resolve.h"
#include "kizuna/results.h"
#include "kizuna/status.h"
#include "kizuna/store.h"
#include "kizuna/term.h"
#include "kizuna/validate.h"
#include "kizuna/version.h"

#endif
