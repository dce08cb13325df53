"""Question files used by the end-to-end tests (YAML, format v1)."""

from __future__ import annotations

#: Four questions, one of each kind, shown in this order to a new student.
BELARUS = """\
version: 1
deck:
  id: bielorussie
  title: "Biélorussie : relations extérieures"
  language: fr
questions:
  - id: allie-principal
    kind: choice
    prompt: "Quel pays est le principal allié de la Biélorussie ?"
    answer: "la Russie"
    distractors: ["la Chine", "l'Ukraine", "la Pologne"]
    source: "La Russie est le principal allié de la Biélorussie."
  - id: otan
    kind: true_false
    prompt: "La Biélorussie est membre de l'OTAN."
    answer: faux
  - id: ue-gel-avoirs-2006
    kind: open
    prompt: "En quelle année l'UE décide-t-elle de geler les avoirs des dirigeants biélorusses ?"
    answer: "2006"
    source: "En 2006, l'UE décide de geler les avoirs des dirigeants biélorusses."
  - id: pouvoir-1994
    kind: cloze
    prompt: "Loukachenko arrive au pouvoir en {{1994}}."
"""

#: A second deck a teacher sends to the bot.
SUEZ = """\
version: 1
deck:
  id: crise-de-suez
  title: "La crise de Suez"
questions:
  - id: nasser-1956
    kind: open
    prompt: "En quelle année Nasser nationalise-t-il le canal de Suez ?"
    answer: "1956"
"""

#: Three problems: an accented deck id (line 3), an unknown kind (line 8, q1) and a choice
#: question without distractors (line 10, q2).
INVALID = """\
version: 1
deck:
  id: cassé
  title: "Paquet cassé"
questions:
  - id: q1
    prompt: "Question sans type ?"
    kind: devinette
    answer: "oui"
  - id: q2
    kind: choice
    prompt: "Choix sans autres réponses ?"
    answer: "A"
"""


def long_deck(prompt_chars: int, choice_chars: int) -> str:
    """One choice question whose prompt and choices are far longer than Telegram allows."""
    prompt = ("Une très longue question " * (prompt_chars // 25 + 1))[:prompt_chars]
    choices = [
        (f"Réponse {letter} " + "bla " * (choice_chars // 4 + 1))[:choice_chars]
        for letter in "ABCD"
    ]
    return f"""\
version: 1
deck:
  id: long
  title: "{"Titre interminable " * 12}"
questions:
  - id: longue
    kind: choice
    prompt: "{prompt}"
    answer: "{choices[0]}"
    distractors: ["{choices[1]}", "{choices[2]}", "{choices[3]}"]
    source: "{"Une phrase source sans fin. " * 200}"
"""
