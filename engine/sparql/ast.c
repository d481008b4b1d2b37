/*
 * What the AST and the algebra share at run time: the names of the
 * expression operators, as the algebra printer writes them (Jena's SSE
 * spellings), and the test for aggregates. The table is indexed by
 * kz_sparql_op, so its order must follow the enumeration in ast.h; a
 * static assertion below checks its length.
 */
#include "sparql/ast.h"

static const char *const op_names[] = {
    [KZ_OP_CONSTANT] = "", [KZ_OP_VARIABLE] = "",
    [KZ_OP_OR] = "||", [KZ_OP_AND] = "&&",
    [KZ_OP_EQ] = "=", [KZ_OP_NE] = "!=", [KZ_OP_LT] = "<", [KZ_OP_GT] = ">",
    [KZ_OP_LE] = "<=", [KZ_OP_GE] = ">=",
    [KZ_OP_IN] = "in", [KZ_OP_NOT_IN] = "notin",
    [KZ_OP_ADD] = "+", [KZ_OP_SUBTRACT] = "-", [KZ_OP_MULTIPLY] = "*", [KZ_OP_DIVIDE] = "/",
    [KZ_OP_NOT] = "!", [KZ_OP_UNARY_PLUS] = "+", [KZ_OP_UNARY_MINUS] = "-",
    [KZ_OP_STR] = "str", [KZ_OP_LANG] = "lang", [KZ_OP_LANGMATCHES] = "langMatches",
    [KZ_OP_DATATYPE] = "datatype", [KZ_OP_BOUND] = "bound", [KZ_OP_IRI] = "iri",
    [KZ_OP_URI] = "uri", [KZ_OP_BNODE] = "bnode", [KZ_OP_RAND] = "rand", [KZ_OP_ABS] = "abs",
    [KZ_OP_CEIL] = "ceil", [KZ_OP_FLOOR] = "floor", [KZ_OP_ROUND] = "round",
    [KZ_OP_CONCAT] = "concat", [KZ_OP_SUBSTR] = "substr", [KZ_OP_STRLEN] = "strlen",
    [KZ_OP_REPLACE] = "replace", [KZ_OP_UCASE] = "ucase", [KZ_OP_LCASE] = "lcase",
    [KZ_OP_ENCODE_FOR_URI] = "encode_for_uri", [KZ_OP_CONTAINS] = "contains",
    [KZ_OP_STRSTARTS] = "strstarts", [KZ_OP_STRENDS] = "strends",
    [KZ_OP_STRBEFORE] = "strbefore", [KZ_OP_STRAFTER] = "strafter", [KZ_OP_YEAR] = "year",
    [KZ_OP_MONTH] = "month", [KZ_OP_DAY] = "day", [KZ_OP_HOURS] = "hours",
    [KZ_OP_MINUTES] = "minutes", [KZ_OP_SECONDS] = "seconds", [KZ_OP_TIMEZONE] = "timezone",
    [KZ_OP_TZ] = "tz", [KZ_OP_NOW] = "now", [KZ_OP_UUID] = "uuid", [KZ_OP_STRUUID] = "struuid",
    [KZ_OP_MD5] = "md5", [KZ_OP_SHA1] = "sha1", [KZ_OP_SHA256] = "sha256",
    [KZ_OP_SHA384] = "sha384", [KZ_OP_SHA512] = "sha512", [KZ_OP_COALESCE] = "coalesce",
    [KZ_OP_IF] = "if", [KZ_OP_STRLANG] = "strlang", [KZ_OP_STRDT] = "strdt",
    [KZ_OP_SAMETERM] = "sameTerm", [KZ_OP_ISIRI] = "isIRI", [KZ_OP_ISURI] = "isURI",
    [KZ_OP_ISBLANK] = "isBlank", [KZ_OP_ISLITERAL] = "isLiteral",
    [KZ_OP_ISNUMERIC] = "isNumeric", [KZ_OP_REGEX] = "regex", [KZ_OP_EXISTS] = "exists",
    [KZ_OP_NOT_EXISTS] = "notexists", [KZ_OP_FUNCTION] = "",
    [KZ_OP_COUNT] = "count", [KZ_OP_SUM] = "sum", [KZ_OP_MIN] = "min", [KZ_OP_MAX] = "max",
    [KZ_OP_AVG] = "avg", [KZ_OP_SAMPLE] = "sample", [KZ_OP_GROUP_CONCAT] = "group_concat",
};

_Static_assert(sizeof op_names / sizeof op_names[0] == KZ_OP_GROUP_CONCAT + 1,
               "op_names must name every kz_sparql_op");

const char *kz_sparql_op_name(kz_sparql_op op) {
  if ((int)op < 0 || (size_t)op >= sizeof op_names / sizeof op_names[0] || !op_names[op])
    return "";
  return op_names[op];
}

bool kz_sparql_op_is_aggregate(kz_sparql_op op) {
  return op >= KZ_OP_COUNT && op <= KZ_OP_GROUP_CONCAT;
}
