"""The demo's reference data: cities, names, streets, companies, banks, texts, the article
catalogue, lookup rows, demo users, and how much history a customer gets.

Pure data (plus the two small helpers that build it); :mod:`tradium_tui.demo.generator`
draws from it.
"""

from __future__ import annotations

from decimal import Decimal

D = Decimal

# =========================================================================== reference data
#
# Cities: (name, first postcode, last postcode, phone area, sales region, culture).
# A culture picks names, titles, streets, legal forms and the language of a customer.

CITIES: dict[str, list[tuple[str, int, int, str, str, str]]] = {
    "NL": [
        ("Amsterdam", 1011, 1109, "20", "West", "nl_NL"),
        ("Rotterdam", 3011, 3089, "10", "West", "nl_NL"),
        ("Den Haag", 2491, 2599, "70", "West", "nl_NL"),
        ("Utrecht", 3511, 3585, "30", "Midden", "nl_NL"),
        ("Eindhoven", 5611, 5658, "40", "Zuid", "nl_NL"),
        ("Groningen", 9711, 9747, "50", "Noord", "nl_NL"),
        ("Tilburg", 5011, 5049, "13", "Zuid", "nl_NL"),
        ("Breda", 4811, 4839, "76", "Zuid", "nl_NL"),
        ("Nijmegen", 6511, 6546, "24", "Oost", "nl_NL"),
        ("Arnhem", 6811, 6846, "26", "Oost", "nl_NL"),
        ("Haarlem", 2011, 2037, "23", "West", "nl_NL"),
        ("Enschede", 7511, 7548, "53", "Oost", "nl_NL"),
        ("Zwolle", 8011, 8043, "38", "Oost", "nl_NL"),
        ("Leiden", 2311, 2334, "71", "West", "nl_NL"),
        ("Maastricht", 6211, 6229, "43", "Zuid", "nl_NL"),
        ("Delft", 2611, 2629, "15", "West", "nl_NL"),
        ("'s-Hertogenbosch", 5211, 5249, "73", "Zuid", "nl_NL"),
        ("Leeuwarden", 8911, 8941, "58", "Noord", "nl_NL"),
        ("Hilversum", 1211, 1223, "35", "Midden", "nl_NL"),
        ("Alkmaar", 1811, 1827, "72", "West", "nl_NL"),
        ("Venlo", 5911, 5928, "77", "Zuid", "nl_NL"),
        ("Dordrecht", 3311, 3329, "78", "West", "nl_NL"),
        ("Almere", 1311, 1363, "36", "Midden", "nl_NL"),
        ("Apeldoorn", 7311, 7339, "55", "Oost", "nl_NL"),
    ],
    "BE": [
        ("Brussel", 1000, 1210, "2", "Export BE", "nl_BE"),
        ("Bruxelles", 1000, 1210, "2", "Export BE", "fr_BE"),
        ("Antwerpen", 2000, 2660, "3", "Export BE", "nl_BE"),
        ("Gent", 9000, 9052, "9", "Export BE", "nl_BE"),
        ("Liège", 4000, 4032, "4", "Export BE", "fr_BE"),
        ("Brugge", 8000, 8380, "50", "Export BE", "nl_BE"),
        ("Leuven", 3000, 3012, "16", "Export BE", "nl_BE"),
        ("Mechelen", 2800, 2812, "15", "Export BE", "nl_BE"),
        ("Hasselt", 3500, 3512, "11", "Export BE", "nl_BE"),
        ("Kortrijk", 8500, 8511, "56", "Export BE", "nl_BE"),
        ("Namur", 5000, 5101, "81", "Export BE", "fr_BE"),
        ("Charleroi", 6000, 6061, "71", "Export BE", "fr_BE"),
    ],
    "DE": [
        ("Berlin", 10115, 14199, "30", "Export DE", "de_DE"),
        ("Hamburg", 20095, 22769, "40", "Export DE", "de_DE"),
        ("München", 80331, 81929, "89", "Export DE", "de_DE"),
        ("Köln", 50667, 51149, "221", "Export DE", "de_DE"),
        ("Frankfurt am Main", 60306, 60599, "69", "Export DE", "de_DE"),
        ("Stuttgart", 70173, 70629, "711", "Export DE", "de_DE"),
        ("Düsseldorf", 40210, 40629, "211", "Export DE", "de_DE"),
        ("Leipzig", 4103, 4357, "341", "Export DE", "de_DE"),
        ("Dresden", 1067, 1328, "351", "Export DE", "de_DE"),
        ("Bremen", 28195, 28779, "421", "Export DE", "de_DE"),
        ("Hannover", 30159, 30669, "511", "Export DE", "de_DE"),
        ("Nürnberg", 90402, 90491, "911", "Export DE", "de_DE"),
    ],
    "FR": [
        ("Paris", 75001, 75020, "1", "Export FR", "fr_FR"),
        ("Lyon", 69001, 69009, "478", "Export FR", "fr_FR"),
        ("Marseille", 13001, 13016, "491", "Export FR", "fr_FR"),
        ("Toulouse", 31000, 31500, "561", "Export FR", "fr_FR"),
        ("Bordeaux", 33000, 33800, "556", "Export FR", "fr_FR"),
        ("Lille", 59000, 59800, "320", "Export FR", "fr_FR"),
        ("Nantes", 44000, 44300, "240", "Export FR", "fr_FR"),
        ("Strasbourg", 67000, 67200, "388", "Export FR", "fr_FR"),
        ("Rennes", 35000, 35700, "299", "Export FR", "fr_FR"),
        ("Nice", 6000, 6300, "493", "Export FR", "fr_FR"),
    ],
    "ES": [
        ("Madrid", 28001, 28080, "91", "Export ES", "es_ES"),
        ("Barcelona", 8001, 8042, "93", "Export ES", "es_ES"),
        ("Valencia", 46001, 46026, "96", "Export ES", "es_ES"),
        ("Sevilla", 41001, 41020, "954", "Export ES", "es_ES"),
        ("Málaga", 29001, 29018, "952", "Export ES", "es_ES"),
        ("Bilbao", 48001, 48015, "944", "Export ES", "es_ES"),
        ("Zaragoza", 50001, 50021, "976", "Export ES", "es_ES"),
        ("Alicante", 3001, 3016, "965", "Export ES", "es_ES"),
    ],
    "GB": [
        ("London", 0, 0, "20", "Export UK", "en_GB"),
        ("Manchester", 0, 0, "161", "Export UK", "en_GB"),
        ("Edinburgh", 0, 0, "131", "Export UK", "en_GB"),
        ("Glasgow", 0, 0, "141", "Export UK", "en_GB"),
    ],
    "CH": [
        ("Zürich", 8001, 8099, "44", "Export CH", "de_CH"),
        ("Genève", 1201, 1209, "22", "Export CH", "fr_CH"),
        ("Basel", 4001, 4059, "61", "Export CH", "de_CH"),
        ("Bern", 3001, 3030, "31", "Export CH", "de_CH"),
        ("Lausanne", 1003, 1018, "21", "Export CH", "fr_CH"),
        ("Luzern", 6003, 6015, "41", "Export CH", "de_CH"),
    ],
    "NO": [
        ("Oslo", 150, 1295, "22", "Export NO", "nb_NO"),
        ("Bergen", 5003, 5097, "55", "Export NO", "nb_NO"),
        ("Trondheim", 7010, 7099, "73", "Export NO", "nb_NO"),
        ("Stavanger", 4001, 4099, "51", "Export NO", "nb_NO"),
        ("Kristiansand", 4601, 4639, "38", "Export NO", "nb_NO"),
    ],
    "US": [
        ("New York, NY", 10001, 10282, "212", "Export US", "en_US"),
        ("Chicago, IL", 60601, 60661, "312", "Export US", "en_US"),
        ("San Francisco, CA", 94102, 94134, "415", "Export US", "en_US"),
        ("Boston, MA", 2108, 2137, "617", "Export US", "en_US"),
        ("Seattle, WA", 98101, 98199, "206", "Export US", "en_US"),
        ("Houston, TX", 77001, 77099, "713", "Export US", "en_US"),
        ("Atlanta, GA", 30301, 30399, "404", "Export US", "en_US"),
    ],
}

# Share of customers per country (per mille).
COUNTRY_WEIGHTS = {
    "NL": 470, "BE": 150, "DE": 140, "FR": 80, "ES": 70, "GB": 40, "CH": 20, "NO": 15, "US": 15,
}
# Share of companies (the rest are consumers), per mille.
COMPANY_SHARE = {
    "NL": 550, "BE": 600, "DE": 700, "FR": 700, "ES": 700, "GB": 850, "CH": 850, "NO": 850,
    "US": 900,
}
COUNTRY_NAMES = {
    "NL": "Netherlands", "BE": "Belgium", "DE": "Germany", "FR": "France", "ES": "Spain",
    "GB": "United Kingdom", "CH": "Switzerland", "NO": "Norway", "US": "United States",
}
GB_OUTWARD = {
    "London": ("EC1A", "EC2V", "W1D", "SW1A", "SE1", "N1", "E14", "NW1", "WC2H"),
    "Manchester": ("M1", "M2", "M3", "M4", "M15", "M16"),
    "Edinburgh": ("EH1", "EH2", "EH3", "EH6", "EH7"),
    "Glasgow": ("G1", "G2", "G3", "G4", "G12"),
}


def _words(text: str) -> tuple[str, ...]:
    return tuple(w.strip() for w in text.split("|") if w.strip())


# culture → (male first names, female first names, last names)
NAMES: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "nl_NL": (
        _words("Jan|Pieter|Kees|Henk|Willem|Daan|Sem|Thomas|Lucas|Bram|Ruud|Mark|Joost|Sander|"
               "Tim|Martijn|Jeroen|Bas|Erik|Hans|Gert-Jan|Niels|Wouter|Stefan"),
        _words("Anna|Emma|Sophie|Julia|Lotte|Sanne|Fleur|Femke|Marieke|Inge|Anouk|Lisa|Eva|Noor|"
               "Iris|Ellen|Karin|Mirjam|Esther|Linda|Petra|Annemiek|Wendy|Marloes"),
        _words("de Vries|Jansen|de Jong|Bakker|Visser|Smit|Meijer|de Boer|Mulder|de Groot|Bos|Vos|"
               "Peters|Hendriks|van Leeuwen|Dekker|Brouwer|de Wit|Dijkstra|Smits|de Graaf|"
               "van der Meer|van den Berg|van Dijk|Kok|Jacobs|Vermeulen|van der Linden|Willems|"
               "van Beek|Prins|Huisman|Kuipers|Postma|Hoekstra|van Wijk|Veenstra|Koster"),
    ),
    "nl_BE": (
        _words("Wout|Pieter|Jens|Lars|Koen|Bart|Stijn|Tom|Jef|Dries|Wim|Geert|Pieter-Jan|Maarten"),
        _words("Lien|Elke|Sofie|Katrien|An|Leen|Hanne|Nele|Griet|Els|Evi|Ine|Joke|Marijke"),
        _words("Peeters|Janssens|Maes|Jacobs|Mertens|Willems|Claes|Goossens|Wouters|De Smet|"
               "Vermeersch|Van Damme|De Clercq|Hermans|Van den Broeck|Verhoeven|Aerts|Pauwels"),
    ),
    "fr_BE": (
        _words("Louis|Antoine|Hugo|Jules|Nicolas|Julien|Olivier|Pierre|Benoît|Cédric|Xavier"),
        _words("Marie|Camille|Chloé|Léa|Sarah|Julie|Manon|Claire|Aurélie|Céline|Nathalie"),
        _words("Dubois|Lambert|Dupont|Martin|Leroy|Lejeune|Simon|Renard|Laurent|Lemaire|"
               "Gilson|Collignon|Piron|Masson|Dumont"),
    ),
    "de_DE": (
        _words("Lukas|Maximilian|Felix|Jonas|Leon|Paul|Thomas|Michael|Stefan|Andreas|Jürgen|"
               "Klaus|Matthias|Tobias|Florian|Wolfgang"),
        _words("Anna|Lena|Laura|Julia|Katharina|Sabine|Petra|Monika|Sophie|Leonie|Claudia|"
               "Ursula|Birgit|Franziska|Susanne|Jana"),
        _words("Müller|Schmidt|Schneider|Fischer|Weber|Meyer|Wagner|Becker|Schulz|Hoffmann|"
               "Schäfer|Koch|Bauer|Richter|Klein|Wolf|Schröder|Neumann|Schwarz|Zimmermann|"
               "Braun|Krüger|Hofmann|Hartmann|Lange|Werner|Krause|Lehmann"),
    ),
    "fr_FR": (
        _words("Jean|Pierre|Michel|Philippe|Nicolas|Julien|Thomas|Antoine|Mathieu|Luc|François|"
               "Sébastien|Laurent|Olivier"),
        _words("Marie|Nathalie|Isabelle|Sophie|Camille|Émilie|Céline|Julie|Claire|Aurélie|"
               "Sandrine|Valérie|Hélène|Élodie"),
        _words("Martin|Bernard|Dubois|Thomas|Robert|Richard|Petit|Durand|Leroy|Moreau|Simon|"
               "Laurent|Lefèvre|Michel|Garcia|Fournier|Girard|Bonnet|Dupont|Lambert|Fontaine|"
               "Rousseau|Vincent|Muller"),
    ),
    "es_ES": (
        _words("Antonio|José|Manuel|Francisco|David|Javier|Daniel|Carlos|Miguel|Alejandro|"
               "Jesús|Pablo|Sergio|Jorge"),
        _words("María|Carmen|Ana|Isabel|Laura|Lucía|Marta|Elena|Cristina|Pilar|Rosa|Paula|"
               "Raquel|Sara"),
        _words("García|Fernández|González|Rodríguez|López|Martínez|Sánchez|Pérez|Gómez|Martín|"
               "Jiménez|Ruiz|Hernández|Díaz|Moreno|Álvarez|Muñoz|Romero|Navarro|Torres"),
    ),
    "en_GB": (
        _words("James|John|Robert|Michael|William|David|Richard|Thomas|Daniel|Matthew|Oliver|"
               "George|Harry|Jack"),
        _words("Mary|Elizabeth|Sarah|Emma|Olivia|Charlotte|Emily|Jessica|Sophie|Amelia|Grace|"
               "Hannah|Lucy|Rachel"),
        _words("Smith|Jones|Taylor|Brown|Williams|Wilson|Johnson|Davies|Robinson|Wright|"
               "Thompson|Evans|Walker|White|Roberts|Green|Hall|Wood|Clarke|Hughes"),
    ),
    "en_US": (
        _words("James|John|Robert|Michael|William|David|Richard|Joseph|Charles|Christopher|"
               "Daniel|Matthew|Anthony|Brian"),
        _words("Mary|Patricia|Jennifer|Linda|Elizabeth|Barbara|Susan|Jessica|Sarah|Karen|"
               "Nancy|Lisa|Ashley|Emily"),
        _words("Smith|Johnson|Williams|Brown|Jones|Miller|Davis|Garcia|Rodriguez|Wilson|"
               "Anderson|Taylor|Thomas|Moore|Jackson|Martin|Lee|Thompson|White|Harris"),
    ),
    "de_CH": (
        _words("Daniel|Peter|Thomas|Martin|Andreas|Christian|Markus|Urs|Beat|Reto|Lukas|Simon"),
        _words("Maria|Anna|Ursula|Ruth|Sandra|Monika|Nicole|Barbara|Claudia|Daniela|Corinne"),
        _words("Meier|Müller|Schmid|Keller|Weber|Huber|Schneider|Meyer|Steiner|Fischer|"
               "Brunner|Baumann|Gerber|Frei|Moser|Widmer"),
    ),
    "fr_CH": (
        _words("Jean|Pierre|Philippe|Nicolas|Olivier|Laurent|Christophe|Yves|Alain|Patrick"),
        _words("Marie|Anne|Catherine|Isabelle|Nathalie|Sylvie|Christine|Valérie|Sophie"),
        _words("Favre|Rochat|Blanc|Bonvin|Perrin|Pittet|Chevalley|Jaquet|Rey|Dubois|Mottier"),
    ),
    "nb_NO": (
        _words("Ole|Lars|Jan|Per|Bjørn|Kjetil|Magnus|Henrik|Eirik|Anders|Knut|Sindre|Håkon"),
        _words("Ingrid|Kari|Anne|Marit|Solveig|Nora|Silje|Hilde|Astrid|Ingeborg|Sigrid|Tone"),
        _words("Hansen|Johansen|Olsen|Larsen|Andersen|Pedersen|Nilsen|Kristiansen|Jensen|"
               "Karlsen|Berg|Haugen|Hagen|Johannessen|Eriksen|Dahl|Lund|Solberg"),
    ),
}

# culture → language code stored on the customer
LANGUAGE = {
    "nl_NL": "nl", "nl_BE": "nl", "fr_BE": "fr", "de_DE": "de", "fr_FR": "fr", "es_ES": "es",
    "en_GB": "en", "en_US": "en", "de_CH": "de", "fr_CH": "fr", "nb_NO": "nb",
}
TITLES = {  # language → (male, female)
    "nl": ("Dhr.", "Mevr."), "fr": ("M.", "Mme"), "de": ("Herr", "Frau"), "es": ("Sr.", "Sra."),
    "en": ("Mr", "Ms"), "nb": ("Herr", "Fru"),
}
DOCTOR = {"nl": "Dr.", "fr": "Dr", "de": "Dr.", "es": "Dr.", "en": "Dr", "nb": "Dr."}

STREETS = {
    "nl_NL": _words("Dorpsstraat|Kerkstraat|Molenweg|Stationsweg|Hoofdstraat|Schoolstraat|"
                    "Industrieweg|Nijverheidsweg|Marktplein|Julianalaan|Beatrixstraat|"
                    "Wilhelminastraat|Oranjestraat|Kastanjelaan|Eikenlaan|Parallelweg|"
                    "Havenstraat|Handelsweg|Energieweg|Spoorstraat|Zuiderweg|Ambachtsweg|"
                    "Bedrijvenpark|Keizersgracht|Prinsengracht|Lange Voorhout|Vismarkt"),
    "nl_BE": _words("Kerkstraat|Stationsstraat|Nieuwstraat|Meir|Veldstraat|Grote Markt|"
                    "Industrielaan|Brusselsesteenweg|Kapelstraat|Molenstraat|Schoolstraat|"
                    "Ambachtenlaan|Steenweg op Antwerpen|Koningin Astridlaan"),
    "fr_BE": _words("Rue de la Station|Rue de l'Église|Avenue Louise|Chaussée de Waterloo|"
                    "Rue Neuve|Boulevard d'Avroy|Rue du Commerce|Rue de Namur|Avenue de la Gare|"
                    "Rue des Carmes|Zoning Industriel"),
    "de_DE": _words("Hauptstraße|Bahnhofstraße|Gartenstraße|Schulstraße|Dorfstraße|Lindenstraße|"
                    "Industriestraße|Goethestraße|Schillerstraße|Friedrichstraße|Am Markt|"
                    "Berliner Straße|Mühlenweg|Hafenstraße|Gewerbering|Kirchstraße|Ringstraße"),
    "fr_FR": _words("Rue de la République|Rue Victor Hugo|Avenue Jean Jaurès|Rue Pasteur|"
                    "Boulevard Gambetta|Rue du Général de Gaulle|Place de la Mairie|Rue des Lilas|"
                    "Avenue de la Gare|Rue Nationale|Rue du Moulin|Allée des Peupliers|"
                    "Rue de la Paix|Boulevard Voltaire"),
    "es_ES": _words("Calle Mayor|Calle de Alcalá|Gran Vía|Avenida de la Constitución|Calle Real|"
                    "Paseo de Gracia|Calle San Vicente|Avenida del Puerto|Calle Nueva|"
                    "Calle de la Iglesia|Avenida de Andalucía|Calle del Sol|Plaza de España"),
    "en_GB": _words("High Street|Station Road|Church Lane|Victoria Road|King Street|Queen Street|"
                    "Mill Lane|Park Road|London Road|Manor Road|Green Lane|The Crescent"),
    "en_US": _words("Main Street|Oak Avenue|Maple Drive|Park Avenue|2nd Street|Washington Street|"
                    "Market Street|Elm Street|Lake Street|Pine Street|Cedar Lane|Broadway"),
    "de_CH": _words("Bahnhofstrasse|Hauptstrasse|Dorfstrasse|Seestrasse|Kirchweg|Industriestrasse|"
                    "Gartenstrasse|Poststrasse|Rosenweg|Schulhausstrasse"),
    "fr_CH": _words("Rue du Rhône|Rue de Lausanne|Avenue de la Gare|Route de Genève|Rue du Marché|"
                    "Chemin des Vignes|Rue Centrale|Avenue de France"),
    "nb_NO": _words("Storgata|Kirkegata|Strandgata|Kongens gate|Dronningens gate|Industriveien|"
                    "Parkveien|Skolegata|Sjøgata|Torggata|Havnegata|Bjørkeveien"),
}

# culture → (legal forms, sector words, how the name is built)
COMPANY = {
    "nl_NL": (("B.V.", "B.V.", "B.V.", "V.O.F.", "N.V.", "B.V.", ""),
              _words("Installatietechniek|Bouwmaterialen|Groothandel|Transport|Elektrotechniek|"
                     "Techniek|Kantoorinrichting|Metaalbewerking|Tuin & Park|Verlichting|Bouw|"
                     "Sanitair|Agrotechniek|Onderhoud|Klimaattechniek"), "nl"),
    "nl_BE": (("BV", "BV", "NV", "CommV"),
              _words("Bouwmaterialen|Elektro|Installaties|Groothandel|Techniek|Verlichting|"
                     "Transport|Sanitair|Metaal"), "nl"),
    "fr_BE": (("SRL", "SRL", "SA", "SC"),
              _words("Matériaux|Électricité|Installations|Distribution|Éclairage|Techniques|"
                     "Transports|Outillage"), "fr"),
    "de_DE": (("GmbH", "GmbH", "GmbH", "GmbH & Co. KG", "AG", "e.K.", "KG"),
              _words("Elektrotechnik|Maschinenbau|Baustoffe|Handelsgesellschaft|Logistik|"
                     "Haustechnik|Metallbau|Bürotechnik|Lichttechnik|Werkzeuge|Gebäudetechnik"),
              "de"),
    "fr_FR": (("SARL", "SAS", "SAS", "SA", "EURL"),
              _words("Distribution|Équipements|Bâtiment|Électricité|Fournitures Industrielles|"
                     "Transports|Éclairage|Outillage|Maintenance"), "fr"),
    "es_ES": (("S.L.", "S.L.", "S.L.", "S.A."),
              _words("Distribuciones|Suministros Industriales|Construcciones|Electricidad|"
                     "Iluminación|Ferretería|Transportes|Herramientas|Instalaciones"), "es"),
    "en_GB": (("Ltd", "Ltd", "Ltd", "LLP", "PLC"),
              _words("Supplies|Trading|Engineering|Electrical|Lighting|Building Products|"
                     "Logistics|Tools|Facilities"), "en"),
    "en_US": (("Inc.", "LLC", "LLC", "Corp."),
              _words("Supply|Trading|Engineering|Electric|Lighting|Building Products|Logistics|"
                     "Tools|Industrial"), "en"),
    "de_CH": (("AG", "AG", "GmbH"),
              _words("Elektro|Haustechnik|Baustoffe|Handels|Logistik|Metallbau|Lichttechnik"),
              "de"),
    "fr_CH": (("SA", "SA", "Sàrl"),
              _words("Électricité|Distribution|Matériaux|Techniques|Éclairage|Transports"), "fr"),
    "nb_NO": (("AS", "AS", "AS", "ASA"),
              _words("Elektro|Bygg|Handel|Maskin|Transport|Verktøy|Lys|Installasjon"), "nb"),
}
_BRANDS = _words("Delta|Prima|Techno|Euro|Lumen|Solid|Quadrant|Vector|Atlas|Orion|Nova|Alpha|"
                 "Horizon|Summit|Pioneer|Zenith|Apex|Meridian")
BRANDS = {  # country → words for made-up company names
    "NL": _BRANDS + _words("Noord|Polder|Rijn|Maas|Holland|Kennemer"),
    "BE": _BRANDS + _words("Schelde|Leie|Ardenne|Benelux|Kempen"),
    "DE": _BRANDS + _words("Hanse|Alpen|Linde|Eiche|Rhein|Nord"),
    "FR": _BRANDS + _words("Provence|Atlantique|Loire|Alpes|Gascogne"),
    "ES": _BRANDS + _words("Iberia|Sol|Levante|Cantábrico|Mediterráneo"),
    "GB": _BRANDS + _words("Albion|Thames|Pennine|Highland|Crown"),
    "CH": _BRANDS + _words("Alpen|Helvetia|Jura|Léman|Rigi"),
    "NO": _BRANDS + _words("Fjord|Nordic|Viking|Polar|Nordlys"),
    "US": _BRANDS + _words("Liberty|Eagle|Pacific|Lakeshore|Empire"),
}
FUNCTIONS = {
    "nl": _words("Inkoper|Directeur|Eigenaar|Boekhouding|Administratie|Bedrijfsleider|"
                 "Projectleider|Verkoop binnendienst|Magazijnchef|Werkvoorbereider"),
    "fr": _words("Acheteur|Directeur|Comptabilité|Gérant|Chef de projet|Responsable logistique|"
                 "Assistante commerciale"),
    "de": _words("Einkauf|Geschäftsführer|Buchhaltung|Inhaber|Projektleiter|Lagerleiter|"
                 "Vertriebsinnendienst"),
    "es": _words("Compras|Director|Contabilidad|Gerente|Jefe de proyecto|Logística|"
                 "Administración"),
    "en": _words("Purchasing manager|Managing director|Accounts payable|Owner|Project manager|"
                 "Warehouse manager|Office manager"),
    "nb": _words("Innkjøper|Daglig leder|Regnskap|Eier|Prosjektleder|Lagersjef|Kontorleder"),
}
CONSUMER_DOMAINS = {
    "NL": ("gmail.com", "outlook.com", "hotmail.com", "ziggo.nl", "kpnmail.nl", "xs4all.nl"),
    "BE": ("gmail.com", "hotmail.com", "telenet.be", "skynet.be", "outlook.be"),
    "DE": ("gmail.com", "web.de", "gmx.de", "t-online.de", "outlook.de"),
    "FR": ("gmail.com", "orange.fr", "free.fr", "laposte.net", "hotmail.fr"),
    "ES": ("gmail.com", "hotmail.es", "yahoo.es", "outlook.es"),
    "GB": ("gmail.com", "btinternet.com", "yahoo.co.uk", "outlook.com"),
    "CH": ("gmail.com", "bluewin.ch", "gmx.ch"),
    "NO": ("gmail.com", "online.no", "hotmail.no"),
    "US": ("gmail.com", "yahoo.com", "icloud.com", "outlook.com"),
}
TLD = {
    "NL": "nl", "BE": "be", "DE": "de", "FR": "fr", "ES": "es", "GB": "co.uk", "CH": "ch",
    "NO": "no", "US": "com",
}
COMPANY_MAILBOXES = {
    "nl": ("info", "info", "inkoop", "administratie"), "fr": ("contact", "contact", "achats"),
    "de": ("info", "info", "einkauf"), "es": ("info", "info", "compras"),
    "en": ("info", "sales", "accounts"), "nb": ("post", "post", "innkjop"),
}

# Banks per country (bank code, optional branch code); BIC and name come from schwifty.
BANKS = {
    "NL": ("ABNA", "INGB", "INGB", "RABO", "RABO", "SNSB", "TRIO", "KNAB", "ASNB", "BUNQ"),
    "BE": ("001", "068", "363", "734", "310", "097", "143"),
    "DE": ("20050550", "37050198", "70150000", "30050110", "29050101", "76250000"),
    "FR": ("30004", "30002", "10278", "20041", "30066"),
    "ES": ("2100", "0049", "0182", "0081", "2085", "0128"),
    "GB": (("NWBK", "601613"), ("BARC", "200000"), ("LOYD", "309634"), ("HBUK", "400515")),
    "CH": ("00230", "00700", "09000", "08401"),
    "NO": ("1503", "1200", "6011", "4200", "3000"),
}
DE_CITY_BANK = {"Hamburg": "20050550", "Köln": "37050198", "München": "70150000",
                "Düsseldorf": "30050110", "Bremen": "29050101", "Nürnberg": "76250000"}

OPENING_HOURS = _words(
    "Mon–Fri 08:00–17:00|Mon–Fri 07:30–16:30|Mon–Fri 08:30–17:30, Sat 09:00–12:00|"
    "Mon–Thu 08:00–17:00, Fri 08:00–15:00|Tue–Sat 09:00–18:00|Mon–Fri 07:00–16:00"
)
CUSTOMER_REMARKS = _words(
    "Prefers delivery before 10:00.|Always call ahead: the loading dock is at the back.|"
    "Pays reliably but often late in December.|Interested in the new LED range.|"
    "No paper invoices, e-mail only.|Closed during the construction holiday.|"
    "Main contact works part-time (Mon–Wed).|Asked for a yearly price agreement.|"
    "Large project starting next quarter.|Only deliver with a signed delivery note."
)
ORDER_REMARKS = _words(
    "Deliver at the back entrance.|Always state the PO number on the invoice.|"
    "Call the warehouse 30 minutes before delivery.|Delivery on pallets only.|"
    "No deliveries on Friday afternoon.|Send the delivery note by e-mail."
)
NOTE_TEXTS = _words(
    "Prefers to be called in the morning.|Visited the showroom with two colleagues.|"
    "Asked for samples of the new product line.|Complained about a late delivery; resolved "
    "with a discount on the next order.|Moving to a new warehouse later this year.|"
    "Will send the yearly forecast after the board meeting.|Competitor offered lower prices "
    "on cable; keep an eye on it.|Happy with the service of the field engineer.|"
    "New purchasing manager since last month.|Wants invoices split per project."
)
PINNED_NOTES = _words(
    "Credit hold: check with finance before accepting large orders.|"
    "Key account: coordinate every offer with the account manager.|"
    "Delivery address differs from the visiting address, see order remarks.|"
    "Only accept orders with a purchase order number."
)
ACTION_SUBJECTS = {
    "call": _words("Follow-up on quote|Question about an invoice|Delivery date of backorder|"
                   "Price inquiry|Complaint about damaged goods|Payment reminder|"
                   "Introduce new account manager|Check satisfaction after delivery"),
    "email": _words("Sent price list|Sent product documentation|Confirmed delivery date|"
                    "Sent copy invoice|Answered question about warranty"),
    "visit": _words("Site visit new project|Annual review|Showroom visit|Visit to the warehouse"),
    "meeting": _words("Yearly price agreement|Project kick-off|Quarterly business review"),
    "appointment": _words("Product demonstration|Presentation new product line|"
                          "Meeting with purchasing"),
    "task": _words("Prepare quote|Send catalogue|Update credit limit|Check open invoices|"
                   "Arrange samples|Plan follow-up visit"),
}
ACTION_TEXTS = _words(
    "Customer was positive, expects an order within two weeks.|Left a voicemail, will try again.|"
    "Agreed to send an updated offer.|Discussed volumes for next year.|"
    "Customer asked for a discount on larger quantities.|All questions answered.|"
    "Needs approval from the director first.|Confirmed by e-mail afterwards."
)
ACTION_TYPES_WEIGHTED = (
    ("call", 40), ("email", 25), ("visit", 10), ("meeting", 5), ("appointment", 8), ("task", 12),
)

# (article code, description, article group, unit price, cost price, VAT class)
_BASE_ARTICLES = (
        ("KAB-3G25", "Installation cable 3G2.5 mm² (100 m)", "CABLE", "89.50", "61.20", "standard"),
        ("KAB-5G15", "Installation cable 5G1.5 mm² (100 m)", "CABLE", "112.00", "78.40", "standard"),
        ("KAB-UTP6", "UTP Cat6 network cable (305 m)", "CABLE", "149.00", "96.00", "standard"),
        ("BUIS-16", "Conduit 16 mm grey (4 m)", "CABLE", "1.35", "0.72", "standard"),
        ("LED-PAN60", "LED panel 60x60 36 W 4000 K", "LIGHT", "42.95", "24.10", "standard"),
        ("LED-SPOT", "LED spot GU10 5 W (10 pcs)", "LIGHT", "24.50", "11.80", "standard"),
        ("LED-HB150", "LED high bay 150 W", "LIGHT", "189.00", "112.00", "standard"),
        ("LED-STR5", "LED strip 24 V (5 m)", "LIGHT", "34.90", "16.20", "standard"),
        ("TOOL-DRILL", "Cordless drill 18 V", "TOOLS", "159.00", "98.00", "standard"),
        ("TOOL-VDE7", "Screwdriver set VDE (7 pcs)", "TOOLS", "39.95", "19.50", "standard"),
        ("TOOL-MULTI", "Digital multimeter", "TOOLS", "79.00", "41.00", "standard"),
        ("TOOL-CRIMP", "Crimping tool RJ45", "TOOLS", "29.95", "12.40", "standard"),
        ("SAF-GLOVE", "Work gloves size 10 (12 pairs)", "SAFETY", "28.80", "13.20", "standard"),
        ("SAF-HELMET", "Safety helmet white", "SAFETY", "12.95", "5.60", "standard"),
        ("SAF-VEST", "High-visibility vest", "SAFETY", "4.95", "1.90", "standard"),
        ("SAF-EXT6", "Fire extinguisher 6 kg powder", "SAFETY", "64.00", "38.50", "standard"),
        ("OFF-PAPER", "Copy paper A4 80 g (box of 5 reams)", "OFFICE", "27.50", "17.90", "standard"),
        ("OFF-TONER", "Toner cartridge black", "OFFICE", "69.00", "42.00", "standard"),
        ("OFF-FILE", "Lever arch file (10 pcs)", "OFFICE", "18.90", "8.40", "standard"),
        ("INST-WCD", "Double socket outlet, flush-mounted", "INSTALL", "8.45", "3.90", "standard"),
        ("INST-SW", "Switch single pole", "INSTALL", "5.95", "2.60", "standard"),
        ("INST-DB8", "Distribution board 3-phase 8 groups", "INSTALL", "245.00", "158.00", "standard"),
        ("INST-RCD", "Residual current device 40 A 30 mA", "INSTALL", "39.50", "21.30", "standard"),
        ("CAT-COFFEE", "Coffee beans (1 kg)", "CATERING", "18.50", "11.20", "reduced"),
        ("CAT-WATER", "Mineral water 24 × 0.5 l", "CATERING", "9.95", "5.10", "reduced"),
        ("BOOK-NEN1010", "Handbook NEN 1010 (book)", "BOOKS", "89.00", "62.00", "reduced"),
        ("SVC-HOUR", "Installation work (hour)", "SERVICE", "62.50", "38.00", "standard"),
        ("SVC-DELIV", "Delivery charge", "SERVICE", "15.00", "9.00", "standard"),
)
# Variants that make the catalogue a few hundred articles: (suffix, description, price factor).
_VARIANTS = {
    "CABLE": (("-GR", "grey", "1"), ("-WH", "white", "1.04"), ("-BK", "black", "1.06"),
              ("-50", "half length", "0.55"), ("-HF", "halogen-free", "1.35")),
    "LIGHT": (("-3K", "3000 K", "1"), ("-6K", "6500 K", "1"), ("-DIM", "dimmable", "1.25"),
              ("-IP65", "IP65", "1.4"), ("-BK", "black housing", "1.1")),
    "TOOLS": (("-PRO", "professional", "1.6"), ("-SET", "in case with accessories", "1.35"),
              ("-KIT", "starter kit", "1.2")),
    "SAFETY": (("-S", "size S", "1"), ("-M", "size M", "1"), ("-L", "size L", "1"),
               ("-XL", "size XL", "1.05"), ("-BOX", "box of 10", "9.2")),
    "OFFICE": (("-ECO", "recycled", "0.95"), ("-BL", "blue", "1"), ("-10", "pack of 10", "9.5")),
    "INSTALL": (("-WH", "white", "1"), ("-AL", "aluminium", "1.3"), ("-BK", "black", "1.15"),
                ("-AP", "surface-mounted", "1.1"), ("-IP44", "splash-proof", "1.45")),
    "CATERING": (("-6", "pack of 6", "5.6"), ("-BIO", "organic", "1.3")),
    "BOOKS": (("-EN", "English edition", "1"), ("-PDF", "with e-book", "1.2")),
}


def _catalogue() -> tuple[tuple[str, str, str, Decimal, Decimal, str], ...]:
    out = []
    for code, desc, group, price, cost, vat_class in _BASE_ARTICLES:
        out.append((code, desc, group, D(price), D(cost), vat_class))
        for suffix, variant, factor in _VARIANTS.get(group, ()):
            for size, size_factor in (("", "1"), ("-2", "1.8"), ("-4", "3.4")):
                out.append((
                    f"{code}{suffix}{size}",
                    f"{desc}, {variant}" + (f", {size[1:]} pcs" if size else ""),
                    group, (D(price) * D(factor) * D(size_factor)).quantize(D("0.01")),
                    (D(cost) * D(factor) * D(size_factor)).quantize(D("0.01")), vat_class,
                ))
    return tuple(out)


ARTICLES: tuple[tuple[str, str, str, Decimal, Decimal, str], ...] = _catalogue()
# Price lists of the demo: name → factor on the sales price.
PRICE_LISTS = (("Wholesale", D("0.92")), ("Key accounts", D("0.88")))
ARTICLE_GROUPS = ("CABLE", "LIGHT", "TOOLS", "SAFETY", "OFFICE", "INSTALL")

CUSTOMER_GROUPS = (  # name, discount %
    ("Retail", D("0")), ("Wholesale", D("5")), ("Installers", D("7.5")),
    ("Key accounts", D("10")), ("Webshop", D("0")), ("Staff", D("15")),
)
CONDITION_GROUPS = (  # code, name, description
    ("STD", "Standard", "List prices, no surcharges."),
    ("VOL", "Volume discount", "Tiered discount from 1,000 euro per order."),
    ("PRJ", "Project pricing", "Net prices agreed per project."),
    ("EXP", "Export", "Export surcharge for transport outside the Benelux."),
)
TAGS = _words("newsletter|VIP|webshop|trade fair 2025|prospect|late payer|eco|"
              "framework agreement|installer network|seasonal")
CUSTOM_FIELDS = (  # slot, label, kind, choices
    (0, "Employees", "number", ()),
    (1, "Industry", "choice", ("Construction", "Retail", "Hospitality", "Healthcare",
                               "Industry", "Logistics", "Agriculture", "Education")),
    (2, "Source", "choice", ("Webshop", "Trade fair", "Referral", "Cold call", "Website")),
    (3, "Delivery day", "choice", ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")),
    (5, "Loyalty level", "choice", ("Bronze", "Silver", "Gold")),
)
DEMO_USERS = (  # username, role, display name, share of customers managed (per mille)
    ("admin", "admin", "Anna de Vries", 100),
    ("manager", "account_manager", "Mark Jansen", 550),
    ("sales", "sales", "Sanne Bakker", 300),
)
DOCUMENT_TEMPLATES = ("standard", "standard", "standard", "compact")


# =========================================================================== amounts and counts

QTY_STEP = D("0.001")
QTY_ZERO = D("0.000")
HALF = D("0.5")
ZERO_RATE = D("0")
ZERO_MONEY = D("0.00")
QTY_HOURS = tuple((D(k) / 2).quantize(QTY_STEP) for k in range(1, 17))
QTY_BULK = tuple(D(k).quantize(QTY_STEP) for k in (10, 20, 25, 50, 100, 200))
QTY_COMPANY = tuple(D(k).quantize(QTY_STEP) for k in (1, 2, 3, 4, 5, 6, 10, 12, 20, 24))
QTY_CONSUMER = tuple(D(k).quantize(QTY_STEP) for k in (1, 1, 1, 2, 3))
LINE_DISCOUNTS = tuple(D(k) for k in ("0", "5", "10", "15"))
CONDITION_DISCOUNTS = tuple(D(k) for k in ("5", "7.5", "10", "12.5", "15", "20"))
NET_PRICE_FACTORS = tuple(D(k) for k in ("0.85", "0.9", "0.92", "0.95"))
PART_PAYMENTS = tuple(D(k) for k in ("0.2", "0.25", "0.4", "0.5", "0.6"))
CREDIT_LIMITS = tuple(D(k) for k in (2500, 5000, 5000, 10000, 10000, 15000, 25000, 50000))
CONSUMER_CREDIT_LIMITS = tuple(D(k) for k in (0, 0, 0, 500, 1000))
CUSTOMER_DISCOUNTS = tuple(D(k) for k in ("0", "0", "0", "0", "2.5", "5", "7.5", "10"))
EMPLOYEES = tuple(D(k).quantize(D("0.0001")) for k in (2, 5, 8, 12, 20, 35, 60, 120, 250, 500))
COMPANY_GROUP_CHOICES = ("Wholesale", "Wholesale", "Installers", "Installers", "Installers",
                         "Retail", "Retail", None, None, "Key accounts")
# How much history a customer has.  Key accounts ("busy") buy often; most customers
# have a few documents, many consumers none: about nine rows per customer in all.
LINES_COMPANY = (1, 1, 1, 2, 2, 3, 4)
LINES_CONSUMER = (1, 1, 1, 2)
CONTACTS_COMPANY = (1, 1, 1, 2, 2, 3)
ACTIONS_COMPANY = (0, 0, 1, 1, 2, 3)
ACTIONS_CONSUMER = (0, 0, 0, 1)
ACTIONS_BUSY = (2, 3, 4, 5, 6)
NOTES = (0, 0, 0, 0, 1, 1)
NOTES_BUSY = (1, 1, 2)
TAG_COUNTS = (0, 0, 0, 1, 1, 2)
QUOTES_COMPANY = (0, 0, 0, 0, 1, 1, 2)
QUOTES_BUSY = (1, 2, 3, 4)
ORDERS_COMPANY = (0, 0, 1, 1, 1, 2, 3)
ORDERS_CONSUMER = (0, 0, 0, 1, 1, 2)
ORDERS_BUSY = (3, 4, 5, 6, 8)
CONSUMER_GROUP_CHOICES = ("Retail", "Retail", "Webshop", "Webshop", None, None)
POST_BOX = {"NL": "Postbus", "DE": "Postfach", "FR": "BP"}
GROUP_DISCOUNT = dict(CUSTOMER_GROUPS)
