"""Which corpus texts rules may be written on, and which stay out (``docs/generation.md``,
« Development corpus and split »): the evaluation reports them apart, the ranker never trains
on them."""

from __future__ import annotations

#: Texts kept out of rule writing since v1: no rule author has opened them.
HELD_OUT = (
    "sciences-terre-tectonique",
    "histoire-xxe-crise-1929",
    "litterature-romantisme",
    "economie-inflation",
)
#: Texts written for the third round by a session that saw no code and no generated item
#: (``tests/data/corpus/README.md``): first rated on the v3 decks, then released for
#: development (v3.1 rules were written from their ratings).
UNSEEN = (
    "biologie-coeur",
    "physique-son",
    "histoire-bataille-verdun",
    "geographie-nil",
    "biographie-louis-pasteur",
    "civique-droit-de-vote",
)
#: The fourth round's unseen texts, written the same way once the third round's had been
#: rated and released: never opened by a rule author before the v3.1 decks were frozen
#: (then released for v3.2).
UNSEEN_2 = (
    "svt-photosynthese",
    "chimie-combustion",
    "histoire-revolution-francaise",
    "geographie-alpes",
    "biographie-jules-verne",
    "litterature-fables-la-fontaine",
)
#: The fifth round's unseen texts, written once the fourth round's had been rated and released.
UNSEEN_3 = (
    "biologie-respiration",
    "physique-electricite",
    "histoire-charlemagne",
    "geographie-sahara",
    "biographie-victor-hugo",
    "civique-union-europeenne",
)
#: The sixth round's unseen texts, written once v3.3's rules were done (by a session that saw
#: no code, no item and no rating) and first rated on the v3.3 and v3.4 decks; released for
#: v3.6 (its texts and ratings read, the ranker trains on it).
UNSEEN_4 = (
    "sciences-terre-volcans",
    "chimie-eau-solutions",
    "economie-mondialisation",
    "technologie-machine-a-vapeur",
    "litterature-moliere",
    "histoire-egypte-ancienne",
)
#: The seventh round's unseen texts, written (the same way) once v3.5 was rated, while v3.6 was
#: being written by a session that never saw them; first rated on the v3.5 and v3.6 decks.
UNSEEN_5 = (
    "biologie-immunite",
    "physique-gravitation",
    "geographie-amazonie",
    "histoire-guerre-froide",
    "biographie-simone-veil",
    "civique-laicite",
)
#: The eighth round's unseen texts, written once v3.6 was rated, while v3.7 was being written
#: by a session that never saw them; first rated on the v3.6 and v3.7 decks.
UNSEEN_6 = (
    "sciences-terre-seismes",
    "chimie-acides-bases",
    "economie-monnaie",
    "technologie-ordinateur",
    "litterature-zola",
    "histoire-athenes",
)
#: The ninth round's unseen texts, twelve this time (one per subject, two writers blind to the
#: code), written while v3.8 was being written by a session that never saw them; first rated on
#: the v3.7 and v3.8 decks. No v3.8 rule was written on them.
UNSEEN_7 = (
    "biologie-cellule",
    "physique-energie",
    "chimie-metaux",
    "sciences-terre-cycle-eau",
    "geographie-rhone",
    "biographie-louis-braille",
    "histoire-gaule",
    "histoire-decolonisation",
    "economie-chomage",
    "litterature-camus",
    "civique-justice",
    "technologie-automobile",
)
#: The tenth round's unseen texts, twelve again (one per subject, two writers blind to the
#: code), written while v3.9 was being written by a session that never saw them; first rated on
#: the v3.8 and v3.9 decks.
UNSEEN_8 = (
    "biologie-plantes-fleurs",
    "physique-magnetisme",
    "chimie-plastiques",
    "sciences-terre-atmosphere",
    "geographie-mediterranee",
    "biographie-leonard-de-vinci",
    "histoire-alexandre",
    "histoire-seconde-guerre",
    "economie-entreprise",
    "litterature-theatre-classique",
    "civique-parlement",
    "technologie-internet",
)
#: The eleventh round's unseen texts (one per subject, two writers blind to the code), written
#: while v3.10 was being written by a session that never saw them; first rated on the v3.9
#: and v3.10 decks.
UNSEEN_9 = (
    "biologie-systeme-nerveux",
    "physique-chaleur",
    "chimie-piles",
    "sciences-terre-roches",
    "geographie-japon",
    "biographie-isaac-newton",
    "histoire-mesopotamie",
    "histoire-revolution-russe",
    "economie-banque",
    "litterature-maupassant",
    "civique-droits-enfant",
    "technologie-centrales",
)
#: The twelfth round's unseen texts (one per subject, two writers blind to the code), written
#: before v3.11's rules; first rated on the v3.10 and v3.11 decks.
UNSEEN_10 = (
    "biologie-squelette",
    "physique-mouvement",
    "chimie-tableau-periodique",
    "sciences-terre-glaciers",
    "geographie-canada",
    "biographie-gustave-eiffel",
    "histoire-carthage",
    "histoire-front-populaire",
    "economie-impots",
    "litterature-baudelaire",
    "civique-commune",
    "technologie-telephone",
)
#: The thirteenth round's unseen texts (one per subject, two writers blind to the code),
#: written before v3.12's rules; first rated on the v3.11 and v3.12 decks.
UNSEEN_11 = (
    "biologie-sang",
    "physique-electricite-statique",
    "chimie-sel",
    "sciences-terre-deserts",
    "geographie-australie",
    "biographie-marie-antoinette",
    "histoire-vikings",
    "histoire-mai-68",
    "economie-agriculture",
    "litterature-victor-hugo-theatre",
    "civique-defense",
    "technologie-radio",
)
#: The fourteenth round's unseen texts (one per subject, two writers blind to the code),
#: written on 2026-12-07 before any v3.13 rule; first rated on the v3.12 and v3.13 decks.
UNSEEN_12 = (
    "biologie-vision",
    "physique-pression",
    "chimie-corrosion",
    "sciences-terre-oceans",
    "geographie-inde",
    "biographie-charles-darwin",
    "histoire-perse",
    "histoire-premiere-guerre",
    "economie-commerce",
    "litterature-racine",
    "civique-ecole",
    "technologie-cinema",
)
#: The fifteenth round's unseen texts (one per subject, two more writers blind to the code),
#: written on 2026-12-08 once v3.13 was frozen; first rated on the v3.13 decks.
UNSEEN_13 = (
    "biologie-dents",
    "physique-securite-electrique",
    "chimie-petrole",
    "sciences-terre-rivieres",
    "geographie-bresil",
    "biographie-jean-moulin",
    "histoire-chine-antique",
    "histoire-mur-de-berlin",
    "economie-tourisme",
    "litterature-voltaire",
    "civique-presidentielle",
    "technologie-aviation",
)
#: The next round's unseen texts: list them here as soon as they exist, before anything reads
#: their ratings (the ranker and the form gate never train on them). The sixth round
#: (``UNSEEN_4``) is released since v3.6; the seventh (``UNSEEN_5``) since v3.7, whose checks
#: (``broken.py``) were written on its texts and ratings; the eighth (``UNSEEN_6``, rated on
#: the v3.6 and v3.7 decks) since v3.8, whose self-rated cards and fallback rule were measured
#: on its ratings with the other 42 texts'; the ninth (``UNSEEN_7``, rated on the v3.7 and v3.8
#: decks) since v3.9, whose subject naming and card rules were measured on its ratings with the
#: other 48 texts'.
#: The tenth (``UNSEEN_8``, rated on the v3.8 decks, to which v3.9's rules changed nothing) is
#: released too: v3.9's bound fix (a bound in words, ``review._BOUND_NUMBER``) was written after
#: its readers' notes were read.
#: The eleventh (``UNSEEN_9``, rated on the v3.9 and v3.10 decks) is released since v3.11, whose
#: form record reads its ratings; the twelfth (``UNSEEN_10``, rated on the v3.10 and v3.11
#: decks) since v3.12, whose checks were written after one of its items was read; the
#: thirteenth (``UNSEEN_11``, rated on the v3.11 and v3.12 decks) since v3.13, whose gate and
#: rules read its ratings. The fourteenth (``UNSEEN_12``, rated on the v3.12 and v3.13 decks)
#: and the fifteenth (``UNSEEN_13``, rated on the v3.13 decks) are not released: no rule has
#: read their ratings; the next version may release the fourteenth and be measured on the
#: fifteenth.
FUTURE_UNSEEN: tuple[str, ...] = UNSEEN_12 + UNSEEN_13
#: Never read to train the ranker (their figures stay honest). v3.3: the three released unseen
#: groups (``UNSEEN``, ``UNSEEN_2``, ``UNSEEN_3``) now train it; the held-out texts and the
#: next round's never do. v3.6: the sixth round (``UNSEEN_4``) trains it too.
NOT_FOR_TRAINING = HELD_OUT + FUTURE_UNSEEN
