<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>PairLock</name>
    <message>
        <source>another Steadysync process (pid %1) is already syncing %2</source>
        <translation>ein anderer Steadysync-Prozess (PID %1) synchronisiert %2 bereits</translation>
    </message>
    <message>
        <source>another Steadysync process is already syncing %1</source>
        <translation>ein anderer Steadysync-Prozess synchronisiert bereits %1</translation>
    </message>
    <message>
        <source>cannot open the local folder %1: %2</source>
        <translation>der lokale Ordner %1 kann nicht geöffnet werden: %2</translation>
    </message>
    <message>
        <source>cannot lock the local folder %1: %2</source>
        <translation>der lokale Ordner %1 kann nicht gesperrt werden: %2</translation>
    </message>
</context>
<context>
    <name>RootIdentity</name>
    <message>
        <source>cannot write %1: %2</source>
        <translation>%1 kann nicht geschrieben werden: %2</translation>
    </message>
    <message>
        <source>the journal has no pair id and none of its files is in this folder</source>
        <translation>das Journal hat keine Paar-ID, und keine seiner Dateien liegt in diesem Ordner</translation>
    </message>
    <message>
        <source>the folder has no pair id (.steadysync/pair-id), so the journal was copied or restored into it</source>
        <translation>der Ordner hat keine Paar-ID (.steadysync/pair-id), das Journal wurde also hineinkopiert oder wiederhergestellt</translation>
    </message>
    <message>
        <source>the journal&apos;s pair id is not the folder&apos;s</source>
        <translation>die Paar-ID des Journals ist nicht die des Ordners</translation>
    </message>
    <message>
        <source>the folder is not the one the journal was used in (another inode): copied or restored with its .steadysync/</source>
        <translation>der Ordner ist nicht der, in dem das Journal benutzt wurde (anderer Inode): mit seinem .steadysync/ kopiert oder wiederhergestellt</translation>
    </message>
    <message>
        <source>the local folder %1 is missing or unreadable</source>
        <translation>der lokale Ordner %1 fehlt oder ist nicht lesbar</translation>
    </message>
    <message>
        <source>the local folder %1 is missing or unreadable; nothing is deleted</source>
        <translation>der lokale Ordner %1 fehlt oder ist nicht lesbar; es wird nichts gelöscht</translation>
    </message>
    <message>
        <source>the local folder %1 is not the folder this pair syncs any more (replaced or unmounted: its device or inode changed); nothing is deleted</source>
        <translation>der lokale Ordner %1 ist nicht mehr der Ordner, den dieses Paar synchronisiert (ersetzt oder ausgehängt: Gerät oder Inode haben sich geändert); nichts wird gelöscht</translation>
    </message>
    <message>
        <source>the local folder %1 lost its pair id (.steadysync/ removed or replaced); nothing is deleted</source>
        <translation>der lokale Ordner %1 hat seine Paar-ID verloren (.steadysync/ entfernt oder ersetzt); nichts wird gelöscht</translation>
    </message>
    <message>
        <source>the remote folder %1 lost its marker %2 (unmounted or replaced); nothing is deleted</source>
        <translation>der entfernte Ordner %1 hat seine Markierung %2 verloren (ausgehängt oder ersetzt); nichts wird gelöscht</translation>
    </message>
    <message>
        <source>the remote folder %1 is another folder than this pair synced (its marker %2 differs); nothing is deleted</source>
        <translation>der entfernte Ordner %1 ist ein anderer als der, den dieses Paar synchronisiert hat (seine Markierung %2 weicht ab); nichts wird gelöscht</translation>
    </message>
    <message>
        <source>the remote folder %1 has no marker and none of the files this pair synced (unmounted?); nothing is deleted</source>
        <translation>der entfernte Ordner %1 hat keine Markierung und keine der Dateien, die dieses Paar synchronisiert hat (ausgehängt?); nichts wird gelöscht</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>Two-way folder sync that never loses a version.</source>
        <translation>Ordnersynchronisation in beide Richtungen, die nie eine Version verliert.</translation>
    </message>
    <message>
        <source>Use language LANG (e.g. de, fr) instead of the system&apos;s.</source>
        <translation>Sprache LANG (z. B. de, fr) statt der des Systems verwenden.</translation>
    </message>
    <message>
        <source>Steadysync is already running; its window is shown.</source>
        <translation>Steadysync läuft bereits; sein Fenster wird angezeigt.</translation>
    </message>
    <message>
        <source>Cannot tell whether Steadysync is already running (%1).</source>
        <translation>Es lässt sich nicht feststellen, ob Steadysync bereits läuft (%1).</translation>
    </message>
</context>
<context>
    <name>steadysync::AbsenceProof</name>
    <message>
        <source>not deleted: its absence on the remote could not be confirmed (%1)</source>
        <translation>nicht gelöscht: dass es auf dem Server fehlt, ließ sich nicht bestätigen (%1)</translation>
    </message>
    <message>
        <source>the remote root</source>
        <translation>dem Hauptordner auf dem Server</translation>
    </message>
    <message>
        <source>not deleted: the remote listing of %1 has a member without a usable name, which may be this one</source>
        <translation>nicht gelöscht: die Auflistung von %1 auf dem Server enthält einen Eintrag ohne brauchbaren Namen, der dieser sein kann</translation>
    </message>
    <message>
        <source>not deleted: the remote listing left it out, but a second listing of %1 shows it</source>
        <translation>nicht gelöscht: die Auflistung auf dem Server ließ es aus, eine zweite Auflistung von %1 zeigt es aber</translation>
    </message>
</context>
<context>
    <name>steadysync::ActivityModel</name>
    <message>
        <source>Time</source>
        <translation>Zeit</translation>
    </message>
    <message>
        <source>Folder</source>
        <translation>Ordner</translation>
    </message>
    <message>
        <source>File</source>
        <translation>Datei</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>Aktion</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>Ergebnis</translation>
    </message>
    <message>
        <source>Uploaded</source>
        <translation>Hochgeladen</translation>
    </message>
    <message>
        <source>Downloaded</source>
        <translation>Heruntergeladen</translation>
    </message>
    <message>
        <source>Folder created on the server</source>
        <translation>Ordner auf dem Server angelegt</translation>
    </message>
    <message>
        <source>Folder created locally</source>
        <translation>Ordner lokal angelegt</translation>
    </message>
    <message>
        <source>Deleted on the server</source>
        <translation>Auf dem Server gelöscht</translation>
    </message>
    <message>
        <source>Moved to the trash</source>
        <translation>In den Papierkorb verschoben</translation>
    </message>
    <message>
        <source>Moved on the server</source>
        <translation>Auf dem Server verschoben</translation>
    </message>
    <message>
        <source>Conflict</source>
        <translation>Konflikt</translation>
    </message>
    <message>
        <source>Already in sync</source>
        <translation>Bereits synchron</translation>
    </message>
    <message>
        <source>Gone on both sides</source>
        <translation>Auf beiden Seiten entfernt</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>OK</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Fehlgeschlagen</translation>
    </message>
    <message>
        <source>Failed: %1</source>
        <translation>Fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>Moved locally, as on the server</source>
        <translation>Lokal verschoben, wie auf dem Server</translation>
    </message>
    <message>
        <source>Both versions kept; the older one as a conflict copy</source>
        <translation>Beide Versionen behalten; die ältere als Konfliktkopie</translation>
    </message>
    <message>
        <source>This computer&apos;s version kept; the other as a conflict copy</source>
        <translation>Version dieses Computers behalten; die andere als Konfliktkopie</translation>
    </message>
    <message>
        <source>The server&apos;s version kept; the other as a conflict copy</source>
        <translation>Version des Servers behalten; die andere als Konfliktkopie</translation>
    </message>
    <message>
        <source>Waiting for your choice</source>
        <translation>Wartet auf Ihre Entscheidung</translation>
    </message>
    <message>
        <source>You kept this computer&apos;s version</source>
        <translation>Sie haben die Version dieses Computers behalten</translation>
    </message>
    <message>
        <source>You kept the server&apos;s version</source>
        <translation>Sie haben die Version des Servers behalten</translation>
    </message>
    <message>
        <source>You kept both versions</source>
        <translation>Sie haben beide Versionen behalten</translation>
    </message>
    <message>
        <source>Conflict resolved</source>
        <translation>Konflikt gelöst</translation>
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
        <translation>Das Passwort konnte nicht im Schlüsselbund gespeichert werden. Das Ordnerpaar kann sich erst anmelden, wenn es gespeichert ist.</translation>
    </message>
    <message>
        <source>Many Files Deleted</source>
        <translation>Viele Dateien gelöscht</translation>
    </message>
    <message>
        <source>Delete on the Other Side Too</source>
        <translation>Auch auf der anderen Seite löschen</translation>
    </message>
    <message>
        <source>Restore the Files</source>
        <translation>Dateien wiederherstellen</translation>
    </message>
    <message>
        <source>Decide Later</source>
        <translation>Später entscheiden</translation>
    </message>
</context>
<context>
    <name>steadysync::AppNotifications</name>
    <message>
        <source>Sign-in needed for %1</source>
        <translation>Anmeldung für %1 nötig</translation>
    </message>
    <message>
        <source>Open dashboard</source>
        <translation>Übersicht öffnen</translation>
    </message>
    <message>
        <source>Review conflict</source>
        <translation>Konflikt prüfen</translation>
    </message>
    <message>
        <source>Conflict in %1</source>
        <translation>Konflikt in %1</translation>
    </message>
    <message>
        <source>%1 was changed on both sides. Choose which version to keep.</source>
        <translation>%1 wurde auf beiden Seiten geändert. Wählen Sie, welche Version bleiben soll.</translation>
    </message>
    <message>
        <source>%1 was changed on both sides. Both versions are kept; choose which one to keep in the dashboard.</source>
        <translation>%1 wurde auf beiden Seiten geändert. Beide Versionen bleiben erhalten; wählen Sie in der Übersicht, welche bleiben soll.</translation>
    </message>
    <message>
        <source>Sync failed in %1</source>
        <translation>Synchronisation in %1 fehlgeschlagen</translation>
    </message>
    <message>
        <source>Items that could not be synced: %1. See the dashboard for the reasons.</source>
        <translation>Nicht synchronisierbare Elemente: %1. Die Gründe stehen in der Übersicht.</translation>
    </message>
    <message>
        <source>%1 is in sync</source>
        <translation>%1 ist synchron</translation>
    </message>
    <message>
        <source>The first sync is finished. Files on both sides: %1.</source>
        <translation>Die erste Synchronisation ist fertig. Dateien auf beiden Seiten: %1.</translation>
    </message>
    <message>
        <source>%1 is offline</source>
        <translation>%1 ist offline</translation>
    </message>
    <message>
        <source>The server has not answered for more than a minute. Steadysync keeps trying and syncs as soon as it is back.</source>
        <translation>Der Server antwortet seit über einer Minute nicht. Steadysync versucht es weiter und synchronisiert, sobald er wieder da ist.</translation>
    </message>
    <message>
        <source>New folders on the server for %1</source>
        <translation>Neue Ordner auf dem Server für %1</translation>
    </message>
    <message>
        <source>New folders over the size limit wait for your choice: %1. Choose Download or Keep Excluded in the dashboard.</source>
        <translation>Neue Ordner über der Größengrenze warten auf Ihre Entscheidung: %1. Wählen Sie in der Übersicht „Herunterladen“ oder „Weiter ausschließen“.</translation>
    </message>
</context>
<context>
    <name>steadysync::ChooseFoldersDialog</name>
    <message>
        <source>Choose Folders to Sync</source>
        <translation>Zu synchronisierende Ordner wählen</translation>
    </message>
    <message>
        <source>Folders on %1 that this computer keeps a copy of. Unchecked folders stay on the server only.</source>
        <translation>Ordner auf %1, von denen dieser Computer eine Kopie behält. Nicht angehakte Ordner bleiben nur auf dem Server.</translation>
    </message>
    <message>
        <source>The remote cannot be listed: %1</source>
        <translation>Der entfernte Ordner kann nicht aufgelistet werden: %1</translation>
    </message>
    <message>
        <source>Listing the folders on the server…</source>
        <translation>Die Ordner auf dem Server werden aufgelistet…</translation>
    </message>
    <message>
        <source>The server&apos;s folders could not be listed: %1</source>
        <translation>Die Ordner des Servers konnten nicht aufgelistet werden: %1</translation>
    </message>
    <message>
        <source>%1 could not be listed: %2</source>
        <translation>%1 konnte nicht aufgelistet werden: %2</translation>
    </message>
    <message>
        <source>Selected: %1 · Free on this computer: %2</source>
        <translation>Ausgewählt: %1 · Frei auf diesem Computer: %2</translation>
    </message>
    <message>
        <source>Measuring the local copies…</source>
        <translation>Die lokalen Kopien werden gemessen…</translation>
    </message>
    <message>
        <source>Remove Local Copies</source>
        <translation>Lokale Kopien entfernen</translation>
    </message>
    <message>
        <source>Remove %1 from this computer? The server keeps everything.</source>
        <translation>%1 von diesem Computer entfernen? Der Server behält alles.</translation>
    </message>
    <message>
        <source>Synced files go to the trash. Files changed here that are not on the server yet stay where they are.</source>
        <translation>Synchronisierte Dateien kommen in den Papierkorb. Hier geänderte Dateien, die noch nicht auf dem Server sind, bleiben, wo sie sind.</translation>
    </message>
    <message>
        <source>%1: %2 (files: %3)</source>
        <translation>%1: %2 (Dateien: %3)</translation>
    </message>
</context>
<context>
    <name>steadysync::ConflictResolver</name>
    <message>
        <source>%1 has no open conflict</source>
        <translation>%1 hat keinen offenen Konflikt</translation>
    </message>
    <message>
        <source>the conflict copy %1 is gone</source>
        <translation>die Konfliktkopie %1 ist verschwunden</translation>
    </message>
    <message>
        <source>%1 vanished while resolving</source>
        <translation>%1 ist während der Auflösung verschwunden</translation>
    </message>
</context>
<context>
    <name>steadysync::ConflictReviewDialog</name>
    <message>
        <source>Version on this computer</source>
        <translation>Version auf diesem Computer</translation>
    </message>
    <message>
        <source>Version from the server</source>
        <translation>Version vom Server</translation>
    </message>
    <message>
        <source>Keep This Computer&apos;s</source>
        <translation>Version dieses Computers behalten</translation>
    </message>
    <message>
        <source>Keep the Server&apos;s</source>
        <translation>Version des Servers behalten</translation>
    </message>
    <message>
        <source>Keep Both</source>
        <translation>Beide behalten</translation>
    </message>
    <message>
        <source>Review Conflicts</source>
        <translation>Konflikte prüfen</translation>
    </message>
    <message>
        <source>Keep the version on this computer; the server&apos;s version goes to the trash.</source>
        <translation>Die Version auf diesem Computer behalten; die Version des Servers kommt in den Papierkorb.</translation>
    </message>
    <message>
        <source>Keep the server&apos;s version; the version on this computer goes to the trash.</source>
        <translation>Die Version des Servers behalten; die Version auf diesem Computer kommt in den Papierkorb.</translation>
    </message>
    <message>
        <source>Keep both: the server&apos;s version stays as a separate conflict copy, synced like any file.</source>
        <translation>Beide behalten: Die Version des Servers bleibt als eigene Konfliktkopie erhalten und wird wie jede Datei synchronisiert.</translation>
    </message>
    <message>
        <source>Conflict %1 of %2: &lt;b&gt;%3&lt;/b&gt; was changed both on this computer and on the server.</source>
        <translation>Konflikt %1 von %2: &lt;b&gt;%3&lt;/b&gt; wurde sowohl auf diesem Computer als auch auf dem Server geändert.</translation>
    </message>
    <message>
        <source>Apply to all remaining conflicts (%1)</source>
        <translation>Auf alle verbleibenden Konflikte anwenden (%1)</translation>
    </message>
    <message>
        <source>Show Details</source>
        <translation>Details anzeigen</translation>
    </message>
    <message>
        <source>Show the checksum (SHA-256) of each version</source>
        <translation>Die Prüfsumme (SHA-256) jeder Version anzeigen</translation>
    </message>
    <message>
        <source>Show Versions</source>
        <translation>Versionen anzeigen</translation>
    </message>
</context>
<context>
    <name>steadysync::CycleRunner</name>
    <message>
        <source>the local folder %1 is missing or unreadable; nothing is deleted</source>
        <translation>der lokale Ordner %1 fehlt oder ist nicht lesbar; es wird nichts gelöscht</translation>
    </message>
    <message>
        <source>the %1 side lists no files although %2 were synced; nothing was deleted (confirm with --allow-mass-delete)</source>
        <translation>die %1 Seite enthält keine Dateien, obwohl %2 synchronisiert waren; es wurde nichts gelöscht (bestätigen mit --allow-mass-delete)</translation>
    </message>
    <message>
        <source>local</source>
        <translation>lokale</translation>
    </message>
    <message>
        <source>remote</source>
        <translation>entfernte</translation>
    </message>
    <message>
        <source>stopped by the mass-deletion guard: the plan deletes %1 local and %2 remote files of %3 tracked; nothing was changed</source>
        <translation>vom Schutz vor Massenlöschung angehalten: der Plan löscht %1 lokale und %2 entfernte von %3 erfassten Dateien; es wurde nichts geändert</translation>
    </message>
    <message>
        <source>kept changing during the sync</source>
        <translation>hat sich während der Synchronisation ständig geändert</translation>
    </message>
    <message>
        <source>%1: a new folder on the server with %2 MiB in it, held back until you choose (select ... include, or --accept-new-folders)</source>
        <translation>%1: ein neuer Ordner auf dem Server mit %2 MiB Inhalt, zurückgehalten, bis Sie entscheiden (select ... include oder --accept-new-folders)</translation>
    </message>
    <message>
        <source>deletions wait for your decision on the held mass deletion; nothing was changed</source>
        <translation>Löschungen warten auf Ihre Entscheidung über die zurückgehaltene Massenlöschung; nichts wurde geändert</translation>
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
        <translation>Aktionen</translation>
    </message>
    <message>
        <source>Sync All Now</source>
        <translation>Alle jetzt synchronisieren</translation>
    </message>
    <message>
        <source>Settings…</source>
        <translation>Einstellungen…</translation>
    </message>
    <message>
        <source>Last hour</source>
        <translation>Letzte Stunde</translation>
    </message>
    <message>
        <source>Last 24 hours</source>
        <translation>Letzte 24 Stunden</translation>
    </message>
    <message>
        <source>Last 7 days</source>
        <translation>Letzte 7 Tage</translation>
    </message>
    <message>
        <source>Folder:</source>
        <translation>Ordner:</translation>
    </message>
    <message>
        <source>Range:</source>
        <translation>Zeitraum:</translation>
    </message>
    <message>
        <source>Statistics</source>
        <translation>Statistik</translation>
    </message>
    <message>
        <source>Recent Activity</source>
        <translation>Letzte Aktivität</translation>
    </message>
    <message>
        <source>File</source>
        <translation>Datei</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Grund</translation>
    </message>
    <message>
        <source>Attempts</source>
        <translation>Versuche</translation>
    </message>
    <message>
        <source>Next retry</source>
        <translation>Nächster Versuch</translation>
    </message>
    <message>
        <source>Retry Now</source>
        <translation>Jetzt erneut versuchen</translation>
    </message>
    <message>
        <source>Failed Items</source>
        <translation>Fehlgeschlagene Elemente</translation>
    </message>
    <message>
        <source>Server version saved as</source>
        <translation>Server-Version gespeichert als</translation>
    </message>
    <message>
        <source>Detected</source>
        <translation>Erkannt</translation>
    </message>
    <message>
        <source>Review…</source>
        <translation>Prüfen…</translation>
    </message>
    <message>
        <source>Conflicts</source>
        <translation>Konflikte</translation>
    </message>
    <message>
        <source>only when the file changes or on “Retry Now”</source>
        <translation>erst wenn sich die Datei ändert oder bei „Jetzt erneut versuchen“</translation>
    </message>
    <message>
        <source>No folder is synced yet. Choose “Settings…” to add a folder pair.</source>
        <translation>Es wird noch kein Ordner synchronisiert. Wählen Sie „Einstellungen…“, um ein Ordnerpaar hinzuzufügen.</translation>
    </message>
    <message>
        <source>Last 10 minutes</source>
        <translation>Letzte 10 Minuten</translation>
    </message>
    <message>
        <source>Search files</source>
        <translation>Dateien suchen</translation>
    </message>
    <message>
        <source>All</source>
        <translation>Alle</translation>
    </message>
    <message>
        <source>Errors</source>
        <translation>Fehler</translation>
    </message>
    <message>
        <source>Deleted</source>
        <translation>Gelöscht</translation>
    </message>
    <message>
        <source>Show:</source>
        <translation>Anzeigen:</translation>
    </message>
    <message>
        <source>Open File</source>
        <translation>Datei öffnen</translation>
    </message>
    <message>
        <source>Open Containing Folder</source>
        <translation>Übergeordneten Ordner öffnen</translation>
    </message>
    <message>
        <source>Versions…</source>
        <translation>Versionen…</translation>
    </message>
    <message>
        <source>Show Versions</source>
        <translation>Versionen anzeigen</translation>
    </message>
    <message>
        <source>the pair is no longer set up</source>
        <translation>das Ordnerpaar ist nicht mehr eingerichtet</translation>
    </message>
</context>
<context>
    <name>steadysync::Engine</name>
    <message>
        <source>cannot create the local folder %1</source>
        <translation>der lokale Ordner %1 kann nicht angelegt werden</translation>
    </message>
    <message>
        <source>the local folder %1 is not a readable folder</source>
        <translation>der lokale Ordner %1 ist kein lesbarer Ordner</translation>
    </message>
    <message>
        <source>%1 is already paired with %2; a folder syncs with one remote</source>
        <translation>%1 ist bereits mit %2 gekoppelt; ein Ordner wird mit genau einem entfernten Ordner synchronisiert</translation>
    </message>
    <message>
        <source>Watching is incomplete (%1); running a full rescan</source>
        <translation>Die Überwachung ist lückenhaft (%1); der Ordner wird vollständig neu durchsucht</translation>
    </message>
    <message>
        <source>Cannot watch the local folder (%1); relying on periodic rescans</source>
        <translation>Der lokale Ordner kann nicht überwacht werden (%1); er wird stattdessen regelmäßig neu durchsucht</translation>
    </message>
    <message>
        <source>stopping</source>
        <translation>wird beendet</translation>
    </message>
    <message>
        <source>paused</source>
        <translation>pausiert</translation>
    </message>
    <message>
        <source>the journal in %1/.steadysync does not belong to this folder (%2): both sides are compared in full, nothing is deleted and differing files are kept both</source>
        <translation>das Journal in %1/.steadysync gehört nicht zu diesem Ordner (%2): beide Seiten werden vollständig verglichen, nichts wird gelöscht, und von unterschiedlichen Dateien werden beide Fassungen behalten</translation>
    </message>
    <message>
        <source>the pair is not running</source>
        <translation>das Paar läuft nicht</translation>
    </message>
    <message>
        <source>metered connection</source>
        <translation>getaktete Verbindung</translation>
    </message>
    <message>
        <source>on battery</source>
        <translation>im Akkubetrieb</translation>
    </message>
    <message>
        <source>outside the sync window</source>
        <translation>außerhalb des Synchronisierungszeitfensters</translation>
    </message>
</context>
<context>
    <name>steadysync::FirstRunDialog</name>
    <message>
        <source>Welcome to Steadysync</source>
        <translation>Willkommen bei Steadysync</translation>
    </message>
    <message>
        <source>Set Up Later</source>
        <translation>Später einrichten</translation>
    </message>
    <message>
        <source>Cannot create the folder %1.</source>
        <translation>Der Ordner %1 kann nicht angelegt werden.</translation>
    </message>
    <message>
        <source>Two folders on this computer</source>
        <translation>Zwei Ordner auf diesem Computer</translation>
    </message>
    <message>
        <source>A server (WebDAV, such as Nextcloud)</source>
        <translation>Einem Server (WebDAV, etwa Nextcloud)</translation>
    </message>
    <message>
        <source>No folder is set up for syncing yet. What should the folder &lt;b&gt;%1&lt;/b&gt; be kept in sync with?</source>
        <translation>Noch ist kein Ordner zum Synchronisieren eingerichtet. Womit soll der Ordner &lt;b&gt;%1&lt;/b&gt; synchron gehalten werden?</translation>
    </message>
    <message>
        <source>The folder &lt;b&gt;%1&lt;/b&gt; on this computer. You can add a server or change folders in the settings at any time.</source>
        <translation>Dem Ordner &lt;b&gt;%1&lt;/b&gt; auf diesem Computer. Einen Server hinzufügen oder Ordner ändern können Sie jederzeit in den Einstellungen.</translation>
    </message>
    <message>
        <source>Start Syncing</source>
        <translation>Synchronisation starten</translation>
    </message>
    <message>
        <source>Create the Folder on the Server</source>
        <translation>Ordner auf dem Server anlegen</translation>
    </message>
    <message>
        <source>The folder could not be created: %1</source>
        <translation>Der Ordner konnte nicht angelegt werden: %1</translation>
    </message>
</context>
<context>
    <name>steadysync::FolderTreeModel</name>
    <message>
        <source>at least %1</source>
        <translation>mindestens %1</translation>
    </message>
    <message>
        <source>This folder could not be listed: %1</source>
        <translation>Dieser Ordner konnte nicht aufgelistet werden: %1</translation>
    </message>
    <message>
        <source>New on the server and large: held back until you choose</source>
        <translation>Neu auf dem Server und groß: zurückgehalten, bis Sie entscheiden</translation>
    </message>
    <message>
        <source>%1 (new, waiting for your choice)</source>
        <translation>%1 (neu, wartet auf Ihre Entscheidung)</translation>
    </message>
    <message>
        <source>Folder</source>
        <translation>Ordner</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Größe</translation>
    </message>
</context>
<context>
    <name>steadysync::HeldFoldersPanel</name>
    <message>
        <source>New large folders on the server wait for your choice:</source>
        <translation>Neue große Ordner auf dem Server warten auf Ihre Entscheidung:</translation>
    </message>
    <message>
        <source>Download</source>
        <translation>Herunterladen</translation>
    </message>
    <message>
        <source>Sync this folder to this computer, however large it is.</source>
        <translation>Diesen Ordner auf diesen Computer synchronisieren, egal wie groß er ist.</translation>
    </message>
    <message>
        <source>Keep Excluded</source>
        <translation>Weiter ausschließen</translation>
    </message>
    <message>
        <source>Leave this folder on the server only. Choose Folders in the settings can take it later.</source>
        <translation>Diesen Ordner nur auf dem Server lassen. „Ordner wählen“ in den Einstellungen kann ihn später aufnehmen.</translation>
    </message>
</context>
<context>
    <name>steadysync::HumanError</name>
    <message>
        <source>A temporary problem with the network or the server. It will be tried again.</source>
        <translation>Ein vorübergehendes Problem mit dem Netzwerk oder dem Server. Es wird erneut versucht.</translation>
    </message>
    <message>
        <source>The server or this computer refused it. It is tried again when the file changes.</source>
        <translation>Der Server oder dieser Computer hat es abgelehnt. Es wird erneut versucht, sobald sich die Datei ändert.</translation>
    </message>
    <message>
        <source>The server did not accept the user name or password.</source>
        <translation>Der Server hat den Benutzernamen oder das Passwort nicht akzeptiert.</translation>
    </message>
    <message>
        <source>The server cannot be reached.</source>
        <translation>Der Server ist nicht erreichbar.</translation>
    </message>
    <message>
        <source>It changed on the server meanwhile. It will be compared again.</source>
        <translation>Es wurde inzwischen auf dem Server geändert. Es wird erneut verglichen.</translation>
    </message>
    <message>
        <source>It is no longer there.</source>
        <translation>Es ist nicht mehr vorhanden.</translation>
    </message>
    <message>
        <source>Its folder is missing on the other side.</source>
        <translation>Sein Ordner fehlt auf der anderen Seite.</translation>
    </message>
    <message>
        <source>There is not enough free space.</source>
        <translation>Es ist nicht genug freier Speicherplatz vorhanden.</translation>
    </message>
    <message>
        <source>The synced folder is missing or not mounted.</source>
        <translation>Der synchronisierte Ordner fehlt oder ist nicht eingehängt.</translation>
    </message>
    <message>
        <source>It was stopped.</source>
        <translation>Es wurde angehalten.</translation>
    </message>
    <message>
        <source>Its name is not allowed on the other side.</source>
        <translation>Sein Name ist auf der anderen Seite nicht erlaubt.</translation>
    </message>
    <message>
        <source>The server sent an answer that could not be read.</source>
        <translation>Der Server hat eine Antwort geschickt, die nicht gelesen werden konnte.</translation>
    </message>
    <message>
        <source>Something went wrong.</source>
        <translation>Etwas ist schiefgegangen.</translation>
    </message>
    <message>
        <source>The server did not accept the user name or password. Enter the password in Settings; syncing waits until then.</source>
        <translation>Der Server hat den Benutzernamen oder das Passwort nicht akzeptiert. Geben Sie das Passwort in den Einstellungen ein; bis dahin wartet die Synchronisierung.</translation>
    </message>
    <message>
        <source>Syncing stopped because of a problem. Nothing was deleted. Hover for details.</source>
        <translation>Die Synchronisierung wurde wegen eines Problems angehalten. Nichts wurde gelöscht. Details beim Darüberfahren.</translation>
    </message>
    <message>
        <source>Some files could not be synced. The Failed Items tab says why.</source>
        <translation>Einige Dateien konnten nicht synchronisiert werden. Der Reiter „Fehlgeschlagene Elemente“ nennt die Gründe.</translation>
    </message>
    <message>
        <source>The server cannot be reached. Syncing continues by itself when it is back.</source>
        <translation>Der Server ist nicht erreichbar. Die Synchronisierung geht von selbst weiter, sobald er wieder da ist.</translation>
    </message>
    <message>
        <source>Syncing “%1” would delete %2 files on this computer and %3 files on the server (of %4 synced files). Nothing has been deleted. If a disk is missing or not mounted, decide later and check it.</source>
        <translation>Beim Synchronisieren von „%1“ würden %2 Dateien auf diesem Computer und %3 Dateien auf dem Server gelöscht (von %4 synchronisierten Dateien). Es wurde nichts gelöscht. Falls ein Laufwerk fehlt oder nicht eingehängt ist, entscheiden Sie später und prüfen Sie es.</translation>
    </message>
</context>
<context>
    <name>steadysync::LoginFlow</name>
    <message>
        <source>the server&apos;s answer to %1 is not a JSON object</source>
        <translation>die Antwort des Servers auf %1 ist kein JSON-Objekt</translation>
    </message>
    <message>
        <source>the login has not finished</source>
        <translation>die Anmeldung ist noch nicht abgeschlossen</translation>
    </message>
    <message>
        <source>the login needs an http(s):// server address, got %1</source>
        <translation>die Anmeldung braucht eine http(s)://-Serveradresse, erhalten: %1</translation>
    </message>
    <message>
        <source>cannot reach the server: %1</source>
        <translation>der Server ist nicht erreichbar: %1</translation>
    </message>
    <message>
        <source>the server offers no browser login (Nextcloud&apos;s Login Flow v2): HTTP %1</source>
        <translation>der Server bietet keine Anmeldung im Browser an (Login Flow v2 von Nextcloud): HTTP %1</translation>
    </message>
    <message>
        <source>the login start</source>
        <translation>den Anmeldebeginn</translation>
    </message>
    <message>
        <source>the server&apos;s login start lacks the login address or the poll token</source>
        <translation>dem Anmeldebeginn des Servers fehlen die Anmeldeadresse oder das Abfrage-Token</translation>
    </message>
    <message>
        <source>the login was not completed in the browser in time</source>
        <translation>die Anmeldung wurde im Browser nicht rechtzeitig abgeschlossen</translation>
    </message>
    <message>
        <source>the server refused the login: HTTP %1</source>
        <translation>der Server hat die Anmeldung abgelehnt: HTTP %1</translation>
    </message>
    <message>
        <source>the login poll</source>
        <translation>die Anmeldeabfrage</translation>
    </message>
    <message>
        <source>the server&apos;s login answer lacks the server, the login name or the app password</source>
        <translation>der Anmeldeantwort des Servers fehlen der Server, der Anmeldename oder das App-Passwort</translation>
    </message>
    <message>
        <source>the login was cancelled</source>
        <translation>die Anmeldung wurde abgebrochen</translation>
    </message>
</context>
<context>
    <name>steadysync::PairCard</name>
    <message>
        <source>Files</source>
        <translation>Dateien</translation>
    </message>
    <message>
        <source>Pending</source>
        <translation>Ausstehend</translation>
    </message>
    <message>
        <source>Retrying</source>
        <translation>Wird wiederholt</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Fehlgeschlagen</translation>
    </message>
    <message>
        <source>Conflicts</source>
        <translation>Konflikte</translation>
    </message>
    <message>
        <source>Uploads</source>
        <translation>Hochgeladen</translation>
    </message>
    <message>
        <source>Downloads</source>
        <translation>Heruntergeladen</translation>
    </message>
    <message>
        <source>Success rate</source>
        <translation>Erfolgsquote</translation>
    </message>
    <message>
        <source>Up / down</source>
        <translation>Hoch / runter</translation>
    </message>
    <message>
        <source>Last sync</source>
        <translation>Letzte Synchronisation</translation>
    </message>
    <message>
        <source>Sync Now</source>
        <translation>Jetzt synchronisieren</translation>
    </message>
    <message>
        <source>Open Folder</source>
        <translation>Ordner öffnen</translation>
    </message>
    <message>
        <source>never</source>
        <translation>nie</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>Fortsetzen</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>Pausieren</translation>
    </message>
    <message>
        <source>Delete on the Other Side Too</source>
        <translation>Auch auf der anderen Seite löschen</translation>
    </message>
    <message>
        <source>Restore the Files</source>
        <translation>Dateien wiederherstellen</translation>
    </message>
    <message>
        <source>Server space: %1 used, unlimited</source>
        <translation>Speicher auf dem Server: %1 belegt, unbegrenzt</translation>
    </message>
    <message>
        <source>Server space: unlimited</source>
        <translation>Speicher auf dem Server: unbegrenzt</translation>
    </message>
    <message>
        <source>Server space: %1 free of %2</source>
        <translation>Speicher auf dem Server: %1 von %2 frei</translation>
    </message>
    <message>
        <source>Server space: %1 free</source>
        <translation>Speicher auf dem Server: %1 frei</translation>
    </message>
    <message>
        <source>Server space: %1 used</source>
        <translation>Speicher auf dem Server: %1 belegt</translation>
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
        <translation> KiB/s</translation>
    </message>
    <message>
        <source>unlimited</source>
        <translation>unbegrenzt</translation>
    </message>
    <message>
        <source>https://server/remote.php/dav/files/me/ or file:///mnt/nas</source>
        <translation>https://server/remote.php/dav/files/ich/ oder file:///mnt/nas</translation>
    </message>
    <message>
        <source>Keep both versions</source>
        <translation>Beide Versionen behalten</translation>
    </message>
    <message>
        <source>Ask me</source>
        <translation>Mich fragen</translation>
    </message>
    <message>
        <source>This computer wins (keep a copy)</source>
        <translation>Dieser Computer gewinnt (mit Kopie)</translation>
    </message>
    <message>
        <source>Server wins (keep a copy)</source>
        <translation>Server gewinnt (mit Kopie)</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>Auswählen…</translation>
    </message>
    <message>
        <source>Local folder:</source>
        <translation>Lokaler Ordner:</translation>
    </message>
    <message>
        <source>Remote URL:</source>
        <translation>Server-URL:</translation>
    </message>
    <message>
        <source>User:</source>
        <translation>Benutzer:</translation>
    </message>
    <message>
        <source>When both sides changed:</source>
        <translation>Wenn beide Seiten geändert wurden:</translation>
    </message>
    <message>
        <source>Wait after a change:</source>
        <translation>Nach einer Änderung warten:</translation>
    </message>
    <message>
        <source>Check the server every:</source>
        <translation>Server prüfen alle:</translation>
    </message>
    <message>
        <source>Upload limit:</source>
        <translation>Upload-Begrenzung:</translation>
    </message>
    <message>
        <source>Download limit:</source>
        <translation>Download-Begrenzung:</translation>
    </message>
    <message>
        <source>Choose a local folder (an absolute path).</source>
        <translation>Wählen Sie einen lokalen Ordner (absoluter Pfad).</translation>
    </message>
    <message>
        <source>The remote URL must start with https://, http:// or file:///.</source>
        <translation>Die Server-URL muss mit https://, http:// oder file:/// beginnen.</translation>
    </message>
    <message>
        <source>The remote folder must not be the local folder.</source>
        <translation>Der entfernte Ordner darf nicht der lokale Ordner sein.</translation>
    </message>
    <message>
        <source>Choose the Folder to Sync</source>
        <translation>Zu synchronisierenden Ordner wählen</translation>
    </message>
    <message>
        <source>stored in the system keychain, never in a file</source>
        <translation>nur im Schlüsselbund, nie in einer Datei</translation>
    </message>
    <message>
        <source>Password:</source>
        <translation>Passwort:</translation>
    </message>
    <message>
        <source>Test Connection</source>
        <translation>Verbindung testen</translation>
    </message>
    <message>
        <source>Testing…</source>
        <translation>Wird getestet …</translation>
    </message>
    <message>
        <source>Trying %1…</source>
        <translation>Versuche %1 …</translation>
    </message>
    <message>
        <source>Connected: the server accepted the login and the WebDAV folder exists.</source>
        <translation>Verbunden: Der Server hat die Anmeldung angenommen, und der WebDAV-Ordner existiert.</translation>
    </message>
    <message>
        <source>Connected: the folder exists and can be read.</source>
        <translation>Verbunden: Der Ordner existiert und kann gelesen werden.</translation>
    </message>
    <message>
        <source>Wrong user or password: the server refused the login.</source>
        <translation>Falscher Benutzer oder falsches Passwort: Der Server hat die Anmeldung abgelehnt.</translation>
    </message>
    <message>
        <source>Server unreachable: no answer from %1. Check the address and the network.</source>
        <translation>Server nicht erreichbar: keine Antwort von %1. Prüfen Sie die Adresse und das Netzwerk.</translation>
    </message>
    <message>
        <source>Certificate not trusted: the server&apos;s certificate is not signed by an authority this computer trusts.</source>
        <translation>Zertifikat nicht vertrauenswürdig: Das Zertifikat des Servers ist von keiner Stelle signiert, der dieser Computer vertraut.</translation>
    </message>
    <message>
        <source>Folder not found: %1 does not exist on the server.</source>
        <translation>Ordner nicht gefunden: %1 existiert nicht auf dem Server.</translation>
    </message>
    <message>
        <source>Folder not found: %1 does not exist or cannot be opened.</source>
        <translation>Ordner nicht gefunden: %1 existiert nicht oder kann nicht geöffnet werden.</translation>
    </message>
    <message>
        <source>Not a WebDAV collection: the server offers no WebDAV folder at %1.</source>
        <translation>Keine WebDAV-Sammlung: Der Server bietet unter %1 keinen WebDAV-Ordner an.</translation>
    </message>
    <message>
        <source>Not a folder: %1 is a file.</source>
        <translation>Kein Ordner: %1 ist eine Datei.</translation>
    </message>
    <message>
        <source>The remote URL cannot be used: %1</source>
        <translation>Die entfernte URL kann nicht verwendet werden: %1</translation>
    </message>
    <message>
        <source>The connection test failed: %1</source>
        <translation>Der Verbindungstest ist fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>Folder unreachable: %1 did not answer in time.</source>
        <translation>Ordner nicht erreichbar: %1 hat nicht rechtzeitig geantwortet.</translation>
    </message>
    <message>
        <source>The password comes from STEADYSYNC_PASSWORD.</source>
        <translation>Das Passwort kommt aus STEADYSYNC_PASSWORD.</translation>
    </message>
    <message>
        <source>A password is stored in the keychain. Type a new one only to replace it.</source>
        <translation>Ein Passwort ist im Schlüsselbund gespeichert. Geben Sie nur zum Ersetzen ein neues ein.</translation>
    </message>
    <message>
        <source>No password is stored in the keychain yet.</source>
        <translation>Im Schlüsselbund ist noch kein Passwort gespeichert.</translation>
    </message>
    <message>
        <source>The keychain could not be read, so it is not known whether a password is stored.</source>
        <translation>Der Schlüsselbund konnte nicht gelesen werden; ob ein Passwort gespeichert ist, ist unbekannt.</translation>
    </message>
    <message>
        <source> MiB</source>
        <translation> MiB</translation>
    </message>
    <message>
        <source>never ask</source>
        <translation>nie fragen</translation>
    </message>
    <message>
        <source>Choose Folders…</source>
        <translation>Ordner wählen…</translation>
    </message>
    <message>
        <source>Folders to sync:</source>
        <translation>Zu synchronisierende Ordner:</translation>
    </message>
    <message>
        <source>Ask before new folders over:</source>
        <translation>Nachfragen bei neuen Ordnern über:</translation>
    </message>
    <message>
        <source>Pause on metered connections</source>
        <translation>Bei getakteten Verbindungen pausieren</translation>
    </message>
    <message>
        <source> %</source>
        <translation> %</translation>
    </message>
    <message>
        <source>never</source>
        <translation>nie</translation>
    </message>
    <message>
        <source>On battery below this charge, or in power-saver mode, the folder waits.</source>
        <translation>Im Akkubetrieb unter diesem Ladestand oder im Energiesparmodus wartet der Ordner.</translation>
    </message>
    <message>
        <source>Pause on battery below:</source>
        <translation>Im Akkubetrieb pausieren unter:</translation>
    </message>
    <message>
        <source>none, or e.g. 08:00,512k 19:00,off</source>
        <translation>keiner, oder z. B. 08:00,512k 19:00,off</translation>
    </message>
    <message>
        <source>From each time on, the limit in KiB/s (M: MiB/s), UP:DOWN or one for both, off for none. Replaces the upload and download limits.</source>
        <translation>Ab jeder Uhrzeit die Grenze in KiB/s (M: MiB/s), HOCH:RUNTER oder eine für beide, off für keine. Ersetzt die Upload- und Download-Grenzen.</translation>
    </message>
    <message>
        <source>Sync only during:</source>
        <translation>Nur synchronisieren während:</translation>
    </message>
    <message>
        <source>Bandwidth timetable:</source>
        <translation>Bandbreiten-Zeitplan:</translation>
    </message>
    <message>
        <source>The sync window is not valid: %1</source>
        <translation>Das Synchronisierungszeitfenster ist ungültig: %1</translation>
    </message>
    <message>
        <source>The bandwidth timetable is not valid: %1</source>
        <translation>Der Bandbreiten-Zeitplan ist ungültig: %1</translation>
    </message>
    <message>
        <source>always, or e.g. 22:00-06:00</source>
        <translation>immer, oder z. B. 22:00-06:00</translation>
    </message>
    <message>
        <source>Local times, with days if you like: Mon-Fri 19:00-07:00,Sat-Sun 00:00-24:00</source>
        <translation>Ortszeit, auf Wunsch mit Wochentagen: Mon-Fri 19:00-07:00,Sat-Sun 00:00-24:00</translation>
    </message>
    <message>
        <source>Log in with Browser…</source>
        <translation>Im Browser anmelden…</translation>
    </message>
    <message>
        <source>Nextcloud: log in in your browser (two-factor authentication and single sign-on work there); Steadysync receives an app password, never your password.</source>
        <translation>Nextcloud: Melden Sie sich im Browser an (Zwei-Faktor-Authentifizierung und Single Sign-on funktionieren dort); Steadysync erhält ein App-Passwort, nie Ihr Passwort.</translation>
    </message>
    <message>
        <source>Log in and grant access in the browser window that opened.</source>
        <translation>Melden Sie sich im geöffneten Browserfenster an und erlauben Sie den Zugriff.</translation>
    </message>
    <message>
        <source>Open %1 in a browser, log in and grant access.</source>
        <translation>Öffnen Sie %1 in einem Browser, melden Sie sich an und erlauben Sie den Zugriff.</translation>
    </message>
    <message>
        <source>The browser login failed: %1</source>
        <translation>Die Anmeldung im Browser ist fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>Type the server&apos;s address (https://…) first.</source>
        <translation>Geben Sie zuerst die Adresse des Servers ein (https://…).</translation>
    </message>
    <message>
        <source>Asking %1 for a browser login…</source>
        <translation>Frage %1 nach einer Anmeldung im Browser…</translation>
    </message>
    <message>
        <source>Logged in as %1 with an app password; it is stored in the keychain when you save.</source>
        <translation>Als %1 mit einem App-Passwort angemeldet; es wird beim Speichern im Schlüsselbund abgelegt.</translation>
    </message>
    <message>
        <source>Keep the server&apos;s versions</source>
        <translation>Versionen auf dem Server aufbewahren</translation>
    </message>
    <message>
        <source>Before replacing or deleting a file on the server, keep the server&apos;s copy in the hidden folder .steadysync-versions there. For servers that keep no versions of their own; costs server space until the versions are pruned.</source>
        <translation>Bevor eine Datei auf dem Server ersetzt oder gelöscht wird, deren Stand im versteckten Ordner .steadysync-versions dort aufbewahren. Für Server ohne eigene Versionen; belegt Platz auf dem Server, bis die Versionen aufgeräumt werden.</translation>
    </message>
    <message>
        <source>WebDAV (Nextcloud, ownCloud, …)</source>
        <translation>WebDAV (Nextcloud, ownCloud, …)</translation>
    </message>
    <message>
        <source>Local or network folder</source>
        <translation>Lokaler oder Netzwerkordner</translation>
    </message>
    <message>
        <source>S3 object storage</source>
        <translation>S3-Objektspeicher</translation>
    </message>
    <message>
        <source>Server type:</source>
        <translation>Servertyp:</translation>
    </message>
    <message>
        <source>Secret access key:</source>
        <translation>Geheimer Zugriffsschlüssel:</translation>
    </message>
    <message>
        <source>file:///mnt/nas/shared</source>
        <translation>file:///mnt/nas/shared</translation>
    </message>
    <message>
        <source>https://server/remote.php/dav/files/me/</source>
        <translation>https://server/remote.php/dav/files/ich/</translation>
    </message>
    <message>
        <source>Connected: the store accepted the keys and the bucket %1 can be listed.</source>
        <translation>Verbunden: Der Speicher hat die Schlüssel angenommen, und der Bucket %1 lässt sich auflisten.</translation>
    </message>
    <message>
        <source>Keys refused: the store does not accept this access key ID and secret access key.</source>
        <translation>Schlüssel abgelehnt: Der Speicher nimmt diese Zugriffsschlüssel-ID und diesen geheimen Zugriffsschlüssel nicht an.</translation>
    </message>
    <message>
        <source>Store unreachable: no answer from %1. Check the endpoint and the network.</source>
        <translation>Speicher nicht erreichbar: keine Antwort von %1. Prüfen Sie den Endpunkt und das Netzwerk.</translation>
    </message>
    <message>
        <source>Bucket not found: %1 does not exist on %2 (or these keys may not see it).</source>
        <translation>Bucket nicht gefunden: %1 existiert nicht auf %2 (oder diese Schlüssel sehen ihn nicht).</translation>
    </message>
    <message>
        <source>These S3 settings cannot be used: %1</source>
        <translation>Diese S3-Einstellungen sind nicht verwendbar: %1</translation>
    </message>
</context>
<context>
    <name>steadysync::PairSession</name>
    <message>
        <source>the pair is not running</source>
        <translation>das Ordnerpaar läuft nicht</translation>
    </message>
</context>
<context>
    <name>steadysync::Propagator</name>
    <message>
        <source>changed meanwhile; checking again</source>
        <translation>inzwischen geändert; wird erneut geprüft</translation>
    </message>
    <message>
        <source>%1: not enough free disk space (%2 bytes free, %3 needed plus a reserve of %4)</source>
        <translation>%1: nicht genug freier Speicherplatz (%2 Bytes frei, %3 benötigt zuzüglich einer Reserve von %4)</translation>
    </message>
    <message>
        <source>%1: download incomplete (%2 of %3 bytes)</source>
        <translation>%1: Download unvollständig (%2 von %3 Bytes)</translation>
    </message>
    <message>
        <source>%1: downloaded content does not match its checksum</source>
        <translation>%1: der heruntergeladene Inhalt passt nicht zu seiner Prüfsumme</translation>
    </message>
    <message>
        <source>%1: vanished after download</source>
        <translation>%1: nach dem Herunterladen verschwunden</translation>
    </message>
    <message>
        <source>%1: cannot create the folder</source>
        <translation>%1: der Ordner kann nicht angelegt werden</translation>
    </message>
    <message>
        <source>%1: restored from the server: its folder there is read-only, so the deletion made here cannot be carried out</source>
        <translation>%1: vom Server wiederhergestellt: sein Ordner dort ist schreibgeschützt, die hier vorgenommene Löschung lässt sich nicht übertragen</translation>
    </message>
    <message>
        <source>%1: not renamed on the server: the folder there is read-only; &quot;%2&quot; is restored from the server, and &quot;%1&quot; is kept here as a new file</source>
        <translation>%1: auf dem Server nicht umbenannt: der Ordner dort ist schreibgeschützt; „%2“ wird vom Server wiederhergestellt, und „%1“ bleibt hier als neue Datei</translation>
    </message>
    <message>
        <source>%1: not uploaded: its folder on the server is read-only; the edit made here is kept as &quot;%2&quot; and the server&apos;s version is restored</source>
        <translation>%1: nicht hochgeladen: sein Ordner auf dem Server ist schreibgeschützt; die hier vorgenommene Änderung bleibt als „%2“ erhalten, und die Version des Servers wird wiederhergestellt</translation>
    </message>
</context>
<context>
    <name>steadysync::RemoteFolderCreator</name>
    <message>
        <source>The address names no folder.</source>
        <translation>Die Adresse nennt keinen Ordner.</translation>
    </message>
</context>
<context>
    <name>steadysync::RemoteVersionKeeper</name>
    <message>
        <source>%1: the server&apos;s version could not be kept before replacing it, so it was not replaced: %2</source>
        <translation>%1: Die Version auf dem Server konnte vor dem Ersetzen nicht aufbewahrt werden, daher wurde sie nicht ersetzt: %2</translation>
    </message>
</context>
<context>
    <name>steadysync::S3Backend</name>
    <message>
        <source>The S3 store ignores conditional writes (If-Match, If-None-Match): each upload is checked just before and after it instead, which leaves a short window for another client&apos;s write to go unnoticed.</source>
        <translation>Der S3-Speicher ignoriert bedingte Schreibvorgänge (If-Match, If-None-Match): Jeder Upload wird stattdessen direkt davor und danach geprüft, sodass ein Schreibvorgang eines anderen Clients in einem kurzen Zeitfenster unbemerkt bleiben kann.</translation>
    </message>
</context>
<context>
    <name>steadysync::S3PairFields</name>
    <message>
        <source>e.g. team-files</source>
        <translation>z. B. team-files</translation>
    </message>
    <message>
        <source>Endpoint:</source>
        <translation>Endpunkt:</translation>
    </message>
    <message>
        <source>Bucket:</source>
        <translation>Bucket:</translation>
    </message>
    <message>
        <source>Prefix:</source>
        <translation>Präfix:</translation>
    </message>
    <message>
        <source>Region:</source>
        <translation>Region:</translation>
    </message>
    <message>
        <source>Access key ID:</source>
        <translation>Zugriffsschlüssel-ID:</translation>
    </message>
    <message>
        <source>Type the bucket&apos;s name (3 to 63 lower-case letters, digits, dots or hyphens).</source>
        <translation>Geben Sie den Namen des Buckets ein (3 bis 63 Kleinbuchstaben, Ziffern, Punkte oder Bindestriche).</translation>
    </message>
    <message>
        <source>The endpoint must be an http:// or https:// address, or empty for AWS.</source>
        <translation>Der Endpunkt muss eine http://- oder https://-Adresse sein, oder leer für AWS.</translation>
    </message>
    <message>
        <source>Type the access key ID.</source>
        <translation>Geben Sie die Zugriffsschlüssel-ID ein.</translation>
    </message>
    <message>
        <source>empty for AWS, or https://host:port</source>
        <translation>leer für AWS, oder https://host:port</translation>
    </message>
    <message>
        <source>optional, e.g. projects/2026</source>
        <translation>optional, z. B. projekte/2026</translation>
    </message>
    <message>
        <source>default us-east-1</source>
        <translation>Standard: us-east-1</translation>
    </message>
</context>
<context>
    <name>steadysync::SelectionWriter</name>
    <message>
        <source>cannot create the local folder %1</source>
        <translation>der lokale Ordner %1 kann nicht angelegt werden</translation>
    </message>
</context>
<context>
    <name>steadysync::SettingsDialog</name>
    <message>
        <source>Remove</source>
        <translation>Entfernen</translation>
    </message>
    <message>
        <source>Start Steadysync when I log in</source>
        <translation>Steadysync bei der Anmeldung starten</translation>
    </message>
    <message>
        <source>Add Folder Pair</source>
        <translation>Ordnerpaar hinzufügen</translation>
    </message>
    <message>
        <source>Save Pair</source>
        <translation>Paar speichern</translation>
    </message>
    <message>
        <source>Cannot change the autostart entry %1.</source>
        <translation>Der Autostart-Eintrag %1 kann nicht geändert werden.</translation>
    </message>
    <message>
        <source>Remove Folder Pair</source>
        <translation>Ordnerpaar entfernen</translation>
    </message>
    <message>
        <source>Stop syncing this folder pair? No file is deleted on either side.</source>
        <translation>Synchronisation dieses Ordnerpaars beenden? Auf keiner Seite wird eine Datei gelöscht.</translation>
    </message>
    <message>
        <source>This folder is already synced by another pair.</source>
        <translation>Dieser Ordner wird bereits von einem anderen Paar synchronisiert.</translation>
    </message>
    <message>
        <source>Saving the password in the keychain…</source>
        <translation>Passwort wird im Schlüsselbund gespeichert…</translation>
    </message>
    <message>
        <source>The password is saved in the keychain.</source>
        <translation>Das Passwort ist im Schlüsselbund gespeichert.</translation>
    </message>
    <message>
        <source>The password could not be saved in the keychain. The folder pair cannot sign in until it is saved.</source>
        <translation>Das Passwort konnte nicht im Schlüsselbund gespeichert werden. Das Ordnerpaar kann sich erst anmelden, wenn es gespeichert ist.</translation>
    </message>
    <message>
        <source>Unsaved Changes</source>
        <translation>Ungespeicherte Änderungen</translation>
    </message>
    <message>
        <source>This folder pair has changes that are not saved yet.</source>
        <translation>Dieses Ordnerpaar hat Änderungen, die noch nicht gespeichert sind.</translation>
    </message>
    <message>
        <source>Save them before going on?</source>
        <translation>Vor dem Fortfahren speichern?</translation>
    </message>
    <message>
        <source>Reading the password from the keychain…</source>
        <translation>Das Passwort wird aus dem Schlüsselbund gelesen…</translation>
    </message>
    <message>
        <source>Applying the folder selection…</source>
        <translation>Die Ordnerauswahl wird übernommen…</translation>
    </message>
    <message>
        <source>The folder selection could not be saved.</source>
        <translation>Die Ordnerauswahl konnte nicht gespeichert werden.</translation>
    </message>
    <message>
        <source>The folder selection is saved; the next sync follows it.</source>
        <translation>Die Ordnerauswahl ist gespeichert; die nächste Synchronisation folgt ihr.</translation>
    </message>
    <message>
        <source>Synced files moved to the trash: %1.</source>
        <translation>Synchronisierte Dateien in den Papierkorb verschoben: %1.</translation>
    </message>
    <message>
        <source>Files not on the server that stay here: %1.</source>
        <translation>Dateien, die nicht auf dem Server sind und hier bleiben: %1.</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Einstellungen</translation>
    </message>
</context>
<context>
    <name>steadysync::State</name>
    <message>
        <source>Syncing</source>
        <translation>Synchronisiert</translation>
    </message>
    <message>
        <source>Paused</source>
        <translation>Pausiert</translation>
    </message>
    <message>
        <source>Offline</source>
        <translation>Offline</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>Fehler</translation>
    </message>
    <message>
        <source>Up to date</source>
        <translation>Aktuell</translation>
    </message>
    <message>
        <source>Sign-in needed</source>
        <translation>Anmeldung erforderlich</translation>
    </message>
    <message>
        <source>Conflicts to review</source>
        <translation>Konflikte zu prüfen</translation>
    </message>
    <message>
        <source>Some files could not be synced</source>
        <translation>Einige Dateien nicht synchronisiert</translation>
    </message>
    <message>
        <source>Paused, changes waiting</source>
        <translation>Pausiert, Änderungen warten</translation>
    </message>
    <message>
        <source>No folder pair set up</source>
        <translation>Kein Ordnerpaar eingerichtet</translation>
    </message>
    <message>
        <source>Conflicts to review: %1</source>
        <translation>Konflikte zu prüfen: %1</translation>
    </message>
    <message>
        <source>Files not synced: %1</source>
        <translation>Nicht synchronisierte Dateien: %1</translation>
    </message>
    <message>
        <source>Paused, changes waiting: %1</source>
        <translation>Pausiert, wartende Änderungen: %1</translation>
    </message>
    <message>
        <source>Syncing %1 of %2</source>
        <translation>Synchronisiere %1 von %2</translation>
    </message>
    <message>
        <source>Files waiting for a retry: %1</source>
        <translation>Dateien warten auf neuen Versuch: %1</translation>
    </message>
    <message>
        <source>Waiting for your decision</source>
        <translation>Wartet auf Ihre Entscheidung</translation>
    </message>
    <message>
        <source>Paused: metered connection</source>
        <translation>Pausiert: getaktete Verbindung</translation>
    </message>
    <message>
        <source>Paused: on battery</source>
        <translation>Pausiert: Akkubetrieb</translation>
    </message>
    <message>
        <source>Paused: outside its sync window</source>
        <translation>Pausiert: außerhalb des Zeitfensters</translation>
    </message>
</context>
<context>
    <name>steadysync::StatsCharts</name>
    <message>
        <source>Success rate</source>
        <translation>Erfolgsquote</translation>
    </message>
    <message>
        <source>Pending</source>
        <translation>Ausstehend</translation>
    </message>
    <message>
        <source>Retry queue</source>
        <translation>Wiederholung</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Fehler</translation>
    </message>
    <message>
        <source>Upload</source>
        <translation>Upload</translation>
    </message>
    <message>
        <source>Download</source>
        <translation>Download</translation>
    </message>
    <message>
        <source>KiB/s</source>
        <translation>KiB/s</translation>
    </message>
    <message>
        <source>Queues</source>
        <translation>Warteschlangen</translation>
    </message>
    <message>
        <source>Throughput</source>
        <translation>Durchsatz</translation>
    </message>
    <message>
        <source>No data yet. The charts fill in while this folder pair syncs.</source>
        <translation>Noch keine Daten. Die Diagramme füllen sich, während dieses Ordnerpaar synchronisiert.</translation>
    </message>
</context>
<context>
    <name>steadysync::TransferProgress</name>
    <message>
        <source>%1 of %2</source>
        <translation>%1 von %2</translation>
    </message>
    <message>
        <source>Uploading %1: %2</source>
        <translation>Hochladen von %1: %2</translation>
    </message>
    <message>
        <source>Downloading %1: %2</source>
        <translation>Herunterladen von %1: %2</translation>
    </message>
    <message>
        <source>, %1/s</source>
        <translation>, %1/s</translation>
    </message>
    <message>
        <source>, %1 left</source>
        <translation>, noch %1</translation>
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
        <translation>Übersicht öffnen</translation>
    </message>
    <message>
        <source>Open Folder</source>
        <translation>Ordner öffnen</translation>
    </message>
    <message>
        <source>Sync Now</source>
        <translation>Jetzt synchronisieren</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>Pausieren</translation>
    </message>
    <message>
        <source>Settings…</source>
        <translation>Einstellungen…</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>Beenden</translation>
    </message>
    <message>
        <source>Steadysync: %1</source>
        <translation>Steadysync: %1</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>Fortsetzen</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
</context>
<context>
    <name>steadysync::VersionPanel</name>
    <message>
        <source>No preview for this kind of file.</source>
        <translation>Keine Vorschau für diese Art von Datei.</translation>
    </message>
    <message>
        <source>File:</source>
        <translation>Datei:</translation>
    </message>
    <message>
        <source>Size:</source>
        <translation>Größe:</translation>
    </message>
    <message>
        <source>Modified:</source>
        <translation>Geändert:</translation>
    </message>
    <message>
        <source>SHA-256:</source>
        <translation>SHA-256:</translation>
    </message>
    <message>
        <source>computing…</source>
        <translation>wird berechnet…</translation>
    </message>
    <message>
        <source>missing</source>
        <translation>fehlt</translation>
    </message>
    <message>
        <source>%1 bytes</source>
        <translation>%1 Bytes</translation>
    </message>
    <message>
        <source>%1 (%2 bytes)</source>
        <translation>%1 (%2 Bytes)</translation>
    </message>
</context>
<context>
    <name>steadysync::VersionsModel</name>
    <message>
        <source>Replaced by a newer version</source>
        <translation>Durch neuere Version ersetzt</translation>
    </message>
    <message>
        <source>Deleted on the server</source>
        <translation>Auf dem Server gelöscht</translation>
    </message>
    <message>
        <source>Set aside in a conflict</source>
        <translation>Bei einem Konflikt beiseitegelegt</translation>
    </message>
    <message>
        <source>Its folder was no longer synced</source>
        <translation>Ordner wird nicht mehr synchronisiert</translation>
    </message>
    <message>
        <source>The server&apos;s previous version</source>
        <translation>Frühere Version des Servers</translation>
    </message>
    <message>
        <source>%1 (no longer in the folder)</source>
        <translation>%1 (nicht mehr im Ordner)</translation>
    </message>
    <message>
        <source>File</source>
        <translation>Datei</translation>
    </message>
    <message>
        <source>Versions</source>
        <translation>Versionen</translation>
    </message>
    <message>
        <source>Last kept</source>
        <translation>Zuletzt aufbewahrt</translation>
    </message>
    <message>
        <source>Earlier version on the server</source>
        <translation>Frühere Version auf dem Server</translation>
    </message>
    <message>
        <source>In the server&apos;s trash</source>
        <translation>Im Papierkorb des Servers</translation>
    </message>
</context>
<context>
    <name>steadysync::VersionsView</name>
    <message>
        <source>Restore To</source>
        <translation>Wiederherstellen nach</translation>
    </message>
    <message>
        <source>Deleted files only</source>
        <translation>Nur gelöschte Dateien</translation>
    </message>
    <message>
        <source>Preview</source>
        <translation>Vorschau</translation>
    </message>
    <message>
        <source>Restore</source>
        <translation>Wiederherstellen</translation>
    </message>
    <message>
        <source>Restore To…</source>
        <translation>Wiederherstellen nach…</translation>
    </message>
    <message>
        <source>Versions of “%1”</source>
        <translation>Versionen von „%1“</translation>
    </message>
    <message>
        <source>Search files</source>
        <translation>Dateien suchen</translation>
    </message>
    <message>
        <source>Show only files that are no longer in the folder</source>
        <translation>Nur Dateien zeigen, die nicht mehr im Ordner sind</translation>
    </message>
    <message>
        <source>Put this version back in its place; the file there now is kept as a version first.</source>
        <translation>Diese Version an ihren Platz zurücklegen; die Datei, die jetzt dort liegt, wird zuvor als Version aufbewahrt.</translation>
    </message>
    <message>
        <source>Save this version as another file</source>
        <translation>Diese Version als andere Datei speichern</translation>
    </message>
    <message>
        <source>Kept</source>
        <translation>Aufbewahrt</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Grund</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Größe</translation>
    </message>
    <message>
        <source>The versions could not be read: %1</source>
        <translation>Die Versionen konnten nicht gelesen werden: %1</translation>
    </message>
    <message>
        <source>No version has been kept in this folder yet.</source>
        <translation>In diesem Ordner wurde noch keine Version aufbewahrt.</translation>
    </message>
    <message>
        <source>Restoring %1…</source>
        <translation>%1 wird wiederhergestellt…</translation>
    </message>
    <message>
        <source>Could not restore to %1: %2</source>
        <translation>Wiederherstellen nach %1 fehlgeschlagen: %2</translation>
    </message>
    <message>
        <source>Restored to %1.</source>
        <translation>Wiederhergestellt nach %1.</translation>
    </message>
    <message>
        <source>This version is kept on the server. Restore it with: steadysync-cli versions restore &quot;%1&quot; &quot;%2&quot; --id %3</source>
        <translation>Diese Version liegt auf dem Server. Wiederherstellen mit: steadysync-cli versions restore &quot;%1&quot; &quot;%2&quot; --id %3</translation>
    </message>
    <message>
        <source>Fetching %1 from the server…</source>
        <translation>%1 wird vom Server geholt…</translation>
    </message>
    <message>
        <source>Where</source>
        <translation>Ort</translation>
    </message>
    <message>
        <source>Server</source>
        <translation>Server</translation>
    </message>
    <message>
        <source>This computer</source>
        <translation>Dieser Computer</translation>
    </message>
    <message>
        <source>What the server keeps could not be listed: %1</source>
        <translation>Was der Server aufbewahrt, konnte nicht aufgelistet werden: %1</translation>
    </message>
    <message>
        <source>Restoring %1 from the server…</source>
        <translation>%1 wird vom Server wiederhergestellt…</translation>
    </message>
</context>
<context>
    <name>steadysync::WebDavSession</name>
    <message>
        <source>%1: WebDAV locks do not work on this server (%2); writes go ahead without locks, guarded by If-Match and a check just before each write</source>
        <translation>%1: WebDAV-Sperren funktionieren auf diesem Server nicht (%2); Schreibvorgänge laufen ohne Sperren, geschützt durch If-Match und eine Prüfung unmittelbar vor jedem Schreiben</translation>
    </message>
</context>
</TS>
