# `kizuna ask` understands everyday phrasings of every catalogue question:
# word forms (involve/involves/involving), synonyms (lab/laboratory/joint
# research centre, agreement/MoU/memorandum), with/involving/of, articles,
# plurals, possessives, punctuation and question marks, case, and names as
# acronyms, full names, spellings and alternative labels ("IITH", "iit-h",
# "Indian Institute of Technology, Hyderabad", "IIT Hyderbad"), dates with
# month names and open ends ("since 2015"), and questions two phrases fit
# equally, where the more specific one must answer ("DAE's institutes").
# Each phrasing must give exactly the answer of the `kizuna run` it stands for.
. "$(dirname "$0")/lib.sh"
Q=${KZ_SOURCE_DIR:?}/queries

# Blocks: "> QUERY<TAB>KEY=VALUE..." (the run), then one phrasing a line.
cat >"$WORK/phrasings" <<'EOF'
> joint-labs-involving	agency=IIT Hyderabad
all joint labs involving IIT Hyderabad
Joint laboratories that involve IITH?
which labs does iit-h take part in
labs with Indian Institute of Technology, Hyderabad
IIT Hyderabad's joint labs.
show me the joint research centres of IIT-Hyderabad
list every joint lab involving the Indian Institute of Technology Hyderabad
joint lab involving IIT Hyderbad
which joint labs is IIT Hyderabad involved in?
labs where IITH is a partner
> agreements-of	agency=ICAR
agreements of ICAR
Which MoUs did ICAR sign?
all agreements involving the Indian Council of Agricultural Research
ICAR's agreements
memoranda of understanding signed by ICAR
what agreements has ICAR signed
list the MoUs with ICAR
which agreements has ICAR made?
agreements ICAR has signed
> agreements-between	agency=ISRO	other=JAXA
every agreement between ISRO and JAXA, in order
MoUs between ISRO & JAXA
agreements between the Indian Space Research Organisation and the Japan Aerospace Exploration Agency
which agreements did ISRO sign with JAXA?
ISRO-JAXA agreements
agreements involving both ISRO and JAXA
show me all arrangements between isro and jaxa
ISRO JAXA MoUs
what agreements has ISRO signed with JAXA
> agreements-signed	from=2014	to=2016
agreements signed between 2014 and 2016
Which agreements were signed from 2014 to 2016?
MoUs from 2014 to 2016
agreements signed in 2014 through 2016
list all agreements between 2014 and 2016
agreements concluded between 2014 and 2016, in date order
which MoUs were signed between 2014 and 2016
agreements signed from 2014 till 2016
> agreements-signed	from=2015	to=2015
agreements signed in 2015
which MoUs were signed in 2015?
all agreements from 2015
agreements of 2015
> agreements-signed	from=2015-03	to=2018-06
agreements signed between March 2015 and June 2018
MoUs from Mar 2015 to Jun 2018
which agreements were signed between March 2015 and June 2018?
agreements concluded from March 2015 until June 2018
agreements signed in Mar. 2015 through June 2018
> agreements-signed	from=2018-10	to=2018-10
agreements signed in Oct 2018
which MoUs were signed in October 2018?
agreements of Oct. 2018
all agreements from October 2018
> agreements-signed	from=2015
agreements signed since 2015
which MoUs have been signed since 2015?
agreements from 2015 onwards
all agreements since Jan 2015
> agreements-signed	to=2007
agreements signed until 2007
MoUs up to 2007
agreements till Dec 2007
> cooperation-with-country	country=Sri Lanka
cooperation with Sri Lanka
collaborations involving Sri-Lanka
how does India cooperate with Sri Lanka?
partnerships with Sri Lanka
India's ties with Sri Lanka
what cooperation is there with Sri Lanka
labs with Sri Lanka partners
> describe	thing=https://w3id.org/kizuna/id/agency/nims
describe https://w3id.org/kizuna/id/agency/nims
everything about <https://w3id.org/kizuna/id/agency/nims>
Details of https://w3id.org/kizuna/id/agency/nims?
tell me all about https://w3id.org/kizuna/id/agency/nims
describe <https://w3id.org/kizuna/id/agency/nims>.
describe NIMS
everything about the National Institute for Materials Science
details of nims?
> domains-of-country	country=Finland
domains of cooperation with Finland
which areas does India cooperate with Finland in?
in which fields does India work with Finland
Finland's research areas
research domains of Finland
what fields does India partner with Finland in
areas of collaboration with Finland
in what areas does India collaborate with Finland?
> events-of	agency=ISRO
meetings involving ISRO
which events did ISRO take part in
ISRO's meetings
events of the Indian Space Research Organisation
what events did ISRO organise?
all meetings with ISRO
which meetings did ISRO attend
> facilities
which international facilities does India take part in
research facilities
India's international facilities
list the mega-science facilities India participates in
in which facilities does India participate?
what international research facilities is India part of
international facilities India uses
> find	text=Hyderabad
find Hyderabad
search for Hyderabad
anything named Hyderabad
look up "Hyderabad"
what is Hyderabad?
everything called Hyderabad
> forums
which multilateral forums does India take part in
India's multilateral forums
what groupings is India part of
list all the forums India participates in
multilateral fora
which forums is India a member of?
international groupings India belongs to
> involving	agency=NIMS
everything involving NIMS
what does NIMS take part in
NIMS's activities
all things that involve the National Institute for Materials Science
what is NIMS involved in
everything NIMS does
what does NIMS Japan participate in?
> labs-in-domain	domain=materials science
joint labs in materials science
materials science labs
labs working on materials science
laboratories in the field of materials science
Which joint laboratories work on materials science?
joint research centres in materials science and technology
> parents-of	agency=BARC
what is BARC part of
parent bodies of BARC
who does BARC belong to
which organisations is the Bhabha Atomic Research Centre part of
hierarchy of BARC
the parent organisation of Bhabha Atomic Research Center
> partner-countries	domain=quantum technologies
which countries does India partner with in quantum technologies
partner countries in Quantum Technology
India's quantum technologies partners
which nations does India cooperate with on quantum technologies?
quantum partner countries
countries working with India in quantum
> projects-in-domain	domain=space science and technology
projects in space science and technology
space projects
programmes working on space science and technology
which projects are in space science and technology
list all the space science and technology programmes
research projects about outer space
> projects-involving	agency=JSPS
projects involving JSPS
which programmes does JSPS take part in
JSPS's projects
all research projects with the Japan Society for the Promotion of Science
projects that involve JSPS
which projects does JSPS fund?
> timeline	agency=ISRO
timeline of ISRO
ISRO's history
chronology of the Indian Space Research Organisation
history of ISRO, in order
dated events for ISRO
the timeline for isro, please
> units-of	agency=DAE
units of DAE
what is part of the Department of Atomic Energy
DAE's constituent units
constituent units of DAE
which institutions are under DAE?
institutions of the Department of Atomic Energy
what are the units of DAE?
which institutes of DAE
DAE's institutes
institutes of the Department of Atomic Energy
> agencies-of-country	country=Japan
agencies of Japan
Japanese institutions
which organisations from Japan
Japan's agencies
all organizations in Japan
institutions from Japan?
list the agencies of japan
EOF

# Each phrasing's answer ($WORK/out) is byte for byte the run's ($WORK/want).
declare -A count
query=
while IFS= read -r line; do
  if [ "${line:0:2}" = "> " ]; then
    IFS=$'\t' read -r -a f <<<"${line:2}"
    query=${f[0]}
    args=()
    for kv in "${f[@]:1}"; do args+=(-p "$kv"); done
    run run -f csv "$query" "${args[@]}"
    expect_code 0 "run $query ${f[*]:1}"
    cp "$WORK/out" "$WORK/want"
    checks=$((checks + 1))
    [ "$(wc -l <"$WORK/want")" -ge 2 ] || fail "run $query ${f[*]:1}: the answer is empty"
    continue
  fi
  run ask -f csv "$line"
  checks=$((checks + 1))
  if [ "$code" != 0 ]; then
    fail "'$line' should ask $query"
  elif ! cmp -s "$WORK/out" "$WORK/want"; then
    fail "'$line' does not give the answer of run $query"
    diff "$WORK/out" "$WORK/want" | head -5 >&2
  fi
  count[$query]=$((${count[$query]:-0} + 1))
done <"$WORK/phrasings"

# Every catalogue query has at least three phrasings.
for f in "$Q"/*.rq; do
  name=$(sed -n 's/^# name: //p' "$f")
  checks=$((checks + 1))
  [ "${count[$name]:-0}" -ge 3 ] || fail "$name has ${count[$name]:-0} phrasings, not 3"
done
finish
