"""The strings of classes and drafts (``bot.tg.handlers.classes``, ``bot.tg.handlers.drafts``),
French and English, kept apart from :class:`~bot.tg.texts.base.Texts` so that these features
add a file instead of changing the shared catalogue."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ClassTexts:
    # Classes
    new_class_usage: str
    new_class_done: str
    new_class_taken: str
    new_class_bad: str
    no_class: str
    pick_class: str
    class_header: str
    class_invite: str
    class_decks: str
    class_no_decks: str
    btn_invite: str
    btn_renew: str
    btn_coteacher: str
    btn_csv: str
    btn_students: str
    btn_decks: str
    decks_title: str
    invite_link: str
    invite_renewed: str
    coteacher_link: str
    students_title: str
    students_none: str
    csv_caption: str
    not_your_class: str
    joined: str
    joined_already: str
    joined_teacher: str
    joined_teacher_already: str
    code_unknown: str
    code_revoked: str
    leave_none: str
    leave_pick: str
    left: str
    left_not_member: str
    group_only: str
    link_done: str
    link_pick: str
    private_only: str
    # Drafts
    generate_usage: str
    text_too_short: str
    text_wrong_type: str
    text_unreadable: str
    queued: str
    generating: str
    generating_progress: str
    draft_failed: str
    draft_empty: str
    #: Why a generation failed, by the worker's reason (``timeout``, ``memory``…; ``""``: other).
    failure_reasons: Mapping[str, str]
    draft_header: str
    item_prompt: str
    item_answer: str
    item_choices: str
    item_source: str
    item_confidence: str
    btn_keep: str
    btn_correct: str
    btn_delete: str
    btn_later: str
    btn_keep_rest: str
    btn_fix_prompt: str
    btn_fix_answer: str
    btn_back: str
    correct_what: str
    correct_prompt: str
    correct_answer: str
    correct_refused: str
    correct_done: str
    summary: str
    btn_publish_for: str
    btn_publish_all: str
    audience_all: str
    btn_download: str
    published: str
    nothing_to_publish: str
    drafts_none: str
    drafts_title: str
    draft_line: str
    draft_gone: str
    draft_sent_back: str
    yaml_caption: str
    upload_replaced: str


FR_CLASSES = ClassTexts(
    new_class_usage=(
        "Écris le nom de la classe après la commande, par exemple : /nouvelleclasse 3e B"
    ),
    new_class_done=(
        "🏫 Classe « {name} » créée !\n"
        "Envoie ce lien à tes élèves : en l'ouvrant, ils rejoignent la classe.\n{link}\n\n"
        "Tape /classe pour la voir, renouveler le lien ou exporter les progrès."
    ),
    new_class_taken="Tu as déjà une classe « {name} ». Choisis un autre nom.",
    new_class_bad="Ce nom ne va pas : entre 1 et 64 caractères, par exemple « 3e B ».",
    no_class="Tu n'as pas encore de classe. Crée-la avec /nouvelleclasse 3e B",
    pick_class="Quelle classe ?",
    class_header="🏫 {name} — {students} élève(s)",
    class_invite="Lien d'invitation : {link}",
    class_decks="Paquets de la classe : {decks}",
    class_no_decks=(
        "Pas encore de paquet pour la classe seule (les paquets sans classe sont pour tous)."
    ),
    btn_invite="🔗 Lien d'invitation",
    btn_renew="♻️ Nouveau lien",
    btn_coteacher="👥 Inviter un collègue",
    btn_csv="📄 Export CSV",
    btn_students="👩‍🎓 Élèves",
    btn_decks="📚 Paquets",
    decks_title=(
        "📚 Paquets de « {name} » : touche un paquet pour le donner à la classe ✅ ou le lui "
        "reprendre ⬜. Un paquet donné à une classe n'est plus proposé aux autres élèves ; "
        "les paquets sans classe (⬜) sont pour tout le monde."
    ),
    invite_link="🔗 Lien pour rejoindre « {name} » :\n{link}",
    invite_renewed=(
        "♻️ Nouveau lien pour « {name} » (l'ancien ne marche plus ; "
        "les élèves déjà inscrits restent) :\n{link}"
    ),
    coteacher_link=(
        "👥 Envoie ce lien à un ou une collègue : en l'ouvrant, il ou elle devient prof de "
        "« {name} » avec toi.\n{link}"
    ),
    students_title="👩‍🎓 Élèves de « {name} » :",
    students_none="Personne n'a encore rejoint « {name} ». Envoie le lien d'invitation !",
    csv_caption="📄 « {name} » au {date} : une ligne par élève et par paquet.",
    not_your_class="Cette classe n'est pas la tienne.",
    joined="🎉 Bienvenue dans la classe « {name} » ! Ses questions arrivent dans tes révisions.",
    joined_already="Tu es déjà dans la classe « {name} » 👍",
    joined_teacher="👥 Tu es maintenant prof de la classe « {name} ». Tape /classe pour la voir.",
    joined_teacher_already="Tu es déjà prof de la classe « {name} ».",
    code_unknown="Ce lien d'invitation ne marche pas 🤔 Demande le bon lien à ton prof.",
    code_revoked="Ce lien d'invitation n'est plus valable. Demande le nouveau lien à ton prof.",
    leave_none="Tu n'es dans aucune classe.",
    leave_pick="Quelle classe veux-tu quitter ?",
    left="👋 Tu as quitté la classe « {name} ». Tes réponses sont gardées.",
    left_not_member="Tu n'es pas dans cette classe.",
    group_only="Cette commande se tape dans le groupe de la classe.",
    link_done="🔗 Ce groupe est maintenant lié à la classe « {name} ».",
    link_pick="À quelle classe lier ce groupe ?",
    private_only="Écris-moi en privé pour ça 🙂",
    generate_usage=(
        "Colle ton texte après la commande (quelques phrases au moins), par exemple :\n"
        "/generer Le traité de Rome est signé le 25 mars 1957…\n"
        "Tu peux aussi m'envoyer un fichier .txt ou .md."
    ),
    text_too_short=(
        "Ce texte est trop court ({words} mots) : envoie au moins {min} mots, "
        "quelques phrases complètes."
    ),
    text_wrong_type="Envoie-moi un texte en .txt ou .md (ou un fichier de questions .yaml).",
    text_unreadable="Je n'arrive pas à lire ce fichier : enregistre-le en texte UTF-8 (.txt).",
    queued=(
        "⏳ Texte reçu ({words} mots). {ahead} texte(s) avant le tien, "
        "je m'y mets dès que possible."
    ),
    generating="⚙️ Je prépare les questions de « {title} »…",
    generating_progress="⚙️ Je prépare les questions de « {title} »… {percent} %",
    draft_failed=(
        "❌ Je n'ai pas pu préparer les questions de « {title} » ({reason}). "
        "Rien n'est perdu : renvoie le texte, ou un texte plus court."
    ),
    draft_empty=(
        "🤔 Je n'ai trouvé aucune question dans « {title} ». Essaie un texte avec des dates, "
        "des noms et des chiffres."
    ),
    failure_reasons={
        "timeout": "trop long à traiter",
        "memory": "texte trop gros pour la mémoire prévue",
        "interrupted": "le bot a redémarré pendant la préparation",
        "crash": "le générateur s'est arrêté",
        "": "erreur du générateur",
    },
    draft_header="📝 Brouillon « {title} » — question {number} sur {total}",
    item_prompt="❓ {prompt}",
    item_answer="✅ Réponse attendue : {answer}",
    item_choices="🔢 Choix : {choices}",
    item_source="📖 Phrase du texte : « {source} »",
    item_confidence="Confiance : {percent} %",
    btn_keep="✅ Garder",
    btn_correct="✏️ Corriger",
    btn_delete="🗑 Supprimer",
    btn_later="⏭ Plus tard",
    btn_keep_rest="Tout garder à partir d'ici",
    btn_fix_prompt="La question",
    btn_fix_answer="La réponse",
    btn_back="↩️ Retour",
    correct_what="Que veux-tu corriger ?",
    correct_prompt=(
        "✏️ Écris la nouvelle question en réponse à ce message (brouillon n°{draft}, "
        "élément {item}, question)."
    ),
    correct_answer=(
        "✏️ Écris la nouvelle réponse en réponse à ce message (brouillon n°{draft}, "
        "élément {item}, réponse)."
    ),
    correct_refused="❌ Ta correction n'est pas acceptée :\n{problems}\nRéessaie.",
    correct_done="✅ Corrigé.",
    summary=(
        "📋 Brouillon « {title} » relu : {kept} gardée(s), {corrected} corrigée(s), "
        "{deleted} supprimée(s)."
    ),
    btn_publish_for="📤 Publier pour {name}",
    btn_publish_all="📤 Publier pour tous les élèves",
    audience_all="tous les élèves",
    btn_download="📥 Télécharger (YAML)",
    published=(
        "📤 Publié : « {title} », {count} question(s) pour {audience}. Les élèves les auront "
        "à leur prochaine révision.\nFichier : {path}"
    ),
    nothing_to_publish="Il n'y a rien à publier dans ce brouillon.",
    drafts_none="Aucun brouillon en cours. Envoie-moi un texte (.txt) ou tape /generer.",
    drafts_title="📝 Tes brouillons :",
    draft_line="{title} — {reviewed}/{total} relues",
    draft_gone="Ce brouillon n'existe plus.",
    draft_sent_back=(
        "📝 Brouillon « {title} » mis à jour depuis ton fichier : {count} question(s)."
    ),
    yaml_caption=(
        "📥 « {title} » en YAML : modifie-le sur ordinateur (voir le guide questions/README.md) "
        "puis renvoie-le-moi."
    ),
    upload_replaced=(
        "📁 Le fichier {path} a été remplacé par le tien ; l'ancienne version est gardée dans "
        "{backup}."
    ),
)

EN_CLASSES = ClassTexts(
    new_class_usage="Write the class's name after the command, for example: /newclass 3e B",
    new_class_done=(
        "🏫 Class “{name}” created!\nSend this link to your students: opening it joins the "
        "class.\n{link}\n\nType /class to see it, renew the link or export progress."
    ),
    new_class_taken="You already have a class “{name}”. Pick another name.",
    new_class_bad="That name won't do: 1 to 64 characters, for example “3e B”.",
    no_class="You have no class yet. Create one with /newclass 3e B",
    pick_class="Which class?",
    class_header="🏫 {name} — {students} student(s)",
    class_invite="Invite link: {link}",
    class_decks="Decks of the class: {decks}",
    class_no_decks="No deck for this class only yet (decks without a class are for everyone).",
    btn_invite="🔗 Invite link",
    btn_renew="♻️ New link",
    btn_coteacher="👥 Invite a colleague",
    btn_csv="📄 CSV export",
    btn_students="👩‍🎓 Students",
    btn_decks="📚 Decks",
    decks_title=(
        "📚 Decks of “{name}”: tap a deck to give it to the class ✅ or take it back ⬜. A deck "
        "given to a class is no longer offered to other students; decks without a class (⬜) "
        "are for everyone."
    ),
    invite_link="🔗 Link to join “{name}”:\n{link}",
    invite_renewed=(
        "♻️ New link for “{name}” (the old one no longer works; students already in stay):\n{link}"
    ),
    coteacher_link=(
        "👥 Send this link to a colleague: opening it makes them a teacher of “{name}”.\n{link}"
    ),
    students_title="👩‍🎓 Students of “{name}”:",
    students_none="Nobody has joined “{name}” yet. Send the invite link!",
    csv_caption="📄 “{name}” on {date}: one row per student and deck.",
    not_your_class="This class is not yours.",
    joined="🎉 Welcome to the class “{name}”! Its questions now come in your reviews.",
    joined_already="You're already in the class “{name}” 👍",
    joined_teacher="👥 You now teach the class “{name}”. Type /class to see it.",
    joined_teacher_already="You already teach the class “{name}”.",
    code_unknown="This invite link doesn't work 🤔 Ask your teacher for the right one.",
    code_revoked="This invite link is no longer valid. Ask your teacher for the new one.",
    leave_none="You're not in any class.",
    leave_pick="Which class do you want to leave?",
    left="👋 You left the class “{name}”. Your answers are kept.",
    left_not_member="You're not in this class.",
    group_only="Type this command in the class's group.",
    link_done="🔗 This group is now linked to the class “{name}”.",
    link_pick="Which class should this group be linked to?",
    private_only="Write to me privately for that 🙂",
    generate_usage=(
        "Paste your text after the command (a few sentences at least), for example:\n"
        "/generate The Treaty of Rome is signed on 25 March 1957…\n"
        "You can also send me a .txt or .md file."
    ),
    text_too_short="This text is too short ({words} words): send at least {min} words.",
    text_wrong_type="Send me a .txt or .md text (or a .yaml question file).",
    text_unreadable="I can't read this file: save it as UTF-8 text (.txt).",
    queued="⏳ Text received ({words} words). {ahead} text(s) before yours, I'll start soon.",
    generating="⚙️ Preparing the questions of “{title}”…",
    generating_progress="⚙️ Preparing the questions of “{title}”… {percent} %",
    draft_failed=(
        "❌ I couldn't prepare the questions of “{title}” ({reason}). Nothing is lost: send "
        "the text again, or a shorter one."
    ),
    draft_empty="🤔 I found no question in “{title}”. Try a text with dates, names and numbers.",
    failure_reasons={
        "timeout": "took too long",
        "memory": "too big for the memory allowed",
        "interrupted": "the bot restarted meanwhile",
        "crash": "the generator stopped",
        "": "generator error",
    },
    draft_header="📝 Draft “{title}” — question {number} of {total}",
    item_prompt="❓ {prompt}",
    item_answer="✅ Expected answer: {answer}",
    item_choices="🔢 Choices: {choices}",
    item_source="📖 Sentence of the text: “{source}”",
    item_confidence="Confidence: {percent} %",
    btn_keep="✅ Keep",
    btn_correct="✏️ Correct",
    btn_delete="🗑 Delete",
    btn_later="⏭ Later",
    btn_keep_rest="Keep all from here",
    btn_fix_prompt="The question",
    btn_fix_answer="The answer",
    btn_back="↩️ Back",
    correct_what="What do you want to correct?",
    correct_prompt=(
        "✏️ Write the new question as a reply to this message (brouillon n°{draft}, "
        "élément {item}, question)."
    ),
    correct_answer=(
        "✏️ Write the new answer as a reply to this message (brouillon n°{draft}, "
        "élément {item}, réponse)."
    ),
    correct_refused="❌ Your correction is refused:\n{problems}\nTry again.",
    correct_done="✅ Corrected.",
    summary=(
        "📋 Draft “{title}” reviewed: {kept} kept, {corrected} corrected, {deleted} deleted."
    ),
    btn_publish_for="📤 Publish for {name}",
    btn_publish_all="📤 Publish for all students",
    audience_all="all students",
    btn_download="📥 Download (YAML)",
    published=(
        "📤 Published: “{title}”, {count} question(s) for {audience}. Students get them in "
        "their next review.\nFile: {path}"
    ),
    nothing_to_publish="There is nothing to publish in this draft.",
    drafts_none="No draft in progress. Send me a text (.txt) or type /generate.",
    drafts_title="📝 Your drafts:",
    draft_line="{title} — {reviewed}/{total} reviewed",
    draft_gone="This draft no longer exists.",
    draft_sent_back="📝 Draft “{title}” updated from your file: {count} question(s).",
    yaml_caption=(
        "📥 “{title}” as YAML: edit it on a computer (see questions/README.md), then send it "
        "back to me."
    ),
    upload_replaced=(
        "📁 The file {path} was replaced by yours; the old version is kept in {backup}."
    ),
)


def class_texts(language: str | None) -> ClassTexts:
    return EN_CLASSES if language == "en" else FR_CLASSES
