"""Every diagnostic the product can report: its code, severity, message and fix.

One catalogue, so that codes stay stable (scripts and the GUI filter on them),
messages stay consistent, and a translator finds every string in one place.
Messages are French `str.format` templates filled with the diagnostic's
parameters; `N_` marks them for the gettext catalog.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from segur_desktop.core.i18n import N_


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True, slots=True)
class Message:
    severity: Severity
    title: str  # short, for the grouped report: "FINESS invalide (clé)"
    message: str
    fix: str


E, W, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO  # short, for the table below

MESSAGES: dict[str, Message] = {
    # -- values in a row -------------------------------------------------
    "valeur_obligatoire": Message(E, N_("Valeur obligatoire manquante"),
        N_("La colonne « {header} » est vide alors que {field} est obligatoire."),
        N_("Renseignez {field} dans cette cellule.")),
    "formule_sans_valeur": Message(E, N_("Formule sans valeur calculée"),
        N_("La cellule contient une formule dont le résultat n'a pas été enregistré : sa valeur est inconnue."),
        N_("Ouvrez le fichier dans Excel ou LibreOffice, laissez-le recalculer, enregistrez-le, puis recommencez.")),
    "ligne_masquee": Message(INFO, N_("Ligne masquée lue"),
        N_("La ligne {row} est masquée dans le classeur : elle est lue comme les autres."),
        N_("Si elle ne doit pas être déposée, supprimez-la du tableur (la masquer ne suffit pas).")),
    "ligne_total": Message(INFO, N_("Ligne de total écartée"),
        N_("La ligne {row} (« {total} ») est une ligne de total ou de sous-total : sans identifiant (ni n° de BDC, "
           "ni FINESS, SIRET, RPPS… ou code client), elle n'est pas lue comme une ligne de la liste."),
        N_("Rien à faire si c'est bien un total. Si c'est une ligne de la liste, renseignez son n° de BDC et "
           "l'identifiant de son client (FINESS, SIRET, RPPS… ou code client).")),
    "ligne_note": Message(INFO, N_("Note sous la liste écartée"),
        N_("La ligne {row} (« {note} ») est une note sous la liste (source, page, date d'édition, unité…) : seule "
           "sur sa ligne, sous la dernière ligne de la liste, elle n'est pas lue comme une ligne de la liste."),
        N_("Rien à faire si c'est bien une note. Si c'est une ligne de la liste, complétez-la (n° de BDC, "
           "identifiant du client, date, montant).")),
    "date_mois_jour": Message(E, N_("Date écrite mois avant jour ?"),
        N_("« {value} » se lit le {day_first}, mais la colonne écrit ailleurs le mois avant le jour (« {example} », "
           "ligne {example_row}) : ce pourrait être le {month_first}. Cette date n'est lue ni d'une façon ni de "
           "l'autre."),
        N_("Exportez les dates au format JJ/MM/AAAA (ou AAAA-MM-JJ) depuis votre logiciel, ou corrigez la colonne, "
           "puis recommencez.")),
    "identifiant_illisible": Message(E, N_("Identifiant illisible"),
        N_("{label} « {value} » n'est pas lisible."),
        N_("Saisissez le {label} en chiffres, dans une colonne au format Texte.")),
    "identifiant_notation_scientifique": Message(E, N_("Identifiant en notation scientifique"),
        N_("{label} « {value} » est en notation scientifique : Excel a perdu des chiffres."),
        N_("Formatez la colonne en Texte et ressaisissez le {label} complet "
           "(les chiffres perdus ne peuvent pas être retrouvés).")),
    "identifiant_format": Message(E, N_("Identifiant : caractères invalides"),
        N_("{label} « {value} » doit contenir {length} chiffres."),
        N_("Corrigez le {label} : uniquement des chiffres, sans lettre.")),
    "identifiant_longueur": Message(E, N_("Identifiant : longueur invalide"),
        N_("{label} « {value} » a {found} chiffres au lieu de {length}."),
        N_("Vérifiez le {label} dans l'annuaire officiel et ressaisissez-le complet.")),
    "identifiant_cle": Message(E, N_("Identifiant invalide (clé)"),
        N_("{label} « {value} » a une clé de contrôle fausse : c'est une erreur de saisie."),
        N_("Vérifiez chaque chiffre du {label} dans l'annuaire officiel (FINESS, Sirene, RPPS).")),
    "identifiant_zero_restaure": Message(W, N_("Zéro initial rétabli"),
        N_("{label} « {value} » avait perdu son zéro initial (Excel) : rétabli en « {fixed} »."),
        N_("Rien à faire pour ce fichier ; formatez la colonne en Texte dans Excel pour garder les zéros.")),
    "finess_format": Message(E, N_("FINESS : format invalide"),
        N_("{label} « {value} » n'a pas la forme d'un FINESS (9 caractères, département puis 7 chiffres)."),
        N_("Vérifiez le numéro dans l'annuaire FINESS et ressaisissez-le.")),
    "finess_departement": Message(E, N_("FINESS : département inconnu"),
        N_("{label} « {value} » commence par « {department} », qui n'est pas un département FINESS."),
        N_("Vérifiez le numéro dans l'annuaire FINESS (01 à 95, 2A, 2B, 9A à 9F).")),
    "adeli_cle_douteuse": Message(W, N_("ADELI : clé inhabituelle"),
        N_("ADELI « {value} » ne suit pas la clé observée sur les numéros réels."),
        N_("Vérifiez le numéro ADELI auprès du professionnel.")),
    "date_illisible": Message(E, N_("Date illisible"),
        N_("« {value} » n'est pas une date lisible."),
        N_("Saisissez la date au format JJ/MM/AAAA.")),
    "date_impossible": Message(E, N_("Date impossible"),
        N_("« {value} » n'existe pas dans le calendrier."),
        N_("Corrigez le jour ou le mois (format JJ/MM/AAAA).")),
    "date_invraisemblable": Message(E, N_("Date invraisemblable"),
        N_("« {value} » donne une année hors de 2000–2100."),
        N_("Vérifiez la date (format JJ/MM/AAAA).")),
    "nombre_invalide": Message(E, N_("Nombre invalide"),
        N_("« {value} » n'est pas un nombre entier positif ou nul."),
        N_("Écrivez le nombre sans décimale ni texte (ex. 1200).")),
    "montant_illisible": Message(E, N_("Montant illisible"),
        N_("« {value} » n'est pas un montant lisible."),
        N_("Saisissez un montant en euros, par exemple 1 250,00.")),
    "montant_negatif": Message(E, N_("Montant négatif"),
        N_("Le montant « {value} » est négatif."),
        N_("Saisissez le montant positif du bon de commande.")),
    "montant_nul": Message(E, N_("Montant nul"),
        N_("Le montant est égal à zéro."),
        N_("Saisissez le montant du bon de commande.")),
    "montant_decimales": Message(E, N_("Montant : plus de 2 décimales"),
        N_("Le montant « {value} » a plus de deux décimales."),
        N_("Arrondissez le montant au centime, comme sur le bon de commande.")),
    "montant_groupes": Message(E, N_("Montant : séparateurs incohérents"),
        N_("« {value} » a des séparateurs de milliers incohérents (groupes de 3 chiffres attendus) : le montant ne "
           "peut pas être lu sans risque d'erreur."),
        N_("Saisissez le montant sans séparateur de milliers, avec une seule virgule décimale, par exemple 18500,00.")),
    "montant_ambigu": Message(E, N_("Montant ambigu"),
        N_("« {value} » peut se lire comme un nombre de milliers ou comme un montant à 3 décimales : il n'est pas "
           "deviné."),
        N_("Saisissez le montant sans séparateur de milliers, avec deux décimales, par exemple 1234,00 ou 1,23.")),
    "montant_devise": Message(E, N_("Montant dans une autre devise"),
        N_("« {value} » n'est pas en euros (devise « {currency} »)."),
        N_("Saisissez le montant en euros : les demandes Ségur numérique sont en euros.")),
    "montant_ht_ttc": Message(E, N_("Montant HT et TTC confondus"),
        N_("« {value} » est marqué {marker} dans la colonne du montant {column}."),
        N_("Saisissez dans cette colonne le montant {column} du bon de commande.")),
    "montant_ttc_incoherent": Message(W, N_("Montant TTC incohérent"),
        N_("Le montant TTC {ttc} ne correspond pas au HT {ht} avec la TVA du client, {rate} % ({expected})."),
        N_("Vérifiez les montants HT et TTC du bon de commande, et le code postal du client (8,5 % en Guadeloupe, "
           "Martinique et à La Réunion, pas de TVA en Guyane et à Mayotte).")),
    "couloir_inconnu": Message(E, N_("Couloir inconnu"),
        N_("« {value} » n'est pas un couloir connu. Couloirs connus : {known}."),
        N_("Saisissez l'un de ces couloirs. Si « {value} » est l'intitulé habituel de vos fichiers, déclarez-le comme "
           "alias : créez (ou complétez) le fichier {aliases_file} avec {example}, en remplaçant {example_code} par le bon "
           "couloir, puis relancez Segur Desktop s'il est ouvert. Ces alias s'ajoutent à ceux fournis avec l'application.")),
    "type_demande_inconnu": Message(E, N_("Type de demande inconnu"),
        N_("« {value} » n'est pas un type de demande connu. Types connus : {known}."),
        N_("Saisissez « Avance » ou « Solde ». Si « {value} » est l'intitulé habituel de vos fichiers, déclarez-le comme "
           "alias : créez (ou complétez) le fichier {aliases_file} avec {example}, en remplaçant {example_code} par le bon "
           "type, puis relancez Segur Desktop s'il est ouvert. Ces alias s'ajoutent à ceux fournis avec l'application.")),
    "type_logiciel_inconnu": Message(E, N_("Type de logiciel inconnu"),
        N_("« {value} » n'est pas un type de logiciel connu. Types connus : {known}."),
        N_("Saisissez l'un de ces types. Si « {value} » est l'intitulé habituel de vos fichiers, déclarez-le comme "
           "alias : créez (ou complétez) le fichier {aliases_file} avec {example}, en remplaçant {example_code} par le bon "
           "type, puis relancez Segur Desktop s'il est ouvert. Ces alias s'ajoutent à ceux fournis avec l'application.")),
    # -- joining and building --------------------------------------------
    "client_duplique": Message(E, N_("Client en double, identifiants contradictoires"),
        N_("Le {key} « {value} » est aussi celui de la ligne {first_row}, mais les deux lignes diffèrent par leur {other} : "
           "impossible de savoir laquelle est juste."),
        N_("Gardez une seule ligne par client dans la liste des clients, avec ses identifiants exacts.")),
    "client_fusionne": Message(W, N_("Client listé deux fois"),
        N_("« {name} » est le même client que « {first_name} » (ligne {first_row}) : mêmes identifiants. "
           "Les deux lignes sont lues comme un seul client."),
        N_("Rien à faire pour ce dépôt ; supprimez le doublon de la liste des clients à l'occasion.")),
    "client_inconnu": Message(E, N_("Client introuvable"),
        N_("Aucun client de la liste des clients ne porte le {keys}.{hint}"),
        N_("Corrigez l'identifiant de cette ligne, ou ajoutez ce client à la liste des clients.")),
    "client_sans_identifiant": Message(E, N_("Client non désigné"),
        N_("Cette ligne ne désigne son client par aucun identifiant ({keys})."),
        N_("Renseignez l'identifiant du client (FINESS, SIRET, RPPS… ou code client) sur cette ligne.")),
    "identifiants_contradictoires": Message(E, N_("Identifiants contradictoires"),
        N_("Les identifiants de cette ligne ne désignent pas un seul client : {detail}"),
        N_("Corrigez l'identifiant erroné, dans la liste des bons de commande ou dans celle des clients.")),
    "client_ambigu": Message(E, N_("Client ambigu"),
        N_("Le {key} « {value} » est partagé par plusieurs clients (lignes {rows} de la liste des clients) "
           "et rien d'autre sur cette ligne ne dit lequel."),
        N_("Ajoutez sur cette ligne un identifiant propre à l'établissement (FINESS ET, SIRET ou RPPS).")),
    "identifiant_ambigu": Message(E, N_("Identifiant ambigu"),
        N_("« {value} » peut être un {label} : impossible de savoir lequel déposer pour le couloir {couloir}."),
        N_("Titrez la colonne d'après ce qu'elle contient (« FINESS », « SIREN »…), ou séparez les identifiants "
           "en une colonne par type.")),
    "identifiant_non_reconnu": Message(E, N_("Identifiant non reconnu"),
        N_("« {value} » n'a la forme d'aucun identifiant attendu ici ({label}) : 9 caractères pour un FINESS ou "
           "un SIREN, 14 chiffres pour un SIRET, 11 pour un RPPS."),
        N_("Vérifiez le numéro dans l'annuaire officiel (FINESS, Sirene, RPPS) et ressaisissez-le complet.")),
    "solution_inconnue": Message(E, N_("Solution inconnue"),
        N_("La solution « {value} » n'est pas une solution référencée du dossier ({known})."),
        N_("Saisissez le nom d'une solution déclarée dans le dossier de travail, ou déclarez-la.")),
    "solution_ambigue": Message(E, N_("Solution à préciser"),
        N_("Le dossier déclare plusieurs solutions ({known}) : impossible de savoir laquelle ce bon de commande concerne."),
        N_("Ajoutez une colonne « Solution » à la liste des bons de commande.")),
    "solution_absente": Message(E, N_("Aucune solution référencée"),
        N_("Aucune solution référencée ne correspond à ce bon de commande."),
        N_("Déclarez la solution (nom, couloir, type de logiciel, référencement) sur la page « Dossier de travail », "
           "ou ajoutez à la liste des bons de commande les colonnes Solution, Couloir, Type de logiciel, "
           "N° de référencement et Date de référencement.")),
    "couloir_incoherent": Message(E, N_("Couloir incohérent"),
        N_("Le couloir « {value} » ne correspond pas à la solution {solution} (couloir {expected})."),
        N_("Corrigez le couloir ou la solution de ce bon de commande.")),
    "type_logiciel_incoherent": Message(E, N_("Type de logiciel hors du couloir"),
        N_("Le type de logiciel « {value} » n'est pas financé dans le couloir {couloir} ({known})."),
        N_("Corrigez le couloir ou le type de logiciel de ce bon de commande.")),
    "identifiant_beneficiaire_absent": Message(E, N_("Identifiant du bénéficiaire manquant"),
        N_("Le client « {client} » n'a aucun identifiant accepté pour le couloir {couloir} ({accepted})."),
        N_("Renseignez l'un de ces identifiants dans la liste des clients.")),
    "editeur_incomplet": Message(E, N_("Éditeur incomplet"),
        N_("L'éditeur n'est pas identifié (raison sociale et SIRET)."),
        N_("Renseignez la raison sociale et le SIRET de l'éditeur dans le dossier de travail.")),
    # -- schema ------------------------------------------------------------
    "schema": Message(E, N_("Non conforme au format du portail"),
        N_("{detail}"),
        N_("Corrigez la valeur source ; le fichier JSON ne peut pas être déposé avec cette demande.")),
    # -- business rules --------------------------------------------------
    "bdc_date_future": Message(E, N_("BDC daté dans le futur"),
        N_("Le bon de commande est daté du {date}, après la date de contrôle ({at})."),
        N_("Corrigez la date de signature du bon de commande.")),
    "bdc_apres_fermeture": Message(E, N_("BDC signé après la fermeture du guichet d'avance"),
        N_("Le bon de commande est signé le {date}, après la fermeture du guichet d'avance {couloir} ({closing})."),
        N_("Vérifiez la date de signature : un BDC signé après la fermeture ne peut pas être financé.")),
    "bdc_trop_tot": Message(E, N_("BDC signé trop tôt"),
        N_("Le bon de commande est signé le {date}, plus de 120 jours avant le dépôt du dossier de conformité de "
           "{solution} à l'ANS ({reference})."),
        N_("Un BDC ne peut être signé que 120 jours au plus avant le dépôt du dossier complet des preuves de "
           "conformité (appel à financement, § 4.4) : vérifiez la date du BDC ou la solution.")),
    "bdc_trop_tot_referencement": Message(E, N_("BDC signé trop tôt (compté depuis le référencement)"),
        N_("Le bon de commande est signé le {date}, plus de 120 jours avant le référencement de {solution} "
           "({reference}) ; la date de dépôt de son dossier de conformité n'est pas connue."),
        N_("Les 120 jours se comptent depuis le dépôt du dossier de conformité à l'ANS, plus tôt que le référencement : "
           "indiquez cette date pour la solution (« depot_conformite » du référencement, dans workspace.json).")),
    "bdc_avant_arrete": Message(E, N_("BDC signé avant l'arrêté du couloir"),
        N_("Le bon de commande est signé le {date}, avant la publication de l'arrêté du couloir {couloir} ({decree}) : "
           "il n'est pas éligible."),
        N_("Un BDC signé avant l'arrêté ne peut pas être financé (ARS Bourgogne-Franche-Comté, « Programme SONS ») : "
           "vérifiez la date, ou faites signer un nouveau bon de commande.")),
    "ligne_avenant": Message(INFO, N_("Ligne d'avenant"),
        N_("Cette ligne déclare un avenant du bon de commande « {bdc} » : ce n'est pas une demande à déposer ; le solde "
           "de ce bon de commande attendra que son dernier avenant soit « décidé et payé »."),
        N_("Rien à faire ici ; l'avenant se suit dans le registre (fichier des statuts du portail, ou "
           "segur-desktop register avenant).")),
    "solde_avenant_non_enregistre": Message(E, N_("Solde en attente d'un avenant"),
        N_("La liste des BDC déclare l'avenant n° {numero} de l'avance {avance}, que le suivi ne connaît pas : le "
           "solde attend que cet avenant soit « {paid} »."),
        N_("Importez le fichier des statuts du portail (avenants compris), ou enregistrez l'avenant : segur-desktop "
           "register avenant -w DOSSIER {avance} {numero} --status STATUT.")),
    "date_conformite_absente": Message(W, N_("Date de dépôt du dossier de conformité inconnue"),
        N_("La date de dépôt du dossier de conformité de {solution} à l'ANS n'est pas connue : les 120 jours "
           "d'anticipation des bons de commande sont comptés depuis son référencement ({referencing}), plus tard, "
           "ce qui peut refuser à tort des BDC valides."),
        N_("Indiquez la date de dépôt du dossier complet des preuves de conformité (« depot_conformite » du "
           "référencement de la solution, dans workspace.json ; votre attestation ANS la donne).")),
    "sas_forfait_editeur": Message(E, N_("SAS : forfait par éditeur, pas par bon de commande"),
        N_("Le couloir {couloir} est financé par un forfait par éditeur de {total} HT ({avance} d'avance après le "
           "procès-verbal de mise en service signé par l'ANS, {solde} de solde après la vérification de service "
           "régulier), pas par bon de commande client."),
        N_("Retirez cette ligne de la liste des BDC ; la demande SAS se dépose avec le formulaire de l'ASP et le PV "
           "de mise en service (FAQ des industriels, thème SAS).")),
    "forfait_officine_inconnu": Message(E, N_("Forfait d'officine inconnu"),
        N_("Le forfait de l'officine, {value} HT, n'est pas un forfait du couloir ({known} HT)."),
        N_("Indiquez le forfait de la tranche de chiffre d'affaires de la pharmacie.")),
    "forfait_officine_different": Message(E, N_("Montant différent du forfait de l'officine"),
        N_("Le bon de commande est de {amount} HT, le forfait de cette officine est de {forfait} HT."),
        N_("Le financement d'une officine est le forfait de sa tranche de chiffre d'affaires : corrigez le montant "
           "ou le forfait de la pharmacie.")),
    "forfait_officine_absent": Message(W, N_("Forfait des officines non vérifié"),
        N_("{n} officine(s) sans colonne « Forfait officine » : seul le plafond du couloir est vérifié, pas le "
           "forfait de chaque pharmacie (625 € ou 875 € HT selon son chiffre d'affaires)."),
        N_("Ajoutez à la liste des clients une colonne « Forfait officine » (625 ou 875).")),
    "bal_mss_absentes": Message(E, N_("Nombres de BAL MSSanté manquants"),
        N_("Le financement d'un opérateur MSSanté se calcule sur ses BAL déclarées à l'Annuaire Santé ; il manque : "
           "{missing}."),
        N_("Ajoutez les colonnes « BAL applicatives », « BAL organisationnelles » et « BAL personnelles » (liste des "
           "clients ou des BDC).")),
    "montant_mss_depasse": Message(E, N_("Montant MSSanté au-delà du barème"),
        N_("Le bon de commande est de {amount} HT, au-delà du financement de cet opérateur : {allowed} HT "
           "({formula}, au plus {cap})."),
        N_("Ramenez le montant au financement calculé, ou corrigez les nombres de BAL déclarés à l'Annuaire Santé.")),
    "bdc_duplique": Message(E, N_("N° de BDC en double"),
        N_("Le bon de commande « {value} » figure aussi en ligne {first_row} pour une demande {type}."),
        N_("Gardez une seule ligne par bon de commande et par type : supprimez un doublon ; si ces lignes sont les "
           "articles d'un même bon de commande, regroupez-les en une ligne portant son montant HT total (celui des "
           "articles financés par le Ségur, tel que le BDC signé le montre).")),
    "beneficiaire_duplique": Message(E, N_("Bénéficiaire en double (doublon)"),
        N_("{beneficiary} a déjà une demande {type} {couloir} pour un logiciel {kind} (BDC « {other_bdc} », ligne {first_row})."),
        N_("Le portail met ces demandes en conflit : gardez un seul bon de commande par bénéficiaire et par logiciel.")),
    # -- against the register of earlier exports (core/register) ----------------
    "deja_exportee": Message(W, N_("Déjà exportée, statut du portail inconnu"),
        N_("Cette demande a déjà été exportée le {day} (paquet « {bundle} ») et n'a pas encore de statut du portail."),
        N_("Si vous l'avez déposée, indiquez son statut dans la page Suivi (« En cours »…) : elle ne sera plus "
           "exportée. Sinon, vous pouvez l'exporter de nouveau.")),
    "deja_deposee": Message(INFO, N_("Déjà déposée : suivie dans Suivi"),
        N_("Cette demande est déjà déposée : statut « {status} » depuis le {day} (paquet « {bundle} »)."),
        N_("Elle n'est pas exportée de nouveau ; suivez-la dans la page Suivi.")),
    "doublon_registre": Message(E, N_("Doublon d'une demande déjà déposée"),
        N_("{beneficiary} a déjà une demande {type} {couloir} pour un logiciel {kind} : « {other} » (BDC « {other_bdc} », "
           "statut « {status} »)."),
        N_("Le portail mettrait les deux demandes en conflit. Si c'est la même commande, reprenez le N° de BDC déposé ; "
           "sinon, retirez cette ligne.")),
    "bdc_deja_depose": Message(E, N_("BDC déjà déposé pour un autre bénéficiaire"),
        N_("Le bon de commande « {value} » a déjà une demande {type} : « {other} » pour {beneficiary} (statut « {status} »)."),
        N_("Vérifiez le N° de BDC et le client de cette ligne : un bon de commande ne finance qu'un bénéficiaire.")),
    "solde_sans_avance": Message(E, N_("Solde sans avance déposée"),
        N_("Aucune avance de ce bon de commande n'est dans le registre de suivi (attendue : « {avance} »). Un solde "
           "n'est possible que pour une avance déposée puis validée."),
        N_("Vérifiez le N° de BDC et le bénéficiaire. Si l'avance a été exportée ailleurs, enregistrez son paquet "
           "(Suivi › Enregistrer un paquet…, ou segur-desktop register record).")),
    "solde_avance_non_validee": Message(E, N_("Solde d'une avance non validée"),
        N_("L'avance « {avance} » de ce bon de commande est « {status} » : un solde n'est possible qu'après sa validation."),
        N_("Attendez la validation de l'avance et mettez à jour son statut (page Suivi ou fichier de statuts), puis "
           "revérifiez.")),
    "solde_avenant_non_paye": Message(E, N_("Solde d'une avance dont l'avenant n'est pas payé"),
        N_("L'avance « {avance} » de ce bon de commande a un avenant n° {numero} au statut « {status} » : le portail "
           "refuse le solde tant que le dernier avenant de l'avance n'est pas « {paid} »."),
        N_("Attendez que l'avenant n° {numero} soit décidé et payé, puis indiquez-le (page Suivi › Importer un fichier "
           "de statuts…, ou segur-desktop register set-status --avenant {numero} {avance} \"{paid}\"), et "
           "revérifiez.")),
    "solde_montant_avance": Message(W, N_("Montant différent de l'avance"),
        N_("Le montant HT du bon de commande ({amount}) diffère de celui de l'avance déposée « {avance} » ({deposited})."),
        N_("Vérifiez le montant ; s'il y a eu un avenant, le solde n'est accepté qu'une fois l'avenant décidé et payé.")),
    "plafond_depasse": Message(E, N_("Montant au-dessus du plafond"),
        N_("Le montant HT {amount} dépasse le plafond du couloir {couloir} ({ceiling})."),
        N_("Vérifiez le montant du bon de commande : le portail rejette un montant au-dessus du plafond.")),
    "piece_absente": Message(E, N_("Pièce justificative introuvable"),
        N_("Le fichier « {name} » n'est ni dans le dossier des pièces ({folder}) ni dans ses sous-dossiers."),
        N_("Ajoutez le PDF signé dans le dossier des pièces (ou l'un de ses sous-dossiers), ou corrigez son nom.")),
    "piece_illisible": Message(E, N_("Pièce justificative illisible"),
        N_("Le fichier « {name} » est dans le dossier des pièces ({folder}) mais ne peut pas être lu : {reason}."),
        N_("{advice}")),
    "piece_vide": Message(E, N_("Pièce justificative vide"),
        N_("Le fichier « {name} » est vide."),
        N_("Numérisez de nouveau le document et remplacez le fichier.")),
    "piece_non_pdf": Message(E, N_("Pièce justificative : pas un PDF"),
        N_("Le fichier « {name} » n'est pas un vrai PDF."),
        N_("Enregistrez ou numérisez le document au format PDF.")),
    "piece_nom_approchant": Message(W, N_("Nom de pièce approchant"),
        N_("« {name} » n'existe pas, mais « {actual} » oui : ce fichier sera utilisé."),
        N_("Corrigez le nom dans le tableur pour qu'il soit exactement celui du fichier.")),
    "piece_ambigue": Message(E, N_("Pièce justificative ambiguë"),
        N_("« {name} » peut désigner plusieurs fichiers du dossier des pièces ({folder}) : {files}. Ils portent le "
           "même nom dans des sous-dossiers différents, ou des noms qui ne diffèrent que par les majuscules, les "
           "accents ou des espaces finaux ; aucun n'est choisi au hasard."),
        N_("Gardez un seul de ces fichiers, ou écrivez dans le tableur le nom exact du bon, précédé de son "
           "sous-dossier s'il le faut (par exemple « 2022-11/BDC-1.pdf »).")),
    "piece_trop_lourde": Message(E, N_("Pièce justificative trop lourde"),
        N_("Le fichier « {name} » pèse {size}, plus que les {limit} qu'une pièce peut peser sur le portail."),
        N_("Numérisez de nouveau le document (noir et blanc, 200 ppp) ou réduisez la taille du PDF, puis remplacez "
           "le fichier.")),
    "piece_protegee": Message(E, N_("Pièce justificative protégée par mot de passe"),
        N_("Le fichier « {name} » demande un mot de passe (ou un certificat) pour s'ouvrir : l'agent de l'ASP ne "
           "pourra pas le lire et la demande attendrait des pièces complémentaires."),
        N_("Ouvrez-le avec son mot de passe, enregistrez-en une copie sans protection (Fichier › Imprimer › "
           "« Enregistrer au format PDF », ou dans Acrobat : Fichier › Propriétés › Sécurité › « Aucune sécurité »), "
           "remplacez le fichier par cette copie, puis revérifiez.")),
    "piece_protection_inconnue": Message(W, N_("Protection de la pièce non vérifiée"),
        N_("Le fichier « {name} » est un PDF protégé (chiffré) dont la protection n'a pas pu être lue : s'il demande "
           "un mot de passe à l'ouverture, l'agent de l'ASP ne pourra pas le lire et la demande attendra des pièces "
           "complémentaires."),
        N_("Ouvrez-le : si un mot de passe est demandé, enregistrez-en une copie sans protection (Imprimer › "
           "Enregistrer au format PDF) et remplacez le fichier.")),
    "guichet_ferme": Message(E, N_("Guichet fermé"),
        N_("Le guichet {type} {couloir} est fermé depuis le {closing}."),
        N_("Cette demande ne peut plus être déposée ; retirez-la du lot.")),
    "guichet_pas_ouvert": Message(E, N_("Guichet pas encore ouvert"),
        N_("Le guichet {type} {couloir} n'ouvre que le {opening}."),
        N_("Attendez l'ouverture du guichet pour déposer cette demande.")),
    "guichet_inconnu": Message(INFO, N_("Dates du guichet inconnues"),
        N_("Aucune date de fermeture connue pour le guichet {type} {couloir} (vague {vague}) : non vérifié."),
        N_("Importez un calendrier à jour si l'ASP a publié les dates.")),
    "pieces_non_verifiees": Message(INFO, N_("Pièces non vérifiées"),
        N_("Aucun dossier de pièces justificatives n'est indiqué : les PDF ne sont pas vérifiés."),
        N_("Indiquez le dossier des PDF (option --attachments, ou « pieces » dans le dossier de travail).")),
    "schema_absent": Message(E, N_("Format inconnu pour ce couloir"),
        N_("Aucun schéma JSON n'est disponible pour les demandes {type} du couloir {couloir}."),
        N_("Ajoutez le schéma du portail pour ce couloir dans le dossier des schémas.")),
    "format_incomplet": Message(E, N_("Format de dépôt incomplet"),
        N_("Le format de dépôt « {format} » a des clés du modèle officiel sans valeur : {keys}. Le portail les "
           "attend ; le produit ne sait pas quoi y écrire."),
        N_("Donnez à chacune un champ ou une valeur fixe : segur-desktop format import … --field CLÉ=CHAMP ou "
           "--constant CLÉ=VALEUR, ou la page « Format de dépôt » de la fenêtre.")),
    "plafond_non_verifie": Message(INFO, N_("Plafond non vérifié"),
        N_("Le plafond du couloir {couloir} n'est pas connu : les montants ne sont pas comparés à un plafond."),
        N_("Ajoutez le plafond de l'appel à financement dans couloirs.json si vous le connaissez.")),
}


def message_for(code: str) -> Message:
    return MESSAGES[code]
