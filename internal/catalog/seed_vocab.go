package catalog

// This file: the vocabulary of the synthetic catalogue (seed.go). The
// terms are real municipal words, grouped by the field of action they
// belong to, so that a generated entry reads like one a provider would
// write and full-text search meets the words municipalities search for.

// seedTerms holds product terms per field of action (leaf key). A field
// without its own list borrows its parent's general terms.
var seedTerms = map[string][]string{
	"mobility.parking":                              {"Parkleitsystem", "Parkraumbewirtschaftung", "Handyparken", "Parkscheinautomat", "Anwohnerparkausweis", "Parksensorik", "Stellplatzbörse"},
	"mobility.public-transport":                     {"Fahrgastinformation", "Haltestellenanzeige", "ÖPNV-Auskunft", "Ticketing", "Rufbus-Disposition", "Echtzeitfahrplan"},
	"mobility.sharing":                              {"Carsharing", "Bikesharing", "Lastenradverleih", "Mobilitätsstation", "E-Scooter-Verwaltung", "Sharing-Plattform"},
	"mobility.cycling-walking":                      {"Radverkehrszählung", "Radwegemelder", "Schulwegplaner", "Fahrradparkhaus", "Fußverkehrs-Check", "Radroutenplaner"},
	"mobility.traffic-management":                   {"Verkehrsrechner", "Ampelsteuerung", "Baustellenmanagement", "Verkehrslagebild", "Sondernutzungsantrag", "Schwerlastgenehmigung"},
	"mobility.e-mobility":                           {"Ladesäulenverwaltung", "Ladeinfrastrukturplanung", "E-Flottenmanagement", "Ladepunktkarte", "Lastmanagement"},
	"energy-environment.energy-management":          {"Energiemonitoring", "Energiemanagementsystem", "Verbrauchscontrolling", "Smart-Meter-Gateway", "Wärmeplanung", "Solarkataster"},
	"energy-environment.street-lighting":            {"Straßenbeleuchtung", "Lichtmanagement", "Leuchtenkataster", "Störungsmeldung Beleuchtung", "Adaptive Beleuchtung"},
	"energy-environment.climate-adaptation":         {"Klimaschutzmonitor", "Hitzeaktionsplan", "Starkregengefahrenkarte", "CO2-Bilanzierung", "Stadtbaumkataster", "Gießpaten-App"},
	"energy-environment.environmental-monitoring":   {"Luftqualitätsmessung", "Lärmkartierung", "Umweltsensorik", "Pegelmessung", "Feinstaubnetz", "Bodenfeuchtemessung"},
	"energy-environment.waste":                      {"Abfallkalender", "Füllstandsmessung", "Sperrmüllanmeldung", "Wertstoffhof-Termin", "Abfall-App", "Tourenplanung Entsorgung"},
	"energy-environment.water":                      {"Kanalkataster", "Hochwasserwarnung", "Wasserzählerfernauslesung", "Leckageortung", "Regenwassermanagement"},
	"administration.online-services":                {"Onlinezugangsgesetz-Baukasten", "Antragsportal", "Bürgerkonto", "Formularserver", "Servicekonto", "Onlinedienst Meldewesen", "Fundbüro"},
	"administration.e-file":                         {"E-Akte", "Dokumentenmanagement", "Scanstraße", "Posteingangsbuch", "Aktenplan", "Vorgangsbearbeitung"},
	"administration.council-information":            {"Ratsinformationssystem", "Sitzungsmanagement", "Gremienportal", "Mandatsträger-App", "Ratsfernsehen"},
	"administration.appointments":                   {"Terminvereinbarung", "Wartemarkensystem", "Aufrufanlage", "Bürgerbüro-Termin", "Kapazitätsplanung"},
	"administration.e-payment":                      {"E-Payment", "Gebührenkasse", "Kassenautomat", "Zahlungsverkehrsplattform", "Mahnwesen"},
	"administration.internal-processes":             {"Personalverwaltung", "Zeiterfassung", "Bewerbermanagement", "Vertragsmanagement", "Ideenmanagement", "Haushaltsplanung"},
	"education.school-it":                           {"Schulverwaltung", "Schulportal", "Medienentwicklungsplan", "Tablet-Verwaltung", "Schul-WLAN", "Stundenplaner"},
	"education.learning-platforms":                  {"Lernplattform", "Videokonferenz Schule", "Lernmanagementsystem", "Schulcloud", "Lernstandserhebung"},
	"education.libraries":                           {"Onleihe", "Bibliothekskatalog", "Selbstverbuchung", "Open-Library-Zugang", "Leseförderung digital"},
	"education.childcare":                           {"Kita-Platzvergabe", "Kita-Portal", "Elternbeitragsberechnung", "Kita-App", "Betreuungsplatzbörse", "Ferienbetreuung"},
	"health-care.care":                              {"Pflegeplatzbörse", "Pflegestützpunkt digital", "Pflegeberatung", "Quartierspflege", "Pflegedokumentation"},
	"health-care.telemedicine":                      {"Telemedizin", "Videosprechstunde", "Telenotarzt", "Gesundheitskiosk", "Medikationsplan"},
	"health-care.public-health":                     {"Gesundheitsamt-Software", "Meldewesen Infektionsschutz", "Trinkwasserüberwachung", "Impfmanagement", "Schuleingangsuntersuchung"},
	"health-care.assisted-living":                   {"Hausnotruf", "Sturzerkennung", "Assistenzsystem", "Nachbarschaftshilfe", "Seniorenportal"},
	"housing-neighbourhood.neighbourhood-platforms": {"Nachbarschaftsplattform", "Quartiers-App", "Quartiersmanagement", "Tauschbörse", "Gemeinschaftsgarten-Planer"},
	"housing-neighbourhood.urban-planning":          {"Bauleitplanung", "Bebauungsplan online", "Flächenmanagement", "Leerstandskataster", "Baulückenbörse", "Stadtentwicklungskonzept"},
	"housing-neighbourhood.building-permits":        {"Digitaler Bauantrag", "Bauantragsportal", "Baugenehmigung online", "Bauaktenarchiv", "Abstandsflächenprüfung"},
	"economy-retail.local-retail":                   {"Online-Marktplatz", "Stadtgutschein", "Wochenmarkt-App", "Händlerportal", "Lieferdienst lokal", "Innenstadt-App"},
	"economy-retail.business-development":           {"Gewerbeflächenbörse", "Gründerportal", "Wirtschaftsförderungs-CRM", "Fachkräfteportal", "Standortexposé"},
	"economy-retail.coworking":                      {"Coworking-Buchung", "Raumbuchung", "Desk-Sharing", "Dorfbüro", "Arbeitsplatzbörse"},
	"culture-tourism.tourist-information":           {"Tourismusportal", "Gästekarte", "Stadtführung digital", "Wanderwegeportal", "Kurbeitragsverwaltung", "Besucherlenkung"},
	"culture-tourism.events":                        {"Veranstaltungskalender", "Ticketshop", "Hallenbuchung", "Vereinsportal", "Eventgenehmigung"},
	"culture-tourism.cultural-heritage":             {"Museumsdatenbank", "Digitales Archiv", "Denkmalkataster", "Audioguide", "Sammlungsportal"},
	"safety-civil-protection.warning":               {"Bevölkerungswarnung", "Sirenensteuerung", "Warn-App", "Cell-Broadcast-Anbindung", "Hochwasserinformation"},
	"safety-civil-protection.fire-rescue":           {"Feuerwehrverwaltung", "Einsatzleitsystem", "Alarmierungs-App", "Atemschutzüberwachung", "Hydrantenkataster"},
	"safety-civil-protection.crisis-management":     {"Krisenstabssoftware", "Lagebild", "Notfalltreffpunkte", "Katastrophenschutzplan", "Stromausfallvorsorge"},
	"participation.consultation":                    {"Bürgerbeteiligung", "Beteiligungsplattform", "Online-Umfrage", "Bürgerdialog", "Jugendbeteiligung", "Planungswerkstatt"},
	"participation.issue-reporting":                 {"Mängelmelder", "Schadensmelder", "Anliegenmanagement", "Ideenmelder", "Müllmelder"},
	"participation.participatory-budgeting":         {"Bürgerhaushalt", "Beteiligungshaushalt", "Quartiersfonds", "Projektabstimmung", "Haushaltsdialog"},
	"participation.volunteering":                    {"Ehrenamtsbörse", "Engagementplattform", "Vereinsverwaltung", "Ehrenamtskarte", "Helferkoordination"},
	"data-infrastructure.urban-data-platform":       {"Urbane Datenplattform", "Datendrehscheibe", "Dashboard Stadtdaten", "Datenraum", "Sensordatenplattform"},
	"data-infrastructure.open-data":                 {"Open-Data-Portal", "Datenkatalog", "Metadatenverwaltung", "Datenschnittstelle", "Transparenzportal"},
	"data-infrastructure.iot-networks":              {"LoRaWAN-Netz", "IoT-Plattform", "Sensorverwaltung", "Funknetzplanung", "Gateway-Monitoring"},
	"data-infrastructure.broadband":                 {"Breitbandatlas", "Glasfaserausbau-Planung", "Bürger-WLAN", "Mobilfunkmasten-Kataster", "Leerrohrkataster"},
	"data-infrastructure.digital-twin":              {"Digitaler Zwilling", "3D-Stadtmodell", "Simulationsplattform", "Solarpotenzialanalyse", "Verschattungsanalyse"},
	"data-infrastructure.geodata":                   {"Geoportal", "Geodateninfrastruktur", "Liegenschaftskataster", "Luftbildauswertung", "Straßenkataster", "Baumkataster"},
	"rural-agriculture.village-apps":                {"Dorf-App", "Dorfportal", "Gemeinde-App", "Dorfladen-Bestellsystem", "Mitfahrbank digital"},
	"rural-agriculture.local-supply":                {"Nahversorgung", "Regionalmarkt", "Hofladenfinder", "Lieferplattform ländlich", "Automatenladen"},
	"rural-agriculture.on-demand-mobility":          {"Rufbus", "On-Demand-Shuttle", "Bürgerbus-Buchung", "Mitfahrplattform", "Anruf-Sammeltaxi"},
	"rural-agriculture.agriculture":                 {"Feldsensorik", "Hofmanagement", "Wegeinstandhaltung", "Bewässerungssteuerung", "Flurbereinigung digital"},
}

// seedQualifiers are the second word of a generated name: districts,
// places and product words ("Parkleitsystem Nordstadt 4711").
var seedQualifiers = []string{
	"Nordstadt", "Südstadt", "Weststadt", "Oststadt", "Altstadt", "Innenstadt", "Hafen", "Mitte", "Rheinland", "Elbtal",
	"Mainufer", "Donau", "Schwarzwald", "Allgäu", "Eifel", "Harz", "Lausitz", "Uckermark", "Vogtland", "Sauerland",
	"Münsterland", "Ostalb", "Spreewald", "Heide", "Bergland", "Kommunal", "Digital", "Plus", "Connect", "Open",
	"Pro", "Regio", "Smart", "Cloud", "Kompakt", "Neo", "Basis", "Next", "Online", "Bürgernah",
	"Quartier", "Kreis", "Land", "Stadtwerk", "Verbund", "Zentral", "Mobil", "Direkt", "Aktiv", "Einfach",
}

// seedAudiences are who a solution serves.
var seedAudiences = []string{
	"Bürgerinnen und Bürger", "kleine Gemeinden", "Landkreise", "Stadtverwaltungen", "Ordnungsämter", "Bauämter",
	"Schulträger", "Kita-Träger", "Stadtwerke", "Bürgerämter", "Feuerwehren", "Gesundheitsämter", "Tiefbauämter",
	"Kämmereien", "Ratsbüros", "Vereine", "Unternehmen vor Ort", "Gäste und Touristen", "Seniorinnen und Senioren",
	"Jugendliche", "Eltern", "Pendlerinnen und Pendler", "Verwaltungsmitarbeitende", "Kommunalpolitik",
}

// seedBenefits complete the short description.
var seedBenefits = []string{
	"weniger Papier und kürzere Wartezeiten", "Anträge rund um die Uhr online", "transparente Entscheidungen",
	"bessere Datenlage für die Planung", "spürbare Entlastung der Verwaltung", "Kosten senken und Energie sparen",
	"Anliegen schneller bearbeiten", "alle Beteiligten auf einem Stand", "Daten offen und nachnutzbar bereitstellen",
	"Prozesse medienbruchfrei digitalisieren", "Ressourcen gezielt einsetzen", "Informationen in Echtzeit",
	"mehr Beteiligung und Vertrauen", "Sicherheit im Ernstfall", "einfache Bedienung auch mobil",
	"rechtssichere Abläufe nach Onlinezugangsgesetz", "regionale Wertschöpfung stärken", "Barrierefreiheit nach BITV 2.0",
}

// seedFeatures are bullet points of the long description.
var seedFeatures = []string{
	"Anbindung an das Bürgerkonto (BundID)", "Schnittstelle zum Fachverfahren", "Dashboard mit Kennzahlen",
	"mehrsprachige Oberfläche", "barrierefrei nach BITV 2.0", "Rollen- und Rechtekonzept", "Export als CSV und XLSX",
	"Karte mit Geodaten der Kommune", "Benachrichtigung per E-Mail und Push", "revisionssichere Protokollierung",
	"Single Sign-on über das Verwaltungsnetz", "Datenschutz-Folgenabschätzung liegt vor", "offene REST-Schnittstelle",
	"Import vorhandener Bestandsdaten", "Mandantenfähigkeit für interkommunale Zusammenarbeit", "App für iOS und Android",
	"Anbindung an das Dokumentenmanagement", "Statistik und Berichtswesen", "E-Payment über ePayBL", "Terminbuchung online",
	"Sensoranbindung über LoRaWAN", "Veröffentlichung als Open Data", "Workflow-Designer ohne Programmierung",
	"Formulare nach FIM-Standard", "Anbindung an XÖV-Nachrichten", "Archivierung nach DMS-Richtlinien",
	"Wartungsvertrag mit Reaktionszeiten", "Schulungen für Mitarbeitende", "Betrieb im kommunalen Rechenzentrum",
	"Hosting in Deutschland", "Offline-Fähigkeit der App", "Moderationswerkzeuge", "Kartenbasierte Meldungen mit Foto",
}

// seedPhrases are paragraph templates of the long description; %[1]s is
// the product term, %[2]s the audience, %[3]s a further municipal term.
var seedPhrases = []string{
	"%[1]s unterstützt %[2]s bei der täglichen Arbeit und lässt sich mit %[3]s verbinden.",
	"Mit %[1]s digitalisiert die Kommune einen Prozess, der bisher auf Papier lief; %[2]s profitieren unmittelbar.",
	"Die Lösung wurde mit Blick auf %[2]s entwickelt und ergänzt bestehende Verfahren wie %[3]s.",
	"%[1]s ist modular aufgebaut: kleine Gemeinden starten mit dem Basispaket, größere Städte binden %[3]s an.",
	"Erfahrungen aus mehreren Modellprojekten Smarte Städte sind in %[1]s eingeflossen.",
	"Für %[2]s bietet %[1]s eine übersichtliche Oberfläche, die ohne Schulung verständlich ist.",
	"Die Daten bleiben in der Hand der Kommune; %[1]s stellt sie über offene Schnittstellen auch für %[3]s bereit.",
	"Im interkommunalen Verbund teilen sich mehrere Kommunen den Betrieb von %[1]s und senken so die Kosten.",
}

// seedProgrammes are funding programmes named by entries.
var seedProgrammes = []string{
	"Modellprojekte Smart Cities (BMWSB)", "OZG-Umsetzung Einer für Alle", "Digitalbonus Bayern", "Digitale Zukunftsgemeinde",
	"Förderprogramm Digitale Modellregionen NRW", "Kommunalrichtlinie (Nationale Klimaschutzinitiative)", "LEADER",
	"DigitalPakt Schule", "Smarte.Land.Regionen", "Zukunftsfähige Innenstädte und Zentren",
}

// seedSupport are support commitments.
var seedSupport = []string{
	"Hotline werktags 8–17 Uhr, Reaktionszeit vier Stunden",
	"Wartung und Updates im Rahmen des EVB-IT-Pflegevertrags",
	"Community-Support über das Forum, kommerzieller Support durch Partner",
	"Ticketsystem mit Reaktionszeit von einem Werktag",
	"Betrieb und Support durch den kommunalen IT-Dienstleister",
}
