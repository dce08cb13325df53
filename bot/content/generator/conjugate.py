"""Present tense, third person, by rule: enough to turn a participle or infinitive into a verb.

verbecc conjugates every French verb offline, but pulls scikit-learn and SciPy (about 340 MB);
the generator only needs « il / ils » in the present, which these rules and a short table of
irregular verbs give for the verbs of history and geopolitics prose.
"""

from __future__ import annotations

import re

# lemma -> (il, ils); compounds are matched by suffix (« obtenir » via « tenir »).
_IRREGULAR: dict[str, tuple[str, str]] = {
    "être": ("est", "sont"),
    "avoir": ("a", "ont"),
    "aller": ("va", "vont"),
    "faire": ("fait", "font"),
    "prendre": ("prend", "prennent"),
    "mettre": ("met", "mettent"),
    "dire": ("dit", "disent"),
    "voir": ("voit", "voient"),
    "pouvoir": ("peut", "peuvent"),
    "vouloir": ("veut", "veulent"),
    "devoir": ("doit", "doivent"),
    "venir": ("vient", "viennent"),
    "tenir": ("tient", "tiennent"),
    "savoir": ("sait", "savent"),
    "recevoir": ("reçoit", "reçoivent"),
    "percevoir": ("perçoit", "perçoivent"),
    "suivre": ("suit", "suivent"),
    "vivre": ("vit", "vivent"),
    "écrire": ("écrit", "écrivent"),
    "uire": ("uit", "uisent"),
    "aître": ("aît", "aissent"),
    "naître": ("naît", "naissent"),
    "mourir": ("meurt", "meurent"),
    "ouvrir": ("ouvre", "ouvrent"),
    "vrir": ("vre", "vrent"),
    "offrir": ("offre", "offrent"),
    "partir": ("part", "partent"),
    "sortir": ("sort", "sortent"),
    "servir": ("sert", "servent"),
    "courir": ("court", "courent"),
    "indre": ("int", "ignent"),
    "battre": ("bat", "battent"),
    "rompre": ("rompt", "rompent"),
    "vaincre": ("vainc", "vainquent"),
    "croire": ("croit", "croient"),
    "résoudre": ("résout", "résolvent"),
    "valoir": ("vaut", "valent"),
    "falloir": ("faut", "faut"),
    "asseoir": ("assied", "asseyent"),
    "fuir": ("fuit", "fuient"),
    "acquérir": ("acquiert", "acquièrent"),
    "conquérir": ("conquiert", "conquièrent"),
    "plaire": ("plaît", "plaisent"),
    "taire": ("tait", "taisent"),
    "lire": ("lit", "lisent"),
    "élire": ("élit", "élisent"),
    "réélire": ("réélit", "réélisent"),
    "sentir": ("sent", "sentent"),
    "mentir": ("ment", "mentent"),
    "dormir": ("dort", "dorment"),
    "accueillir": ("accueille", "accueillent"),
    "cueillir": ("cueille", "cueillent"),
    "envoyer": ("envoie", "envoient"),
}
_DOUBLING = ("appeler", "jeter")  # appelle, jette (and rappeler, rejeter…)
_E_GRAVE = re.compile(r"(e([bcdfgjklmnpqrstvz])|é([bcdfgjklmnpqrstvz]|[bcdfgptv][lr]|gn|ch))$")


def present(lemma: str, plural: bool = False) -> str:
    """« geler » → « gèle », « promulguer », plural → « promulguent »."""
    n = 1 if plural else 0
    for suffix in sorted(_IRREGULAR, key=len, reverse=True):
        if lemma.endswith(suffix):
            return lemma[: len(lemma) - len(suffix)] + _IRREGULAR[suffix][n]
    if lemma.endswith("er"):
        return _first_group(lemma[:-2], plural)
    if lemma.endswith("ir"):
        stem = lemma[:-2]
        return stem + ("issent" if plural else "it")
    if lemma.endswith("dre"):
        stem = lemma[:-3]
        return stem + ("dent" if plural else "d")
    if lemma.endswith("re"):
        stem = lemma[:-2]
        return stem + ("ent" if plural else "t")
    return lemma


def _first_group(stem: str, plural: bool) -> str:
    ending = "ent" if plural else "e"
    if stem.endswith(("oy", "uy")):
        return stem[:-1] + "i" + ending
    if any((stem + "er").endswith(v) for v in _DOUBLING):
        return stem + stem[-1] + ending
    # e + one consonant + er → è (geler → gèle, racheter → rachète); é + consonant or
    # consonant cluster + er → è (céder → cède, régler → règle).
    match = _E_GRAVE.search(stem)
    if match:
        return stem[: match.start()] + "è" + (match.group(2) or match.group(3)) + ending
    return stem + ending
