#!/usr/bin/env python3
"""Deterministic generator of a synthetic cooperation graph, in N-Triples.

The graph uses the project's own vocabulary (ontology/kizuna.ttl) and the
instance IRIs of the bundled data (https://w3id.org/kizuna/id/<kind>/<slug>):

  countries   kz:Country, rdfs:label
  domains     kz:Domain, rdfs:label, skos:broader (two levels), skos:inScheme
  agencies    one tree per country under kz:partOf, rooted at the country's
              kz:Government; every country with enough agencies has spines 8
              to 12 levels deep, the rest hang anywhere above depth 12;
              rdfs:label, often skos:altLabel, kz:country
  agreements  a subclass of kz:Agreement, rdfs:label, 2-4 kz:party, kz:signedOn
              (xsd:date, more recent years more likely), kz:domain, kz:status
  joint labs  kz:JointLab, rdfs:label, 2-3 kz:involves, kz:hostedBy, often
              kz:underAgreement and kz:establishedOn
  projects    kz:Project, rdfs:label, 2-4 kz:involves, kz:ledBy, kz:domain,
              sometimes kz:underAgreement and kz:partOfCollaboration

Participation is skewed: a country is drawn with Zipf-like weights (India and
Japan first) and an agency within it by Zipf rank, so a few agencies (IIT
Hyderabad first among India's) take part in a large share of everything.

Fixed entities that the queries in bench/queries/ name always exist: IIT
Hyderabad at depth 5 of a 12-level chain under the Government of India
(through agency:ministry-of-education), NIMS under the Government of Japan,
their joint lab, domain:quantum-technologies, country:india and country:japan.

The output is exactly N triples (the last entity may be cut short) and depends
only on N and --seed: the generator draws from random.Random(seed).random()
alone, whose sequence Python keeps stable across versions.

Usage: generate.py --triples N [--seed S] [-o FILE]   (N accepts 10k, 1M, ...)
"""

import argparse
import bisect
import random
import sys

KZ = "https://w3id.org/kizuna/ontology#"
ID = "https://w3id.org/kizuna/id/"
RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
RDFS_LABEL = "<http://www.w3.org/2000/01/rdf-schema#label>"
SKOS = "http://www.w3.org/2004/02/skos/core#"
XSD_DATE = "http://www.w3.org/2001/XMLSchema#date"

# Countries of the bundled data; India and Japan come first and weigh most.
COUNTRIES = [
    ("india", "India"), ("japan", "Japan"), ("united-states", "United States"),
    ("germany", "Germany"), ("france", "France"), ("united-kingdom", "United Kingdom"),
    ("south-korea", "South Korea"), ("australia", "Australia"), ("russia", "Russia"),
    ("china", "China"), ("singapore", "Singapore"), ("israel", "Israel"),
    ("canada", "Canada"), ("italy", "Italy"), ("sweden", "Sweden"), ("brazil", "Brazil"),
    ("netherlands", "Netherlands"), ("switzerland", "Switzerland"), ("spain", "Spain"),
    ("finland", "Finland"), ("denmark", "Denmark"), ("norway", "Norway"),
    ("austria", "Austria"), ("belgium", "Belgium"), ("poland", "Poland"),
    ("portugal", "Portugal"), ("taiwan", "Taiwan"), ("thailand", "Thailand"),
    ("indonesia", "Indonesia"), ("south-africa", "South Africa"), ("mexico", "Mexico"),
    ("chile", "Chile"), ("egypt", "Egypt"), ("new-zealand", "New Zealand"),
    ("sri-lanka", "Sri Lanka"), ("peru", "Peru"), ("iceland", "Iceland"),
    ("slovenia", "Slovenia"), ("belarus", "Belarus"),
]

# Research domains: top concepts, each with narrower ones (slug, label).
DOMAINS = [
    (("physics", "Physics"), [("quantum-technologies", "Quantum technologies"),
                              ("photonics", "Photonics"), ("accelerator-science", "Accelerator science"),
                              ("astronomy", "Astronomy")]),
    (("engineering-sciences", "Engineering sciences"), [("materials-science", "Materials science"),
                                                        ("advanced-manufacturing", "Advanced manufacturing"),
                                                        ("robotics", "Robotics"), ("cryogenic-engineering", "Cryogenic engineering")]),
    (("information-and-communication-technology", "Information and communication technology"),
     [("artificial-intelligence", "Artificial intelligence"), ("data-science", "Data science"),
      ("cyber-physical-systems", "Cyber-physical systems"), ("5g-6g-communication", "5G/6G communication")]),
    (("life-sciences", "Life sciences"), [("biotechnology", "Biotechnology"), ("drug-discovery", "Drug discovery"),
                                          ("cancer-research", "Cancer research"), ("bioinformatics", "Bioinformatics")]),
    (("earth-sciences", "Earth sciences"), [("climate-change", "Climate change"), ("earth-observation", "Earth observation"),
                                            ("disaster-mitigation", "Disaster mitigation"), ("deep-sea-exploration", "Deep-sea exploration")]),
    (("energy", "Energy"), [("clean-energy", "Clean energy"), ("e-mobility", "E-mobility"),
                            ("hydrogen", "Hydrogen"), ("biomass", "Biomass")]),
    (("space", "Space"), [("space-science", "Space science"), ("satellite-navigation", "Satellite navigation"),
                          ("lunar-exploration", "Lunar exploration")]),
]

AGREEMENT_CLASSES = [
    ("MemorandumOfUnderstanding", "Memorandum of understanding"),
    ("MemorandumOfCooperation", "Memorandum of cooperation"),
    ("LetterOfIntent", "Letter of intent"),
    ("ImplementingArrangement", "Implementing arrangement"),
    ("ResearchContract", "Joint research contract"),
    ("Agreement", "Agreement"),
]
STATUSES = ["Proposed", "UnderNegotiation", "Ongoing", "Completed"]

# Agency class and label stem by depth in the partOf tree.
LEVEL_KINDS = [
    [("Government", "Government")],
    [("Ministry", "Ministry")],
    [("GovernmentDepartment", "Department"), ("GovernmentAgency", "Agency")],
    [("GovernmentAgency", "Council"), ("GovernmentDepartment", "Directorate")],
]
DEEP_KINDS = [("ResearchInstitute", "Institute"), ("University", "University"),
              ("ResearchInstitute", "Centre"), ("ResearchInstitute", "Laboratory"),
              ("LearnedSociety", "Society"), ("Company", "Corporation"),
              ("LocalGovernment", "Prefecture Office")]
FIELDS = ["Advanced Materials", "Quantum Science", "Photonics", "Space Research", "Ocean Science",
          "Biotechnology", "Clean Energy", "Artificial Intelligence", "Earth Observation", "Robotics",
          "Agriculture", "Medical Research", "Applied Mathematics", "Climate Studies", "Nanotechnology",
          "Semiconductors", "Data Science", "Public Health", "Seismology", "High-Energy Physics"]
CITIES = ["North", "South", "East", "West", "Central", "Coastal", "Highland", "Metropolitan",
          "Northern Region", "Southern Region"]

MAX_DEPTH = 12
DEFAULT_SEED = 20250101

# The fixed chains: (slug, class, label, altLabels) from the root down.
INDIA_CHAIN = [
    ("government-of-india", "Government", "Government of India", []),
    ("ministry-of-education", "Ministry", "Ministry of Education", ["MoE"]),
    ("department-of-higher-education", "GovernmentDepartment", "Department of Higher Education", []),
    ("bureau-of-technical-education", "GovernmentDepartment", "Bureau of Technical Education", []),
    ("council-of-iits", "GovernmentAgency", "Council of Indian Institutes of Technology", ["IIT Council"]),
    ("iit-hyderabad", "University", "Indian Institute of Technology Hyderabad", ["IIT Hyderabad", "IITH"]),
    ("iith-school-of-engineering", "University", "IIT Hyderabad School of Engineering", []),
    ("iith-department-of-materials-science", "University", "IIT Hyderabad Department of Materials Science and Metallurgical Engineering", []),
    ("iith-centre-for-advanced-materials", "ResearchInstitute", "IIT Hyderabad Centre for Advanced Materials", []),
    ("iith-thin-films-laboratory", "ResearchInstitute", "IIT Hyderabad Thin Films Laboratory", []),
    ("iith-thin-film-deposition-group", "ResearchInstitute", "IIT Hyderabad Thin Film Deposition Group", []),
    ("iith-sputtering-unit", "ResearchInstitute", "IIT Hyderabad Sputtering Unit", []),
]
JAPAN_CHAIN = [
    ("government-of-japan", "Government", "Government of Japan", []),
    ("mext", "Ministry", "Ministry of Education, Culture, Sports, Science and Technology", ["MEXT"]),
    ("mext-research-promotion-bureau", "GovernmentDepartment", "MEXT Research Promotion Bureau", []),
    ("nims", "ResearchInstitute", "National Institute for Materials Science", ["NIMS", "物質・材料研究機構@ja"]),
    ("nims-research-center-for-materials-nanoarchitectonics", "ResearchInstitute", "NIMS Research Center for Materials Nanoarchitectonics", ["MANA"]),
]


def parse_count(text):
    """'10k' -> 10000, '1M' -> 1000000, '2500' -> 2500."""
    text = text.strip()
    scale = {"k": 1000, "m": 1000000, "g": 1000000000}.get(text[-1:].lower())
    number = float(text[:-1]) if scale else float(text)
    return int(number * (scale or 1))


class Writer:
    """Writes triples until exactly `limit` have been written."""

    def __init__(self, out, limit):
        self.out = out
        self.limit = limit
        self.count = 0
        self.buffer = []

    def full(self):
        return self.count >= self.limit

    def triple(self, s, p, o):
        if self.count >= self.limit:
            return
        self.buffer.append(f"{s} {p} {o} .\n")
        self.count += 1
        if len(self.buffer) >= 8192:
            self.flush()

    def flush(self):
        self.out.write("".join(self.buffer))
        self.buffer = []


def iri(kind, slug):
    return f"<{ID}{kind}/{slug}>"


def kz(name):
    return f"<{KZ}{name}>"


def lit(text, lang="en"):
    if "@" in text and not text.startswith("@"):  # "text@ja" in the tables above
        text, lang = text.rsplit("@", 1)
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"@{lang}'


def date_lit(days_since_1990):
    """An xsd:date literal for a day count from 1990-01-01 (Gregorian)."""
    year, day = 1990, days_since_1990
    while True:
        length = 366 if (year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)) else 365
        if day < length:
            break
        day -= length
        year += 1
    months = [31, 29 if length == 366 else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
    month = 0
    while day >= months[month]:
        day -= months[month]
        month += 1
    return f'"{year:04d}-{month + 1:02d}-{day + 1:02d}"^^<{XSD_DATE}>'


class Zipf:
    """Draws ranks 0..n-1 with weight 1/(rank+1)^s."""

    def __init__(self, n, s=1.0):
        total = 0.0
        self.cumulative = []
        for rank in range(n):
            total += 1.0 / (rank + 1) ** s
            self.cumulative.append(total)
        self.total = total

    def draw(self, rng):
        return bisect.bisect_left(self.cumulative, rng.random() * self.total)


def pick(rng, items):
    return items[int(rng.random() * len(items))]


def generate(out, limit, seed):
    rng = random.Random(seed)
    w = Writer(out, limit)
    T = w.triple

    # Countries.
    for slug, label in COUNTRIES:
        s = iri("country", slug)
        T(s, RDF_TYPE, kz("Country"))
        T(s, RDFS_LABEL, lit(label))

    # Domains.
    scheme = iri("scheme", "research-domains")
    narrow_domains = []
    for (top_slug, top_label), narrower in DOMAINS:
        top = iri("domain", top_slug)
        T(top, RDF_TYPE, kz("Domain"))
        T(top, RDFS_LABEL, lit(top_label))
        T(top, f"<{SKOS}topConceptOf>", scheme)
        T(top, f"<{SKOS}inScheme>", scheme)
        for slug, label in narrower:
            d = iri("domain", slug)
            narrow_domains.append(d)
            T(d, RDF_TYPE, kz("Domain"))
            T(d, RDFS_LABEL, lit(label))
            T(d, f"<{SKOS}broader>", top)
            T(d, f"<{SKOS}inScheme>", scheme)
    all_domains = narrow_domains

    # Agencies: shares per country by Zipf weight (India, Japan first).
    agency_total = max(len(COUNTRIES) + len(INDIA_CHAIN) + len(JAPAN_CHAIN), limit * 20 // 100 // 4)
    country_weights = [1.0 / (i + 1) ** 0.9 for i in range(len(COUNTRIES))]
    weight_sum = sum(country_weights)
    per_country = [max(1, int(agency_total * cw / weight_sum)) for cw in country_weights]
    per_country[0] = max(per_country[0], len(INDIA_CHAIN))
    per_country[1] = max(per_country[1], len(JAPAN_CHAIN))

    agencies_by_country = []  # ranked lists of agency IRIs (rank 0 most active)
    serial = 0
    for index, (cslug, clabel) in enumerate(COUNTRIES):
        country = iri("country", cslug)
        nodes = []  # (iri, depth)
        ranked = []

        def emit(slug, cls, label, alts, parent, depth):
            a = iri("agency", slug)
            T(a, RDF_TYPE, kz(cls))
            T(a, RDFS_LABEL, lit(label))
            for alt in alts:
                T(a, f"<{SKOS}altLabel>", lit(alt))
            T(a, kz("country"), country)
            if parent:
                T(a, kz("partOf"), parent)
            nodes.append((a, depth))
            return a

        fixed = INDIA_CHAIN if index == 0 else JAPAN_CHAIN if index == 1 else None
        if fixed:
            parent = None
            for depth, (slug, cls, label, alts) in enumerate(fixed):
                parent = emit(slug, cls, label, alts, parent, depth)
            root = nodes[0][0]
            # The most active agencies: the fixed institution and its parents.
            star = "iit-hyderabad" if index == 0 else "nims"
            ranked.append(iri("agency", star))
        else:
            root = emit(f"government-of-{cslug}", "Government", f"Government of {clabel}", [], None, 0)
        remaining = per_country[index] - len(nodes)

        def new_agency(parent, depth):
            nonlocal serial
            serial += 1
            kinds = LEVEL_KINDS[depth] if depth < len(LEVEL_KINDS) else DEEP_KINDS
            cls, stem = pick(rng, kinds)
            field = pick(rng, FIELDS)
            label = f"{clabel} {stem} of {field} {serial}"
            alts = [f"{cslug[:2].upper()}-{stem[:3].upper()}{serial}"] if rng.random() < 0.3 else []
            return emit(f"{cslug}-{stem.lower().replace(' ', '-')}-{serial}", cls, label, alts, parent, depth)

        # Spines: chains 8 to 12 deep from the root, one per 40 agencies.
        spines = remaining // 40
        for _ in range(spines):
            depth_goal = 8 + int(rng.random() * 5)
            parent, depth = root, 0
            while depth < depth_goal and remaining > 0:
                depth += 1
                parent = new_agency(parent, depth)
                remaining -= 1
        # The rest attach under a random existing agency above the depth limit.
        while remaining > 0:
            parent, depth = pick(rng, nodes)
            if depth >= MAX_DEPTH:
                continue
            new_agency(parent, depth + 1)
            remaining -= 1
        # Activity rank: the star first, then the others in a shuffled order
        # (deterministic: Fisher-Yates on rng.random()).
        others = [a for a, _ in nodes if a not in ranked]
        for i in range(len(others) - 1, 0, -1):
            j = int(rng.random() * (i + 1))
            others[i], others[j] = others[j], others[i]
        ranked.extend(others)
        agencies_by_country.append(ranked)

    country_zipf = Zipf(len(COUNTRIES), 0.9)
    agency_zipf = [Zipf(len(r), 1.0) for r in agencies_by_country]

    def draw_agency(exclude_country=None):
        while True:
            c = country_zipf.draw(rng)
            if c != exclude_country or len(COUNTRIES) == 1:
                break
        return c, agencies_by_country[c][agency_zipf[c].draw(rng)]

    def draw_parties(count):
        first_country, first = draw_agency()
        chosen = [first]
        while len(chosen) < count:
            # Most agreements are international: other parties from another country.
            _, a = draw_agency(first_country if rng.random() < 0.85 else None)
            if a not in chosen:
                chosen.append(a)
        return chosen

    # The fixed joint lab and its agreement.
    iith, nims = iri("agency", "iit-hyderabad"), iri("agency", "nims")
    agreements = []
    fixed_agreement = iri("agreement", "iith-nims-joint-research-center-agreement-2021")
    T(fixed_agreement, RDF_TYPE, kz("Agreement"))
    T(fixed_agreement, RDFS_LABEL, lit("IITH-NIMS agreement on opening the IITH-NIMS Joint Research Center"))
    T(fixed_agreement, kz("party"), iith)
    T(fixed_agreement, kz("party"), nims)
    T(fixed_agreement, kz("signedOn"), f'"2021-04-06"^^<{XSD_DATE}>')
    T(fixed_agreement, kz("domain"), iri("domain", "materials-science"))
    agreements.append(fixed_agreement)
    fixed_lab = iri("lab", "iith-nims-joint-research-center")
    T(fixed_lab, RDF_TYPE, kz("JointLab"))
    T(fixed_lab, RDFS_LABEL, lit("IITH-NIMS Joint Research Center"))
    T(fixed_lab, kz("involves"), iith)
    T(fixed_lab, kz("involves"), nims)
    T(fixed_lab, kz("hostedBy"), nims)
    T(fixed_lab, kz("underAgreement"), fixed_agreement)
    T(fixed_lab, kz("domain"), iri("domain", "materials-science"))
    T(fixed_lab, kz("establishedOn"), f'"2021-05-14"^^<{XSD_DATE}>')
    collaborations = [fixed_lab]

    days = 35 * 365  # 1990-01-01 .. 2024-12-31 (roughly)
    number = 0
    while not w.full():
        number += 1
        roll = rng.random()
        if roll < 0.45:  # an agreement
            cls, kind_label = pick(rng, AGREEMENT_CLASSES)
            s = iri("agreement", f"agreement-{number}")
            parties = draw_parties(2 + (rng.random() < 0.3) + (rng.random() < 0.1))
            domain = pick(rng, all_domains)
            T(s, RDF_TYPE, kz(cls))
            T(s, RDFS_LABEL, lit(f"{kind_label} on {pick(rng, FIELDS)} cooperation no. {number}"))
            for p in parties:
                T(s, kz("party"), p)
            if rng.random() < 0.95:
                # sqrt: later years are more likely, as cooperation grows.
                T(s, kz("signedOn"), date_lit(int(days * rng.random() ** 0.5)))
            T(s, kz("domain"), domain)
            if rng.random() < 0.3:
                second = pick(rng, all_domains)
                if second != domain:
                    T(s, kz("domain"), second)
            if rng.random() < 0.5:
                T(s, kz("status"), kz(pick(rng, STATUSES)))
            agreements.append(s)
        elif roll < 0.65:  # a joint lab
            s = iri("lab", f"lab-{number}")
            members = draw_parties(2 + (rng.random() < 0.35))
            field = pick(rng, FIELDS)
            T(s, RDF_TYPE, kz("JointLab"))
            T(s, RDFS_LABEL, lit(f"Joint Laboratory for {field} {number}"))
            if rng.random() < 0.2:
                T(s, f"<{SKOS}altLabel>", lit(f"JL-{number}"))
            for m in members:
                T(s, kz("involves"), m)
            T(s, kz("hostedBy"), members[int(rng.random() * len(members))])
            if rng.random() < 0.7 and agreements:
                T(s, kz("underAgreement"), pick(rng, agreements))
            T(s, kz("domain"), pick(rng, all_domains))
            if rng.random() < 0.6:
                T(s, kz("establishedOn"), date_lit(int(days * rng.random() ** 0.5)))
            collaborations.append(s)
        else:  # a project
            s = iri("project", f"project-{number}")
            members = draw_parties(2 + (rng.random() < 0.4) + (rng.random() < 0.15))
            field = pick(rng, FIELDS)
            T(s, RDF_TYPE, kz("Project"))
            T(s, RDFS_LABEL, lit(f"Joint project on {field} {number}"))
            for m in members:
                T(s, kz("involves"), m)
            T(s, kz("ledBy"), members[0])
            T(s, kz("domain"), pick(rng, all_domains))
            if rng.random() < 0.5 and agreements:
                T(s, kz("underAgreement"), pick(rng, agreements))
            if rng.random() < 0.3 and collaborations:
                T(s, kz("partOfCollaboration"), pick(rng, collaborations))
            if rng.random() < 0.5:
                T(s, kz("establishedOn"), date_lit(int(days * rng.random() ** 0.5)))
            collaborations.append(s)
    w.flush()
    return w.count


def main():
    parser = argparse.ArgumentParser(description="Writes a synthetic cooperation graph as N-Triples.")
    parser.add_argument("--triples", required=True, help="number of triples (10k, 100k, 1M, 10M or a number)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"random seed (default {DEFAULT_SEED})")
    parser.add_argument("-o", "--output", default="-", help="output file (default: stdout)")
    args = parser.parse_args()
    limit = parse_count(args.triples)
    if limit < 1000:
        parser.error("--triples must be at least 1000 (the fixed entities need room)")
    out = sys.stdout if args.output == "-" else open(args.output, "w", encoding="utf-8", newline="\n")
    try:
        count = generate(out, limit, args.seed)
    finally:
        if out is not sys.stdout:
            out.close()
    print(f"wrote {count} triples", file=sys.stderr)


if __name__ == "__main__":
    main()
