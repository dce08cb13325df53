"""The terminal quiz driven by a script, on both engines, and once as a real process."""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from bot.config import Settings
from bot.console import texts
from bot.console.chat import run_chat
from bot.db.models import Card, Presentation, Review, StudySession, User
from bot.domain.grading import Verdict
from bot.services.container import build_services

DATA = Path(__file__).parent / "data" / "questions"
NOW = dt.datetime(2026, 3, 10, 9, 0, tzinfo=dt.UTC)

Step = str | Callable[[str], str]


class Script:
    """Feeds the quiz its lines; a step may read what was printed so far (for the shuffled
    choices). When the lines run out it is end of input, as with Ctrl-D."""

    def __init__(self, *steps: Step) -> None:
        self.steps = list(steps)
        self.out = io.StringIO()
        self.prompts = 0

    def __call__(self, prompt: str) -> str:
        assert prompt == texts.PROMPT
        self.prompts += 1
        if not self.steps:
            raise EOFError
        step = self.steps.pop(0)
        line = step if isinstance(step, str) else step(self.out.getvalue())
        self.out.write(f"{prompt}{line}\n")  # as a terminal would show it
        return line


def pick(choice: str) -> Callable[[str], str]:
    """The number the quiz printed in front of ``choice`` for the question on screen."""

    def number(printed: str) -> str:
        for line in reversed(printed.splitlines()):
            found = re.fullmatch(rf"\s+(\d+)\. {re.escape(choice)}", line)
            if found:
                return found[1]
        raise AssertionError(f"{choice!r} is not among the choices shown")

    return number


def ticking(start: dt.datetime = NOW) -> Callable[[], dt.datetime]:
    """A clock that moves one second each time it is read."""
    moments: Iterator[dt.datetime] = (start + dt.timedelta(seconds=i) for i in range(10**6))
    return lambda: next(moments)


@pytest.fixture
def questions_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "questions"
    shutil.copytree(DATA, folder)
    return folder


@pytest.fixture
def settings(questions_dir: Path) -> Settings:
    return Settings(_env_file=None, questions_dir=questions_dir)  # type: ignore[call-arg]


def chat(settings: Settings, engine: Engine, script: Script, **kwargs: object) -> int:
    return run_chat(
        build_services(settings, engine),
        user="léa",
        input_fn=script,
        output=script.out,
        now_fn=ticking(),
        **kwargs,  # type: ignore[arg-type]
    )


def test_a_whole_session(
    settings: Settings, engine: Engine, session_factory: sessionmaker[Session]
) -> None:
    script = Script(
        "/aide",
        "2006",
        pick("la Chine"),
        "/annuler",
        pick("la Russie"),
        "/stats",
        "/quitter",
    )

    assert chat(settings, engine, script) == 0

    out = script.out.getvalue()
    assert out.startswith("Salut léa !")
    assert "/annuler" in out and "/stats" in out and "Les commandes :" in out
    # The open question, answered right, with the sentence it comes from.
    assert (
        "— Biélorussie (test) · nouvelle —\n"
        "En quelle année l'UE décide-t-elle de geler les avoirs des dirigeants biélorusses ?\n"
        "> /aide\n"
    ) in out
    assert (
        "> 2006\n"
        "Juste, bravo !\n"
        "Réponse : 2006\n"
        "Dans le texte : « En 2006, l'UE décide de geler les avoirs des dirigeants "
        "biélorusses. »\n"
        "Explication : Après l'élection présidentielle de mars 2006.\n"
        "Session : 1 réponse, 1 juste.\n"
    ) in out
    # The multiple choice, numbered, first answered wrong, then undone and answered again.
    assert out.count("Quel pays est le principal allié de la Biélorussie ?") == 2
    assert re.search(r"  1\. .*\n  2\. .*\n  3\. .*\n  4\. ", out)
    assert (
        "Raté. Ce n'est pas la bonne réponse.\n"
        "Réponse : la Russie\n"
        "Dans le texte : « La Russie reste le principal allié de la Biélorussie. »\n"
    ) in out
    assert "C'est annulé : ta réponse « la Chine » ne compte plus." in out
    assert "Session : 2 réponses, 2 justes." in out
    # /stats: the figures of Telegram's /stats (the undone answer is gone from them).
    assert (
        "> /stats\n"
        "📊 Tes progrès\n"
        "Questions : 1 nouvelle · 2 en cours · 0 connue\n"
        "Réponses : 2 en 7 jours (100 % de justes) · 2 en 30 jours (100 % de justes)\n"
        "Série : 1 jour d'affilée (record : 1 jour)\n"
        "À revoir : 2 aujourd'hui · 0 demain · 2 dans les 7 jours\n"
        "\n"
        "On reprend ta question :\n"
    ) in out
    assert out.endswith(
        "Bilan : 2 réponses, 2 justes.\n"
        "Il reste des questions : relance-moi quand tu veux.\n"
        "À bientôt !\n"
    )

    with session_factory() as s:
        user = s.scalars(select(User).where(User.console_name == "léa")).one()
        reviews = s.scalars(select(Review).order_by(Review.id)).all()
        assert [(r.given_answer, r.correct, r.user_id) for r in reviews] == [
            ("2006", True, user.id),
            ("la Russie", True, user.id),
        ]
        run = s.scalars(select(StudySession)).one()
        assert (run.answered, run.correct) == (2, 2) and run.ended_at is not None


RIGHT = {
    "En quelle année l'UE décide-t-elle": "2006",
    "Quel pays est le principal allié": "la Russie",
    "La Biélorussie est membre de l'OTAN.": "faux",
}


def right(printed: str) -> str:
    """The right answer to the question on screen."""
    for line in reversed(printed.splitlines()):
        for start, answer in RIGHT.items():
            if line.startswith(start):
                return answer
    raise AssertionError("no question on screen")


def test_everything_answered_then_a_second_visit(settings: Settings, engine: Engine) -> None:
    # One wrong answer; the failed card (due a minute later) and the cards in learning (due
    # within 20 minutes) stay in the session until nothing is due soon.
    script = Script("en 2006", "la Pologne", "faux", *[right] * 10)
    assert chat(settings, engine, script) == 0
    out = script.out.getvalue()
    assert "Juste, bravo !" in out and "Raté." in out
    assert "  1. Vrai\n  2. Faux" in out
    assert texts.FR.all_done in out
    assert out.count("Quel pays est le principal allié de la Biélorussie ?") >= 3
    assert script.steps, "the session should end before the answers run out"
    assert "Bilan :" in out and "Prochaine révision : " in out
    assert "aujourd'hui" not in out.split("Bilan :")[1]  # next review on a later day

    # Back 30 s later: nothing is due, and no « Bilan : 0 réponse ».
    again = Script()
    assert chat(settings, engine, again) == 0
    printed = again.out.getvalue()
    assert "Salut léa !" in printed and texts.FR.nothing_now in printed
    assert "Bilan" not in printed and "0 réponse" not in printed


def test_a_session_with_a_limit_offers_more_new_questions(
    settings: Settings, engine: Engine
) -> None:
    services = build_services(settings, engine)
    script = Script("/reglages nouvelles 1", right, right, "o", *[right] * 8)
    assert (
        run_chat(services, user="léa", input_fn=script, output=script.out, now_fn=ticking()) == 0
    )
    out = script.out.getvalue()
    assert "Tes réglages : 1 nouvelle question par jour" in out
    assert texts.FR.more_new_question in out
    assert texts.FR.more_new_granted.format(count=10) in out
    assert texts.FR.all_done in out
    # The three questions were studied, one in the day's limit, two as extra ones.
    for prompt in RIGHT:
        assert prompt in out
    assert "Bilan : " in out


def test_decks_and_english_command_names_in_the_terminal(
    settings: Settings, engine: Engine
) -> None:
    script = Script("/decks", "/decks 1", "/settings", "/help", "/undo", "/decks 1", "/decks 9")
    assert chat(settings, engine, script) == 0
    out = script.out.getvalue()
    assert "Tes paquets :\n  1. [x] Biélorussie (test) (bielorussie-test) · 3 questions" in out
    assert "  1. [ ] Biélorussie (test)" in out  # switched off, then on again
    assert out.count("[x] Biélorussie") == 2
    assert "Tes réglages : 10 nouvelles questions par jour" in out
    assert "Les commandes :" in out and texts.FR.undo_nothing in out
    assert texts.FR.deck_number.format(count=1) in out
    assert "Je ne connais pas" not in out
    # After each command the question waiting is shown again.
    assert out.count(texts.FR.question_again) == 6


def test_typing_mistakes_and_commands(settings: Settings, engine: Engine) -> None:
    script = Script("", "/bof", "2006", "7", "0", "la russie")
    assert chat(settings, engine, script) == 0
    out = script.out.getvalue()
    assert texts.FR.empty_answer in out
    assert "Je ne connais pas /bof." in out
    assert out.count(texts.FR.choose_number.format(count=4)) == 2
    # The choice typed out in full counts like its number.
    assert out.count("Juste, bravo !") == 2
    assert "Bilan : 2 réponses, 2 justes." in out


def test_undo_with_nothing_to_undo_and_ctrl_c(settings: Settings, engine: Engine) -> None:
    def interrupt(_printed: str) -> str:
        raise KeyboardInterrupt

    script = Script("/annuler", interrupt)
    assert chat(settings, engine, script) == 130
    out = script.out.getvalue()
    assert texts.FR.undo_nothing in out
    # No answer: no « Bilan : 0 réponse », only what comes next.
    assert out.endswith("\nIl reste des questions : relance-moi quand tu veux.\nÀ bientôt !\n")
    assert "Bilan" not in out


def test_a_question_left_open_by_a_crash_is_asked_again(
    settings: Settings, engine: Engine, session_factory: sessionmaker[Session]
) -> None:
    def crash(_printed: str) -> str:
        raise RuntimeError("the terminal went away")

    with pytest.raises(RuntimeError):  # no goodbye: the run and its question stay open
        chat(settings, engine, Script(crash))

    script = Script("2006")
    assert chat(settings, engine, script) == 0
    out = script.out.getvalue()
    assert "Juste, bravo !" in out and "Bilan : 1 réponse, 1 juste." in out
    with session_factory() as s:
        assert len(s.scalars(select(Presentation)).all()) == 2  # the one left open, then one
        assert [r.given_answer for r in s.scalars(select(Review))] == ["2006"]
        assert len(s.scalars(select(StudySession)).all()) == 1


def test_practice_one_deck(settings: Settings, engine: Engine) -> None:
    script = Script("1990", "la Russie", "vrai")
    assert chat(settings, engine, script, deck="bielorussie-test") == 0
    out = script.out.getvalue()
    assert "Mode entraînement sur « Biélorussie (test) »" in out
    assert out.count(texts.FR.practice_note) == 3
    assert texts.FR.practice_done in out

    unknown = Script()
    assert chat(settings, engine, unknown, deck="histoire") == 1
    assert "Je ne connais pas le paquet « histoire ». Paquets disponibles : bielorussie-test." in (
        unknown.out.getvalue()
    )


def test_invalid_files_are_listed_and_the_quiz_goes_on(
    settings: Settings, engine: Engine, questions_dir: Path
) -> None:
    assert chat(settings, engine, Script()) == 0  # imports the valid deck
    (questions_dir / "casse.yaml").write_text(
        "version: 1\ndeck:\n  id: casse\n  title: Casse\nquestions:\n  - id: q\n    kind: nope\n",
        encoding="utf-8",
    )
    script = Script("2006")
    assert chat(settings, engine, script) == 0
    out = script.out.getvalue()
    assert out.startswith(texts.FR.import_failed)
    assert "casse.yaml" in out and texts.FR.import_continue in out
    assert "Juste, bravo !" in out


def test_no_questions_at_all(engine: Engine, tmp_path: Path) -> None:
    settings = Settings(_env_file=None, questions_dir=tmp_path / "vide")  # type: ignore[call-arg]
    script = Script()
    assert chat(settings, engine, script) == 1
    assert "Il n'y a encore aucune question." in script.out.getvalue()
    assert script.prompts == 0


def test_help_lists_every_command() -> None:
    helped = texts.FR.help_text()
    assert all(name in helped for name, _ in texts.FR.commands)
    assert [name for name, _ in texts.FR.commands] == [
        "/stats",
        "/decks",
        "/reglages",
        "/encore",
        "/jaiRaison",
        "/annuler",
        "/aide",
        "/quitter",
    ]


def test_python_m_bot_chat_in_a_real_process(tmp_path: Path, questions_dir: Path) -> None:
    env = {
        key: value
        for key, value in os.environ.items()
        if key.lower() not in Settings.model_fields and not key.upper().startswith("TELEGRAM")
    }
    env |= {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'quiz.sqlite3'}",
        "QUESTIONS_DIR": str(questions_dir),
        "LOG_LEVEL": "WARNING",
        "PYTHONIOENCODING": "utf-8",
    }
    done = subprocess.run(
        [sys.executable, "-m", "bot", "chat", "--user", "eleve"],
        input="2006\n/quitter\n",
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        cwd=tmp_path,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "Salut eleve !" in done.stdout
    assert "Juste, bravo !" in done.stdout
    assert "Bilan : 1 réponse, 1 juste." in done.stdout


def test_i_dont_know_is_answered_kindly(settings: Settings, engine: Engine) -> None:
    script = Script("je ne sais pas", "/quitter")
    assert chat(settings, engine, script) == 0
    out = script.out.getvalue()
    assert texts.FR.dont_know in out and "Raté" not in out
    assert "Réponse : 2006" in out


def test_i_was_right_in_the_terminal(
    settings: Settings, engine: Engine, session_factory: sessionmaker[Session]
) -> None:
    script = Script("MMVI", "/jaiRaison", "/right", "/quitter")
    assert chat(settings, engine, script) == 0
    out = script.out.getvalue()
    assert texts.FR.override_hint in out
    assert "C'est noté : ta réponse « MMVI » compte juste." in out
    assert "C'est déjà noté pour cette réponse." in out
    with session_factory() as s:
        review = s.scalars(select(Review)).one()
        assert review.correct and review.verdict == "wrong"


def test_review_ahead_when_nothing_is_due(settings: Settings, engine: Engine) -> None:
    first = Script(*[right] * 10)
    assert chat(settings, engine, first) == 0
    assert texts.FR.all_done in first.out.getvalue()

    later = Script("o", right, right, right)
    assert chat(settings, engine, later) == 0
    out = later.out.getvalue()
    assert texts.FR.ahead_question in out and texts.FR.ahead_start in out
    assert out.count(texts.FR.practice_note) == 3 and texts.FR.ahead_done in out


def test_the_grading_reason_is_said_in_french(settings: Settings, engine: Engine) -> None:
    script = Script("2007", "/quitter")
    assert chat(settings, engine, script) == 0
    out = script.out.getvalue()
    assert "> 2007\nRaté. Ce n'est pas la bonne année.\nRéponse : 2006\n" in out
    assert "Session : 1 réponse, 0 juste.\n" in out


class StudentClock:
    """The session's clock: a second per read, and the time a student takes to answer."""

    def __init__(self, start: dt.datetime) -> None:
        self.now = start

    def __call__(self) -> dt.datetime:
        self.now += dt.timedelta(seconds=1)
        return self.now

    def wait(self, seconds: float) -> None:
        self.now += dt.timedelta(seconds=seconds)


def started_cards_due_by(
    session_factory: sessionmaker[Session], when: dt.datetime
) -> list[dt.datetime]:
    """The terminal student's studied cards (not suspended) due by ``when``."""
    with session_factory() as s:
        user = s.scalars(select(User).where(User.console_name == "léa")).one()
        return list(
            s.scalars(
                select(Card.due).where(
                    Card.user_id == user.id,
                    Card.reps > 0,
                    Card.suspended_at.is_(None),
                    Card.due <= when,
                )
            )
        )


def test_twenty_minutes_on_a_fresh_install_have_no_dead_end(
    engine: Engine, session_factory: sessionmaker[Session], tmp_path: Path
) -> None:
    """Issue 16's target: the shipped questions, a student answering every 12 s who learns
    (« je ne sais pas » or the first choice the first time, then the answer the bot gave),
    takes « Encore 10 nouvelles » once and comes back a minute after each end, for 20
    minutes. No run exits while a studied card is due within 20 minutes, and none says
    « 0 réponse »."""
    folder = tmp_path / "questions"
    shutil.copytree(Path(__file__).parents[2] / "questions", folder)
    settings = Settings(_env_file=None, questions_dir=folder)  # type: ignore[call-arg]
    clock = StudentClock(NOW)
    end = NOW + dt.timedelta(minutes=20)
    out = io.StringIO()
    learnt: dict[str, str] = {}
    asked: list[str] = []  # the question last answered
    seen = 0  # characters of output already read
    more_taken = 0

    def student(prompt: str) -> str:
        nonlocal seen, more_taken
        assert prompt == texts.PROMPT
        printed = out.getvalue()
        new_lines, seen = printed[seen:].splitlines(), len(printed)
        for line in new_lines:
            if line.startswith("Réponse : ") and asked:
                learnt[asked[-1]] = line.removeprefix("Réponse : ")
        if clock.now >= end:
            raise EOFError  # the student leaves after 20 minutes
        lines = printed.splitlines()
        if lines[-1] == texts.FR.more_new_question:
            more_taken += 1
            line = "o" if more_taken == 1 else "n"
        elif lines[-1] == texts.FR.ahead_question:
            line = "n"
        else:
            header = max(i for i, text in enumerate(lines) if re.fullmatch(r"— .* —", text))
            question = lines[header + 1]
            clock.wait(12)
            asked.append(question)
            choices = re.fullmatch(r"\s+\d+\. .*", lines[-1]) is not None
            line = learnt.get(question, "1" if choices else "je ne sais pas")
        out.write(f"{prompt}{line}\n")
        seen = len(out.getvalue())
        return line

    services = build_services(settings, engine)
    runs = 0
    while clock.now < end:
        runs += 1
        assert runs < 60, "a run per minute at most"
        run_chat(services, user="léa", input_fn=student, output=out, now_fn=clock)
        if clock.now < end:  # the run ended by itself: nothing may be due soon
            due = started_cards_due_by(session_factory, clock.now + dt.timedelta(minutes=20))
            assert due == [], f"run {runs} ended at {clock.now} with cards due at {due}"
            clock.wait(60)  # back a minute later
    printed = out.getvalue()
    assert len(asked) > 40 and more_taken >= 1 and runs >= 2
    assert re.search(r"(?<!\d)0 réponse", printed) is None


def test_the_terminal_speaks_the_students_language(settings: Settings, engine: Engine) -> None:
    """« /reglages langue en »: from then on the terminal (verdicts, reasons, settings) speaks
    English, and the next run starts in English; « /settings language fr » goes back."""
    script = Script("/reglages langue en", "2007", "/quitter")
    assert chat(settings, engine, script) == 0
    out = script.out.getvalue()
    assert "Your settings: " in out and "language en" in out
    assert "Ce n'est pas la bonne année" not in out
    english = texts.for_language("en")
    assert english.verdicts[Verdict.WRONG] in out and "Answer: 2006" in out
    again = Script("/settings language fr", "/quitter")
    assert chat(settings, engine, again) == 0
    back = again.out.getvalue()
    assert back.index(english.how_to) < back.index("Tes réglages : ")


def test_a_bad_language_is_refused_and_nothing_changes(settings: Settings, engine: Engine) -> None:
    script = Script("/reglages langue de", "/reglages", "/quitter")
    assert chat(settings, engine, script) == 0
    out = script.out.getvalue()
    assert texts.FR.settings_bad in out and "langue fr" in out
