"""Small hand-made lexicons: countries, cities, metonyms, genders, event nouns.

spaCy labels a country and a city alike (LOC) and often gives no gender to a proper noun;
these tables fill the gap for the genre we generate from (history and geopolitics prose).
"""

from __future__ import annotations

# name -> (article form, gender, plural)
_COUNTRIES_RAW = """
Afghanistan:l'Afghanistan:M Albanie:l'Albanie:F Algérie:l'Algérie:F Allemagne:l'Allemagne:F
Angleterre:l'Angleterre:F Arabie saoudite:l'Arabie saoudite:F Argentine:l'Argentine:F
Arménie:l'Arménie:F Australie:l'Australie:F Autriche:l'Autriche:F Azerbaïdjan:l'Azerbaïdjan:M
Belgique:la Belgique:F Biélorussie:la Biélorussie:F Bolivie:la Bolivie:F Brésil:le Brésil:M
Bulgarie:la Bulgarie:F Canada:le Canada:M Chili:le Chili:M Chine:la Chine:F Chypre:Chypre:F
Colombie:la Colombie:F Corée du Nord:la Corée du Nord:F Corée du Sud:la Corée du Sud:F
Croatie:la Croatie:F Cuba:Cuba:F Danemark:le Danemark:M Égypte:l'Égypte:F Espagne:l'Espagne:F
Estonie:l'Estonie:F États-Unis:les États-Unis:MP Éthiopie:l'Éthiopie:F Finlande:la Finlande:F
France:la France:F Géorgie:la Géorgie:F Grèce:la Grèce:F Hongrie:la Hongrie:F Inde:l'Inde:F
Indonésie:l'Indonésie:F Irak:l'Irak:M Iran:l'Iran:M Irlande:l'Irlande:F Islande:l'Islande:F
Israël:Israël:M Italie:l'Italie:F Japon:le Japon:M Jordanie:la Jordanie:F
Kazakhstan:le Kazakhstan:M Kirghizistan:le Kirghizistan:M Lettonie:la Lettonie:F
Liban:le Liban:M Libye:la Libye:F Lituanie:la Lituanie:F Luxembourg:le Luxembourg:M
Maroc:le Maroc:M Mexique:le Mexique:M Moldavie:la Moldavie:F Mongolie:la Mongolie:F
Norvège:la Norvège:F Ouzbékistan:l'Ouzbékistan:M Pakistan:le Pakistan:M Pays-Bas:les Pays-Bas:MP
Pologne:la Pologne:F Portugal:le Portugal:M République tchèque:la République tchèque:F
Roumanie:la Roumanie:F Royaume-Uni:le Royaume-Uni:M Russie:la Russie:F Serbie:la Serbie:F
Slovaquie:la Slovaquie:F Slovénie:la Slovénie:F Suède:la Suède:F Suisse:la Suisse:F
Syrie:la Syrie:F Tadjikistan:le Tadjikistan:M Tchécoslovaquie:la Tchécoslovaquie:F
Tunisie:la Tunisie:F Turkménistan:le Turkménistan:M Turquie:la Turquie:F Ukraine:l'Ukraine:F
Union soviétique:l'Union soviétique:F URSS:l'URSS:F Venezuela:le Venezuela:M
Vietnam:le Vietnam:M Yougoslavie:la Yougoslavie:F
République fédérale d'Allemagne:la République fédérale d'Allemagne:F RFA:la RFA:F
RDA:la RDA:F Abkhazie:l'Abkhazie:F Ossétie du Sud:l'Ossétie du Sud:F
"""


def _parse_countries(raw: str) -> dict[str, tuple[str, str, bool]]:
    table: dict[str, tuple[str, str, bool]] = {}
    # Entries are separated by two or more spaces or newlines; names may hold one space.
    for entry in _split_entries(raw):
        name, form, flags = entry.split(":")
        table[name] = (form, "Fem" if "F" in flags else "Masc", "P" in flags)
    return table


def _split_entries(raw: str) -> list[str]:
    entries: list[str] = []
    for line in raw.strip().splitlines():
        parts = line.split(" ")
        current = ""
        for part in parts:
            current = f"{current} {part}".strip()
            if current.count(":") == 2:
                entries.append(current)
                current = ""
    return entries


COUNTRIES = _parse_countries(_COUNTRIES_RAW)

#: Capitals and seats of power that stand for a state or an institution (metonyms).
METONYMS: dict[str, str] = {
    "Moscou": "Russie",
    "Kremlin": "Russie",
    "Washington": "États-Unis",
    "Maison-Blanche": "États-Unis",
    "Pékin": "Chine",
    "Londres": "Royaume-Uni",
    "Paris": "France",
    "Berlin": "Allemagne",
    "Bonn": "République fédérale d'Allemagne",
    "Minsk": "Biélorussie",
    "Kiev": "Ukraine",
    "Varsovie": "Pologne",
    "Le Caire": "Égypte",
    "Bruxelles": "Union européenne",
}

CITIES = frozenset(
    {
        "Moscou",
        "Washington",
        "Pékin",
        "Londres",
        "Paris",
        "Berlin",
        "Bonn",
        "Minsk",
        "Kiev",
        "Varsovie",
        "Le Caire",
        "Bruxelles",
        "Prague",
        "Rome",
        "Messine",
        "Alexandrie",
        "Port-Saïd",
        "Budapest",
        "Sèvres",
        "Strasbourg",
        "Genève",
        "Vienne",
        "Madrid",
        "Lisbonne",
        "Athènes",
        "Luxembourg",
        "La Haye",
        "Maastricht",
        "Yalta",
        "Potsdam",
        "Helsinki",
        "Tbilissi",
        "Erevan",
        "Bakou",
        "Chisinau",
        "Vilnius",
        "Riga",
        "Tallinn",
        "Harvard",
        "Shangai",
        "Shanghai",
        "Assouan",
        "Suez",
        "New York",
    }
)

#: Organisations (and their acronyms) with gender, for inversion (-t-il / -t-elle).
ORG_ALIASES: dict[str, str] = {
    "UE": "Union européenne",
    "ONU": "Organisation des Nations unies",
    "OTAN": "Organisation du traité de l'Atlantique nord",
    "CEE": "Communauté économique européenne",
    "CECA": "Communauté européenne du charbon et de l'acier",
    "URSS": "Union soviétique",
    "Bruxelles": "Union européenne",
}

#: Gender of head nouns that spaCy often leaves unmarked (« L'Union », « l'UE »).
NOUN_GENDER: dict[str, str] = {
    "UE": "Fem",
    "ONU": "Fem",
    "OTAN": "Fem",
    "CEE": "Fem",
    "CECA": "Fem",
    "URSS": "Fem",
    "Union": "Fem",
    "Organisation": "Fem",
    "Communauté": "Fem",
    "Assemblée": "Fem",
    "Commission": "Fem",
    "Cour": "Fem",
    "Banque": "Fem",
    "Europe": "Fem",
    "Égypte": "Fem",
    "Fonds": "Masc",
    "Conseil": "Masc",
    "Comité": "Masc",
    "Parlement": "Masc",
    "Congrès": "Masc",
    "Kremlin": "Masc",
    "État": "Masc",
    "gouvernement": "Masc",
    "régime": "Masc",
    "Moscou": "Fem",
    "Bruxelles": "Fem",
    "Washington": "Masc",
    "Londres": "Fem",
    "Paris": "Masc",
    "Kominform": "Masc",
    "Gazprom": "Masc",
    "armée": "Fem",
    "accord": "Masc",
    "Accord": "Masc",
    "traité": "Masc",
    "sommet": "Masc",
    "président": "Masc",
    "ministre": "Masc",
    "compagnie": "Fem",
    "Compagnie": "Fem",
    "aide": "Fem",
    "Société": "Fem",
    "groupe": "Masc",
    "pays": "Masc",
}

#: Nouns of a role a person's name may follow (« le président égyptien Gamal Abdel Nasser »).
PERSON_TITLES = frozenset(
    {
        "président",
        "ministre",
        "secrétaire",
        "chancelier",
        "général",
        "commissaire",
        "roi",
        "reine",
        "ambassadeur",
        "dirigeant",
        "leader",
        "opposant",
        "premier",
        "chef",
        "maréchal",
        "ministre-président",
        "diplomate",
        "économiste",
        "homme",
        "journaliste",
        "écrivain",
    }
)

#: Institutions asked with « Quelle institution » rather than « Quelle organisation ».
INSTITUTION_HEADS = frozenset(
    {
        "Conseil",
        "Commission",
        "Parlement",
        "Assemblée",
        "Congrès",
        "Cour",
        "Comité",
        "Sénat",
        "Kremlin",
        "gouvernement",
        "Gouvernement",
    }
)

#: Nouns naming an event: a date attached to them asks « En quelle année a lieu … ? ».
EVENT_NOUNS = frozenset(
    {
        "élection",
        "élections",
        "arrivée",
        "élargissement",
        "lancement",
        "adhésion",
        "signature",
        "création",
        "fondation",
        "chute",
        "mort",
        "naissance",
        "réunification",
        "guerre",
        "crise",
        "sommet",
        "conférence",
        "référendum",
        "insurrection",
        "révolution",
        "indépendance",
        "invasion",
        "intervention",
        "nationalisation",
        "retrait",
        "départ",
        "scrutin",
        "réunion",
        "discours",
        "dissolution",
        "effondrement",
    }
)

#: Nouns whose amount a question may ask about (« le montant du crédit »).
MONEY_NOUNS = frozenset(
    {
        "crédit",
        "aide",
        "prêt",
        "somme",
        "budget",
        "contrat",
        "investissement",
        "dette",
        "emprunt",
        "coût",
        "don",
        "subvention",
        "enveloppe",
        "plan",
        "programme",
        "indemnité",
        "indemnisation",
        "rachat",
        "vente",
        "achat",
        "accord",
        "amende",
        "dépense",
        "dépenses",
    }
)

#: Verbs of reaching a level: « Quel montant l'aide atteint-elle ? » rather than « Combien ».
LEVEL_VERBS = frozenset({"atteindre", "dépasser", "représenter", "totaliser"})

#: Sentence-initial connectors dropped from a question.
CONNECTORS = frozenset(
    {
        "ainsi",
        "toutefois",
        "cependant",
        "pourtant",
        "alors",
        "surtout",
        "donc",
        "enfin",
        "aussi",
        "également",
        "néanmoins",
        "ensuite",
        "puis",
        "d'ailleurs",
        "certes",
        "or",
        "mais",
        "et",
        "par ailleurs",
        "de fait",
        "en effet",
    }
)

MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)

NUMBER_WORDS: dict[str, int] = {
    "deux": 2,
    "trois": 3,
    "quatre": 4,
    "cinq": 5,
    "six": 6,
    "sept": 7,
    "huit": 8,
    "neuf": 9,
    "dix": 10,
    "onze": 11,
    "douze": 12,
    "treize": 13,
    "quatorze": 14,
    "quinze": 15,
    "seize": 16,
    "vingt": 20,
    "trente": 30,
    "quarante": 40,
    "cinquante": 50,
    "cent": 100,
    "mille": 1000,
}
NUMBER_NAMES: dict[int, str] = {v: k for k, v in NUMBER_WORDS.items()}


#: Regions for country distractors (a country may be in several). Order = plausibility.
REGIONS: dict[str, tuple[str, ...]] = {
    "Europe de l'Est": (
        "Pologne",
        "Ukraine",
        "Moldavie",
        "Roumanie",
        "Bulgarie",
        "Hongrie",
        "Lituanie",
        "Lettonie",
        "Estonie",
        "Tchécoslovaquie",
        "République tchèque",
        "Slovaquie",
        "Russie",
        "Biélorussie",
        "Union soviétique",
        "RDA",
        "Yougoslavie",
        "Albanie",
    ),
    "UE": (
        "France",
        "Allemagne",
        "République fédérale d'Allemagne",
        "Italie",
        "Belgique",
        "Pays-Bas",
        "Luxembourg",
        "Royaume-Uni",
        "Irlande",
        "Danemark",
        "Espagne",
        "Portugal",
        "Grèce",
        "Autriche",
        "Suède",
        "Finlande",
        "Pologne",
        "Lituanie",
        "Lettonie",
        "Estonie",
        "Hongrie",
        "République tchèque",
        "Slovaquie",
        "Slovénie",
        "Croatie",
        "Roumanie",
        "Bulgarie",
        "Chypre",
    ),
    "Europe de l'Ouest": (
        "France",
        "Royaume-Uni",
        "Italie",
        "Belgique",
        "Pays-Bas",
        "Luxembourg",
        "Danemark",
        "Irlande",
        "Espagne",
        "Portugal",
        "Norvège",
        "Suisse",
        "Autriche",
        "Suède",
        "République fédérale d'Allemagne",
        "Allemagne",
        "Grèce",
        "Islande",
        "Finlande",
    ),
    "Asie centrale": (
        "Kazakhstan",
        "Kirghizistan",
        "Tadjikistan",
        "Ouzbékistan",
        "Turkménistan",
        "Afghanistan",
        "Mongolie",
    ),
    "Caucase": ("Géorgie", "Arménie", "Azerbaïdjan", "Abkhazie", "Ossétie du Sud"),
    "ex-URSS": (
        "Russie",
        "Ukraine",
        "Biélorussie",
        "Moldavie",
        "Kazakhstan",
        "Kirghizistan",
        "Tadjikistan",
        "Ouzbékistan",
        "Turkménistan",
        "Géorgie",
        "Arménie",
        "Azerbaïdjan",
    ),
    "Moyen-Orient": (
        "Égypte",
        "Israël",
        "Syrie",
        "Jordanie",
        "Liban",
        "Irak",
        "Iran",
        "Arabie saoudite",
        "Turquie",
        "Libye",
    ),
    "Afrique du Nord": ("Algérie", "Maroc", "Tunisie", "Libye", "Égypte"),
    "Amérique latine": (
        "Cuba",
        "Venezuela",
        "Brésil",
        "Argentine",
        "Chili",
        "Mexique",
        "Colombie",
        "Bolivie",
    ),
    "Amérique du Nord": ("États-Unis", "Canada", "Mexique"),
    "Asie": (
        "Chine",
        "Japon",
        "Inde",
        "Corée du Nord",
        "Corée du Sud",
        "Vietnam",
        "Pakistan",
        "Indonésie",
        "Mongolie",
    ),
    "grandes puissances": (
        "États-Unis",
        "Union soviétique",
        "Russie",
        "Chine",
        "Royaume-Uni",
        "France",
        "Japon",
        "Allemagne",
    ),
}

#: States that did not exist for the whole period: (first year, last year).
EXISTED: dict[str, tuple[int, int]] = {
    "Union soviétique": (1922, 1991),
    "URSS": (1922, 1991),
    "RDA": (1949, 1990),
    "RFA": (1949, 1990),
    "République fédérale d'Allemagne": (1949, 1990),
    "Tchécoslovaquie": (1918, 1992),
    "Yougoslavie": (1918, 1992),
    "Israël": (1948, 9999),
    "République tchèque": (1993, 9999),
    "Slovaquie": (1993, 9999),
    "Croatie": (1991, 9999),
    "Slovénie": (1991, 9999),
    "Serbie": (2006, 9999),
    "Abkhazie": (2008, 9999),
    "Ossétie du Sud": (2008, 9999),
    "Allemagne": (1990, 9999),
    **{
        n: (1991, 9999)
        for n in (
            "Russie",
            "Ukraine",
            "Biélorussie",
            "Moldavie",
            "Kazakhstan",
            "Kirghizistan",
            "Tadjikistan",
            "Ouzbékistan",
            "Turkménistan",
            "Géorgie",
            "Arménie",
            "Azerbaïdjan",
            "Estonie",
            "Lettonie",
            "Lituanie",
        )
    },
}

#: Seats of power that stood for another state before a year (« Moscou » before 1991).
METONYMS_BEFORE: dict[str, tuple[int, str]] = {
    "Moscou": (1991, "Union soviétique"),
    "Kremlin": (1991, "Union soviétique"),
}


def metonym(name: str, period: int | None) -> str | None:
    """The state or institution a metonym stands for in a text about ``period`` (a year)."""
    before = METONYMS_BEFORE.get(name)
    if before is not None and period is not None and period < before[0]:
        return before[1]
    return METONYMS.get(name)


def existed(name: str, period: int | None) -> bool:
    span = EXISTED.get(name)
    return span is None or period is None or span[0] <= period <= span[1]


def regions_of(name: str) -> list[tuple[str, ...]]:
    return [members for members in REGIONS.values() if name in members]


#: Kinds of organisation, by the first word of the name: distractors stay of the same kind.
_ORG_KIND_HEADS: dict[str, str] = {
    "Compagnie": "entreprise",
    "Société": "entreprise",
    "Groupe": "entreprise",
    "Plan": "programme",
    "Programme": "programme",
    "Program": "programme",
    "European": "programme",
    "Politique": "programme",
    "Partenariat": "programme",
    "Accord": "programme",
    "Traité": "programme",
    "Organisation": "organisation",
    "Communauté": "organisation",
    "Union": "organisation",
    "Fonds": "organisation",
    "Banque": "organisation",
    "Alliance": "organisation",
}
_COMPANY_WORDS = frozenset({"société", "groupe", "entreprise", "compagnie", "firme"})


def org_kind(name: str, word_before: str = "") -> str | None:
    """« entreprise », « institution », « programme » or « organisation » (None: unknown)."""
    if word_before in _COMPANY_WORDS:
        return "entreprise"
    head = name.split()[0]
    if head in INSTITUTION_HEADS:
        return "institution"
    if head in _ORG_KIND_HEADS:
        return _ORG_KIND_HEADS[head]
    if head in ORG_ALIASES or (name.isupper() and len(name) <= 6):
        return "organisation"
    return None


def country_form(name: str) -> tuple[str, str, bool] | None:
    """(« la Russie », "Fem", plural) for a country name, or None."""
    return COUNTRIES.get(name)


#: Nouns naming a person by their role or trade (« le physicien », « la reine »): the checker
#: and the question words (« Qui ») share them.
ROLE_NOUNS = frozenset(
    {
        "astronome",
        "auteur",
        "chef",
        "chimiste",
        "chirurgien",
        "consul",
        "dictateur",
        "empereur",
        "femme",
        "général",
        "homme",
        "imprimeur",
        "ingénieur",
        "inventeur",
        "ministre",
        "moine",
        "médecin",
        "pape",
        "peintre",
        "philosophe",
        "physicien",
        "physicienne",
        "poète",
        "président",
        "reine",
        "roi",
        "savant",
        "écrivain",
    }
)
