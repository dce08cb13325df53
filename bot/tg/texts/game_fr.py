"""Les textes du jeu en classe, dans le groupe (en français : un groupe n'a pas de langue).

Gabarits ``str.format`` à champs nommés, comme dans :mod:`bot.tg.texts.fr`.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class GameTexts:
    private_only: str = (
        "Le jeu se joue dans le groupe de la classe : ajoute-moi au groupe, "
        "puis envoie /jeu là-bas."
    )
    not_teacher: str = "Seul un prof peut lancer ou arrêter le jeu 🙂"
    group_help: str = (
        "Dans un groupe, je sers au jeu de classe : le prof envoie /jeu (et /lier relie le "
        "groupe à sa classe). Pour réviser, tes réglages et tes statistiques, écris-moi en "
        "privé."
    )
    not_teacher_button: str = "Réservé au prof."
    need_rights: str = (
        "Pour lancer le jeu, j'ai besoin de pouvoir envoyer des messages et des sondages "
        "dans ce groupe. Nomme-moi administrateur du groupe (ou donne-moi ces droits), "
        "puis renvoie /jeu."
    )
    need_rights_private: str = (
        "Je ne peux pas lancer le jeu dans le groupe « {group} » : il me faut le droit "
        "d'y envoyer des messages et des sondages. Nomme-moi administrateur du groupe, "
        "puis renvoie /jeu."
    )
    no_decks: str = (
        "Aucun paquet ne peut servir au jeu : il faut des questions à choix, des vrai/faux, "
        "ou des questions avec des propositions (distractors)."
    )
    already_running: str = "Un jeu est déjà en cours dans ce groupe. /stop pour l'arrêter."
    no_game: str = "Aucun jeu en cours dans ce groupe."
    deck_gone: str = "Ce paquet n'est plus disponible. Renvoie /jeu."
    pick_deck: str = "🎲 Jeu en classe : quel paquet ?"
    pick_count: str = "🎲 « {deck} » : combien de questions ?"
    pick_seconds: str = "🎲 « {deck} », {count} questions : combien de temps par question ?"
    btn_count: str = "{count} questions"
    btn_seconds: str = "{seconds} s"
    btn_stop: str = "⏹ Arrêter le jeu"
    started: str = (
        "🎲 C'est parti : « {deck} », {count} questions, {seconds} s chacune.\n"
        "Répondez aux sondages : le plus de bonnes réponses gagne, "
        "et à égalité, le plus rapide !"
    )
    poll_question: str = "{number}/{total} · {question}"
    true: str = "Vrai"
    false: str = "Faux"
    result: str = (
        "Question {number}/{total} : {correct} sur {answered} ont trouvé. Réponse : {answer}"
    )
    result_nobody: str = "Question {number}/{total} : personne n'a répondu. Réponse : {answer}"
    board_title: str = "🏆 Classement — « {deck} »"
    board_line: str = "{medal} {name} — {correct}/{asked} ({seconds} s)"
    board_empty: str = "Personne n'a répondu : pas de classement cette fois."
    board_stopped: str = "Jeu arrêté après {asked} question(s) sur {total}."
    board_abandoned: str = (
        "Jeu interrompu (redémarrage du bot) après {asked} question(s) sur {total}."
    )
    board_hardest: str = (
        "😅 La plus difficile : « {prompt} » ({correct} sur {answered}). Réponse : {answer}"
    )
    board_more: str = "… et {count} autre(s) joueur(s) : le détail est dans le fichier du prof."
    csv_caption: str = "Les résultats du jeu « {deck} », élève par élève."
    csv_not_sent: str = (
        "Je n'ai pas pu envoyer les résultats en privé au prof : écrivez-moi d'abord en "
        "privé (/start), les prochains vous arriveront."
    )
    csv_columns: tuple[str, ...] = ("rang", "élève", "bonnes réponses", "réponses", "temps (s)")
    csv_question: str = "Q{number} : {prompt}"


GAME_FR = GameTexts()
