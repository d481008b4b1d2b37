# Command line conventions: help, version, usage errors and exit codes.
. "$(dirname "$0")/lib.sh"

run --version; expect_code 0 version; expect_out "kizuna " version
run --help; expect_code 0 help; expect_out "Commands:" help
for cmd in query load export stats; do
  run "$cmd" --help; expect_code 0 "$cmd --help"; expect_out "Usage: kizuna $cmd" "$cmd --help"
done
run; expect_code 2 "no command"
run frobnicate; expect_code 2 "unknown command"; expect_err "unknown command 'frobnicate'" "unknown command"
run query --bogus -e 'ASK {}'; expect_code 2 "unknown option"; expect_err "unknown option '--bogus'" "unknown option"
run query -e; expect_code 2 "missing value"; expect_err "needs a value" "missing value"
run query; expect_code 2 "no query"
run query -f yaml -e 'ASK {}' --data "$FX/small.ttl"; expect_code 2 "unknown format"
run load; expect_code 2 "load without files"
run export extra; expect_code 2 "export with argument"
run query --store 'postgres:db' -e 'ASK {}'; expect_code 1 "bad store spec"
expect_err "unknown store" "bad store spec"; expect_one_line_err "bad store spec"
finish
