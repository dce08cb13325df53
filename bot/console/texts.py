"""What the terminal quiz says, in French (tutoiement), in one place.

The Telegram front end has its own texts (``bot/texts``); the two share only the services.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from bot.domain.grading import Verdict
from bot.services.views import OverrideStatus

#: The terminal's commands, in the order /aide lists them.
COMMANDS: tuple[tuple[str, str], ...] = (
    ("/stats", "tes progrès : questions, réponses et réussite, série, révisions à venir"),
    ("/decks", "tes paquets ; « /decks 2 » active ou désactive le 2e"),
    ("/reglages", "tes réglages ; « /reglages nouvelles 15 » : 15 nouvelles par jour"),
    ("/encore", "10 nouvelles questions de plus pour aujourd'hui"),
    ("/jaiRaison", "ta dernière réponse tapée était juste : je la compte juste"),
    ("/annuler", "annule ta dernière réponse (dans les 10 minutes)"),
    ("/aide", "cette aide"),
    ("/quitter", "arrête la session (Ctrl-D marche aussi)"),
)
#: English names, as on Telegram (the README's promise): the same commands.
ENGLISH_NAMES = "/settings, /more, /right, /undo, /help, /quit"

PROMPT = "> "

GREETING = (
    "Salut {name} ! On révise ensemble : je te pose des questions sur le texte, "
    "tu réponds, et je te redonne les questions au bon moment pour que tu les retiennes."
)
GREETING_PRACTICE = "Mode entraînement sur « {title} » : tes révisions prévues ne bougent pas."
HOW_TO = (
    "Tape ta réponse puis Entrée ; pour un choix, tape son numéro. "
    "/aide pour les commandes, /quitter pour arrêter."
)

IMPORT_FAILED = (
    "Attention : des fichiers de questions ont des erreurs, ils n'ont pas été chargés :"
)
IMPORT_CONTINUE = "Je continue avec les questions déjà enregistrées."
NO_QUESTIONS = (
    "Il n'y a encore aucune question. Ajoute un fichier de questions dans {folder} "
    "(ou génère-en un avec `quizbot generate`), puis relance-moi."
)
UNKNOWN_DECK = "Je ne connais pas le paquet « {slug} ». Paquets disponibles : {available}."
NO_DECK_AVAILABLE = "aucun"

NEW_BADGE = "nouvelle"
QUESTION_HEADER = "— {title}{badge} —"
CHOICE_LINE = "  {number}. {choice}"

EMPTY_ANSWER = "Tape ta réponse (ou /aide)."
CHOOSE_NUMBER = "Choisis un numéro entre 1 et {count}."
UNKNOWN_COMMAND = "Je ne connais pas {command}. Tape /aide pour voir les commandes."

VERDICTS = {
    Verdict.CORRECT: "Juste, bravo !",
    Verdict.CLOSE: "Juste (presque parfait) !",
    Verdict.PARTIAL: "En partie juste.",
    Verdict.WRONG: "Raté.",
}
DONT_KNOW = "Pas de souci, c'est comme ça qu'on apprend. Je te la redonne bientôt."
EXPECTED = "Réponse : {answer}"
SOURCE = "Dans le texte : « {sentence} »"
EXPLANATION = "Explication : {text}"
LEECH = (
    "Cette question te résiste : tu l'as oubliée {lapses} fois. Je la mets de côté pour "
    "l'instant ; relis bien la phrase du texte et l'explication."
)
PRACTICE_NOTE = "(entraînement : ça ne change pas tes révisions)"
SESSION_COUNTS = "Session : {answered} réponse{s}, {correct} juste{cs}."
REFUSED = "Cette question n'est plus d'actualité, passons à la suivante."

UNDONE = "C'est annulé : ta réponse « {given} » ne compte plus. On la reprend."
UNDO_NOTHING = "Il n'y a pas de réponse à annuler."
UNDO_TOO_LATE = "Trop tard : on ne peut annuler une réponse que dans les 10 minutes."

ALL_DONE = "Tu as tout révisé pour le moment, bien joué !"
NOTHING_NOW = "Rien à réviser pour le moment."
PRACTICE_DONE = "Tu as fait tout le paquet, bien joué !"
SUMMARY = "Bilan : {answered} réponse{s}, {correct} juste{cs}."
NEXT_DUE = "Prochaine révision : {when}."
NEXT_DUE_NOW = "Il reste des questions : relance-moi quand tu veux."
NEXT_DUE_AFTER_PRACTICE = (
    "Tes révisions habituelles t'attendent : relance `quizbot chat` sans --deck."
)
MORE_NEW_QUESTION = "Encore 10 nouvelles questions ? (o/n)"
MORE_NEW_GRANTED = "C'est parti pour {count} nouvelles questions de plus aujourd'hui."
NO_MORE_NEW = "Il n'y a plus de nouvelle question dans tes paquets."
MORE_NEW_HINT = "Envie de plus ? /encore ajoute 10 nouvelles questions pour aujourd'hui."
QUESTION_AGAIN = "On reprend ta question :"
AHEAD_QUESTION = "Réviser en avance ? Ça ne change pas tes révisions prévues. (o/n)"
AHEAD_START = "C'est parti : tes questions déjà vues, les plus proches d'abord (entraînement)."
AHEAD_DONE = "Tu as revu toutes tes questions en avance, bien joué !"
OVERRIDE_HINT = "Tu penses avoir raison ? Tape /jaiRaison."
OVERRIDE = {
    OverrideStatus.DONE: "C'est noté : ta réponse « {given} » compte juste. Ton prof le verra.",
    OverrideStatus.NOTHING: "Il n'y a pas de réponse tapée comptée fausse à corriger.",
    OverrideStatus.TOO_LATE: "Trop tard pour celle-ci : on peut le dire dans l'heure qui suit.",
    OverrideStatus.ALREADY: "C'est déjà noté pour cette réponse.",
}

DECKS_TITLE = "Tes paquets :"
DECK_LINE = "  {number}. [{mark}] {title} ({slug}) · {questions}"
DECK_ON = "x"
DECK_OFF = " "
DECKS_HOW_TO = (
    "[x] : tu l'étudies. « /decks 2 » active ou désactive le paquet 2 (tes progrès sont gardés)."
)
DECK_NUMBER = "Choisis un numéro de paquet entre 1 et {count} (par exemple « /decks 1 »)."
SETTINGS = (
    "Tes réglages : {new_cards} par jour · fuseau horaire {timezone}.\n"
    "Pour changer : « /reglages nouvelles 15 » (de 0 à 500)."
)
SETTINGS_BAD = "Je n'ai pas compris. Exemple : « /reglages nouvelles 15 » (de 0 à 500)."
NEW_CARDS_WORDS = frozenset({"nouvelles", "nouvelle", "new", "cartes", "questions"})
NOTHING_LEFT = "Il n'y a plus rien à réviser dans tes paquets."
BYE = "À bientôt !"

_WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
_MONTHS = (
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
)  # fmt: skip


def help_text() -> str:
    lines = ["Les commandes :"]
    lines += [f"  {name:<10} {what}" for name, what in COMMANDS]
    lines.append(f"En anglais aussi : {ENGLISH_NAMES}.")
    lines.append("Pour répondre, tape simplement ta réponse (ou le numéro du choix).")
    return "\n".join(lines)


def plural(n: int) -> str:
    """French: 0 and 1 are singular (« 0 réponse », « 1 réponse », « 2 réponses »)."""
    return "s" if n > 1 else ""


def questions(n: int) -> str:
    return f"{n} question{plural(n)}"


def new_questions(n: int) -> str:
    """« 1 nouvelle question », « 15 nouvelles questions »."""
    return f"{n} nouvelle{plural(n)} question{plural(n)}"


def summary(answered: int, correct: int) -> str:
    return counts(SUMMARY, answered, correct)


def counts(template: str, answered: int, correct: int) -> str:
    return template.format(
        answered=answered, s=plural(answered), correct=correct, cs=plural(correct)
    )


def when(moment: dt.datetime, now: dt.datetime, tz_name: str) -> str:
    """« maintenant », « aujourd'hui à 18 h 05 », « demain à 9 h 00 », « mardi 3 mars à … »."""
    if moment <= now:
        return "maintenant"
    zone = ZoneInfo(tz_name)
    local, today = moment.astimezone(zone), now.astimezone(zone).date()
    clock = f"{local.hour} h {local.minute:02d}"
    days = (local.date() - today).days
    if days == 0:
        return f"aujourd'hui à {clock}"
    if days == 1:
        return f"demain à {clock}"
    day = f"{_WEEKDAYS[local.weekday()]} {local.day} {_MONTHS[local.month - 1]}"
    if local.year != today.year:
        day += f" {local.year}"
    return f"{day} à {clock}"
