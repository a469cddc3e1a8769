<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr_FR">
<context>
    <name>PairLock</name>
    <message>
        <source>another Steadysync process (pid %1) is already syncing %2</source>
        <translation>un autre processus Steadysync (PID %1) synchronise déjà %2</translation>
    </message>
    <message>
        <source>another Steadysync process is already syncing %1</source>
        <translation>un autre processus Steadysync synchronise déjà %1</translation>
    </message>
    <message>
        <source>cannot open the local folder %1: %2</source>
        <translation>impossible d&apos;ouvrir le dossier local %1 : %2</translation>
    </message>
    <message>
        <source>cannot lock the local folder %1: %2</source>
        <translation>impossible de verrouiller le dossier local %1 : %2</translation>
    </message>
</context>
<context>
    <name>RootIdentity</name>
    <message>
        <source>cannot write %1: %2</source>
        <translation>impossible d&apos;écrire %1 : %2</translation>
    </message>
    <message>
        <source>the journal has no pair id and none of its files is in this folder</source>
        <translation>le journal n&apos;a pas d&apos;identifiant de paire et aucun de ses fichiers n&apos;est dans ce dossier</translation>
    </message>
    <message>
        <source>the folder has no pair id (.steadysync/pair-id), so the journal was copied or restored into it</source>
        <translation>le dossier n&apos;a pas d&apos;identifiant de paire (.steadysync/pair-id) : le journal y a donc été copié ou restauré</translation>
    </message>
    <message>
        <source>the journal&apos;s pair id is not the folder&apos;s</source>
        <translation>l&apos;identifiant de paire du journal n&apos;est pas celui du dossier</translation>
    </message>
    <message>
        <source>the folder is not the one the journal was used in (another inode): copied or restored with its .steadysync/</source>
        <translation>le dossier n&apos;est pas celui où le journal a servi (autre inode) : copié ou restauré avec son .steadysync/</translation>
    </message>
    <message>
        <source>the local folder %1 is missing or unreadable</source>
        <translation>le dossier local %1 est absent ou illisible</translation>
    </message>
    <message>
        <source>the local folder %1 is missing or unreadable; nothing is deleted</source>
        <translation>le dossier local %1 est absent ou illisible ; rien n’est supprimé</translation>
    </message>
    <message>
        <source>the local folder %1 is not the folder this pair syncs any more (replaced or unmounted: its device or inode changed); nothing is deleted</source>
        <translation>le dossier local %1 n&apos;est plus le dossier que cette paire synchronise (remplacé ou démonté : son périphérique ou son inode a changé) ; rien n&apos;est supprimé</translation>
    </message>
    <message>
        <source>the local folder %1 lost its pair id (.steadysync/ removed or replaced); nothing is deleted</source>
        <translation>le dossier local %1 a perdu son identifiant de paire (.steadysync/ supprimé ou remplacé) ; rien n&apos;est supprimé</translation>
    </message>
    <message>
        <source>the remote folder %1 lost its marker %2 (unmounted or replaced); nothing is deleted</source>
        <translation>le dossier distant %1 a perdu son marqueur %2 (démonté ou remplacé) ; rien n&apos;est supprimé</translation>
    </message>
    <message>
        <source>the remote folder %1 is another folder than this pair synced (its marker %2 differs); nothing is deleted</source>
        <translation>le dossier distant %1 n&apos;est pas celui que cette paire synchronisait (son marqueur %2 diffère) ; rien n&apos;est supprimé</translation>
    </message>
    <message>
        <source>the remote folder %1 has no marker and none of the files this pair synced (unmounted?); nothing is deleted</source>
        <translation>le dossier distant %1 n&apos;a pas de marqueur ni aucun des fichiers que cette paire a synchronisés (démonté ?) ; rien n&apos;est supprimé</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>Two-way folder sync that never loses a version.</source>
        <translation>Synchronisation de dossiers dans les deux sens qui ne perd jamais une version.</translation>
    </message>
    <message>
        <source>Use language LANG (e.g. de, fr) instead of the system&apos;s.</source>
        <translation>Utiliser la langue LANG (p. ex. de, fr) au lieu de celle du système.</translation>
    </message>
    <message>
        <source>Steadysync is already running; its window is shown.</source>
        <translation>Steadysync est déjà en cours d’exécution ; sa fenêtre est affichée.</translation>
    </message>
    <message>
        <source>Cannot tell whether Steadysync is already running (%1).</source>
        <translation>Impossible de savoir si Steadysync est déjà en cours d’exécution (%1).</translation>
    </message>
</context>
<context>
    <name>steadysync::AbsenceProof</name>
    <message>
        <source>not deleted: its absence on the remote could not be confirmed (%1)</source>
        <translation>non supprimé : son absence sur le serveur n&apos;a pas pu être confirmée (%1)</translation>
    </message>
    <message>
        <source>the remote root</source>
        <translation>la racine distante</translation>
    </message>
    <message>
        <source>not deleted: the remote listing of %1 has a member without a usable name, which may be this one</source>
        <translation>non supprimé : la liste distante de %1 contient un élément sans nom utilisable, qui peut être celui-ci</translation>
    </message>
    <message>
        <source>not deleted: the remote listing left it out, but a second listing of %1 shows it</source>
        <translation>non supprimé : la liste distante l&apos;omettait, mais une deuxième liste de %1 le montre</translation>
    </message>
</context>
<context>
    <name>steadysync::ActivityModel</name>
    <message>
        <source>Time</source>
        <translation>Heure</translation>
    </message>
    <message>
        <source>Folder</source>
        <translation>Dossier</translation>
    </message>
    <message>
        <source>File</source>
        <translation>Fichier</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>Action</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>Résultat</translation>
    </message>
    <message>
        <source>Uploaded</source>
        <translation>Envoyé</translation>
    </message>
    <message>
        <source>Downloaded</source>
        <translation>Téléchargé</translation>
    </message>
    <message>
        <source>Folder created on the server</source>
        <translation>Dossier créé sur le serveur</translation>
    </message>
    <message>
        <source>Folder created locally</source>
        <translation>Dossier créé localement</translation>
    </message>
    <message>
        <source>Deleted on the server</source>
        <translation>Supprimé sur le serveur</translation>
    </message>
    <message>
        <source>Moved to the trash</source>
        <translation>Déplacé dans la corbeille</translation>
    </message>
    <message>
        <source>Moved on the server</source>
        <translation>Déplacé sur le serveur</translation>
    </message>
    <message>
        <source>Conflict</source>
        <translation>Conflit</translation>
    </message>
    <message>
        <source>Already in sync</source>
        <translation>Déjà synchronisé</translation>
    </message>
    <message>
        <source>Gone on both sides</source>
        <translation>Supprimé des deux côtés</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>OK</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Échec</translation>
    </message>
    <message>
        <source>Failed: %1</source>
        <translation>Échec : %1</translation>
    </message>
    <message>
        <source>Moved locally, as on the server</source>
        <translation>Déplacé localement, comme sur le serveur</translation>
    </message>
    <message>
        <source>Both versions kept; the older one as a conflict copy</source>
        <translation>Les deux versions conservées ; la plus ancienne comme copie de conflit</translation>
    </message>
    <message>
        <source>This computer&apos;s version kept; the other as a conflict copy</source>
        <translation>Version de cet ordinateur conservée ; l’autre comme copie de conflit</translation>
    </message>
    <message>
        <source>The server&apos;s version kept; the other as a conflict copy</source>
        <translation>Version du serveur conservée ; l’autre comme copie de conflit</translation>
    </message>
    <message>
        <source>Waiting for your choice</source>
        <translation>En attente de votre choix</translation>
    </message>
    <message>
        <source>You kept this computer&apos;s version</source>
        <translation>Vous avez conservé la version de cet ordinateur</translation>
    </message>
    <message>
        <source>You kept the server&apos;s version</source>
        <translation>Vous avez conservé la version du serveur</translation>
    </message>
    <message>
        <source>You kept both versions</source>
        <translation>Vous avez conservé les deux versions</translation>
    </message>
    <message>
        <source>Conflict resolved</source>
        <translation>Conflit résolu</translation>
    </message>
</context>
<context>
    <name>steadysync::AppController</name>
    <message>
        <source>Steadysync</source>
        <translation>Steadysync</translation>
    </message>
    <message>
        <source>The password could not be saved in the keychain. The folder pair cannot sign in until it is saved.</source>
        <translation>Le mot de passe n&apos;a pas pu être enregistré dans le trousseau. La paire de dossiers ne peut pas se connecter tant qu&apos;il n&apos;est pas enregistré.</translation>
    </message>
    <message>
        <source>Many Files Deleted</source>
        <translation>Nombreux fichiers supprimés</translation>
    </message>
    <message>
        <source>Delete on the Other Side Too</source>
        <translation>Supprimer aussi de l’autre côté</translation>
    </message>
    <message>
        <source>Restore the Files</source>
        <translation>Restaurer les fichiers</translation>
    </message>
    <message>
        <source>Decide Later</source>
        <translation>Décider plus tard</translation>
    </message>
</context>
<context>
    <name>steadysync::AppNotifications</name>
    <message>
        <source>Sign-in needed for %1</source>
        <translation>Connexion nécessaire pour %1</translation>
    </message>
    <message>
        <source>Open dashboard</source>
        <translation>Ouvrir le tableau de bord</translation>
    </message>
    <message>
        <source>Review conflict</source>
        <translation>Examiner le conflit</translation>
    </message>
    <message>
        <source>Conflict in %1</source>
        <translation>Conflit dans %1</translation>
    </message>
    <message>
        <source>%1 was changed on both sides. Choose which version to keep.</source>
        <translation>%1 a été modifié des deux côtés. Choisissez la version à garder.</translation>
    </message>
    <message>
        <source>%1 was changed on both sides. Both versions are kept; choose which one to keep in the dashboard.</source>
        <translation>%1 a été modifié des deux côtés. Les deux versions sont conservées ; choisissez laquelle garder dans le tableau de bord.</translation>
    </message>
    <message>
        <source>Sync failed in %1</source>
        <translation>Échec de synchronisation dans %1</translation>
    </message>
    <message>
        <source>Items that could not be synced: %1. See the dashboard for the reasons.</source>
        <translation>Éléments non synchronisés : %1. Les raisons figurent dans le tableau de bord.</translation>
    </message>
    <message>
        <source>%1 is in sync</source>
        <translation>%1 est synchronisé</translation>
    </message>
    <message>
        <source>The first sync is finished. Files on both sides: %1.</source>
        <translation>La première synchronisation est terminée. Fichiers des deux côtés : %1.</translation>
    </message>
    <message>
        <source>%1 is offline</source>
        <translation>%1 est hors ligne</translation>
    </message>
    <message>
        <source>The server has not answered for more than a minute. Steadysync keeps trying and syncs as soon as it is back.</source>
        <translation>Le serveur ne répond plus depuis plus d&apos;une minute. Steadysync continue d&apos;essayer et synchronise dès son retour.</translation>
    </message>
    <message>
        <source>New folders on the server for %1</source>
        <translation>Nouveaux dossiers sur le serveur pour %1</translation>
    </message>
    <message>
        <source>New folders over the size limit wait for your choice: %1. Choose Download or Keep Excluded in the dashboard.</source>
        <translation>De nouveaux dossiers au-delà de la taille limite attendent votre choix : %1. Choisissez « Télécharger » ou « Laisser exclu » dans le tableau de bord.</translation>
    </message>
</context>
<context>
    <name>steadysync::ChooseFoldersDialog</name>
    <message>
        <source>Choose Folders to Sync</source>
        <translation>Choisir les dossiers à synchroniser</translation>
    </message>
    <message>
        <source>Folders on %1 that this computer keeps a copy of. Unchecked folders stay on the server only.</source>
        <translation>Dossiers de %1 dont cet ordinateur garde une copie. Les dossiers non cochés restent uniquement sur le serveur.</translation>
    </message>
    <message>
        <source>The remote cannot be listed: %1</source>
        <translation>Le dossier distant ne peut pas être listé : %1</translation>
    </message>
    <message>
        <source>Listing the folders on the server…</source>
        <translation>Liste des dossiers du serveur en cours…</translation>
    </message>
    <message>
        <source>The server&apos;s folders could not be listed: %1</source>
        <translation>Les dossiers du serveur n’ont pas pu être listés : %1</translation>
    </message>
    <message>
        <source>%1 could not be listed: %2</source>
        <translation>%1 n’a pas pu être listé : %2</translation>
    </message>
    <message>
        <source>Selected: %1 · Free on this computer: %2</source>
        <translation>Sélection : %1 · Libre sur cet ordinateur : %2</translation>
    </message>
    <message>
        <source>Measuring the local copies…</source>
        <translation>Mesure des copies locales…</translation>
    </message>
    <message>
        <source>Remove Local Copies</source>
        <translation>Supprimer les copies locales</translation>
    </message>
    <message>
        <source>Remove %1 from this computer? The server keeps everything.</source>
        <translation>Retirer %1 de cet ordinateur ? Le serveur garde tout.</translation>
    </message>
    <message>
        <source>Synced files go to the trash. Files changed here that are not on the server yet stay where they are.</source>
        <translation>Les fichiers synchronisés vont à la corbeille. Les fichiers modifiés ici qui ne sont pas encore sur le serveur restent où ils sont.</translation>
    </message>
    <message>
        <source>%1: %2 (files: %3)</source>
        <translation>%1 : %2 (fichiers : %3)</translation>
    </message>
</context>
<context>
    <name>steadysync::ConflictResolver</name>
    <message>
        <source>%1 has no open conflict</source>
        <translation>%1 n’a aucun conflit ouvert</translation>
    </message>
    <message>
        <source>the conflict copy %1 is gone</source>
        <translation>la copie de conflit %1 a disparu</translation>
    </message>
    <message>
        <source>%1 vanished while resolving</source>
        <translation>%1 a disparu pendant la résolution</translation>
    </message>
</context>
<context>
    <name>steadysync::ConflictReviewDialog</name>
    <message>
        <source>Version on this computer</source>
        <translation>Version sur cet ordinateur</translation>
    </message>
    <message>
        <source>Version from the server</source>
        <translation>Version du serveur</translation>
    </message>
    <message>
        <source>Keep This Computer&apos;s</source>
        <translation>Garder celle de cet ordinateur</translation>
    </message>
    <message>
        <source>Keep the Server&apos;s</source>
        <translation>Garder celle du serveur</translation>
    </message>
    <message>
        <source>Keep Both</source>
        <translation>Garder les deux</translation>
    </message>
    <message>
        <source>Review Conflicts</source>
        <translation>Examiner les conflits</translation>
    </message>
    <message>
        <source>Keep the version on this computer; the server&apos;s version goes to the trash.</source>
        <translation>Garder la version de cet ordinateur ; celle du serveur va à la corbeille.</translation>
    </message>
    <message>
        <source>Keep the server&apos;s version; the version on this computer goes to the trash.</source>
        <translation>Garder la version du serveur ; celle de cet ordinateur va à la corbeille.</translation>
    </message>
    <message>
        <source>Keep both: the server&apos;s version stays as a separate conflict copy, synced like any file.</source>
        <translation>Garder les deux : la version du serveur reste une copie de conflit séparée, synchronisée comme tout fichier.</translation>
    </message>
    <message>
        <source>Conflict %1 of %2: &lt;b&gt;%3&lt;/b&gt; was changed both on this computer and on the server.</source>
        <translation>Conflit %1 sur %2 : &lt;b&gt;%3&lt;/b&gt; a été modifié à la fois sur cet ordinateur et sur le serveur.</translation>
    </message>
    <message>
        <source>Apply to all remaining conflicts (%1)</source>
        <translation>Appliquer à tous les conflits restants (%1)</translation>
    </message>
    <message>
        <source>Show Details</source>
        <translation>Afficher les détails</translation>
    </message>
    <message>
        <source>Show the checksum (SHA-256) of each version</source>
        <translation>Afficher la somme de contrôle (SHA-256) de chaque version</translation>
    </message>
    <message>
        <source>Show Versions</source>
        <translation>Afficher les versions</translation>
    </message>
</context>
<context>
    <name>steadysync::CycleRunner</name>
    <message>
        <source>the local folder %1 is missing or unreadable; nothing is deleted</source>
        <translation>le dossier local %1 est absent ou illisible ; rien n’est supprimé</translation>
    </message>
    <message>
        <source>deletions wait for your decision on the held mass deletion; nothing was changed</source>
        <translation>les suppressions attendent votre décision sur la suppression massive en attente ; rien n&apos;a été modifié</translation>
    </message>
    <message>
        <source>the %1 side lists no files although %2 were synced; nothing was deleted (confirm with --allow-mass-delete)</source>
        <translation>le côté %1 ne contient aucun fichier alors que %2 étaient synchronisés ; rien n’a été supprimé (confirmez avec --allow-mass-delete)</translation>
    </message>
    <message>
        <source>local</source>
        <translation>local</translation>
    </message>
    <message>
        <source>remote</source>
        <translation>distant</translation>
    </message>
    <message>
        <source>stopped by the mass-deletion guard: the plan deletes %1 local and %2 remote files of %3 tracked; nothing was changed</source>
        <translation>arrêté par la protection contre les suppressions massives : le plan supprime %1 fichiers locaux et %2 fichiers distants sur %3 suivis ; rien n’a été modifié</translation>
    </message>
    <message>
        <source>kept changing during the sync</source>
        <translation>n’a cessé de changer pendant la synchronisation</translation>
    </message>
    <message>
        <source>%1: a new folder on the server with %2 MiB in it, held back until you choose (select ... include, or --accept-new-folders)</source>
        <translation>%1 : un nouveau dossier sur le serveur contenant %2 Mio, mis en attente jusqu&apos;à votre choix (select ... include, ou --accept-new-folders)</translation>
    </message>
</context>
<context>
    <name>steadysync::DashboardWindow</name>
    <message>
        <source>Steadysync</source>
        <translation>Steadysync</translation>
    </message>
    <message>
        <source>Actions</source>
        <translation>Actions</translation>
    </message>
    <message>
        <source>Sync All Now</source>
        <translation>Tout synchroniser maintenant</translation>
    </message>
    <message>
        <source>Settings…</source>
        <translation>Paramètres…</translation>
    </message>
    <message>
        <source>Last hour</source>
        <translation>Dernière heure</translation>
    </message>
    <message>
        <source>Last 24 hours</source>
        <translation>Dernières 24 heures</translation>
    </message>
    <message>
        <source>Last 7 days</source>
        <translation>7 derniers jours</translation>
    </message>
    <message>
        <source>Folder:</source>
        <translation>Dossier :</translation>
    </message>
    <message>
        <source>Range:</source>
        <translation>Période :</translation>
    </message>
    <message>
        <source>Statistics</source>
        <translation>Statistiques</translation>
    </message>
    <message>
        <source>Recent Activity</source>
        <translation>Activité récente</translation>
    </message>
    <message>
        <source>File</source>
        <translation>Fichier</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Raison</translation>
    </message>
    <message>
        <source>Attempts</source>
        <translation>Tentatives</translation>
    </message>
    <message>
        <source>Next retry</source>
        <translation>Prochain essai</translation>
    </message>
    <message>
        <source>Retry Now</source>
        <translation>Réessayer maintenant</translation>
    </message>
    <message>
        <source>Failed Items</source>
        <translation>Éléments en échec</translation>
    </message>
    <message>
        <source>Server version saved as</source>
        <translation>Version du serveur enregistrée sous</translation>
    </message>
    <message>
        <source>Detected</source>
        <translation>Détecté</translation>
    </message>
    <message>
        <source>Review…</source>
        <translation>Examiner…</translation>
    </message>
    <message>
        <source>Conflicts</source>
        <translation>Conflits</translation>
    </message>
    <message>
        <source>only when the file changes or on “Retry Now”</source>
        <translation>seulement si le fichier change ou sur « Réessayer maintenant »</translation>
    </message>
    <message>
        <source>No folder is synced yet. Choose “Settings…” to add a folder pair.</source>
        <translation>Aucun dossier n’est encore synchronisé. Choisissez « Paramètres… » pour ajouter une paire de dossiers.</translation>
    </message>
    <message>
        <source>Last 10 minutes</source>
        <translation>10 dernières minutes</translation>
    </message>
    <message>
        <source>Search files</source>
        <translation>Rechercher des fichiers</translation>
    </message>
    <message>
        <source>All</source>
        <translation>Tout</translation>
    </message>
    <message>
        <source>Errors</source>
        <translation>Erreurs</translation>
    </message>
    <message>
        <source>Deleted</source>
        <translation>Supprimés</translation>
    </message>
    <message>
        <source>Show:</source>
        <translation>Afficher :</translation>
    </message>
    <message>
        <source>Open File</source>
        <translation>Ouvrir le fichier</translation>
    </message>
    <message>
        <source>Open Containing Folder</source>
        <translation>Ouvrir le dossier parent</translation>
    </message>
    <message>
        <source>Versions…</source>
        <translation>Versions…</translation>
    </message>
    <message>
        <source>Show Versions</source>
        <translation>Afficher les versions</translation>
    </message>
    <message>
        <source>the pair is no longer set up</source>
        <translation>la paire de dossiers n&apos;est plus configurée</translation>
    </message>
</context>
<context>
    <name>steadysync::Engine</name>
    <message>
        <source>cannot create the local folder %1</source>
        <translation>impossible de créer le dossier local %1</translation>
    </message>
    <message>
        <source>the local folder %1 is not a readable folder</source>
        <translation>le dossier local %1 n’est pas un dossier lisible</translation>
    </message>
    <message>
        <source>%1 is already paired with %2; a folder syncs with one remote</source>
        <translation>%1 est déjà associé à %2 ; un dossier ne se synchronise qu’avec un seul emplacement distant</translation>
    </message>
    <message>
        <source>Watching is incomplete (%1); running a full rescan</source>
        <translation>La surveillance est incomplète (%1) ; le dossier est entièrement réanalysé</translation>
    </message>
    <message>
        <source>Cannot watch the local folder (%1); relying on periodic rescans</source>
        <translation>Impossible de surveiller le dossier local (%1) ; il sera réanalysé périodiquement</translation>
    </message>
    <message>
        <source>stopping</source>
        <translation>arrêt en cours</translation>
    </message>
    <message>
        <source>paused</source>
        <translation>en pause</translation>
    </message>
    <message>
        <source>the journal in %1/.steadysync does not belong to this folder (%2): both sides are compared in full, nothing is deleted and differing files are kept both</source>
        <translation>le journal de %1/.steadysync n&apos;appartient pas à ce dossier (%2) : les deux côtés sont comparés entièrement, rien n&apos;est supprimé et les deux versions des fichiers différents sont gardées</translation>
    </message>
    <message>
        <source>the pair is not running</source>
        <translation>la paire ne tourne pas</translation>
    </message>
    <message>
        <source>metered connection</source>
        <translation>connexion limitée</translation>
    </message>
    <message>
        <source>on battery</source>
        <translation>sur batterie</translation>
    </message>
    <message>
        <source>outside the sync window</source>
        <translation>en dehors de la plage de synchronisation</translation>
    </message>
</context>
<context>
    <name>steadysync::FirstRunDialog</name>
    <message>
        <source>Welcome to Steadysync</source>
        <translation>Bienvenue dans Steadysync</translation>
    </message>
    <message>
        <source>Set Up Later</source>
        <translation>Configurer plus tard</translation>
    </message>
    <message>
        <source>Cannot create the folder %1.</source>
        <translation>Impossible de créer le dossier %1.</translation>
    </message>
    <message>
        <source>Two folders on this computer</source>
        <translation>Deux dossiers sur cet ordinateur</translation>
    </message>
    <message>
        <source>A server (WebDAV, such as Nextcloud)</source>
        <translation>Un serveur (WebDAV, comme Nextcloud)</translation>
    </message>
    <message>
        <source>No folder is set up for syncing yet. What should the folder &lt;b&gt;%1&lt;/b&gt; be kept in sync with?</source>
        <translation>Aucun dossier n&apos;est encore configuré pour la synchronisation. Avec quoi le dossier &lt;b&gt;%1&lt;/b&gt; doit-il rester synchronisé ?</translation>
    </message>
    <message>
        <source>The folder &lt;b&gt;%1&lt;/b&gt; on this computer. You can add a server or change folders in the settings at any time.</source>
        <translation>Le dossier &lt;b&gt;%1&lt;/b&gt; sur cet ordinateur. Vous pouvez ajouter un serveur ou changer de dossiers dans les paramètres à tout moment.</translation>
    </message>
    <message>
        <source>Start Syncing</source>
        <translation>Démarrer la synchronisation</translation>
    </message>
    <message>
        <source>Create the Folder on the Server</source>
        <translation>Créer le dossier sur le serveur</translation>
    </message>
    <message>
        <source>The folder could not be created: %1</source>
        <translation>Le dossier n&apos;a pas pu être créé : %1</translation>
    </message>
</context>
<context>
    <name>steadysync::FolderTreeModel</name>
    <message>
        <source>at least %1</source>
        <translation>au moins %1</translation>
    </message>
    <message>
        <source>This folder could not be listed: %1</source>
        <translation>Ce dossier n’a pas pu être listé : %1</translation>
    </message>
    <message>
        <source>New on the server and large: held back until you choose</source>
        <translation>Nouveau sur le serveur et volumineux : retenu jusqu’à votre choix</translation>
    </message>
    <message>
        <source>%1 (new, waiting for your choice)</source>
        <translation>%1 (nouveau, attend votre choix)</translation>
    </message>
    <message>
        <source>Folder</source>
        <translation>Dossier</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Taille</translation>
    </message>
</context>
<context>
    <name>steadysync::HeldFoldersPanel</name>
    <message>
        <source>New large folders on the server wait for your choice:</source>
        <translation>De nouveaux dossiers volumineux sur le serveur attendent votre choix :</translation>
    </message>
    <message>
        <source>Download</source>
        <translation>Télécharger</translation>
    </message>
    <message>
        <source>Sync this folder to this computer, however large it is.</source>
        <translation>Synchroniser ce dossier sur cet ordinateur, quelle que soit sa taille.</translation>
    </message>
    <message>
        <source>Keep Excluded</source>
        <translation>Laisser exclu</translation>
    </message>
    <message>
        <source>Leave this folder on the server only. Choose Folders in the settings can take it later.</source>
        <translation>Laisser ce dossier uniquement sur le serveur. « Choisir les dossiers » dans les réglages peut le reprendre plus tard.</translation>
    </message>
</context>
<context>
    <name>steadysync::HumanError</name>
    <message>
        <source>A temporary problem with the network or the server. It will be tried again.</source>
        <translation>Un problème passager avec le réseau ou le serveur. Une nouvelle tentative aura lieu.</translation>
    </message>
    <message>
        <source>The server or this computer refused it. It is tried again when the file changes.</source>
        <translation>Le serveur ou cet ordinateur l’a refusé. Une nouvelle tentative aura lieu quand le fichier changera.</translation>
    </message>
    <message>
        <source>The server did not accept the user name or password.</source>
        <translation>Le serveur n’a pas accepté le nom d’utilisateur ou le mot de passe.</translation>
    </message>
    <message>
        <source>The server cannot be reached.</source>
        <translation>Le serveur est injoignable.</translation>
    </message>
    <message>
        <source>It changed on the server meanwhile. It will be compared again.</source>
        <translation>Il a changé sur le serveur entre-temps. Il sera comparé à nouveau.</translation>
    </message>
    <message>
        <source>It is no longer there.</source>
        <translation>Il n’existe plus.</translation>
    </message>
    <message>
        <source>Its folder is missing on the other side.</source>
        <translation>Son dossier manque de l’autre côté.</translation>
    </message>
    <message>
        <source>There is not enough free space.</source>
        <translation>L’espace libre est insuffisant.</translation>
    </message>
    <message>
        <source>The synced folder is missing or not mounted.</source>
        <translation>Le dossier synchronisé est absent ou non monté.</translation>
    </message>
    <message>
        <source>It was stopped.</source>
        <translation>Il a été arrêté.</translation>
    </message>
    <message>
        <source>Its name is not allowed on the other side.</source>
        <translation>Son nom n’est pas autorisé de l’autre côté.</translation>
    </message>
    <message>
        <source>The server sent an answer that could not be read.</source>
        <translation>Le serveur a envoyé une réponse illisible.</translation>
    </message>
    <message>
        <source>Something went wrong.</source>
        <translation>Une erreur s’est produite.</translation>
    </message>
    <message>
        <source>The server did not accept the user name or password. Enter the password in Settings; syncing waits until then.</source>
        <translation>Le serveur n’a pas accepté le nom d’utilisateur ou le mot de passe. Saisissez le mot de passe dans les paramètres ; la synchronisation attend jusque-là.</translation>
    </message>
    <message>
        <source>Syncing stopped because of a problem. Nothing was deleted. Hover for details.</source>
        <translation>La synchronisation s’est arrêtée à cause d’un problème. Rien n’a été supprimé. Survolez pour les détails.</translation>
    </message>
    <message>
        <source>Some files could not be synced. The Failed Items tab says why.</source>
        <translation>Certains fichiers n’ont pas pu être synchronisés. L’onglet « Éléments en échec » en donne les raisons.</translation>
    </message>
    <message>
        <source>The server cannot be reached. Syncing continues by itself when it is back.</source>
        <translation>Le serveur est injoignable. La synchronisation reprendra d’elle-même à son retour.</translation>
    </message>
    <message>
        <source>Syncing “%1” would delete %2 files on this computer and %3 files on the server (of %4 synced files). Nothing has been deleted. If a disk is missing or not mounted, decide later and check it.</source>
        <translation>Synchroniser « %1 » supprimerait %2 fichiers sur cet ordinateur et %3 fichiers sur le serveur (sur %4 fichiers synchronisés). Rien n’a été supprimé. Si un disque est absent ou non monté, décidez plus tard et vérifiez-le.</translation>
    </message>
</context>
<context>
    <name>steadysync::LoginFlow</name>
    <message>
        <source>the server&apos;s answer to %1 is not a JSON object</source>
        <translation>la réponse du serveur à %1 n&apos;est pas un objet JSON</translation>
    </message>
    <message>
        <source>the login has not finished</source>
        <translation>la connexion n&apos;est pas terminée</translation>
    </message>
    <message>
        <source>the login needs an http(s):// server address, got %1</source>
        <translation>la connexion nécessite une adresse de serveur http(s)://, reçu : %1</translation>
    </message>
    <message>
        <source>cannot reach the server: %1</source>
        <translation>impossible de joindre le serveur : %1</translation>
    </message>
    <message>
        <source>the server offers no browser login (Nextcloud&apos;s Login Flow v2): HTTP %1</source>
        <translation>le serveur ne propose pas de connexion par navigateur (Login Flow v2 de Nextcloud) : HTTP %1</translation>
    </message>
    <message>
        <source>the login start</source>
        <translation>le début de la connexion</translation>
    </message>
    <message>
        <source>the server&apos;s login start lacks the login address or the poll token</source>
        <translation>le début de connexion du serveur ne contient pas l&apos;adresse de connexion ou le jeton d&apos;interrogation</translation>
    </message>
    <message>
        <source>the login was not completed in the browser in time</source>
        <translation>la connexion n&apos;a pas été terminée à temps dans le navigateur</translation>
    </message>
    <message>
        <source>the server refused the login: HTTP %1</source>
        <translation>le serveur a refusé la connexion : HTTP %1</translation>
    </message>
    <message>
        <source>the login poll</source>
        <translation>l&apos;interrogation de connexion</translation>
    </message>
    <message>
        <source>the server&apos;s login answer lacks the server, the login name or the app password</source>
        <translation>la réponse de connexion du serveur ne contient pas le serveur, l&apos;identifiant ou le mot de passe d&apos;application</translation>
    </message>
    <message>
        <source>the login was cancelled</source>
        <translation>la connexion a été annulée</translation>
    </message>
</context>
<context>
    <name>steadysync::PairCard</name>
    <message>
        <source>Files</source>
        <translation>Fichiers</translation>
    </message>
    <message>
        <source>Pending</source>
        <translation>En attente</translation>
    </message>
    <message>
        <source>Retrying</source>
        <translation>Nouvel essai</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Échec</translation>
    </message>
    <message>
        <source>Conflicts</source>
        <translation>Conflits</translation>
    </message>
    <message>
        <source>Uploads</source>
        <translation>Envois</translation>
    </message>
    <message>
        <source>Downloads</source>
        <translation>Téléchargements</translation>
    </message>
    <message>
        <source>Success rate</source>
        <translation>Taux de réussite</translation>
    </message>
    <message>
        <source>Up / down</source>
        <translation>Envoyé / reçu</translation>
    </message>
    <message>
        <source>Last sync</source>
        <translation>Dernière synchro</translation>
    </message>
    <message>
        <source>Sync Now</source>
        <translation>Synchroniser maintenant</translation>
    </message>
    <message>
        <source>Open Folder</source>
        <translation>Ouvrir le dossier</translation>
    </message>
    <message>
        <source>never</source>
        <translation>jamais</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>Reprendre</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>Suspendre</translation>
    </message>
    <message>
        <source>Delete on the Other Side Too</source>
        <translation>Supprimer aussi de l’autre côté</translation>
    </message>
    <message>
        <source>Restore the Files</source>
        <translation>Restaurer les fichiers</translation>
    </message>
    <message>
        <source>Server space: %1 used, unlimited</source>
        <translation>Espace sur le serveur : %1 utilisés, illimité</translation>
    </message>
    <message>
        <source>Server space: unlimited</source>
        <translation>Espace sur le serveur : illimité</translation>
    </message>
    <message>
        <source>Server space: %1 free of %2</source>
        <translation>Espace sur le serveur : %1 libres sur %2</translation>
    </message>
    <message>
        <source>Server space: %1 free</source>
        <translation>Espace sur le serveur : %1 libres</translation>
    </message>
    <message>
        <source>Server space: %1 used</source>
        <translation>Espace sur le serveur : %1 utilisés</translation>
    </message>
</context>
<context>
    <name>steadysync::PairEditor</name>
    <message>
        <source> ms</source>
        <translation> ms</translation>
    </message>
    <message>
        <source> s</source>
        <translation> s</translation>
    </message>
    <message>
        <source> KiB/s</source>
        <translation> Kio/s</translation>
    </message>
    <message>
        <source>unlimited</source>
        <translation>illimité</translation>
    </message>
    <message>
        <source>https://server/remote.php/dav/files/me/ or file:///mnt/nas</source>
        <translation>https://serveur/remote.php/dav/files/moi/ ou file:///mnt/nas</translation>
    </message>
    <message>
        <source>Keep both versions</source>
        <translation>Garder les deux versions</translation>
    </message>
    <message>
        <source>Ask me</source>
        <translation>Me demander</translation>
    </message>
    <message>
        <source>This computer wins (keep a copy)</source>
        <translation>Cet ordinateur l’emporte (copie conservée)</translation>
    </message>
    <message>
        <source>Server wins (keep a copy)</source>
        <translation>Le serveur l’emporte (copie conservée)</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>Choisir…</translation>
    </message>
    <message>
        <source>Local folder:</source>
        <translation>Dossier local :</translation>
    </message>
    <message>
        <source>Remote URL:</source>
        <translation>URL distante :</translation>
    </message>
    <message>
        <source>User:</source>
        <translation>Utilisateur :</translation>
    </message>
    <message>
        <source>When both sides changed:</source>
        <translation>Si les deux côtés ont changé :</translation>
    </message>
    <message>
        <source>Wait after a change:</source>
        <translation>Attendre après une modification :</translation>
    </message>
    <message>
        <source>Check the server every:</source>
        <translation>Vérifier le serveur toutes les :</translation>
    </message>
    <message>
        <source>Upload limit:</source>
        <translation>Limite d’envoi :</translation>
    </message>
    <message>
        <source>Download limit:</source>
        <translation>Limite de téléchargement :</translation>
    </message>
    <message>
        <source>Choose a local folder (an absolute path).</source>
        <translation>Choisissez un dossier local (chemin absolu).</translation>
    </message>
    <message>
        <source>The remote URL must start with https://, http:// or file:///.</source>
        <translation>L’URL distante doit commencer par https://, http:// ou file:///.</translation>
    </message>
    <message>
        <source>The remote folder must not be the local folder.</source>
        <translation>Le dossier distant ne doit pas être le dossier local.</translation>
    </message>
    <message>
        <source>Choose the Folder to Sync</source>
        <translation>Choisir le dossier à synchroniser</translation>
    </message>
    <message>
        <source>stored in the system keychain, never in a file</source>
        <translation>dans le trousseau, jamais dans un fichier</translation>
    </message>
    <message>
        <source>Password:</source>
        <translation>Mot de passe :</translation>
    </message>
    <message>
        <source>Test Connection</source>
        <translation>Tester la connexion</translation>
    </message>
    <message>
        <source>Testing…</source>
        <translation>Test en cours…</translation>
    </message>
    <message>
        <source>Trying %1…</source>
        <translation>Essai de %1…</translation>
    </message>
    <message>
        <source>Connected: the server accepted the login and the WebDAV folder exists.</source>
        <translation>Connecté : le serveur a accepté l’identification et le dossier WebDAV existe.</translation>
    </message>
    <message>
        <source>Connected: the folder exists and can be read.</source>
        <translation>Connecté : le dossier existe et peut être lu.</translation>
    </message>
    <message>
        <source>Wrong user or password: the server refused the login.</source>
        <translation>Utilisateur ou mot de passe incorrect : le serveur a refusé l’identification.</translation>
    </message>
    <message>
        <source>Server unreachable: no answer from %1. Check the address and the network.</source>
        <translation>Serveur injoignable : aucune réponse de %1. Vérifiez l’adresse et le réseau.</translation>
    </message>
    <message>
        <source>Certificate not trusted: the server&apos;s certificate is not signed by an authority this computer trusts.</source>
        <translation>Certificat non approuvé : le certificat du serveur n’est signé par aucune autorité reconnue par cet ordinateur.</translation>
    </message>
    <message>
        <source>Folder not found: %1 does not exist on the server.</source>
        <translation>Dossier introuvable : %1 n’existe pas sur le serveur.</translation>
    </message>
    <message>
        <source>Folder not found: %1 does not exist or cannot be opened.</source>
        <translation>Dossier introuvable : %1 n’existe pas ou ne peut pas être ouvert.</translation>
    </message>
    <message>
        <source>Not a WebDAV collection: the server offers no WebDAV folder at %1.</source>
        <translation>Pas une collection WebDAV : le serveur ne propose aucun dossier WebDAV à l’adresse %1.</translation>
    </message>
    <message>
        <source>Not a folder: %1 is a file.</source>
        <translation>Pas un dossier : %1 est un fichier.</translation>
    </message>
    <message>
        <source>The remote URL cannot be used: %1</source>
        <translation>L’URL distante ne peut pas être utilisée : %1</translation>
    </message>
    <message>
        <source>The connection test failed: %1</source>
        <translation>Le test de connexion a échoué : %1</translation>
    </message>
    <message>
        <source>Folder unreachable: %1 did not answer in time.</source>
        <translation>Dossier injoignable : %1 n’a pas répondu à temps.</translation>
    </message>
    <message>
        <source>The password comes from STEADYSYNC_PASSWORD.</source>
        <translation>Le mot de passe vient de STEADYSYNC_PASSWORD.</translation>
    </message>
    <message>
        <source>A password is stored in the keychain. Type a new one only to replace it.</source>
        <translation>Un mot de passe est enregistré dans le trousseau. N&apos;en saisissez un nouveau que pour le remplacer.</translation>
    </message>
    <message>
        <source>No password is stored in the keychain yet.</source>
        <translation>Aucun mot de passe n&apos;est encore enregistré dans le trousseau.</translation>
    </message>
    <message>
        <source>The keychain could not be read, so it is not known whether a password is stored.</source>
        <translation>Le trousseau n&apos;a pas pu être lu ; on ne sait pas si un mot de passe est enregistré.</translation>
    </message>
    <message>
        <source> MiB</source>
        <translation> Mio</translation>
    </message>
    <message>
        <source>never ask</source>
        <translation>ne jamais demander</translation>
    </message>
    <message>
        <source>Choose Folders…</source>
        <translation>Choisir les dossiers…</translation>
    </message>
    <message>
        <source>Folders to sync:</source>
        <translation>Dossiers à synchroniser :</translation>
    </message>
    <message>
        <source>Ask before new folders over:</source>
        <translation>Demander pour les nouveaux dossiers de plus de :</translation>
    </message>
    <message>
        <source>Pause on metered connections</source>
        <translation>Mettre en pause sur les connexions limitées</translation>
    </message>
    <message>
        <source> %</source>
        <translation>&#xa0;%</translation>
    </message>
    <message>
        <source>never</source>
        <translation>jamais</translation>
    </message>
    <message>
        <source>On battery below this charge, or in power-saver mode, the folder waits.</source>
        <translation>Sur batterie sous ce niveau de charge, ou en mode économie d’énergie, le dossier attend.</translation>
    </message>
    <message>
        <source>Pause on battery below:</source>
        <translation>Mettre en pause sur batterie sous :</translation>
    </message>
    <message>
        <source>none, or e.g. 08:00,512k 19:00,off</source>
        <translation>aucun, ou p. ex. 08:00,512k 19:00,off</translation>
    </message>
    <message>
        <source>From each time on, the limit in KiB/s (M: MiB/s), UP:DOWN or one for both, off for none. Replaces the upload and download limits.</source>
        <translation>À partir de chaque heure, la limite en Kio/s (M : Mio/s), ENVOI:RÉCEPTION ou une pour les deux, off pour aucune. Remplace les limites d’envoi et de réception.</translation>
    </message>
    <message>
        <source>Sync only during:</source>
        <translation>Synchroniser seulement :</translation>
    </message>
    <message>
        <source>Bandwidth timetable:</source>
        <translation>Horaire de bande passante :</translation>
    </message>
    <message>
        <source>The sync window is not valid: %1</source>
        <translation>La plage de synchronisation n’est pas valide : %1</translation>
    </message>
    <message>
        <source>The bandwidth timetable is not valid: %1</source>
        <translation>L’horaire de bande passante n’est pas valide : %1</translation>
    </message>
    <message>
        <source>always, or e.g. 22:00-06:00</source>
        <translation>toujours, ou p. ex. 22:00-06:00</translation>
    </message>
    <message>
        <source>Local times, with days if you like: Mon-Fri 19:00-07:00,Sat-Sun 00:00-24:00</source>
        <translation>Heures locales, avec les jours si vous voulez : Mon-Fri 19:00-07:00,Sat-Sun 00:00-24:00</translation>
    </message>
    <message>
        <source>Log in with Browser…</source>
        <translation>Se connecter via le navigateur…</translation>
    </message>
    <message>
        <source>Nextcloud: log in in your browser (two-factor authentication and single sign-on work there); Steadysync receives an app password, never your password.</source>
        <translation>Nextcloud : connectez-vous dans votre navigateur (l&apos;authentification à deux facteurs et l&apos;authentification unique y fonctionnent) ; Steadysync reçoit un mot de passe d&apos;application, jamais votre mot de passe.</translation>
    </message>
    <message>
        <source>Log in and grant access in the browser window that opened.</source>
        <translation>Connectez-vous et accordez l&apos;accès dans la fenêtre du navigateur qui s&apos;est ouverte.</translation>
    </message>
    <message>
        <source>Open %1 in a browser, log in and grant access.</source>
        <translation>Ouvrez %1 dans un navigateur, connectez-vous et accordez l&apos;accès.</translation>
    </message>
    <message>
        <source>The browser login failed: %1</source>
        <translation>La connexion via le navigateur a échoué : %1</translation>
    </message>
    <message>
        <source>Type the server&apos;s address (https://…) first.</source>
        <translation>Saisissez d&apos;abord l&apos;adresse du serveur (https://…).</translation>
    </message>
    <message>
        <source>Asking %1 for a browser login…</source>
        <translation>Demande d&apos;une connexion par navigateur à %1…</translation>
    </message>
    <message>
        <source>Logged in as %1 with an app password; it is stored in the keychain when you save.</source>
        <translation>Connecté en tant que %1 avec un mot de passe d&apos;application ; il est enregistré dans le trousseau lorsque vous enregistrez.</translation>
    </message>
    <message>
        <source>Keep the server&apos;s versions</source>
        <translation>Conserver les versions du serveur</translation>
    </message>
    <message>
        <source>Before replacing or deleting a file on the server, keep the server&apos;s copy in the hidden folder .steadysync-versions there. For servers that keep no versions of their own; costs server space until the versions are pruned.</source>
        <translation>Avant de remplacer ou de supprimer un fichier sur le serveur, en conserver la copie du serveur dans le dossier caché .steadysync-versions de celui-ci. Pour les serveurs qui ne gardent pas de versions ; occupe de l’espace sur le serveur jusqu’au nettoyage des versions.</translation>
    </message>
    <message>
        <source>WebDAV (Nextcloud, ownCloud, …)</source>
        <translation>WebDAV (Nextcloud, ownCloud, …)</translation>
    </message>
    <message>
        <source>Local or network folder</source>
        <translation>Dossier local ou réseau</translation>
    </message>
    <message>
        <source>S3 object storage</source>
        <translation>Stockage objet S3</translation>
    </message>
    <message>
        <source>Server type:</source>
        <translation>Type de serveur :</translation>
    </message>
    <message>
        <source>Secret access key:</source>
        <translation>Clé d&apos;accès secrète :</translation>
    </message>
    <message>
        <source>file:///mnt/nas/shared</source>
        <translation>file:///mnt/nas/shared</translation>
    </message>
    <message>
        <source>https://server/remote.php/dav/files/me/</source>
        <translation>https://serveur/remote.php/dav/files/moi/</translation>
    </message>
    <message>
        <source>Connected: the store accepted the keys and the bucket %1 can be listed.</source>
        <translation>Connecté : le stockage a accepté les clés et le bucket %1 peut être listé.</translation>
    </message>
    <message>
        <source>Keys refused: the store does not accept this access key ID and secret access key.</source>
        <translation>Clés refusées : le stockage n&apos;accepte pas cet identifiant de clé d&apos;accès et cette clé secrète.</translation>
    </message>
    <message>
        <source>Store unreachable: no answer from %1. Check the endpoint and the network.</source>
        <translation>Stockage injoignable : aucune réponse de %1. Vérifiez le point de terminaison et le réseau.</translation>
    </message>
    <message>
        <source>Bucket not found: %1 does not exist on %2 (or these keys may not see it).</source>
        <translation>Bucket introuvable : %1 n&apos;existe pas sur %2 (ou ces clés ne le voient pas).</translation>
    </message>
    <message>
        <source>These S3 settings cannot be used: %1</source>
        <translation>Ces réglages S3 ne sont pas utilisables : %1</translation>
    </message>
</context>
<context>
    <name>steadysync::PairSession</name>
    <message>
        <source>the pair is not running</source>
        <translation>la paire de dossiers n&apos;est pas en cours d&apos;exécution</translation>
    </message>
</context>
<context>
    <name>steadysync::Propagator</name>
    <message>
        <source>changed meanwhile; checking again</source>
        <translation>modifié entre-temps ; nouvelle vérification</translation>
    </message>
    <message>
        <source>%1: not enough free disk space (%2 bytes free, %3 needed plus a reserve of %4)</source>
        <translation>%1 : espace disque insuffisant (%2 octets libres, %3 nécessaires plus une réserve de %4)</translation>
    </message>
    <message>
        <source>%1: download incomplete (%2 of %3 bytes)</source>
        <translation>%1 : téléchargement incomplet (%2 octets sur %3)</translation>
    </message>
    <message>
        <source>%1: downloaded content does not match its checksum</source>
        <translation>%1 : le contenu téléchargé ne correspond pas à sa somme de contrôle</translation>
    </message>
    <message>
        <source>%1: vanished after download</source>
        <translation>%1 : disparu après le téléchargement</translation>
    </message>
    <message>
        <source>%1: cannot create the folder</source>
        <translation>%1 : impossible de créer le dossier</translation>
    </message>
    <message>
        <source>%1: restored from the server: its folder there is read-only, so the deletion made here cannot be carried out</source>
        <translation>%1 : restauré depuis le serveur : son dossier y est en lecture seule, la suppression faite ici ne peut pas y être appliquée</translation>
    </message>
    <message>
        <source>%1: not renamed on the server: the folder there is read-only; &quot;%2&quot; is restored from the server, and &quot;%1&quot; is kept here as a new file</source>
        <translation>%1 : non renommé sur le serveur : le dossier y est en lecture seule ; « %2 » est restauré depuis le serveur, et « %1 » est conservé ici comme nouveau fichier</translation>
    </message>
    <message>
        <source>%1: not uploaded: its folder on the server is read-only; the edit made here is kept as &quot;%2&quot; and the server&apos;s version is restored</source>
        <translation>%1 : non envoyé : son dossier sur le serveur est en lecture seule ; la modification faite ici est conservée sous « %2 » et la version du serveur est restaurée</translation>
    </message>
</context>
<context>
    <name>steadysync::RemoteFolderCreator</name>
    <message>
        <source>The address names no folder.</source>
        <translation>L&apos;adresse ne désigne aucun dossier.</translation>
    </message>
</context>
<context>
    <name>steadysync::RemoteVersionKeeper</name>
    <message>
        <source>%1: the server&apos;s version could not be kept before replacing it, so it was not replaced: %2</source>
        <translation>%1 : la version du serveur n’a pas pu être conservée avant d’être remplacée, elle n’a donc pas été remplacée : %2</translation>
    </message>
</context>
<context>
    <name>steadysync::S3Backend</name>
    <message>
        <source>The S3 store ignores conditional writes (If-Match, If-None-Match): each upload is checked just before and after it instead, which leaves a short window for another client&apos;s write to go unnoticed.</source>
        <translation>Le stockage S3 ignore les écritures conditionnelles (If-Match, If-None-Match) : chaque envoi est vérifié juste avant et juste après, ce qui laisse une courte fenêtre où l&apos;écriture d&apos;un autre client peut passer inaperçue.</translation>
    </message>
</context>
<context>
    <name>steadysync::S3PairFields</name>
    <message>
        <source>e.g. team-files</source>
        <translation>p. ex. team-files</translation>
    </message>
    <message>
        <source>Endpoint:</source>
        <translation>Point de terminaison :</translation>
    </message>
    <message>
        <source>Bucket:</source>
        <translation>Bucket :</translation>
    </message>
    <message>
        <source>Prefix:</source>
        <translation>Préfixe :</translation>
    </message>
    <message>
        <source>Region:</source>
        <translation>Région :</translation>
    </message>
    <message>
        <source>Access key ID:</source>
        <translation>ID de clé d&apos;accès :</translation>
    </message>
    <message>
        <source>Type the bucket&apos;s name (3 to 63 lower-case letters, digits, dots or hyphens).</source>
        <translation>Saisissez le nom du bucket (3 à 63 lettres minuscules, chiffres, points ou tirets).</translation>
    </message>
    <message>
        <source>The endpoint must be an http:// or https:// address, or empty for AWS.</source>
        <translation>Le point de terminaison doit être une adresse http:// ou https://, ou vide pour AWS.</translation>
    </message>
    <message>
        <source>Type the access key ID.</source>
        <translation>Saisissez l&apos;ID de clé d&apos;accès.</translation>
    </message>
    <message>
        <source>empty for AWS, or https://host:port</source>
        <translation>vide pour AWS, ou https://hôte:port</translation>
    </message>
    <message>
        <source>optional, e.g. projects/2026</source>
        <translation>facultatif, p. ex. projets/2026</translation>
    </message>
    <message>
        <source>default us-east-1</source>
        <translation>par défaut us-east-1</translation>
    </message>
</context>
<context>
    <name>steadysync::SelectionWriter</name>
    <message>
        <source>cannot create the local folder %1</source>
        <translation>impossible de créer le dossier local %1</translation>
    </message>
</context>
<context>
    <name>steadysync::SettingsDialog</name>
    <message>
        <source>Remove</source>
        <translation>Retirer</translation>
    </message>
    <message>
        <source>Start Steadysync when I log in</source>
        <translation>Lancer Steadysync à l’ouverture de session</translation>
    </message>
    <message>
        <source>Add Folder Pair</source>
        <translation>Ajouter une paire de dossiers</translation>
    </message>
    <message>
        <source>Save Pair</source>
        <translation>Enregistrer la paire</translation>
    </message>
    <message>
        <source>Cannot change the autostart entry %1.</source>
        <translation>Impossible de modifier l’entrée de démarrage automatique %1.</translation>
    </message>
    <message>
        <source>Remove Folder Pair</source>
        <translation>Retirer la paire de dossiers</translation>
    </message>
    <message>
        <source>Stop syncing this folder pair? No file is deleted on either side.</source>
        <translation>Arrêter de synchroniser cette paire de dossiers ? Aucun fichier n’est supprimé, d’un côté comme de l’autre.</translation>
    </message>
    <message>
        <source>This folder is already synced by another pair.</source>
        <translation>Ce dossier est déjà synchronisé par une autre paire.</translation>
    </message>
    <message>
        <source>Saving the password in the keychain…</source>
        <translation>Enregistrement du mot de passe dans le trousseau…</translation>
    </message>
    <message>
        <source>The password is saved in the keychain.</source>
        <translation>Le mot de passe est enregistré dans le trousseau.</translation>
    </message>
    <message>
        <source>The password could not be saved in the keychain. The folder pair cannot sign in until it is saved.</source>
        <translation>Le mot de passe n’a pas pu être enregistré dans le trousseau. La paire de dossiers ne peut pas se connecter tant qu’il ne l’est pas.</translation>
    </message>
    <message>
        <source>Unsaved Changes</source>
        <translation>Modifications non enregistrées</translation>
    </message>
    <message>
        <source>This folder pair has changes that are not saved yet.</source>
        <translation>Cette paire de dossiers a des modifications pas encore enregistrées.</translation>
    </message>
    <message>
        <source>Save them before going on?</source>
        <translation>Les enregistrer avant de continuer ?</translation>
    </message>
    <message>
        <source>Reading the password from the keychain…</source>
        <translation>Lecture du mot de passe dans le trousseau…</translation>
    </message>
    <message>
        <source>Applying the folder selection…</source>
        <translation>Application de la sélection de dossiers…</translation>
    </message>
    <message>
        <source>The folder selection could not be saved.</source>
        <translation>La sélection de dossiers n’a pas pu être enregistrée.</translation>
    </message>
    <message>
        <source>The folder selection is saved; the next sync follows it.</source>
        <translation>La sélection de dossiers est enregistrée ; la prochaine synchronisation la suit.</translation>
    </message>
    <message>
        <source>Synced files moved to the trash: %1.</source>
        <translation>Fichiers synchronisés mis à la corbeille : %1.</translation>
    </message>
    <message>
        <source>Files not on the server that stay here: %1.</source>
        <translation>Fichiers absents du serveur qui restent ici : %1.</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Paramètres</translation>
    </message>
</context>
<context>
    <name>steadysync::State</name>
    <message>
        <source>Syncing</source>
        <translation>Synchronisation</translation>
    </message>
    <message>
        <source>Paused</source>
        <translation>En pause</translation>
    </message>
    <message>
        <source>Offline</source>
        <translation>Hors ligne</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>Erreur</translation>
    </message>
    <message>
        <source>Up to date</source>
        <translation>À jour</translation>
    </message>
    <message>
        <source>Sign-in needed</source>
        <translation>Connexion requise</translation>
    </message>
    <message>
        <source>Conflicts to review</source>
        <translation>Conflits à examiner</translation>
    </message>
    <message>
        <source>Some files could not be synced</source>
        <translation>Des fichiers non synchronisés</translation>
    </message>
    <message>
        <source>Paused, changes waiting</source>
        <translation>En pause, modifications en attente</translation>
    </message>
    <message>
        <source>No folder pair set up</source>
        <translation>Aucune paire de dossiers configurée</translation>
    </message>
    <message>
        <source>Conflicts to review: %1</source>
        <translation>Conflits à examiner : %1</translation>
    </message>
    <message>
        <source>Files not synced: %1</source>
        <translation>Fichiers non synchronisés : %1</translation>
    </message>
    <message>
        <source>Paused, changes waiting: %1</source>
        <translation>En pause, modifications en attente : %1</translation>
    </message>
    <message>
        <source>Syncing %1 of %2</source>
        <translation>Synchronisation de %1 sur %2</translation>
    </message>
    <message>
        <source>Files waiting for a retry: %1</source>
        <translation>Fichiers en attente d’une nouvelle tentative : %1</translation>
    </message>
    <message>
        <source>Waiting for your decision</source>
        <translation>En attente de votre décision</translation>
    </message>
    <message>
        <source>Paused: metered connection</source>
        <translation>En pause : connexion limitée</translation>
    </message>
    <message>
        <source>Paused: on battery</source>
        <translation>En pause : sur batterie</translation>
    </message>
    <message>
        <source>Paused: outside its sync window</source>
        <translation>En pause : hors de sa plage de synchronisation</translation>
    </message>
</context>
<context>
    <name>steadysync::StatsCharts</name>
    <message>
        <source>Success rate</source>
        <translation>Taux de réussite</translation>
    </message>
    <message>
        <source>Pending</source>
        <translation>En attente</translation>
    </message>
    <message>
        <source>Retry queue</source>
        <translation>Nouvel essai</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Échec</translation>
    </message>
    <message>
        <source>Upload</source>
        <translation>Envoi</translation>
    </message>
    <message>
        <source>Download</source>
        <translation>Téléchargement</translation>
    </message>
    <message>
        <source>KiB/s</source>
        <translation>Kio/s</translation>
    </message>
    <message>
        <source>Queues</source>
        <translation>Files d’attente</translation>
    </message>
    <message>
        <source>Throughput</source>
        <translation>Débit</translation>
    </message>
    <message>
        <source>No data yet. The charts fill in while this folder pair syncs.</source>
        <translation>Pas encore de données. Les graphiques se remplissent pendant la synchronisation de cette paire de dossiers.</translation>
    </message>
</context>
<context>
    <name>steadysync::TransferProgress</name>
    <message>
        <source>%1 of %2</source>
        <translation>%1 sur %2</translation>
    </message>
    <message>
        <source>Uploading %1: %2</source>
        <translation>Envoi de %1 : %2</translation>
    </message>
    <message>
        <source>Downloading %1: %2</source>
        <translation>Téléchargement de %1 : %2</translation>
    </message>
    <message>
        <source>, %1/s</source>
        <translation>, %1/s</translation>
    </message>
    <message>
        <source>, %1 left</source>
        <translation>, reste %1</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <source>%1 min</source>
        <translation>%1 min</translation>
    </message>
    <message>
        <source>%1 h %2 min</source>
        <translation>%1 h %2 min</translation>
    </message>
</context>
<context>
    <name>steadysync::TrayController</name>
    <message>
        <source>Open Dashboard</source>
        <translation>Ouvrir le tableau de bord</translation>
    </message>
    <message>
        <source>Open Folder</source>
        <translation>Ouvrir le dossier</translation>
    </message>
    <message>
        <source>Sync Now</source>
        <translation>Synchroniser maintenant</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>Suspendre</translation>
    </message>
    <message>
        <source>Settings…</source>
        <translation>Paramètres…</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>Quitter</translation>
    </message>
    <message>
        <source>Steadysync: %1</source>
        <translation>Steadysync : %1</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>Reprendre</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1 : %2</translation>
    </message>
</context>
<context>
    <name>steadysync::VersionPanel</name>
    <message>
        <source>No preview for this kind of file.</source>
        <translation>Pas d’aperçu pour ce type de fichier.</translation>
    </message>
    <message>
        <source>File:</source>
        <translation>Fichier :</translation>
    </message>
    <message>
        <source>Size:</source>
        <translation>Taille :</translation>
    </message>
    <message>
        <source>Modified:</source>
        <translation>Modifié :</translation>
    </message>
    <message>
        <source>SHA-256:</source>
        <translation>SHA-256 :</translation>
    </message>
    <message>
        <source>computing…</source>
        <translation>calcul en cours…</translation>
    </message>
    <message>
        <source>missing</source>
        <translation>absent</translation>
    </message>
    <message>
        <source>%1 bytes</source>
        <translation>%1 octets</translation>
    </message>
    <message>
        <source>%1 (%2 bytes)</source>
        <translation>%1 (%2 octets)</translation>
    </message>
</context>
<context>
    <name>steadysync::VersionsModel</name>
    <message>
        <source>Replaced by a newer version</source>
        <translation>Remplacée par une version plus récente</translation>
    </message>
    <message>
        <source>Deleted on the server</source>
        <translation>Supprimée sur le serveur</translation>
    </message>
    <message>
        <source>Set aside in a conflict</source>
        <translation>Mise de côté lors d’un conflit</translation>
    </message>
    <message>
        <source>Its folder was no longer synced</source>
        <translation>Son dossier n’est plus synchronisé</translation>
    </message>
    <message>
        <source>The server&apos;s previous version</source>
        <translation>Version précédente du serveur</translation>
    </message>
    <message>
        <source>%1 (no longer in the folder)</source>
        <translation>%1 (n’est plus dans le dossier)</translation>
    </message>
    <message>
        <source>File</source>
        <translation>Fichier</translation>
    </message>
    <message>
        <source>Versions</source>
        <translation>Versions</translation>
    </message>
    <message>
        <source>Last kept</source>
        <translation>Dernière conservée</translation>
    </message>
    <message>
        <source>Earlier version on the server</source>
        <translation>Version antérieure sur le serveur</translation>
    </message>
    <message>
        <source>In the server&apos;s trash</source>
        <translation>Dans la corbeille du serveur</translation>
    </message>
</context>
<context>
    <name>steadysync::VersionsView</name>
    <message>
        <source>Restore To</source>
        <translation>Restaurer vers</translation>
    </message>
    <message>
        <source>Deleted files only</source>
        <translation>Fichiers supprimés seulement</translation>
    </message>
    <message>
        <source>Preview</source>
        <translation>Aperçu</translation>
    </message>
    <message>
        <source>Restore</source>
        <translation>Restaurer</translation>
    </message>
    <message>
        <source>Restore To…</source>
        <translation>Restaurer vers…</translation>
    </message>
    <message>
        <source>Versions of “%1”</source>
        <translation>Versions de « %1 »</translation>
    </message>
    <message>
        <source>Search files</source>
        <translation>Rechercher des fichiers</translation>
    </message>
    <message>
        <source>Show only files that are no longer in the folder</source>
        <translation>N’afficher que les fichiers qui ne sont plus dans le dossier</translation>
    </message>
    <message>
        <source>Put this version back in its place; the file there now is kept as a version first.</source>
        <translation>Remettre cette version à sa place ; le fichier qui s’y trouve est d’abord conservé comme version.</translation>
    </message>
    <message>
        <source>Save this version as another file</source>
        <translation>Enregistrer cette version dans un autre fichier</translation>
    </message>
    <message>
        <source>Kept</source>
        <translation>Conservée</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Raison</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Taille</translation>
    </message>
    <message>
        <source>The versions could not be read: %1</source>
        <translation>Impossible de lire les versions : %1</translation>
    </message>
    <message>
        <source>No version has been kept in this folder yet.</source>
        <translation>Aucune version n’a encore été conservée dans ce dossier.</translation>
    </message>
    <message>
        <source>Restoring %1…</source>
        <translation>Restauration de %1…</translation>
    </message>
    <message>
        <source>Could not restore to %1: %2</source>
        <translation>Impossible de restaurer vers %1 : %2</translation>
    </message>
    <message>
        <source>Restored to %1.</source>
        <translation>Restauré vers %1.</translation>
    </message>
    <message>
        <source>This version is kept on the server. Restore it with: steadysync-cli versions restore &quot;%1&quot; &quot;%2&quot; --id %3</source>
        <translation>Cette version est conservée sur le serveur. Pour la restaurer : steadysync-cli versions restore &quot;%1&quot; &quot;%2&quot; --id %3</translation>
    </message>
    <message>
        <source>Fetching %1 from the server…</source>
        <translation>Récupération de %1 depuis le serveur…</translation>
    </message>
    <message>
        <source>Where</source>
        <translation>Emplacement</translation>
    </message>
    <message>
        <source>Server</source>
        <translation>Serveur</translation>
    </message>
    <message>
        <source>This computer</source>
        <translation>Cet ordinateur</translation>
    </message>
    <message>
        <source>What the server keeps could not be listed: %1</source>
        <translation>Ce que le serveur conserve n&apos;a pas pu être listé : %1</translation>
    </message>
    <message>
        <source>Restoring %1 from the server…</source>
        <translation>Restauration de %1 depuis le serveur…</translation>
    </message>
</context>
<context>
    <name>steadysync::WebDavSession</name>
    <message>
        <source>%1: WebDAV locks do not work on this server (%2); writes go ahead without locks, guarded by If-Match and a check just before each write</source>
        <translation>%1 : les verrous WebDAV ne fonctionnent pas sur ce serveur (%2) ; les écritures se font sans verrou, protégées par If-Match et une vérification juste avant chaque écriture</translation>
    </message>
</context>
</TS>
