"""`quizbot` command line: one entry point for students, teachers and operators.

Each sub-command imports what it needs when it runs, so `quizbot chat` never loads spaCy and
`quizbot validate` never opens the database.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import logging
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from sqlalchemy import Engine
from sqlalchemy.engine import make_url

from bot.config import ConfigError, Settings, load_settings
from bot.logging_setup import setup_logging
from bot.render.plural import count_fr

if TYPE_CHECKING:
    from bot.content.deckfile import DeckFormatError
    from bot.db.backup import BackupError
    from bot.services.dispatch import DispatchReport, Notifier
    from bot.services.exports import ExportService
    from bot.services.optimizer import OptimizerService
    from bot.services.reminders import PromptPreview

log = logging.getLogger(__name__)


class CommandError(Exception):
    """A user-facing failure: printed as one line, exit code 1."""


def _secrets(settings: Settings) -> list[str]:
    secrets = [settings.token or ""]
    if settings.webhook_secret:  # PTB logs setWebhook's parameters at DEBUG
        secrets.append(settings.webhook_secret.get_secret_value())
    password = make_url(settings.database_url).password
    if password:
        secrets.append(str(password))
    return secrets


@contextlib.contextmanager
def _engine(settings: Settings) -> Iterator[Engine]:
    """Engine on an up-to-date schema (migrating if allowed, else refusing), then disposed."""
    from bot.db import migrations
    from bot.db.engine import make_engine

    engine = make_engine(settings.database_url)
    try:
        status = migrations.schema_status(engine)
        if not status.up_to_date:
            if not settings.should_auto_migrate:
                raise CommandError(status.describe())
            migrations.upgrade(engine)
        yield engine
    finally:
        engine.dispose()


def cmd_migrate(settings: Settings, args: argparse.Namespace) -> int:
    from bot.db import migrations
    from bot.db.engine import make_engine

    engine = make_engine(settings.database_url)
    try:
        migrations.upgrade(engine)
        print(migrations.schema_status(engine).describe())
    finally:
        engine.dispose()
    return 0


def _print_problems(exc: DeckFormatError, then: str) -> int:
    """Every problem of the files on stdout, then « N erreurs<then> » on stderr; exit code 1."""
    for problem in exc.problems:
        print(problem)
    print(f"{count_fr(len(exc.problems), 'erreur')}{then}", file=sys.stderr)
    return 1


def cmd_validate(settings: Settings, args: argparse.Namespace) -> int:
    from bot.content.deckfile import DeckFormatError, load_decks, summarize

    paths = args.paths or [settings.questions_dir]
    try:
        decks = load_decks(paths)
    except DeckFormatError as exc:
        return _print_problems(exc, " à corriger.")
    print(summarize(decks))
    return 0


def cmd_import(settings: Settings, args: argparse.Namespace) -> int:
    from bot.content.deckfile import DeckFormatError
    from bot.db.engine import make_session_factory
    from bot.reports import describe_import
    from bot.services.clock import utcnow
    from bot.services.importing import ImportService

    try:
        with _engine(settings) as engine:
            service = ImportService(make_session_factory(engine))
            report = service.import_paths(args.paths or [settings.questions_dir], utcnow())
    except DeckFormatError as exc:
        return _print_problems(exc, " : la base n'a pas été modifiée.")
    print(describe_import(report))
    return 0


def cmd_generate(settings: Settings, args: argparse.Namespace) -> int:
    from bot.content.generator.cli import generate_command

    return generate_command(
        Path(args.source),
        Path(args.output) if args.output else None,
        args.deck_id,
        args.title,
        progress=not args.no_progress,
        force=args.force,
    )


def cmd_chat(settings: Settings, args: argparse.Namespace) -> int:
    from bot.console.chat import run_chat
    from bot.services.container import build_services

    with _engine(settings) as engine:
        return run_chat(build_services(settings, engine), user=args.user, deck=args.deck)


def cmd_export(settings: Settings, args: argparse.Namespace) -> int:
    from bot.db.engine import make_session_factory
    from bot.services.exports import ExportService

    with _engine(settings) as engine:
        return _export(ExportService(make_session_factory(engine)), args, settings.teacher_ids)


def _export(service: ExportService, args: argparse.Namespace, teachers: frozenset[int]) -> int:
    from bot.services.clock import utcnow
    from bot.services.exports import UnknownDeck

    if args.csv:
        text = service.class_csv(utcnow(), exclude_telegram_ids=teachers)  # as in /classe
        if args.csv == "-":
            sys.stdout.write(text)
        else:
            Path(args.csv).write_text(text, encoding="utf-8")
            lines = count_fr(text.count(chr(10)) - 1, "ligne écrite", "lignes écrites")
            print(f"{lines} dans {args.csv}")
    if args.anki:
        if not args.deck:
            raise CommandError("--anki demande --deck ID (l'identifiant du paquet)")
        try:
            result = service.anki_package(args.deck, Path(args.anki))
        except UnknownDeck as exc:
            raise CommandError(f"paquet inconnu : {exc} (voir `quizbot import`)") from None
        notes = count_fr(result.notes, "carte Anki écrite", "cartes Anki écrites")
        print(f"{notes} dans {result.path}")
    return 0


def cmd_remind(settings: Settings, args: argparse.Namespace) -> int:
    from bot.services.clock import utcnow

    with _engine(settings) as engine:
        return remind_command(settings, engine, args.dry_run, utcnow())


# -- quizbot remind: the French report ------------------------------------------------------

#: By :class:`~bot.services.reminders.PreviewDecision` and
#: :class:`~bot.services.reminders.ClaimOutcome` value.
REMIND_LABELS: dict[str, tuple[str, str]] = {  # (one student or prompt, several)
    "send": ("à relancer", "à relancer"),
    "nothing_due": ("rien à réviser", "rien à réviser"),
    "studied_today": ("a déjà révisé ce jour-là", "ont déjà révisé ce jour-là"),
    "too_late": ("trop en retard (rappel manqué)", "trop en retard (rappels manqués)"),
    "already_prompted": ("déjà relancé ce jour-là", "déjà relancés ce jour-là"),
    "bad_zone": ("fuseau horaire inconnu", "fuseau horaire inconnu"),
    "skipped": (
        "sauté (rien à réviser ou déjà révisé)",
        "sautés (rien à réviser ou déjà révisé)",
    ),
    "expired": ("expiré", "expirés"),
    "blocked": ("bloqué", "bloqués"),
    "failed": ("abandonné", "abandonnés"),
    "duplicate": ("déjà relancé ce jour-là", "déjà relancés ce jour-là"),
    "lost": ("pris par un autre processus", "pris par un autre processus"),
}


def _remind_label(key: str) -> str:
    return REMIND_LABELS.get(key, (key, key))[0]


def _remind_count(n: int, key: str) -> str:
    return count_fr(n, *REMIND_LABELS.get(key, (key, key)))


def _local_time(preview: PromptPreview) -> str:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        return preview.scheduled_for.astimezone(ZoneInfo(preview.timezone)).strftime("%d/%m %H:%M")
    except (ZoneInfoNotFoundError, ValueError):
        return preview.scheduled_for.strftime("%d/%m %H:%M UTC")


def format_preview(previews: Sequence[PromptPreview], now: dt.datetime) -> str:
    """The dry-run report, in French, one line per student then a summary."""
    from collections import Counter

    from bot.services.reminders import PreviewDecision, check_now

    when = check_now(now).strftime("%Y-%m-%d %H:%M")
    if not previews:
        return f"Aucun rappel dû au {when} UTC."
    lines = [f"Rappels dus au {when} UTC (aperçu : rien n'est envoyé ni enregistré) :"]
    for p in previews:
        label = _remind_label(p.decision)
        if p.decision is PreviewDecision.SEND:
            label += f" — {count_fr(p.due_count, 'question')}"
        if p.snoozed:
            label += " (« Plus tard » demandé)"
        name = f" {p.display_name}" if p.display_name else ""
        lines.append(f"  n°{p.user_id}{name} ({p.timezone}, {_local_time(p)}) : {label}")
    counts = Counter(p.decision for p in previews)
    summary = ", ".join(_remind_count(n, k) for k, n in counts.most_common())
    lines.append(f"{count_fr(len(previews), 'élève')} : {summary}.")
    return "\n".join(lines)


def describe_dispatch(report: DispatchReport) -> str:
    """One run of the daily prompts, in French, on one line."""
    parts = [
        count_fr(report.sent, "rappel envoyé", "rappels envoyés"),
        count_fr(report.blocked, "bloqué"),
        f"{report.retry_later} à réessayer",
        f"{report.failed} en échec",
    ]
    parts += [_remind_count(n, k) for k, n in sorted(report.not_sent.items())]
    return ", ".join(parts)


def remind_command(
    settings: Settings,
    engine: Engine,
    dry_run: bool,
    now: dt.datetime,
    *,
    notifier: Notifier | None = None,
    out: TextIO | None = None,
) -> int:
    """``quizbot remind [--dry-run]``: show (or, given a notifier, send) the prompts due now.

    Returns the exit code. Without ``--dry-run`` a :class:`~bot.services.dispatch.Notifier` is
    needed: the running bot sends the prompts itself every minute, so this is for operators
    and tests.
    """
    import asyncio

    from bot.services.container import build_services
    from bot.services.dispatch import dispatch_once

    out = out or sys.stdout
    service = build_services(settings, engine).reminders
    if dry_run:
        print(format_preview(service.preview(now, limit=None), now), file=out)
        return 0
    if notifier is None:
        print(
            "Les rappels sont envoyés par le bot lui-même (`quizbot run`), chaque minute ; "
            "`quizbot remind --dry-run` montre qui serait relancé maintenant et pourquoi.",
            file=sys.stderr,
        )
        return 1
    report = asyncio.run(dispatch_once(service, notifier, now))
    print(describe_dispatch(report), file=out)
    return 0


def _backup_failure(exc: BackupError) -> str:
    from bot.db.backup import BackupFailure

    match exc.failure:
        case BackupFailure.NOT_SQLITE:
            return (
                "sauvegarde intégrée pour SQLite seulement ; pour PostgreSQL : "
                "pg_dump --format=custom --file=quizbot.dump NOM_DE_LA_BASE"
            )
        case BackupFailure.NO_DATABASE:
            return f"base SQLite introuvable : {exc.detail}"
        case BackupFailure.SAME_FILE:
            return "la copie doit aller dans un autre fichier que la base"
        case BackupFailure.EMPTY_DATABASE:
            return f"base SQLite vide (aucune table) : {exc.detail}"
        case BackupFailure.CORRUPT_COPY:
            return f"copie corrompue, rien n'est écrit : {exc.detail}"
        case BackupFailure.INCOMPLETE_COPY:
            return f"copie incomplète, rien n'est écrit : {exc.detail}"


def cmd_backup(settings: Settings, args: argparse.Namespace) -> int:
    from bot.db.backup import BackupError, backup_sqlite

    try:
        size = backup_sqlite(settings.database_url, Path(args.target))
    except BackupError as exc:
        raise CommandError(_backup_failure(exc)) from None
    print(f"sauvegarde écrite : {args.target} ({size // 1024} Kio)")
    return 0


def cmd_optimize(settings: Settings, args: argparse.Namespace) -> int:
    from bot.db.engine import make_session_factory
    from bot.services.clock import utcnow
    from bot.services.optimizer import OptimizerService

    with _engine(settings) as engine:
        service = OptimizerService(make_session_factory(engine))
        return optimize_command(service, utcnow(), user=args.user, force=args.force)


#: By :class:`~bot.services.optimizer.FitStatus` value.
FIT_LABELS = {
    "fitted": "paramètres personnels enregistrés",
    "defaults_kept": "pas mieux que les paramètres par défaut, gardés",
    "not_enough": "pas assez de réponses espacées d'un jour ou plus",
    "too_soon": "déjà ajusté il y a moins d'une semaine (--force pour refaire)",
}


def optimize_command(
    service: OptimizerService,
    now: dt.datetime,
    *,
    user: int | None = None,
    force: bool = False,
    out: TextIO | None = None,
) -> int:
    """``quizbot optimize [--user N] [--force]``: fit the students due for it (or one)."""
    from bot.services.views import UserNotFound

    out = out or sys.stdout
    try:
        outcomes = (
            [service.fit_student(user, now, force=force)]
            if user is not None
            else service.fit_due(now, limit=1_000_000)
        )
    except UserNotFound:
        raise CommandError(f"élève n°{user} inconnu(e)") from None
    for o in outcomes:
        loss = ""
        if o.log_loss is not None and o.default_log_loss is not None:
            loss = f", perte log {o.log_loss:.4f} (défaut {o.default_log_loss:.4f})"
        print(
            f"élève n°{o.user_id} : {FIT_LABELS[o.status]} — {count_fr(o.reviews, 'réponse')}, "
            f"{count_fr(o.training_items, 'exemple')}{loss}",
            file=out,
        )
    if not outcomes:
        print("Aucun élève à ajuster (assez de réponses, pas ajusté cette semaine).", file=out)
    return 0


def cmd_run(settings: Settings, args: argparse.Namespace) -> int:
    if not settings.token:
        print(
            "Pas de TELEGRAM_BOT_TOKEN : voici le quiz dans le terminal "
            "(voir le README pour brancher le bot Telegram).\n"
        )
        return cmd_chat(settings, argparse.Namespace(user=None, deck=None))
    from bot.services.container import build_services
    from bot.tg.app import run_bot

    with _engine(settings) as engine:
        return run_bot(settings, build_services(settings, engine), webhook=args.webhook)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="quizbot", description="Bot d'étude : questions sur un texte, répétition espacée."
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMANDE")

    def add(
        name: str, func: Callable[[Settings, argparse.Namespace], int], helptext: str
    ) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=helptext, description=helptext)
        p.set_defaults(func=func)
        return p

    p = add("run", cmd_run, "lance le bot Telegram (ou le quiz terminal sans jeton)")
    p.add_argument("--webhook", action="store_true", help="mode webhook au lieu du long polling")
    add("migrate", cmd_migrate, "met le schéma de la base à jour (Alembic)")
    p = add("validate", cmd_validate, "vérifie des fichiers de questions sans rien importer")
    p.add_argument(
        "paths", nargs="*", type=Path, help="fichiers ou dossiers (défaut : questions/)"
    )
    p = add("import", cmd_import, "importe les fichiers de questions dans la base")
    p.add_argument(
        "paths", nargs="*", type=Path, help="fichiers ou dossiers (défaut : questions/)"
    )
    p = add("generate", cmd_generate, "génère un paquet de questions depuis un texte français")
    p.add_argument("source", help="texte source (.txt ou .md, UTF-8)")
    p.add_argument(
        "-o",
        "--output",
        help="brouillon YAML à écrire (défaut : brouillons/<id>.yaml, hors de questions/)",
    )
    p.add_argument(
        "--force", action="store_true", help="écraser le fichier de sortie s'il existe déjà"
    )
    p.add_argument("--deck-id", help="identifiant du paquet (défaut : nom du fichier)")
    p.add_argument("--title", help="titre du paquet")
    p.add_argument("--no-progress", action="store_true", help="sans barre de progression")
    p = add("chat", cmd_chat, "le quiz dans le terminal")
    p.add_argument("--user", help="nom de l'élève (défaut : votre nom de session)")
    p.add_argument("--deck", help="réviser un seul paquet (mode entraînement)")
    p = add("export", cmd_export, "exporte les progrès (CSV) ou un paquet (Anki)")
    p.add_argument("--csv", metavar="FICHIER", help="élèves × paquets en CSV (- : la sortie)")
    p.add_argument("--anki", metavar="FICHIER.apkg", help="un paquet au format Anki")
    p.add_argument("--deck", metavar="ID", help="le paquet à exporter pour --anki")
    p = add(
        "remind", cmd_remind, "rappels quotidiens : qui serait relancé maintenant, et pourquoi"
    )
    p.add_argument("--dry-run", action="store_true", help="montrer sans rien envoyer")
    p = add("optimize", cmd_optimize, "ajuste FSRS à la mémoire de chaque élève (chaque semaine)")
    p.add_argument("--user", type=int, help="un seul élève (son numéro n°)")
    p.add_argument("--force", action="store_true", help="même s'il a été ajusté cette semaine")
    p = add("backup", cmd_backup, "copie cohérente de la base SQLite, même bot en marche")
    p.add_argument("target", help="fichier de sauvegarde à écrire")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = load_settings()
        setup_logging(settings.log_level, _secrets(settings))
        result: int = args.func(settings, args)
        return result
    except (ConfigError, CommandError) as exc:
        print(f"quizbot : {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
