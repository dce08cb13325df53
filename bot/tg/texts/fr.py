"""Les textes du bot en français (langue par défaut) : tutoiement, phrases courtes."""

from __future__ import annotations

from bot.tg.texts.base import Texts

FR = Texts(
    language="fr",
    language_name="Français",
    # Commandes et aide
    command_help={
        "start": "faire connaissance et régler le bot",
        "quiz": "réviser maintenant",
        "stats": "voir tes progrès",
        "reglages": "heure du rappel, fuseau, nouvelles questions, langue",
        "decks": "choisir les paquets de questions à réviser",
        "annuler": "annuler ta dernière réponse",
        "encore": "10 nouvelles questions de plus aujourd'hui",
        "jairaison": "ta dernière réponse tapée était juste : je corrige",
        "pause": "mettre les rappels en pause",
        "reprendre": "relancer les rappels",
        "oublier": "effacer toutes tes données",
        "aide": "afficher cette aide",
        "recharger": "recharger le dossier de questions",
        "classe": "tes classes : élèves, paquets, lien d'invitation, export CSV",
        "quitter": "quitter une classe",
        "nouvelleclasse": "créer une classe (ex. /nouvelleclasse 3e B)",
        "generer": "faire un brouillon de questions à partir d'un texte",
        "brouillons": "reprendre la relecture de tes brouillons",
        "lier": "lier un groupe Telegram à une classe (dans le groupe)",
        "jeu": "jeu en classe dans le groupe (sondages quiz)",
    },
    help_title="Voici ce que je sais faire :",
    help_teacher_title="Pour les profs :",
    help_footer=(
        "Pour répondre à une question, touche un bouton ou écris ta réponse. "
        "Les profs peuvent aussi m'envoyer un fichier de questions .yaml."
    ),
    unknown_command="Je ne connais pas cette commande 🤔 Tape /aide pour voir la liste.",
    hint=(
        "Je n'attends pas de réponse pour l'instant 🙂 "
        "Tape /quiz pour réviser ou /aide pour voir ce que je sais faire."
    ),
    teacher_only="Cette commande est réservée aux profs.",
    error="Oups, j'ai eu un souci de mon côté 😕 Réessaie dans un instant.",
    answer_not_saved=(
        "⚠️ Ta réponse n'a pas pu être enregistrée (souci technique de mon côté). "
        "Réessaie dans un instant : elle ne comptera qu'une fois."
    ),
    slow_down=(
        "🐢 Doucement… Tu envoies beaucoup de messages d'un coup : "
        "j'ignore les suivants quelques secondes."
    ),
    # Premier contact
    welcome=(
        "Salut {name} ! 👋\n\n"
        "Je t'aide à apprendre les textes vus en classe. Je te pose des questions, je corrige "
        "tes réponses en te montrant la phrase du texte, et je te repose chaque question au bon "
        "moment pour que tu la retiennes pour de bon.\n\n"
        "On règle trois petites choses et c'est parti !"
    ),
    step_decks=(
        "1/3 · 📚 Quels paquets de questions veux-tu réviser ? "
        "Touche un paquet pour le cocher ✅ ou le décocher ⬜, puis « Continuer »."
    ),
    step_reminder=(
        "2/3 · ⏰ À quelle heure veux-tu un petit rappel chaque jour ? "
        "Je t'écris seulement s'il y a des questions à revoir."
    ),
    step_timezone=(
        "3/3 · 🌍 Dans quel fuseau horaire es-tu ? Choisis-le, ou touche « Autre » pour l'écrire."
    ),
    onboarding_done=(
        "C'est tout bon ✅\n"
        "⏰ Rappel : {reminder}\n"
        "🌍 Fuseau : {timezone}\n\n"
        "Tape /quiz pour commencer, ou /aide pour voir tout ce que je sais faire."
    ),
    no_decks="Il n'y a pas encore de questions : ton prof doit en ajouter. Reviens vite !",
    # Boutons
    btn_continue="Continuer ➡️",
    btn_start_quiz="▶️ C'est parti",
    btn_stop="⏹ Stop",
    btn_true="Vrai",
    btn_false="Faux",
    btn_review="📚 Réviser",
    btn_later="⏰ Plus tard",
    btn_forget_yes="Oui, tout effacer",
    btn_forget_no="Non, garder",
    btn_other_zone="Autre…",
    btn_other_time="Autre heure…",
    btn_no_reminder="Pas de rappel",
    btn_back="⬅️ Retour",
    btn_set_reminder="⏰ Heure du rappel",
    btn_set_timezone="🌍 Fuseau horaire",
    btn_set_cards="🆕 Nouvelles questions",
    btn_set_language="🗣 Langue",
    btn_set_decks="📚 Paquets",
    # Quiz
    question_header="📘 {deck}",
    question_new="🆕 nouvelle question",
    type_answer="✍️ Écris ta réponse.",
    pick_answer="👇 Choisis ta réponse.",
    verdict_correct="✅ Bravo, c'est juste !",
    verdict_close="👍 Presque ! C'est compté juste. Réponse exacte : {answer}",
    verdict_partial="🟡 En partie juste ! La réponse complète : {answer}",
    verdict_wrong="❌ Raté ! La bonne réponse : {answer}",
    your_answer="Ta réponse : {given}",
    source_line="📖 Dans le texte : « {source} »",
    explanation_line="💡 {explanation}",
    leech="🧩 Cette question te résiste : je la mets de côté. Parles-en à ton prof !",
    already_answered="Déjà répondu 😉",
    stale_question="Cette question n'est plus en cours. Tape /quiz pour continuer.",
    unknown_question="Je ne retrouve pas cette question 🤔 Tape /quiz pour en avoir une autre.",
    nothing_to_study="Rien à réviser pour l'instant 🎉",
    nothing_until="Prochaine question à revoir : {when}.",
    session_summary="🏁 Fin de la session : {correct} sur {answered} {right}.",
    session_empty="🏁 Session terminée.",
    session_stopped="⏹ Session arrêtée.",
    # Annuler
    undo_done="↩️ J'ai annulé ta réponse à « {prompt} ». Cette question reviendra.",
    undo_nothing="Il n'y a rien à annuler.",
    undo_too_late="Trop tard : on peut annuler une réponse seulement dans les 10 minutes.",
    # Réglages
    settings_title=(
        "⚙️ Tes réglages\n"
        "⏰ Rappel : {reminder}\n"
        "🌍 Fuseau : {timezone}\n"
        "🆕 Nouvelles questions par jour : {cards}\n"
        "🗣 Langue : {language}\n"
        "🎯 Mémorisation visée : {retention} %\n\n"
        "Que veux-tu changer ?"
    ),
    reminder_off="pas de rappel",
    reminders_paused_label="{time} (en pause)",
    ask_reminder="⏰ À quelle heure veux-tu ton rappel ? (heure de ton fuseau)",
    ask_timezone="🌍 Choisis ton fuseau horaire, ou touche « Autre » pour l'écrire.",
    ask_timezone_typed=(
        "Écris ton fuseau horaire, par exemple Europe/Paris, America/Montreal ou Africa/Dakar."
    ),
    ask_time_typed="Écris l'heure de ton rappel, par exemple 18:30.",
    ask_cards="🆕 Combien de nouvelles questions par jour ?",
    ask_language="🗣 Dans quelle langue veux-tu que je te parle ?",
    saved="C'est noté ✅",
    bad_timezone=(
        "Je ne connais pas le fuseau « {value} » 🤔 "
        "Exemples : Europe/Paris, Africa/Dakar, America/Montreal."
    ),
    bad_time="Je n'ai pas compris l'heure « {value} ». Écris-la comme ceci : 18:30.",
    bad_setting="Ce réglage n'est pas possible 🤔",
    # Paquets
    decks_title=(
        "📚 Tes paquets de questions. Touche un paquet pour le cocher ✅ ou le décocher ⬜."
    ),
    deck_line="{mark} {title} ({count})",
    deck_gone="Ce paquet n'existe plus.",
    # Dates
    when_today="aujourd'hui à {time}",
    when_tomorrow="demain à {time}",
    when_date="le {date} à {time}",
    # Rappels
    paused="⏸ Rappels en pause. Tape /reprendre quand tu veux les relancer.",
    resumed="▶️ Rappels relancés : prochain rappel {when}.",
    resumed_no_time="▶️ Rappels relancés, mais tu n'as pas choisi d'heure : va dans /reglages.",
    reminder_prompt="📚 Tu as {count} à revoir aujourd'hui. On s'y met ?",
    snoozed="⏰ OK, je te relance {when}.",
    snooze_nothing="Il n'y a pas de rappel à repousser.",
    snooze_sooner="Ton prochain rappel arrive déjà {when} 😉",
    stats_empty="📊 Pas encore de réponses : tape /quiz pour commencer !",
    chart_unavailable=(
        "📉 Le graphique n'est pas disponible cette fois-ci ; les chiffres ci-dessus sont à jour."
    ),
    language_changed="C'est noté, je te parle en français 🇫🇷",
    # Oublier
    forget_confirm=(
        "⚠️ Tu veux vraiment effacer toutes tes données ? Tes réponses, tes progrès et tes "
        "réglages disparaîtront pour de bon."
    ),
    forget_done="🗑 C'est fait, j'ai tout effacé. Si tu veux recommencer, tape /start.",
    forget_cancelled="OK, je ne touche à rien 👍",
    # Profs
    upload_refused="Merci ! Mais seuls les profs peuvent m'envoyer des fichiers 🙂",
    upload_wrong_type="Envoie-moi un fichier de questions .yaml (ou .yml).",
    upload_too_big="Ce fichier est trop gros ({size} Ko) : {max} Ko au maximum.",
    upload_ok="✅ Fichier importé.\n{report}",
    upload_errors="❌ {count} : rien n'a été importé.",
    error_word="erreur",
    error_word_plural="erreurs",
    reload_ok="🔄 Questions rechargées.\n{report}",
    class_title=(
        "👩‍🏫 Ta classe\n"
        "Élèves actifs (7 derniers jours) : {active} sur {total}\n"
        "Réponses (7 derniers jours) : {answers}, dont {accuracy} de justes"
    ),
    class_hardest="Les questions les plus ratées (au moins {min} réponses) :",
    class_hardest_line="{rank}. {prompt} — {rate} % d'erreurs ({answers} réponses)",
    class_no_data="Pas encore assez de réponses pour repérer les questions difficiles.",
    class_decks="Par paquet (7 derniers jours) :",
    class_deck_line="• {deck} — {active} actif(s), {answers} réponse(s), {accuracy} de justes",
    class_deck_idle="• {deck} — aucune réponse",
    btn_class_csv="📄 Export CSV",
    class_csv_caption="📄 Progrès de la classe au {date} : une ligne par élève et par paquet.",
    # Mémorisation visée (issue 16)
    btn_set_retention="🎯 Mémorisation",
    ask_retention=(
        "🎯 Quelle part de tes réponses veux-tu réussir ? Plus c'est haut, mieux tu retiens, "
        "mais plus tu as de questions chaque jour. Avec tes paquets, en moyenne sur un mois :"
    ),
    retention_line="{mark} {percent} % : environ {questions} questions par jour (~{minutes} min)",
    retention_personal="🧠 Tes révisions sont calculées d'après ta mémoire ({items} réponses).",
    retention_default=(
        "🧠 Après quelques semaines de réponses, je calculerai tes révisions d'après ta mémoire."
    ),
    # Séances
    btn_more_new="➕ Encore 10 nouvelles",
    more_new_offer="Tu as vu tes nouvelles questions du jour. Encore 10 nouvelles ?",
    more_new_granted="C'est parti pour {count} nouvelles questions de plus aujourd'hui.",
    no_more_new="Il n'y a plus de nouvelle question dans tes paquets.",
    verdict_dont_know="🤝 Pas de souci, c'est comme ça qu'on apprend ! La réponse : {answer}",
    right_one="juste",
    right_many="justes",
    praise_high="Bien joué !",
    praise_mid="Pas mal, continue !",
    praise_low="Courage : à force de réviser, ça rentre.",
    old_stop="Ce bouton est celui d'une ancienne question : la session continue.",
    btn_override="✋ J'avais raison",
    override_done="✅ C'est noté : ta réponse « {given} » compte juste. Ton prof le verra.",
    override_nothing="Il n'y a pas de réponse tapée comptée fausse à corriger.",
    override_too_late="Trop tard pour celle-ci : on peut le dire dans l'heure qui suit.",
    override_already="C'est déjà noté pour cette réponse 👍",
    class_overridden="Réponses que les élèves disent justes (« J'avais raison ») :",
    class_overridden_line="• {prompt} — attendu « {answer} », {count} fois : {examples}",
    btn_ahead="⏩ Réviser en avance",
    ahead_start=(
        "⏩ Tes questions déjà vues, les plus proches d'abord : ça ne change pas tes révisions."
    ),
    question_again="🔁 Ta question en cours :",
    media_pick="🙈 Je ne lis que le texte. Pour répondre, touche un des boutons :",
    media_type="🙈 Je ne lis que le texte. Pour répondre, écris ta réponse :",
    media_setting="🙈 Je ne lis que le texte : écris ta réponse ou touche un des boutons.",
    not_a_time=(
        "« {value} » n'est pas une heure 🙂 Écris l'heure de ton rappel "
        "(par exemple 18:30 ou 7h) ou touche un des boutons."
    ),
    reminder_prompt_new_one="📚 {count} nouvelle question t'attend aujourd'hui. On s'y met ?",
    reminder_prompt_new_many=(
        "📚 {count} nouvelles questions t'attendent aujourd'hui. On s'y met ?"
    ),
    reminder_prompt_mixed="📚 Aujourd'hui : {reviews} à revoir et {new}. On s'y met ?",
    reminder_new_one="nouvelle",
    reminder_new_many="nouvelles",
)
