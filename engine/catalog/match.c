/*
 * Matching questions against catalogue phrases.
 *
 * A phrase is a PCRE2 pattern matched against the whole question, caseless
 * and in UTF mode. Before compiling, {placeholders} are replaced by families
 * of everyday words, so that one phrase accepts "labs", "laboratory" and
 * "joint research centres", "involving", "involve" and "with". The question
 * is tidied first: spaces collapsed, trailing punctuation and quotes dropped.
 *
 * When several phrases match, the one that leaves the least text to its
 * parameters wins: it explained more of the question. Among those that
 * leave as much, the more specific phrase wins: the one that spells out
 * more of the question in its own words rather than with word families
 * ("DAE's institutes" is the units-of phrase "(?<agency>.+?)'s institutes"
 * rather than the joint-labs phrase "(?<agency>.+?)'s {labs}", although
 * {labs} has "institutes" too). To measure it, each expanded placeholder
 * is a capturing group: the letters and digits of the question outside
 * every capturing group (parameters and placeholders) are the phrase's own
 * words. (Phrases use named groups for parameters and (?:...) otherwise.)
 * When none matches, the examples that share the most words with the
 * question are suggested, and kept in the kz_match as data.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "catalog/catalog_internal.h"
#include "core/internal.h"

static const struct {
  const char *name;
  const char *pattern;
} placeholders[] = {
    /* optional openings: "show me", "list all", "what are the", "which" */
    {"lead", "(?:(?:please\\s+)?(?:(?:can|could|would)\\s+you\\s+)?(?:show(?:\\s+me)?|list|give(?:\\s+me)?|"
             "find|get|tell\\s+me|display|what|which|who|name)(?:\\s+(?:are|is|were|was|all|of))*\\s+)?"},
    {"the", "(?:(?:all|the|a|an|every|any|each|of)\\s+)*"},
    {"labs", "(?:joint\\s+)?(?:research\\s+)?(?:lab|labs|laborator(?:y|ies)|cent(?:er|re)s?|"
             "institutes?)"},
    {"projects", "(?:joint\\s+)?(?:research\\s+)?(?:projects?|programmes?|programs?|initiatives?|"
                 "schemes?)"},
    {"agreements", "(?:agreements?|mo[uc]s?|memorand(?:um|a)(?:\\s+of\\s+(?:understanding|"
                   "cooperation))?|lois?|letters?\\s+of\\s+intent|accords?|arrangements?|"
                   "treat(?:y|ies)|pacts?|deals?)"},
    {"involving", "(?:involving|involves?|involved|with|of|for|including|includes?|by|at|from|"
                  "that\\s+involves?|which\\s+involves?|in\\s+which)"},
    {"countries", "(?:partner\\s+)?(?:countries|country|nations?|partners?)"},
    {"domains", "(?:research\\s+)?(?:domains?|areas?|fields?|topics?|subjects?|sectors?|"
                "disciplines?)"},
    {"agencies", "(?:agenc(?:y|ies)|organi[sz]ations?|institutions?|institutes?|bodies|body|"
                 "ministr(?:y|ies)|departments?|councils?|universit(?:y|ies))"},
    {"between", "(?:between|among|amongst|of)"},
    {"and", "(?:and|&|with|\\+)"},
    {"signed", "(?:(?:were|was|have\\s+been|has\\s+been|been)\\s+)?(?:signed|concluded|made|agreed|entered)"},
    {"in", "(?:in|on|for|about|regarding|concerning|related\\s+to|around)"},
    {"does", "(?:does|do|did|has|have|had|is|are|was|were)"},
    /* a date: ISO (2015, 2015-03, 2015-03-29) or with the month's name
     * ("March 2015", "Oct. 2018", "29 October 2018", "October 29th, 2018") */
    {"date", "(?:\\d{4}(?:-\\d\\d){0,2}|(?:\\d{1,2}(?:st|nd|rd|th)?\\s+)?"
             "(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
             "sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\\.?"
             "(?:\\s+\\d{1,2}(?:st|nd|rd|th)?,?)?\\s+\\d{4})"},
    {"take_part", "(?:take\\s+part\\s+in|takes\\s+part\\s+in|took\\s+part\\s+in|participate\\s+in|"
                  "participates\\s+in|participated\\s+in|(?:is|are|was|were)?\\s*involved\\s+in|"
                  "join(?:ed)?|involve)"},
};

void kz_phrase_free(kz_phrase *phrase) {
  free(phrase->source);
  pcre2_code_free(phrase->regex);
  memset(phrase, 0, sizeof *phrase);
}

kz_status kz_phrase_compile(kz_phrase *phrase, const char *source, const char *path,
                            long line, kz_error *err) {
  char *expanded = NULL;
  size_t size = 0;
  FILE *m = open_memstream(&expanded, &size);
  if (!m)
    return kz_fail(err, KZ_ERR_NOMEM, path, line, 0, "out of memory");
  for (const char *p = source; *p; p++) {
    if (*p == '{' && isalpha((unsigned char)p[1])) {
      const char *close = strchr(p, '}');
      size_t n = close ? (size_t)(close - p - 1) : 0;
      size_t i = 0;
      for (; close && i < sizeof placeholders / sizeof placeholders[0]; i++)
        if (strlen(placeholders[i].name) == n && strncmp(placeholders[i].name, p + 1, n) == 0)
          break;
      if (!close || i == sizeof placeholders / sizeof placeholders[0]) {
        fclose(m);
        free(expanded);
        return kz_fail(err, KZ_ERR_SYNTAX, path, line, 0, "unknown placeholder in phrase '%s'",
                       source);
      }
      /* a capturing group, to tell family words from the phrase's own */
      fputc('(', m);
      fputs(placeholders[i].pattern, m);
      fputc(')', m);
      p = close;
      continue;
    }
    fputc(*p, m);
  }
  fclose(m);
  int code = 0;
  PCRE2_SIZE offset = 0;
  phrase->regex = pcre2_compile((PCRE2_SPTR)expanded, PCRE2_ZERO_TERMINATED,
                                PCRE2_CASELESS | PCRE2_UTF | PCRE2_ANCHORED | PCRE2_ENDANCHORED,
                                &code, &offset, NULL);
  free(expanded);
  if (!phrase->regex) {
    PCRE2_UCHAR message[256];
    pcre2_get_error_message(code, message, sizeof message);
    return kz_fail(err, KZ_ERR_SYNTAX, path, line, 0, "bad phrase '%s': %s", source,
                   (const char *)message);
  }
  phrase->source = kz_strdup(source);
  return phrase->source ? KZ_OK : kz_fail(err, KZ_ERR_NOMEM, path, line, 0, "out of memory");
}

/* One candidate: an entry and the values its phrase captured. */
typedef struct candidate {
  const kz_catalog_entry *entry;
  kz_param *params;
  char **values;
  size_t count;
  size_t left;    /* characters left to parameters */
  size_t literal; /* letters and digits matched by the phrase's own words */
} candidate;

#define MAX_CLOSEST 3

struct kz_match {
  candidate *items;
  size_t count;
  /* nothing matched: the closest examples, borrowed from the catalogue */
  const char *closest[MAX_CLOSEST];
  const kz_catalog_entry *closest_entries[MAX_CLOSEST];
  size_t closest_count;
};

static void candidate_clear(candidate *c) {
  for (size_t i = 0; i < c->count; i++)
    free(c->values[i]);
  free(c->values);
  free(c->params);
}

void kz_match_free(kz_match *match) {
  if (!match)
    return;
  for (size_t i = 0; i < match->count; i++)
    candidate_clear(&match->items[i]);
  free(match->items);
  free(match);
}

size_t kz_match_count(const kz_match *match) { return match->count; }
const kz_catalog_entry *kz_match_entry(const kz_match *match, size_t i) {
  return i < match->count ? match->items[i].entry : NULL;
}
size_t kz_match_param_count(const kz_match *match, size_t i) {
  return i < match->count ? match->items[i].count : 0;
}
const kz_param *kz_match_params(const kz_match *match, size_t i) {
  return i < match->count ? match->items[i].params : NULL;
}
size_t kz_match_closest_count(const kz_match *match) { return match->closest_count; }
const char *kz_match_closest(const kz_match *match, size_t i) {
  return i < match->closest_count ? match->closest[i] : NULL;
}
const kz_catalog_entry *kz_match_closest_entry(const kz_match *match, size_t i) {
  return i < match->closest_count ? match->closest_entries[i] : NULL;
}

/* The question without extra spaces, surrounding quotes or end punctuation. */
static char *tidy(const char *question) {
  char *text = malloc(strlen(question) + 1);
  if (!text)
    return NULL;
  char *out = text;
  int space = 1;
  for (const char *p = question; *p; p++) {
    if (isspace((unsigned char)*p)) {
      if (!space)
        *out++ = ' ';
      space = 1;
    } else {
      *out++ = *p;
      space = 0;
    }
  }
  *out = '\0';
  /* Trailing words that ask for what every answer does anyway. */
  static const char *const endings[] = {
      ", in order", " in order", ", in date order", " in date order", " in chronological order",
      ", chronologically", " chronologically", ", by date", " by date", ", oldest first",
      " oldest first", ", please", " please"};
  for (int again = 1; again;) {
    again = 0;
    while (out > text && strchr(" ?.!\"',", out[-1]))
      *--out = '\0';
    for (size_t i = 0; i < sizeof endings / sizeof endings[0]; i++) {
      size_t n = strlen(endings[i]);
      if ((size_t)(out - text) > n && strcasecmp(out - n, endings[i]) == 0) {
        out -= n;
        *out = '\0';
        again = 1;
      }
    }
  }
  if (*text == '"' || *text == '\'')
    memmove(text, text + 1, strlen(text));
  return text;
}

/* A captured name, without surrounding spaces, quotes and punctuation. */
static char *clean_capture(const char *s, size_t n) {
  while (n && strchr(" \"'", *s)) {
    s++;
    n--;
  }
  while (n && strchr(" \"',;:", s[n - 1]))
    n--;
  char *copy = malloc(n + 1);
  if (copy) {
    memcpy(copy, s, n);
    copy[n] = '\0';
  }
  return copy;
}

/* The letters and digits of text outside every capturing group of the
 * match: what the phrase matched with its own words. */
static size_t literal_count(const char *text, pcre2_match_data *data) {
  PCRE2_SIZE *ovector = pcre2_get_ovector_pointer(data);
  uint32_t pairs = pcre2_get_ovector_count(data);
  size_t count = 0;
  for (size_t k = 0; text[k]; k++) {
    if (!isalnum((unsigned char)text[k]))
      continue;
    int inside = 0;
    for (uint32_t g = 1; g < pairs && !inside; g++)
      inside = ovector[2 * g] != PCRE2_UNSET && ovector[2 * g] <= k && k < ovector[2 * g + 1];
    count += !inside;
  }
  return count;
}

/* Fills c from a successful match; 0, or -1 on out of memory. Optional
 * parameters the phrase does not capture are left out. */
static int make_candidate(candidate *c, const kz_catalog_entry *entry, const kz_phrase *phrase,
                          const char *text, pcre2_match_data *data) {
  c->entry = entry;
  c->params = calloc(entry->param_count ? entry->param_count : 1, sizeof *c->params);
  c->values = calloc(entry->param_count ? entry->param_count : 1, sizeof *c->values);
  if (!c->params || !c->values)
    return -1;
  PCRE2_SIZE *ovector = pcre2_get_ovector_pointer(data);
  for (size_t i = 0; i < entry->param_count; i++) {
    int group = pcre2_substring_number_from_name(phrase->regex, (PCRE2_SPTR)entry->params[i].name);
    if (group < 0)
      continue;
    PCRE2_SIZE start = ovector[2 * group], end = ovector[2 * group + 1];
    char *value = start == PCRE2_UNSET ? kz_strdup("") : clean_capture(text + start, end - start);
    if (!value)
      return -1;
    c->values[c->count] = value;
    c->params[c->count++] = (kz_param){entry->params[i].name, value};
    /* text captured by two parameters at once ("in 2015" is from and to)
     * is left to them once */
    int again = 0;
    for (size_t k = 0; k < i && !again; k++) {
      int other = pcre2_substring_number_from_name(phrase->regex, (PCRE2_SPTR)entry->params[k].name);
      again = other >= 0 && ovector[2 * other] == start && ovector[2 * other + 1] == end;
    }
    if (!again)
      c->left += strlen(value);
  }
  c->literal = literal_count(text, data);
  return 0;
}

/* Same entry and values: the same answer, from another phrase. */
static int same_candidate(const candidate *a, const candidate *b) {
  if (a->entry != b->entry)
    return 0;
  if (a->count != b->count)
    return 0;
  for (size_t i = 0; i < a->count; i++)
    if (strcmp(a->params[i].name, b->params[i].name) != 0 ||
        strcmp(a->values[i], b->values[i]) != 0)
      return 0;
  return 1;
}

static int compare_candidates(const void *x, const void *y) {
  const candidate *a = x, *b = y;
  if (a->left != b->left)
    return a->left < b->left ? -1 : 1;
  if (a->literal != b->literal)
    return a->literal > b->literal ? -1 : 1;
  return strcmp(a->entry->name, b->entry->name);
}

/* Words (3+ letters, lower-cased) that the question and an example share. */
static int shared_words(const char *a, const char *b) {
  int shared = 0;
  const char *p = a;
  while (*p) {
    while (*p && !isalnum((unsigned char)*p))
      p++;
    const char *start = p;
    while (isalnum((unsigned char)*p))
      p++;
    size_t n = (size_t)(p - start);
    if (n < 3)
      continue;
    for (const char *q = b; *q;) {
      while (*q && !isalnum((unsigned char)*q))
        q++;
      const char *word = q;
      while (isalnum((unsigned char)*q))
        q++;
      /* a common prefix of 4+ letters counts: "lab" ~ "labs", "agree" ~ "agreements" */
      size_t common = 0;
      while (common < n && word + common < q && tolower((unsigned char)start[common]) ==
                                                     tolower((unsigned char)word[common]))
        common++;
      if (common == n || common >= 4) {
        shared++;
        break;
      }
    }
  }
  return shared;
}

/* Nothing matched: name the three examples closest to the question (one per
 * entry, by shared words), and keep them in match. */
static kz_status no_match(kz_match *match, const kz_catalog *catalog, const char *question,
                          kz_error *err) {
  const char *best[MAX_CLOSEST] = {NULL, NULL, NULL};
  const kz_catalog_entry *entries[MAX_CLOSEST] = {NULL, NULL, NULL};
  int scores[MAX_CLOSEST] = {0, 0, 0};
  for (size_t i = 0; i < catalog->count; i++) {
    const char *example = NULL;
    int score = 0;
    for (size_t k = 0; k < catalog->entries[i].example_count; k++) {
      int shared = shared_words(question, catalog->entries[i].examples[k]);
      if (shared > score) {
        score = shared;
        example = catalog->entries[i].examples[k];
      }
    }
    for (int slot = 0; example && slot < MAX_CLOSEST; slot++) {
      if (score > scores[slot]) {
        for (int move = MAX_CLOSEST - 1; move > slot; move--) {
          scores[move] = scores[move - 1];
          best[move] = best[move - 1];
          entries[move] = entries[move - 1];
        }
        scores[slot] = score;
        best[slot] = example;
        entries[slot] = &catalog->entries[i];
        break;
      }
    }
  }
  char list[768] = "";
  for (int i = 0; i < MAX_CLOSEST && best[i]; i++) {
    size_t used = strlen(list);
    snprintf(list + used, sizeof list - used, "%s\"%s\"", i ? ", " : "", best[i]);
    match->closest[i] = best[i];
    match->closest_entries[i] = entries[i];
    match->closest_count++;
  }
  if (!best[0])
    return kz_fail(err, KZ_ERR_NOT_FOUND, NULL, 0, 0,
                   "no catalogue question matches \"%s\" (see 'kizuna run --list')", question);
  return kz_fail(err, KZ_ERR_NOT_FOUND, NULL, 0, 0,
                 "no catalogue question matches \"%s\"; closest: %s", question, list);
}

kz_status kz_catalog_match(kz_match **out, const kz_catalog *catalog, const char *question,
                           kz_error *err) {
  *out = NULL;
  char *text = tidy(question);
  kz_match *match = calloc(1, sizeof *match);
  pcre2_match_data *data = NULL;
  kz_status status = text && match ? KZ_OK : KZ_ERR_NOMEM;
  for (size_t i = 0; status == KZ_OK && i < catalog->count; i++) {
    const kz_catalog_entry *entry = &catalog->entries[i];
    for (size_t k = 0; status == KZ_OK && k < entry->phrase_count; k++) {
      const kz_phrase *phrase = &entry->phrases[k];
      pcre2_match_data_free(data);
      data = pcre2_match_data_create_from_pattern(phrase->regex, NULL);
      if (!data) {
        status = KZ_ERR_NOMEM;
        break;
      }
      if (pcre2_match(phrase->regex, (PCRE2_SPTR)text, strlen(text), 0, 0, data, NULL) < 0)
        continue;
      candidate c = {0};
      candidate *grown = realloc(match->items, (match->count + 1) * sizeof *grown);
      if (!grown || make_candidate(&c, entry, phrase, text, data) != 0) {
        if (grown)
          match->items = grown;
        candidate_clear(&c);
        status = KZ_ERR_NOMEM;
        break;
      }
      match->items = grown;
      int empty = 0, seen = 0;
      for (size_t p = 0; p < c.count; p++)
        empty |= !*c.values[p];
      for (size_t m = 0; m < match->count; m++)
        seen |= same_candidate(&match->items[m], &c);
      for (size_t m = 0; m < match->count; m++) /* the better phrase's measure */
        if (same_candidate(&match->items[m], &c) && c.literal > match->items[m].literal)
          match->items[m].literal = c.literal;
      if (empty || seen)
        candidate_clear(&c);
      else
        match->items[match->count++] = c;
    }
  }
  pcre2_match_data_free(data);
  if (status == KZ_OK && !match->count)
    status = no_match(match, catalog, text, err);
  else if (status == KZ_ERR_NOMEM)
    kz_fail(err, status, NULL, 0, 0, "out of memory");
  free(text);
  if (status != KZ_OK && status != KZ_ERR_NOT_FOUND) {
    kz_match_free(match);
    return status;
  }
  if (match->count)
    qsort(match->items, match->count, sizeof *match->items, compare_candidates);
  *out = match;
  return status;
}
