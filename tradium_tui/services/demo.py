"""Demo data: a realistic, deterministic customer base for trying the app and for benchmarks.

:func:`seed_demo` fills the connected database with customers in the Netherlands,
Belgium, Germany, France and Spain plus a few outside the EU (United Kingdom,
Switzerland, Norway, United States): consumers and companies, valid IBANs (national
check digits included), mostly valid and some invalid VAT numbers, EU companies abroad
without one, phone numbers in international format, contacts, actions, quotes,
orders, invoices, conditions, notes, groups, tags, marks and custom fields, and the users
``admin``, ``manager`` and ``sales``.  The same seed and day give the same data.

Speed: rows are generated in memory in batches and written with one multi-row statement
per table and batch (``executemany`` on SQLite, ``COPY`` on PostgreSQL), all in a single
transaction.  Big seeds generate in a child Python while this one writes.  What the schema
keeps by per-row triggers (the SQLite search index, the revenue per customer) is built
with one set-based statement per table at the end
(:class:`~tradium_tui.services.bulk.DerivedData`).  Each customer
gets one ``create`` row in the audit trail (user ``demo``), so the History tab is not empty.

:func:`~tradium_tui.services.demo_database.ensure_demo_database` is what
``tradium-tui --demo`` runs; it imports this module only when it has to seed.
"""

from __future__ import annotations

import bisect
import datetime as dt
import os
import time
import unicodedata
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, Decimal
from functools import lru_cache
from operator import itemgetter
from random import Random
from typing import Any

import peewee
from stdnum import luhn
from stdnum.ch import uid as ch_uid
from stdnum.es import cif as es_cif
from stdnum.iso7064 import mod_11_10

from tradium_tui import db as dbmod
from tradium_tui.models import (
    Action,
    AuditRecord,
    Condition,
    ConditionGroup,
    Contact,
    Counter,
    Customer,
    CustomerGroup,
    CustomerTag,
    CustomFieldDef,
    Invoice,
    Mark,
    Note,
    Order,
    OrderLine,
    Quote,
    QuoteLine,
    RecentCustomer,
    Tag,
    User,
    utcnow,
)
from tradium_tui.services import invoices as invoices_service
from tradium_tui.services import numbering
from tradium_tui.services.access import Actor
from tradium_tui.services.bulk import DerivedData, bulk_insert, column_names
from tradium_tui.services.countries import is_eu
from tradium_tui.services.demo_database import DEFAULT_CUSTOMERS, DEFAULT_SEED, DEMO_AUDIT_USER
from tradium_tui.services.errors import PermissionDenied
from tradium_tui.services.invoices import NUMBER_PREFIX as INVOICE_PREFIX
from tradium_tui.services.money import ZERO, line_net, vat_of
from tradium_tui.services.orders import NUMBER_PREFIX as ORDER_PREFIX
from tradium_tui.services.quotes import NUMBER_PREFIX as QUOTE_PREFIX
from tradium_tui.services.validation import check_iban, check_vat

Progress = Callable[[int, int], None]

BATCH = 5000
ID_BLOCK = 20_000

D = Decimal


@dataclass
class SeedReport:
    """What :func:`seed_demo` wrote, and how long it took."""

    customers: int = 0
    contacts: int = 0
    actions: int = 0
    notes: int = 0
    quotes: int = 0
    quote_lines: int = 0
    orders: int = 0
    order_lines: int = 0
    invoices: int = 0
    conditions: int = 0
    tag_links: int = 0
    marks: int = 0
    audit_rows: int = 0
    first_number: int | None = None
    last_number: int | None = None
    seconds: float = 0.0
    by_country: dict[str, int] = field(default_factory=dict)

    @property
    def rows(self) -> int:
        return (
            self.customers + self.contacts + self.actions + self.notes + self.quotes
            + self.quote_lines + self.orders + self.order_lines + self.invoices
            + self.conditions + self.tag_links + self.marks + self.audit_rows
        )

    def summary(self) -> str:
        numbers = (
            f" (numbers {self.first_number}–{self.last_number})" if self.first_number else ""
        )
        return (
            f"Seeded {self.customers:,} customers{numbers}, {self.contacts:,} contacts, "
            f"{self.actions:,} actions, {self.quotes:,} quotes, {self.orders:,} orders, "
            f"{self.invoices:,} invoices, {self.conditions:,} conditions, {self.notes:,} notes "
            f"({self.rows:,} rows) in {self.seconds:.2f} s."
        )


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


# =========================================================================== randomness


class DemoRandom:
    """The few random draws the demo needs, each one call of ``Random.random``.

    ``random.Random.choice``/``randint`` cost several Python calls per draw; at 100,000
    customers with a few hundred draws each that dominates the seed time.  Same seed,
    same sequence.
    """

    __slots__ = ("random",)

    def __init__(self, seed: int):
        self.random = Random(seed).random

    def choice(self, seq: Sequence[Any]) -> Any:
        return seq[int(self.random() * len(seq))]

    def randrange(self, start: int, stop: int | None = None) -> int:
        if stop is None:
            return int(self.random() * start)
        return start + int(self.random() * (stop - start))

    def randint(self, low: int, high: int) -> int:
        return low + int(self.random() * (high - low + 1))


# =========================================================================== numbers


_LETTER_VALUES = str.maketrans({chr(c): str(c - 55) for c in range(ord("A"), ord("Z") + 1)})


def iban_check_digits(country: str, bban: str) -> str:
    """ISO 13616 check digits of an IBAN (mod 97-10 over BBAN + country + 00)."""
    return f"{98 - int((bban + country + '00').translate(_LETTER_VALUES)) % 97:02d}"


def make_iban(country: str, bban: str) -> str:
    return f"{country}{iban_check_digits(country, bban)}{bban}"


def _digits(rng: DemoRandom, n: int, first: str = "0123456789") -> str:
    """``n`` random digits, the first one taken from ``first``."""
    head = first[int(rng.random() * len(first))]
    if n == 1:
        return head
    return head + f"{int(rng.random() * 10 ** (n - 1)):0{n - 1}d}"


def _fr_rib_key(bank: str, branch: str, account: str) -> str:
    return f"{97 - (89 * int(bank) + 15 * int(branch) + 3 * int(account)) % 97:02d}"


def _es_control(bank: str, branch: str, account: str) -> str:
    weights = (1, 2, 4, 8, 5, 10, 9, 7, 3, 6)

    def digit(value: str) -> int:
        n = 11 - sum(w * int(c) for w, c in zip(weights, value, strict=True)) % 11
        return 0 if n == 11 else 1 if n == 10 else n

    return f"{digit('00' + bank + branch)}{digit(account)}"


def _de_method_00(body: str) -> str:
    """Check digit of German bank method 00 (the Sparkassen): Luhn-like, weights 2,1 from the right."""
    total = 0
    for i, c in enumerate(reversed(body)):
        product = int(c) * (2 if i % 2 == 0 else 1)
        total += product // 10 + product % 10
    return str((10 - total % 10) % 10)


def _no_account(bank: str, rng: DemoRandom) -> str:
    weights = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)
    while True:
        account = _digits(rng, 6, "123456789")  # "00…" accounts follow another rule
        s = sum(w * int(c) for w, c in zip(weights, bank + account, strict=True)) % 11
        check = (11 - s) % 11
        if check != 10:
            return account + str(check)


def random_bban(country: str, rng: DemoRandom, city: str = "") -> str | None:
    """A BBAN whose national check digits are right, at one of the country's real banks."""
    banks = BANKS.get(country)
    if not banks:
        return None
    bank = rng.choice(banks)
    if country == "NL":
        return bank + _digits(rng, 10, "123456789")
    if country == "BE":
        body = bank + _digits(rng, 7)
        check = int(body) % 97 or 97
        return f"{body}{check:02d}"
    if country == "DE":
        bank = DE_CITY_BANK.get(city, bank)
        body = _digits(rng, 9, "123456789")
        return bank + body + _de_method_00(body)
    if country == "FR":
        branch, account = _digits(rng, 5), _digits(rng, 11)
        return bank + branch + account + _fr_rib_key(bank, branch, account)
    if country == "ES":
        branch, account = _digits(rng, 4), _digits(rng, 10)
        return bank + branch + _es_control(bank, branch, account) + account
    if country == "GB":
        code, sort_code = bank
        return code + sort_code + _digits(rng, 8)
    if country == "CH":
        return bank + _digits(rng, 12)
    if country == "NO":
        return bank + _no_account(bank, rng)
    return None


def _nl_vat(rng: DemoRandom) -> str:
    while True:
        body = _digits(rng, 8, "123456789")
        check = sum((9 - i) * int(c) for i, c in enumerate(body)) % 11
        if check < 10:
            return f"NL{body}{check}B{rng.choice(('01', '01', '01', '02'))}"


def _be_vat(rng: DemoRandom) -> str:
    body = "0" + _digits(rng, 7, "23456789")
    return f"BE{body}{97 - int(body) % 97:02d}"


def _de_vat(rng: DemoRandom) -> str:
    body = _digits(rng, 8, "123456789")
    return f"DE{body}{mod_11_10.calc_check_digit(body)}"


def _fr_vat(rng: DemoRandom) -> str:
    body = _digits(rng, 8, "3456789")
    siren = body + luhn.calc_check_digit(body)
    return f"FR{(12 + 3 * (int(siren) % 97)) % 97:02d}{siren}"


def _es_vat(rng: DemoRandom) -> str:
    body = rng.choice("AB") + _digits(rng, 7)
    return f"ES{body}{es_cif.calc_check_digits(body)[0]}"


def _gb_vat(rng: DemoRandom) -> str:
    body = _digits(rng, 7, "123456789")
    total = sum(w * int(c) for w, c in zip((8, 7, 6, 5, 4, 3, 2), body, strict=True))
    return f"GB{body}{(-total) % 97:02d}"


def _ch_vat(rng: DemoRandom) -> str:
    while True:
        body = _digits(rng, 8, "123456789")
        check = ch_uid.calc_check_digit(body)
        if len(check) == 1:
            return f"CHE{body}{check}MWST"


def _no_vat(rng: DemoRandom) -> str:
    while True:
        body = _digits(rng, 8, "89")
        s = sum(w * int(c) for w, c in zip((3, 2, 7, 6, 5, 4, 3, 2), body, strict=True)) % 11
        check = (11 - s) % 11
        if check != 10:
            return f"NO{body}{check}MVA"


VAT_MAKERS: dict[str, Callable[[Random], str]] = {
    "NL": _nl_vat, "BE": _be_vat, "DE": _de_vat, "FR": _fr_vat, "ES": _es_vat, "GB": _gb_vat,
    "CH": _ch_vat, "NO": _no_vat,
}


def spoil(number: str, rng: DemoRandom) -> str:
    """The number with one check digit changed: the typing error that makes it invalid."""
    positions = [i for i, c in enumerate(number) if c.isdigit()]
    # The check digits are at the end of the digits (NL: just before the B).
    pos = positions[-1] if not number.startswith("NL") else number.index("B") - 1
    old = int(number[pos])
    new = (old + rng.randrange(1, 10)) % 10
    return number[:pos] + str(new) + number[pos + 1:]


def coc_for(country: str, vat: str, rng: DemoRandom) -> str:
    """The company-register number, consistent with the VAT number where the two share digits."""
    if country == "NL":
        return _digits(rng, 8, "123456789")
    if country == "BE" and vat:
        digits = vat[2:]
        return f"{digits[:4]}.{digits[4:7]}.{digits[7:]}"
    if country == "FR" and vat:
        siren = vat[4:]
        return f"{siren[:3]} {siren[3:6]} {siren[6:]}"
    if country == "ES" and vat:
        return vat[2:]
    if country == "CH" and vat:
        d = vat[3:12]
        return f"CHE-{d[:3]}.{d[3:6]}.{d[6:]}"
    if country == "NO" and vat:
        d = vat[2:11]
        return f"{d[:3]} {d[3:6]} {d[6:]}"
    if country == "DE":
        return f"HRB {rng.randrange(1000, 250000)}"
    if country == "GB":
        return f"{rng.randrange(10**6, 10**8):08d}"
    return ""


def ean13(number: int) -> str:
    """A loyalty-card barcode for a customer number (EAN-13, in-store prefix 29)."""
    body = f"29{number:010d}"[-12:]
    total = sum(int(c) * (3 if i % 2 else 1) for i, c in enumerate(body))
    return body + str((10 - total % 10) % 10)


# --------------------------------------------------------------------------- phones


def phone_number(country: str, area: str, rng: DemoRandom, mobile: bool = False) -> str:
    """A number in use in ``country``, written as phonenumbers' international format."""
    d = _digits
    if country == "NL":
        if mobile:
            return f"+31 6 {d(rng, 8, '12345')}"
        s = d(rng, 7, "23456789")
        return f"+31 {area} {s[:3]} {s[3:]}"
    if country == "BE":
        if mobile:
            s = rng.choice(("70", "71", "72", "73", "75", "76", "77", "78", "79", "84", "85",
                            "86", "87", "88", "89", "94", "95", "96", "97", "98", "99")) + d(rng, 6)
            return f"+32 4{s[:2]} {s[2:4]} {s[4:6]} {s[6:]}"
        if len(area) == 1:
            s = d(rng, 7, "23" if area in ("4", "9") else "2345678")
            return f"+32 {area} {s[:3]} {s[3:5]} {s[5:]}"
        s = d(rng, 6, "2345678")
        return f"+32 {area} {s[:2]} {s[2:4]} {s[4:]}"
    if country == "DE":
        if mobile:
            prefix = rng.choice(("160", "170", "171", "175", "172", "176", "178", "179"))
            length = 7 if prefix in ("160", "170", "171", "175") else 8
            return f"+49 {prefix} {d(rng, length, '123456789')}"
        return f"+49 {area} {d(rng, 8 if len(area) == 2 else 7, '23456789')}"
    if country == "FR":
        if mobile:
            s = rng.choice(("60", "61", "62", "64", "65", "66", "67", "68", "73", "75", "76",
                            "77", "78")) + d(rng, 7)
        else:
            s = area + d(rng, 9 - len(area), "123456789")
        return f"+33 {s[0]} {s[1:3]} {s[3:5]} {s[5:7]} {s[7:]}"
    if country == "ES":
        s = ("6" + d(rng, 8)) if mobile else area + d(rng, 9 - len(area))
        return f"+34 {s[:3]} {s[3:5]} {s[5:7]} {s[7:]}"
    if country == "GB":
        if mobile:
            s = "74" + rng.choice("01234679") + d(rng, 7)
            return f"+44 {s[:4]} {s[4:]}"
        if area == "20":
            s = d(rng, 8, "378")
            return f"+44 20 {s[:4]} {s[4:]}"
        s = d(rng, 7, "2345678")
        return f"+44 {area} {s[:3]} {s[3:]}"
    if country == "CH":
        s = (rng.choice(("76", "77", "78", "79")) + d(rng, 7)) if mobile else area + d(rng, 7, "2345678")
        return f"+41 {s[:2]} {s[2:5]} {s[5:7]} {s[7:]}"
    if country == "NO":
        s = ("9" + d(rng, 7)) if mobile else area + d(rng, 6)
        return f"+47 {s[:2]} {s[2:4]} {s[4:6]} {s[6:]}"
    if country == "US":
        return f"+1 {area}-{d(rng, 3, '23456789')}-{d(rng, 4)}"
    raise ValueError(f"no phone plan for {country}")


# --------------------------------------------------------------------------- text helpers

_ASCII_FOLD = str.maketrans({"ß": "ss", "ø": "o", "Ø": "O", "æ": "ae", "Æ": "AE", "å": "a",
                             "ł": "l", "&": " "})


@lru_cache(maxsize=200_000)
def slug(text: str, sep: str = "") -> str:
    """ASCII letters and digits for e-mail addresses and domains ("Müller & Zn." → "mullerzn")."""
    folded = unicodedata.normalize("NFKD", text.translate(_ASCII_FOLD))
    kept = "".join(c for c in folded if c.isascii() and (c.isalnum() or c in " -'.")).lower()
    parts = [p for p in kept.replace("'", "").replace(".", " ").replace("-", " ").split() if p]
    return sep.join(parts)


def _postcode(country: str, city: tuple, rng: DemoRandom) -> str:
    name, low, high = city[0], city[1], city[2]
    if country == "NL":
        while True:
            letters = rng.choice("ABCDEGHJKLMNPRSTVWXZ") + rng.choice("ABCDEGHJKLMNPRSTVWXZ")
            if letters not in ("SA", "SD", "SS"):
                return f"{rng.randint(low, high):04d} {letters}"
    if country == "GB":
        outward = rng.choice(GB_OUTWARD[name])
        return f"{outward} {rng.randrange(10)}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}"
    if country in ("BE", "CH", "NO"):
        return f"{rng.randint(low, high):04d}"
    return f"{rng.randint(low, high):05d}"


def _house_number(culture: str, rng: DemoRandom) -> str:
    n = rng.randint(1, 180) if culture != "en_US" else rng.randint(100, 9800)
    x = rng.random()
    if culture == "nl_NL" and x < 0.15:
        return f"{n}{rng.choice(('A', 'B', '-1', '-2', ' bis'))}"
    if culture == "nl_BE" and x < 0.1:
        return f"{n} bus {rng.randint(1, 12)}"
    if culture in ("de_DE", "de_CH") and x < 0.1:
        return f"{n}{rng.choice('abc')}"
    if culture in ("fr_FR", "fr_BE", "fr_CH") and x < 0.08:
        return f"{n} bis"
    return str(n)


def address_text(name: str, street: str, house: str, postcode: str, city: str, country: str,
                 home: str) -> str:
    """A postal address block for documents (the country line only for abroad)."""
    if country in ("GB", "US"):
        lines = [name, f"{house} {street}", f"{city} {postcode}"]
    elif country in ("FR",):
        lines = [name, f"{house} {street}".replace(" bis ", " bis, "), f"{postcode} {city}"]
    else:
        lines = [name, f"{street} {house}", f"{postcode} {city}"]
    if country != home:
        lines.append(COUNTRY_NAMES.get(country, country).upper())
    return "\n".join(lines)


# =========================================================================== writing


class _Ids:
    """Primary keys for new rows, so children can point at their parents before insert.

    SQLite: counted on from ``max(id)`` (the seed holds the write lock, so nobody else
    inserts meanwhile).  PostgreSQL: taken from the table's sequence in blocks; sequence
    values are unique whatever transaction or connection asks for them.
    """

    def __init__(self, database: peewee.Database | None, starts: dict[str, int] | None = None):
        """``database`` for PostgreSQL sequences, else ``starts``: table → first free id."""
        self.db = database
        self.pg = database is not None and dbmod.is_postgres(database)
        self.next: dict[str, int] = dict(starts or {})
        self.pools: dict[str, deque[int]] = {}

    @staticmethod
    def starts(database: peewee.Database, models: Iterable[type[peewee.Model]]) -> dict[str, int]:
        """SQLite: the first free id per table (call it holding the write lock)."""
        out = {}
        for model in models:
            table = model._meta.table_name
            top = database.execute_sql(f'SELECT max(id) FROM "{table}"').fetchone()[0]
            out[table] = (top or 0) + 1
        return out

    def block(self, model: type[peewee.Model], count: int) -> list[int]:
        """``count`` new keys at once (consecutive on SQLite)."""
        table = model._meta.table_name
        if count <= 0:
            return []
        if self.pg:
            assert self.db is not None
            cursor = self.db.execute_sql(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                (f'"{table}"', count),
            )
            return [row[0] for row in cursor.fetchall()]
        start = self.next[table]
        self.next[table] = start + count
        return list(range(start, start + count))

    def take(self, model: type[peewee.Model], count: int) -> list[int]:
        """``count`` keys from the current block (a new block is fetched when it runs out)."""
        pool = self.pools.get(model._meta.table_name)
        if pool is None:
            pool = self.pools[model._meta.table_name] = deque()
        if len(pool) < count:
            pool.extend(self.block(model, max(count, ID_BLOCK)))
        return [pool.popleft() for _ in range(count)]


# =========================================================================== generation

_CUSTOMER_FIELDS = tuple(f.name for f in Customer._meta.sorted_fields)
_CONTACT_FIELDS = ("id", "customer", "kind", "name", "function", "email", "phone", "mobile",
                   "street", "house_number", "postcode", "city", "country", "is_primary",
                   "remarks", "version", "created_at", "updated_at")
_ACTION_FIELDS = ("customer", "contact", "type", "subject", "text", "happened_at",
                  "follow_up_on", "status", "user", "completed_at", "version", "created_at",
                  "updated_at")
_NOTE_FIELDS = ("customer", "text", "user", "pinned", "version", "created_at", "updated_at")
_QUOTE_FIELDS = ("id", "customer", "number", "quote_date", "valid_until", "status", "reference",
                 "remarks", "user", "total_excl", "total_vat", "total_incl", "version",
                 "created_at", "updated_at")
_QUOTE_LINE_FIELDS = ("quote", "position", "article", "description", "quantity", "unit_price",
                      "discount_percent", "vat_rate")
_ORDER_FIELDS = ("id", "customer", "number", "order_date", "status", "source", "external_ref",
                 "quote", "reference", "remarks", "delivery_address", "invoice_address", "user",
                 "total_excl", "total_vat", "total_incl", "version", "created_at", "updated_at")
_ORDER_LINE_FIELDS = ("order", "position", "article", "description", "quantity",
                      "delivered_quantity", "backorder_quantity", "unit_price", "cost_price",
                      "discount_percent", "vat_rate")
_INVOICE_FIELDS = ("customer", "number", "order", "invoice_date", "due_date", "amount_excl",
                   "vat_amount", "amount_incl", "paid_amount", "paid_on", "status",
                   "customer_number", "customer_name", "customer_address",
                   "customer_vat_number", "version", "created_at", "updated_at")
_CONDITION_FIELDS = ("customer", "kind", "article", "article_group", "description", "price",
                     "discount_percent", "payment_term_days", "valid_from", "valid_until",
                     "version", "created_at", "updated_at")
_AUDIT_FIELDS = ("at", "username", "customer_id", "table", "record_id", "action", "version",
                 "field", "old_value", "new_value")


def _customer_template() -> dict[str, Any]:
    template: dict[str, Any] = {}
    for fld in Customer._meta.sorted_fields:
        default = fld.default
        template[fld.name] = None if callable(default) else default
    return template


class _Weighted:
    """Fast weighted choice with a fixed table."""

    def __init__(self, pairs: Iterable[tuple[Any, int]]):
        self.items: list[Any] = []
        self.cumulative: list[int] = []
        total = 0
        for item, weight in pairs:
            total += weight
            self.items.append(item)
            self.cumulative.append(total)
        self.total = total

    def pick(self, rng: DemoRandom) -> Any:
        return self.items[bisect.bisect_right(self.cumulative, rng.random() * self.total)]


@dataclass
class _Batch:
    customers: list[tuple] = field(default_factory=list)
    contacts: list[tuple] = field(default_factory=list)
    actions: list[tuple] = field(default_factory=list)
    notes: list[tuple] = field(default_factory=list)
    quotes: list[tuple] = field(default_factory=list)
    quote_lines: list[tuple] = field(default_factory=list)
    orders: list[tuple] = field(default_factory=list)
    order_lines: list[tuple] = field(default_factory=list)
    invoices: list[tuple] = field(default_factory=list)
    conditions: list[tuple] = field(default_factory=list)
    tag_links: list[tuple] = field(default_factory=list)
    marks: list[tuple] = field(default_factory=list)
    audit: list[tuple] = field(default_factory=list)


DOCUMENT_KINDS = ("quote", "order", "invoice")


class _DocumentNumbers:
    """Quote, order and invoice numbers continuing the shared counters without gaps.

    The seed reads each counter and holds it (:func:`_hold_counter`: PostgreSQL ``FOR
    UPDATE``, SQLite the write lock), so a user creating a document meanwhile waits and
    then continues after the demo's last number; afterwards the counters are moved past
    what was used (:func:`_release_counters`).
    """

    def __init__(self, first: dict[str, int]):
        self.next = dict(first)

    def take(self, kind: str, prefix: str, year: int) -> str:
        value = self.next[kind]
        self.next[kind] = value + 1
        return f"{prefix}{year}-{value:06d}"


def _release_counters(first: dict[str, int], next_free: dict[str, int]) -> None:
    for kind, value in next_free.items():
        if value > first[kind]:
            numbering.raise_to(kind, value - 1)


def _hold_counter(name: str) -> int:
    """The counter's current value, locked against other writers until the commit."""
    query = Counter.select(Counter.value).where(Counter.name == name)
    if dbmod.is_postgres():
        query = query.for_update()
    row = query.tuples().first()
    if row is None:
        try:
            with dbmod.database.atomic():
                Counter.insert(name=name, value=numbering.DEFAULT_START.get(name, 0)).execute()
        except peewee.IntegrityError:
            pass  # created by a concurrent caller
        row = query.clone().tuples().first()
    return int(row[0])


class _Generator:
    """Builds the rows of one customer after another from one random stream.

    Dates are handled as ordinals and written as ISO text, moments as
    ``YYYY-MM-DD HH:MM:SS`` text (UTC): exactly what the drivers would make of
    ``date``/``datetime`` objects, without a conversion call per value.
    """

    def __init__(self, rng: DemoRandom, today: dt.date, now: dt.datetime, home: str,
                 users: dict[str, int], groups: dict[str, int], condition_groups: dict[str, int],
                 tags: list[int], custom: dict[int, tuple], ids: _Ids,
                 numbers: _DocumentNumbers):
        self.rng = rng
        self.today = today.toordinal()
        self.now = now
        self.now_text = _moment_text(now)
        self.now_second = now.toordinal() * DAY + now.hour * 3600 + now.minute * 60 + now.second
        self.clock = _CLOCK_TEXTS
        self.home = home
        self.user_ids = list(users.values())
        self.groups = groups
        self.condition_groups = condition_groups
        self.tags = tags
        self.custom = custom
        self.ids = ids
        self.numbers = numbers
        from tradium_tui.services.vat import home_rates

        rates = home_rates()
        self.class_rates = {c: rates.of(c) for c in ("standard", "reduced", "zero")}
        self.template = _customer_template()
        self.customer_tuple = itemgetter(*_CUSTOMER_FIELDS)
        self.countries = _Weighted(COUNTRY_WEIGHTS.items())
        self.managers = _Weighted(
            [(users[name], share) for name, _role, _display, share in DEMO_USERS]
            + [(None, 1000 - sum(share for *_rest, share in DEMO_USERS))]
        )
        self.action_types = _Weighted(ACTION_TYPES_WEIGHTED)
        self.bank_cache: dict[tuple[str, str], tuple[str, str]] = {}
        self.no_vat_cache: dict[str, tuple[str, str, str]] = {}
        self.net_cache: dict[tuple[Decimal, Decimal, Decimal], Decimal] = {}
        self.doc_start = self.today - 3 * 365
        self.day_text: dict[int, str] = {}
        self.dec_text: dict[Decimal, str] = {}
        self.day_year: dict[int, int] = {}

    # ------------------------------------------------------------------ helpers

    def _bank(self, iban: str) -> tuple[str, str]:
        """BIC and bank name of an IBAN's bank (looked up once per bank)."""
        key = (iban[:2], _bank_code(iban))
        found = self.bank_cache.get(key)
        if found is None:
            checked = check_iban(iban)
            found = (checked.bic, checked.bank_name.strip())
            self.bank_cache[key] = found
        return found

    def _day(self, start: int, end: int) -> int:
        """A day (ordinal) from ``start`` to ``end`` inclusive."""
        return start + int(self.rng.random() * (max(end - start, 0) + 1))

    def _text(self, day: int) -> str:
        text = self.day_text.get(day)
        if text is None:
            date = dt.date.fromordinal(day)
            text = self.day_text[day] = date.isoformat()
            self.day_year[day] = date.year
        return text

    def _moment(self, day: int) -> tuple[str, int]:
        """A moment in office hours (06:30–16:00 UTC) on ``day``: its text and its second."""
        second = 23_400 + int(self.rng.random() * 34_200)
        return f"{self._text(day)} {self.clock[second]}", second

    def _vat_for(self, country: str) -> tuple[str, str, str]:
        """VAT number, status and message of a company: mostly valid, some wrong, some missing."""
        rng = self.rng
        maker = VAT_MAKERS.get(country)
        number = ""
        if maker is not None:
            x = rng.random()
            missing = 0.12 if (is_eu(country) and country != self.home) else 0.03
            if x >= missing + 0.05:
                number = maker(rng)
            elif x >= missing:
                number = spoil(maker(rng), rng)
        if not number:
            cached = self.no_vat_cache.get(country)
            if cached is None:
                checked = check_vat("", country, "company", self.home)
                cached = self.no_vat_cache[country] = (
                    checked.normalized, checked.status, checked.message[:200])
            return cached
        checked = check_vat(number, country, "company", self.home)
        return checked.normalized, checked.status, checked.message[:200]

    def _dec(self, value: Decimal) -> str:
        """The text of one of the few line amounts (quantities, prices, rates), memoised."""
        text = self.dec_text.get(value)
        if text is None:
            text = self.dec_text[value] = str(value)
        return text

    def _lines(self, charge_vat: bool, discount: Decimal, company: bool) -> list[tuple]:
        """Document lines: (article, quantity, unit price, discount %, VAT %, cost, net)."""
        rng = self.rng
        lines = []
        seen = set()
        count = rng.choice(LINES_COMPANY if company else LINES_CONSUMER)
        for _ in range(count):
            art = rng.choice(ARTICLES)
            code = art[0]
            if code in seen:
                continue
            seen.add(code)
            if code == "SVC-HOUR":
                qty = rng.choice(QTY_HOURS)
            elif art[3] < 5:
                qty = rng.choice(QTY_BULK)
            elif company:
                qty = rng.choice(QTY_COMPANY)
            else:
                qty = rng.choice(QTY_CONSUMER)
            disc = discount if rng.random() < 0.8 else rng.choice(LINE_DISCOUNTS)
            price = art[3]
            key = (qty, price, disc)
            net = self.net_cache.get(key)
            if net is None:
                net = self.net_cache[key] = line_net(qty, price, disc)
            lines.append((art, qty, price, disc,
                          self.class_rates[art[5]] if charge_vat else ZERO_RATE, art[4], net))
        return lines

    # ------------------------------------------------------------------ one customer

    def customer(self, batch: _Batch, cid: int, number: int, created: int,
                 report: SeedReport) -> None:
        """Rows of one customer created at ``created`` (seconds since 0001-01-01, UTC)."""
        rng = self.rng
        rand = rng.random
        choice = rng.choice
        country = self.countries.pick(rng)
        report.by_country[country] = report.by_country.get(country, 0) + 1
        city = choice(CITIES[country])
        city_name, _low, _high, area, region, culture = city
        language = LANGUAGE[culture]
        males, females, lasts = NAMES[culture]
        company = rand() * 1000 < COMPANY_SHARE[country]
        is_home = country == self.home
        eu = is_eu(country)
        tld = TLD[country]
        created_day = created // DAY
        created_text = f"{self._text(created_day)} {self.clock[created % DAY]}"
        if rand() < 0.4:
            updated = created + int(rand() * max(self.now_second - created, 0))
            updated_text = f"{self._text(updated // DAY)} {self.clock[updated % DAY]}"
        else:
            updated_text = created_text

        row = dict(self.template)
        row.update(
            id=cid, number=number, created_at=created_text, updated_at=updated_text, version=1,
            visit_country=country, visit_city=city_name, visit_postcode=_postcode(country, city, rng),
            visit_street=choice(STREETS[culture]), visit_house_number=_house_number(culture, rng),
            region=region, language=language,
        )
        domain = ""
        if company:
            forms, sectors, _lang = COMPANY[culture]
            pattern = rand()
            last = choice(lasts)
            if pattern < 0.35:
                base = f"{last} {choice(sectors)}"
            elif pattern < 0.6:
                base = f"{choice(BRANDS[country])} {choice(sectors)}"
            elif pattern < 0.75:
                base = f"{choice(sectors)} {city_name.split(',')[0]}"
            elif pattern < 0.9:
                other = choice(lasts)
                if other != last:
                    base = f"{last} & {other}"
                else:
                    base = f"{last} & Zonen" if language == "nl" else f"{last} & Co"
            else:
                base = f"{choice(BRANDS[country])}{choice(('tec', 'line', 'pro', 'mark', 'trade'))}"
            domain = f"{slug(base)}.{tld}"
            vat, status, message = self._vat_for(country)
            row.update(
                kind="company",
                name=f"{base} {choice(forms)}".strip()[:200],
                website=f"https://www.{domain}" if rand() < 0.85 else "",
                email=f"{choice(COMPANY_MAILBOXES[language])}@{domain}",
                phone=phone_number(country, area, rng),
                mobile=phone_number(country, area, rng, mobile=True) if rand() < 0.3 else "",
                fax=phone_number(country, area, rng) if rand() < 0.08 else "",
                opening_hours=choice(OPENING_HOURS) if rand() < 0.7 else "",
                vat_number=vat, vat_status=status, vat_message=message,
                vat_checked_at=updated_text if vat else None,
                credit_limit=choice(CREDIT_LIMITS),
                ledger_account=str(number) if rand() < 0.35 else "",
                auto_split_orders=rand() < 0.15,
                discount_percent=choice(CUSTOMER_DISCOUNTS),
            )
            if country in ("NL", "DE", "GB") or status == "valid":
                row["coc_number"] = coc_for(country, vat if status == "valid" else "", rng)
            group = choice(COMPANY_GROUP_CHOICES)
            busy = group == "Key accounts"
            if rand() < 0.12 and country in POST_BOX:
                row.update(
                    postal_street=POST_BOX[country], postal_house_number=str(rng.randint(10, 9999)),
                    postal_postcode=_postcode(country, city, rng), postal_city=city_name,
                    postal_country=country,
                )
            if 1 in self.custom and rand() < 0.8:
                row["custom_1"] = choice(self.custom[1])
            if 0 in self.custom and rand() < 0.6:
                row["custom_num"] = choice(EMPLOYEES)
            if 3 in self.custom and rand() < 0.4:
                row["custom_3"] = choice(self.custom[3])
            if rand() < 0.15:
                row["order_remarks"] = choice(ORDER_REMARKS)
            if rand() < 0.3:
                row["condition_group"] = self.condition_groups[
                    choice(("STD", "VOL", "PRJ")) if eu else "EXP"]
            contact_count = choice(CONTACTS_COMPANY)
        else:
            male = rand() < 0.5
            first = choice(males if male else females)
            last = choice(lasts)
            if culture == "es_ES":
                second = choice(lasts)
                if second != last:
                    last = f"{last} {second}"
            title = TITLES[language][0 if male else 1] if rand() >= 0.03 else DOCTOR[language]
            x = rand()
            if x < 0.4:
                local = slug(f"{first} {last}", ".")
            elif x < 0.7:
                local = slug(f"{first[0]} {last}")
            else:
                local = f"{slug(first + last)}{rng.randint(1, 99)}"
            row.update(
                kind="consumer", title=title, first_name=first, last_name=last,
                name=f"{first} {last}",
                email=f"{local}@{choice(CONSUMER_DOMAINS[country])}" if rand() < 0.9 else "",
                phone=phone_number(country, area, rng) if rand() < 0.45 else "",
                mobile=phone_number(country, area, rng, mobile=True) if rand() < 0.85 else "",
                vat_status="not_required", credit_limit=choice(CONSUMER_CREDIT_LIMITS),
            )
            group = choice(CONSUMER_GROUP_CHOICES) if rand() >= 0.01 else "Staff"
            busy = False
            if rand() < 0.4:
                row["reference"] = ean13(number)
            if 5 in self.custom and rand() < 0.5:
                row["custom_5"] = choice(self.custom[5])
            contact_count = 1 if rand() < 0.15 else 0

        bban = random_bban(country, rng, city_name)
        if bban and rand() < (0.92 if company else 0.7):
            iban = make_iban(country, bban)
            row["iban"] = iban
            row["bic"], row["bank_name"] = self._bank(iban)
        if company and rand() < 0.04:
            row["reference"] = ean13(number)
        manager = self.managers.pick(rng)
        row["account_manager"] = manager
        row["customer_group"] = self.groups.get(group) if group else None
        row["mailing_code"] = rng.randint(1, 9) if rand() < 0.4 else None
        # VAT is charged at home, to consumers, and to EU companies without a valid
        # number; not on exports outside the EU (reverse charge / export).
        charge_vat = is_home or (eu and (not company or row["vat_status"] != "valid"))
        row["charge_vat"] = charge_vat
        row["document_template"] = choice(DOCUMENT_TEMPLATES) if is_home else "export"
        row["price_list"] = ("Wholesale" if group in ("Wholesale", "Key accounts")
                             else "Standard" if eu else "Export")
        if rand() < 0.12:
            row["remarks"] = choice(CUSTOMER_REMARKS)
        if 2 in self.custom and rand() < 0.5:
            row["custom_2"] = choice(self.custom[2])
        if rand() < 0.005:
            row["deleted_at"] = updated_text
        own_discount = row["discount_percent"]
        for name in ("credit_limit", "discount_percent", "custom_num"):
            row[name] = _str(row[name])
        batch.customers.append(self.customer_tuple(row))
        batch.audit.append((created_text, DEMO_AUDIT_USER, cid, "customer", cid, "create", 1, "",
                            None, row["name"]))

        user_ids = self.user_ids
        author = manager or choice(user_ids)
        # Contacts: people (one primary), now and then a branch.
        contact_ids = self.ids.take(Contact, contact_count) if contact_count else []
        for i, contact_id in enumerate(contact_ids):
            first = choice(males if rand() < 0.5 else females)
            last = choice(lasts)
            if company:
                email = f"{slug(first)}.{slug(last)}@{domain}" if rand() < 0.85 else ""
                function = choice(FUNCTIONS[language])
            else:
                email, function = "", "Partner"
            batch.contacts.append((
                contact_id, cid, "person", f"{first} {last}", function, email,
                phone_number(country, area, rng) if rand() < 0.5 else "",
                phone_number(country, area, rng, mobile=True) if rand() < 0.7 else "",
                "", "", "", "", "", i == 0, "", 1, created_text, created_text,
            ))
        if company and rand() < 0.08:
            other = choice(CITIES[country])
            branch_id = self.ids.take(Contact, 1)[0]
            batch.contacts.append((
                branch_id, cid, "branch", f"{row['name']} – {other[0].split(',')[0]}", "Branch",
                "", phone_number(country, other[3], rng), "", choice(STREETS[other[5]]),
                _house_number(other[5], rng), _postcode(country, other, rng), other[0], country,
                False, "", 1, created_text, created_text,
            ))
            contact_ids.append(branch_id)
        report.contacts += len(contact_ids)

        start = max(created_day, self.doc_start)
        today = self.today
        last = today - 1  # history ends yesterday: nothing happened later than now
        # Actions: contact moments, appointments and tasks; some open, some overdue.
        action_count = choice(ACTIONS_BUSY if busy else ACTIONS_COMPANY if company else ACTIONS_CONSUMER)
        for _ in range(action_count):
            kind = self.action_types.pick(rng)
            day = self._day(start, last)
            user = manager if (manager and rand() < 0.8) else choice(user_ids)
            if (kind in ("task", "appointment") and rand() < 0.6) or rand() < 0.08:
                if kind == "appointment":  # made some days before the date it is for
                    planned = today + rng.randint(-10, 30)
                    day = max(start, min(day, planned - rng.randint(1, 20)))
                    follow = self._text(max(planned, day + 1))
                else:
                    follow = self._text(day + rng.randint(1, 21))
                when, second = self._moment(day)
                status, completed = "open", None
            else:
                when, second = self._moment(day)
                follow = self._text(day + rng.randint(7, 30)) if rand() < 0.2 else None
                status = "done"
                completed = f"{self._text(day)} {self.clock[second + 60 * rng.randint(5, 90)]}"
            batch.actions.append((
                cid, choice(contact_ids) if contact_ids and rand() < 0.6 else None, kind,
                choice(ACTION_SUBJECTS[kind]), choice(ACTION_TEXTS) if rand() < 0.7 else "",
                when, follow, status, user, completed, 1, when, completed or when,
            ))
        report.actions += action_count

        # Notes, some pinned.
        for _ in range(choice(NOTES_BUSY if busy else NOTES)):
            pinned = rand() < 0.15
            when, _second = self._moment(self._day(start, last))
            batch.notes.append((cid, choice(PINNED_NOTES if pinned else NOTE_TEXTS), author,
                                pinned, 1, when, when))
            report.notes += 1

        # Tags and per-user marks.
        if self.tags:
            for tag_id in {choice(self.tags) for _ in range(choice(TAG_COUNTS))}:
                batch.tag_links.append((cid, tag_id))
        for user_id in user_ids:
            if rand() < 0.02:
                batch.marks.append((user_id, cid, self.now_text))

        # Conditions: discounts per article group, net prices, payment terms.
        payment_term = 30 if company else 14
        if company and rand() < (0.8 if busy else 0.2):
            for _ in range(rng.randint(1, 3)):
                kind = choice(("discount", "discount", "price", "payment_term"))
                valid_from = self._day(start, last)
                valid_until = None
                if rand() < 0.3 and kind != "payment_term":
                    valid_until = self._text(valid_from + choice((90, 180, 365)))
                article = group_code = ""
                price = disc = term = None
                if kind == "discount":
                    group_code = choice(ARTICLE_GROUPS)
                    disc = choice(CONDITION_DISCOUNTS)
                    description = f"Discount on {group_code.lower()}"
                elif kind == "price":
                    art = choice(ARTICLES)
                    article = art[0]
                    price = (art[3] * choice(NET_PRICE_FACTORS)).quantize(CENT)
                    description = f"Net price {art[1]}"
                else:
                    term = payment_term = choice((14, 45, 60))
                    description = f"Payment term {term} days"
                batch.conditions.append((
                    cid, kind, article, group_code, description, _str(price), _str(disc), term,
                    self._text(valid_from), valid_until, 1, self.now_text, self.now_text,
                ))
                report.conditions += 1

        # Quotes, orders (some from accepted quotes) and invoices of delivered orders.
        discount = max(GROUP_DISCOUNT.get(group, ZERO_RATE), own_discount)
        address = address_text(row["name"], row["visit_street"], row["visit_house_number"],
                               row["visit_postcode"], city_name, country, self.home)
        accepted: list[tuple[int, int, list[tuple]]] = []
        quote_count = (choice(QUOTES_BUSY if busy else QUOTES_COMPANY) if company
                       else 1 if rand() < 0.1 else 0)
        if quote_count:
            for quote_id in self.ids.take(Quote, quote_count):
                day = self._day(start, last)
                valid_until = day + 30
                if valid_until >= today:
                    status = "draft" if rand() < 0.25 else "sent"
                else:
                    x = rand()
                    status = "accepted" if x < 0.4 else "rejected" if x < 0.65 else "expired"
                lines = self._lines(charge_vat, discount, company)
                excl, vat = self._totals(lines)
                when, _second = self._moment(day)
                batch.quotes.append((
                    quote_id, cid, self.numbers.take("quote", QUOTE_PREFIX, self.day_year[day]),
                    self._text(day), self._text(valid_until), status, "", "", author, str(excl),
                    str(vat), str(excl + vat), 1, when, when,
                ))
                dec = self._dec
                for pos, (art, qty, price, disc, rate, _cost, _net) in enumerate(lines, 1):
                    batch.quote_lines.append((quote_id, pos, art[0], art[1], dec(qty), dec(price),
                                              dec(disc), dec(rate)))
                report.quote_lines += len(lines)
                if status == "accepted":
                    accepted.append((quote_id, day, lines))
            report.quotes += quote_count

        plans = [(quote_id, min(day + rng.randint(1, 20), last), lines)
                 for quote_id, day, lines in accepted]
        order_count = choice(ORDERS_BUSY if busy else ORDERS_COMPANY if company else ORDERS_CONSUMER)
        for _ in range(order_count):
            plans.append((None, self._day(start, last), self._lines(charge_vat, discount, company)))
        if plans:
            order_ids = self.ids.take(Order, len(plans))
            snapshot = (number, row["name"], address, row["vat_number"])
            for order_id, (quote_id, day, lines) in zip(order_ids, plans, strict=True):
                self._order(batch, cid, order_id, quote_id, day, lines, company, author,
                            row["order_remarks"], address, snapshot, payment_term, report)
            report.orders += len(plans)

    def _totals(self, lines: list[tuple]) -> tuple[Decimal, Decimal]:
        """Total excl. VAT and the VAT: net per line (rounded half-up to cents), VAT per rate."""
        rate = lines[0][4]
        excl = ZERO
        mixed = False
        for line in lines:
            excl += line[6]
            if line[4] != rate:
                mixed = True
        if not mixed:
            return excl, vat_of(excl, rate)
        bases: dict[Decimal, Decimal] = {}
        for line in lines:
            bases[line[4]] = bases.get(line[4], ZERO) + line[6]
        return excl, sum((vat_of(base, r) for r, base in bases.items()), ZERO)

    def _order(self, batch: _Batch, cid: int, order_id: int, quote_id: int | None, day: int,
               lines: list[tuple], company: bool, author: int, remarks: str, address: str,
               snapshot: tuple, payment_term: int, report: SeedReport) -> None:
        rng = self.rng
        rand = rng.random
        today = self.today
        last = today - 1
        age = today - day
        x = rand()
        if age > 30:
            status = ("delivered" if x < 0.88 else "partly_delivered" if x < 0.93
                      else "cancelled" if x < 0.97 else "open")
        elif age > 7:
            status = "delivered" if x < 0.55 else "partly_delivered" if x < 0.8 else "open"
        else:
            status = "open" if x < 0.6 else "partly_delivered" if x < 0.8 else "delivered"
        if quote_id is not None:
            source, external = "quote", ""
        elif rand() < (0.15 if company else 0.6):
            source, external = "webshop", f"WS-{rng.randint(100000, 999999)}"
        else:
            source, external = "manual", ""
        excl, vat = self._totals(lines)
        when, _second = self._moment(day)
        reference = f"PO {rng.randint(1000, 99999)}" if company and rand() < 0.5 else ""
        batch.orders.append((
            order_id, cid, self.numbers.take("order", ORDER_PREFIX, self.day_year[day]),
            self._text(day), status, source, external, quote_id, reference, remarks, address,
            address, author, str(excl), str(vat), str(excl + vat), 1, when, when,
        ))
        append = batch.order_lines.append
        dec = self._dec
        for pos, (art, qty, price, disc, rate, cost, _net) in enumerate(lines, 1):
            delivered = backorder = QTY_ZERO
            if status == "delivered":
                delivered = qty
            elif status == "partly_delivered":
                if pos == 1 or rand() < 0.5:
                    delivered = (qty * HALF).quantize(QTY_STEP, rounding=ROUND_FLOOR) if (
                        rand() < 0.6) else QTY_ZERO
                    backorder = qty - delivered
                else:
                    delivered = qty
            elif status == "open" and rand() < 0.3:
                backorder = qty
            append((order_id, pos, art[0], art[1], dec(qty), dec(delivered), dec(backorder),
                    dec(price), dec(cost), dec(disc), dec(rate)))
        report.order_lines += len(lines)
        if status != "delivered":
            return
        invoice_day = min(day + rng.randint(0, 7), last)
        due = invoice_day + payment_term
        incl = excl + vat
        x = rand()
        if due < today - 60:
            status = "paid" if x < 0.95 else "partly_paid" if x < 0.975 else "open"
        elif due < today:
            status = "paid" if x < 0.7 else "partly_paid" if x < 0.82 else "open"
        else:
            status = "paid" if x < 0.3 else "partly_paid" if x < 0.36 else "open"
        paid, paid_on = ZERO_MONEY, None
        if status == "paid":
            paid = incl
            paid_on = self._text(min(invoice_day + rng.randint(1, payment_term + 20), last))
        elif status == "partly_paid":
            paid = (incl * rng.choice(PART_PAYMENTS)).quantize(CENT)
            paid_on = self._text(min(invoice_day + rng.randint(5, payment_term + 10), last))
            if paid <= 0 or paid >= incl:
                paid, paid_on, status = ZERO_MONEY, None, "open"
        when, _second = self._moment(invoice_day)
        batch.invoices.append((
            cid, self.numbers.take("invoice", INVOICE_PREFIX, self.day_year[invoice_day]),
            order_id, self._text(invoice_day), self._text(due), str(excl), str(vat), str(incl),
            str(paid), paid_on,
            status, *snapshot, 1, when, when,
        ))
        report.invoices += 1


DAY = 86_400


def _str(value: Decimal | None) -> str | None:
    """Amounts go to the database as their text: what the drivers make of a Decimal anyway,
    and cheaper to hand from the generating process to the writing one."""
    return None if value is None else str(value)


class _ClockTexts(dict):
    """``HH:MM:SS`` of a second of the day, made the first time it is asked for (all
    86,400 up front cost more than a small demo database needs)."""

    def __missing__(self, second: int) -> str:
        text = self[second] = f"{second // 3600:02d}:{second // 60 % 60:02d}:{second % 60:02d}"
        return text


_CLOCK_TEXTS = _ClockTexts()


def _moment_text(moment: dt.datetime) -> str:
    """A moment as the drivers write it (whole seconds)."""
    return moment.replace(microsecond=0).isoformat(sep=" ")


CENT = D("0.01")
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


def _bank_code(iban: str) -> str:
    country = iban[:2]
    bban = iban[4:]
    length = {"NL": 4, "BE": 3, "DE": 8, "FR": 5, "ES": 4, "GB": 10, "CH": 5, "NO": 4}.get(country, 4)
    return bban[:length]


# =========================================================================== set-up rows


def require_seed_right(actor: Actor) -> None:
    """Seeding demo data into a database in use is an admin's decision."""
    if not actor.is_admin:
        raise PermissionDenied(
            f"Your role '{actor.role.name}' may not add demo data to this database; "
            "only an admin may."
        )


# The records the generator adds per customer, audited set-based when an actor seeds.
_AUDITED_CHILDREN = (Contact, Action, Note, Quote, Order, Invoice, Condition)


def _audit_as(username: str, first_id: int, last_id: int) -> int:
    """The seeded customers' create rows under ``username``, and a create row for every
    record added with them.  Returns the number of rows added."""
    AuditRecord.update(username=username).where(
        (AuditRecord.table == "customer") & (AuditRecord.action == "create")
        & (AuditRecord.username == DEMO_AUDIT_USER)
        & AuditRecord.record_id.between(first_id, last_id)
    ).execute()
    added = 0
    for model in _AUDITED_CHILDREN:
        query = model.select(
            model.created_at, peewee.Value(username), model.customer,
            peewee.Value(model._meta.table_name), model.id, peewee.Value("create"),
            peewee.Value(1), peewee.Value(""),
        ).where(model.customer.between(first_id, last_id))
        added += AuditRecord.insert_from(query, [
            AuditRecord.at, AuditRecord.username, AuditRecord.customer_id, AuditRecord.table,
            AuditRecord.record_id, AuditRecord.action, AuditRecord.version, AuditRecord.field,
        ]).as_rowcount().execute()
    return added


def _ensure_users(by: Actor | None = None) -> dict[str, int]:
    """The demo users admin, manager and sales (created when missing)."""
    from tradium_tui.services.access import system_actor
    from tradium_tui.services.users import add_user

    actor = by or system_actor(DEMO_AUDIT_USER)
    ids: dict[str, int] = {}
    for username, role, display, _share in DEMO_USERS:
        user = User.get_or_none(User.username == username)
        if user is None:
            add_user(actor, username, role, display)
            user = User.get(User.username == username)
        ids[username] = user.id
    return ids


def _ensure_lookup_rows(now: dt.datetime) -> tuple[dict[str, int], dict[str, int], list[int]]:
    for name, discount in CUSTOMER_GROUPS:
        CustomerGroup.get_or_create(
            name=name,
            defaults={"discount_percent": discount, "created_at": now, "updated_at": now},
        )
    for code, name, description in CONDITION_GROUPS:
        ConditionGroup.get_or_create(
            code=code,
            defaults={"name": name, "description": description, "created_at": now,
                      "updated_at": now},
        )
    for name in TAGS:
        Tag.get_or_create(name=name)
    _ensure_catalogue(now)
    groups = {g.name: g.id for g in CustomerGroup.select(CustomerGroup.id, CustomerGroup.name)}
    condition_groups = {
        g.code: g.id for g in ConditionGroup.select(ConditionGroup.id, ConditionGroup.code)
    }
    tags = [t.id for t in Tag.select(Tag.id).where(Tag.name.in_(TAGS)).order_by(Tag.id)]
    return groups, condition_groups, tags


def _ensure_catalogue(now: dt.datetime) -> None:
    """The article catalogue and the price lists (kept where they exist)."""
    from tradium_tui.models import Article, PriceList, PriceListItem, Setting

    known = {code for (code,) in Article.select(Article.code).tuples()}
    rows = [
        {"code": code, "description": desc, "article_group": group, "sales_price": price,
         "cost_price": cost, "vat_class": vat_class,
         "unit": "hour" if code == "SVC-HOUR" else "pcs", "created_at": now, "updated_at": now}
        for code, desc, group, price, cost, vat_class in ARTICLES if code not in known
    ]
    for start in range(0, len(rows), 200):
        Article.insert_many(rows[start:start + 200]).execute()
    ids = dict(Article.select(Article.code, Article.id).tuples())
    for name, factor in PRICE_LISTS:
        price_list, created = PriceList.get_or_create(
            name=name, defaults={"created_at": now, "updated_at": now})
        if not created:
            continue
        items = [
            {"price_list": price_list.id, "article": ids[code], "price": (price * factor).quantize(D("0.01")),
             "created_at": now, "updated_at": now}
            for code, _desc, group, price, _cost, _cls in ARTICLES if group != "SERVICE"
        ]
        for start in range(0, len(items), 200):
            PriceListItem.insert_many(items[start:start + 200]).execute()
    Setting.get_or_create(key="seller_vat_number", defaults={"value": "NL853746333B01"})


def _ensure_custom_fields(by: Actor | None = None) -> dict[int, tuple]:
    """Label some of the seven variable fields (slots an admin already defined are kept)."""
    from tradium_tui.services.access import system_actor
    from tradium_tui.services.custom_fields import define

    actor = by or system_actor(DEMO_AUDIT_USER)
    existing = {row.slot: row for row in CustomFieldDef.select()}
    out: dict[int, tuple] = {}
    for slot, label, kind, choices in CUSTOM_FIELDS:
        row = existing.get(slot)
        if row is None:
            define(actor, slot, label, kind, list(choices))
            out[slot] = tuple(choices)
        elif row.active and row.label == label and row.kind == kind:
            out[slot] = tuple(c for c in (row.choices or "").split("\n") if c)
    return out


# =========================================================================== entry points


def seed_demo(
    customers: int = DEFAULT_CUSTOMERS,
    seed: int = DEFAULT_SEED,
    progress: Progress | None = None,
    *,
    today: dt.date | None = None,
    home_country: str | None = None,
    batch_size: int = BATCH,
    child_process: bool | None = None,
    actor: Actor | None = None,
) -> SeedReport:
    """Add ``customers`` demo customers (and everything around them) to the connected database.

    Deterministic for the same ``seed``, ``today`` and starting database.  Runs in one
    transaction: on any error nothing is written.  ``progress(done, total)`` is called
    after each batch of customers.  Customer numbers come from the customer counter
    (numbers typed by hand are skipped), and the counter is raised past the last one.

    From :data:`CHILD_PROCESS_FROM` customers on (or with ``child_process=True``) the rows
    are generated in a child process while this one writes the previous batch; the data
    is the same either way.

    ``actor``: who seeds a database that is in use (one with users).  Only an admin may
    (:func:`require_seed_right`); everything added is then in the audit trail under their
    name: a ``create`` row for every customer, contact, action, note, quote, order,
    invoice and condition, and the users and custom fields through their services.
    """
    if actor is not None:
        require_seed_right(actor)
    if customers < 0:
        raise ValueError("customers must be 0 or more")
    started = time.perf_counter()
    if home_country is None:
        from tradium_tui.config import get_settings

        home_country = get_settings().home_country
    today = today or dt.date.today()
    now = dt.datetime(today.year, today.month, today.day) - dt.timedelta(hours=6)
    if child_process is None:
        child_process = customers >= CHILD_PROCESS_FROM
    report = SeedReport()
    database = dbmod.database.obj
    with dbmod.write_transaction():
        users = _ensure_users(actor)
        groups, condition_groups, tags = _ensure_lookup_rows(now)
        custom = _ensure_custom_fields(actor)
        derived = DerivedData(database)
        derived.suspend()
        job = _Job(
            seed=seed, customers=customers, batch_size=batch_size, today=today, now=now,
            home=(home_country or "NL").upper(), users=users, groups=groups,
            condition_groups=condition_groups, tags=tags, custom=custom,
            document_numbers={kind: _hold_counter(kind) + 1 for kind in DOCUMENT_KINDS},
            id_starts={} if dbmod.is_postgres(database)
            else _Ids.starts(database, (Customer, Contact, Quote, Order)),
        )
        if customers:
            job.next_number = numbering.next_customer_number()
            job.taken = {
                n for (n,) in Customer.select(Customer.number)
                .where(Customer.number > job.next_number).tuples()
            }
        outcome = _JobOutcome()
        if child_process and customers and os.name == "posix":
            batches = _generate_in_child(job, _pg_params(database), outcome)
        else:
            batches = _run_job(job, _Ids(database if dbmod.is_postgres(database) else None,
                                         job.id_starts), outcome)
        done = 0
        for batch in batches:
            _write_batch(batch, report)
            done += len(batch.customers)
            if progress is not None:
                progress(done, customers)
        outcome.merge_into(report)
        derived.rebuild(outcome.first_id, outcome.last_id)
        if actor is not None and outcome.first_id is not None and outcome.last_id is not None:
            report.audit_rows += _audit_as(actor.username, outcome.first_id, outcome.last_id)
        if report.last_number is not None:
            numbering.raise_to("customer", report.last_number)
        _release_counters(job.document_numbers, outcome.document_numbers)
        invoices_service.adopt_legacy_invoices()  # lines and VAT rows from the orders
        _add_recent(users, report)
    report.seconds = time.perf_counter() - started
    return report


CHILD_PROCESS_FROM = 10_000


@dataclass
class _Job:
    """Everything the row generator needs; picklable, so it can run in a child process."""

    seed: int
    customers: int
    batch_size: int
    today: dt.date
    now: dt.datetime
    home: str
    users: dict[str, int]
    groups: dict[str, int]
    condition_groups: dict[str, int]
    tags: list[int]
    custom: dict[int, tuple]
    document_numbers: dict[str, int]
    id_starts: dict[str, int]
    next_number: int = 0
    taken: set[int] = field(default_factory=set)


@dataclass
class _JobOutcome:
    """What the generator knows at the end: counts, number and id ranges, next numbers."""

    report: SeedReport = field(default_factory=SeedReport)
    first_id: int | None = None
    last_id: int | None = None
    document_numbers: dict[str, int] = field(default_factory=dict)

    def merge_into(self, report: SeedReport) -> None:
        """Add the generator's counts; the writer counted customers, tags, marks, audit."""
        own = self.report
        for name in ("contacts", "actions", "notes", "quotes", "quote_lines", "orders",
                     "order_lines", "invoices", "conditions"):
            setattr(report, name, getattr(own, name))
        report.first_number, report.last_number = own.first_number, own.last_number
        report.by_country = dict(own.by_country)


def _run_job(job: _Job, ids: _Ids, outcome: _JobOutcome) -> Iterator[_Batch]:
    """Generate the customers of ``job`` batch by batch, in number order, spread over the
    last eight years."""
    rng = DemoRandom(job.seed)
    numbers = _DocumentNumbers(job.document_numbers)
    gen = _Generator(rng, job.today, job.now, job.home, job.users, job.groups,
                     job.condition_groups, job.tags, job.custom, ids, numbers)
    report = outcome.report
    origin = job.today.toordinal() * DAY - 8 * 365 * DAY
    # Up to "now", which is yesterday evening: no demo record is dated in the future.
    span = job.now.toordinal() * DAY + job.now.hour * 3600 - origin
    rand = rng.random
    next_number = job.next_number
    done = 0
    while done < job.customers:
        size = min(job.batch_size, job.customers - done)
        batch = _Batch()
        block = ids.block(Customer, size)
        outcome.first_id = block[0] if outcome.first_id is None else min(outcome.first_id, block[0])
        outcome.last_id = block[-1] if outcome.last_id is None else max(outcome.last_id, block[-1])
        for i, cid in enumerate(block):
            number = next_number
            while number in job.taken:
                number += 1
            next_number = number + 1
            created = origin + int(span * (done + i + rand()) / job.customers)
            gen.customer(batch, cid, number, created, report)
            if report.first_number is None:
                report.first_number = number
            report.last_number = number
        done += size
        outcome.document_numbers = dict(numbers.next)
        yield batch
    outcome.document_numbers = dict(numbers.next)


def _pg_params(database: peewee.Database) -> tuple[str, dict] | None:
    """How a child process reaches the same PostgreSQL database (for sequence values)."""
    if not dbmod.is_postgres(database):
        return None
    return database.database, dict(database.connect_params)


def _generate_in_child(job: _Job, pg: tuple[str, dict] | None,
                       outcome: _JobOutcome) -> Iterator[_Batch]:
    """Run :func:`_run_job` in a child Python, about one batch ahead of the writer.

    The child gets the job on its stdin and sends pickled messages through a pipe of its
    own; the pipe's buffer is the back-pressure.  The child is ended when this generator
    is closed early (an error or Ctrl-C in the writer).
    """
    import pickle
    import subprocess
    import sys
    import tempfile
    from pathlib import Path

    read_fd, write_fd = os.pipe()
    errors = tempfile.TemporaryFile()
    env = dict(os.environ)
    package_root = str(Path(__file__).resolve().parents[2])
    env["PYTHONPATH"] = os.pathsep.join(p for p in (package_root, env.get("PYTHONPATH")) if p)
    try:
        child = subprocess.Popen(
            [sys.executable, "-c", _CHILD_CODE, str(write_fd)],
            stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=errors,
            pass_fds=(write_fd,), env=env,
        )
    finally:
        os.close(write_fd)
    reader = os.fdopen(read_fd, "rb")
    try:
        assert child.stdin is not None
        pickle.dump((job, pg), child.stdin, protocol=pickle.HIGHEST_PROTOCOL)
        child.stdin.close()
        while True:
            try:
                message = pickle.load(reader)
            except EOFError:
                child.wait()
                errors.seek(0)
                error = RuntimeError(
                    f"The demo row generator stopped unexpectedly (exit code {child.returncode})."
                )
                error.add_note(errors.read().decode("utf-8", "replace")[-4000:])
                raise error from None
            if message[0] == "batch":
                yield message[1]
            elif message[0] == "done":
                done: _JobOutcome = message[1]
                outcome.report = done.report
                outcome.first_id, outcome.last_id = done.first_id, done.last_id
                outcome.document_numbers = done.document_numbers
                return
            else:
                error = RuntimeError(f"Generating the demo rows failed: {message[1]}")
                error.add_note(message[2])
                raise error
    finally:
        reader.close()
        if child.poll() is None:
            child.kill()
        child.wait()
        errors.close()


_CHILD_CODE = "import sys; from tradium_tui.services.demo import _child_main; _child_main(int(sys.argv[1]))"


def _child_main(fd: int) -> None:
    """Entry point of the child Python: read the job, send the batches (see above)."""
    import pickle
    import sys
    import traceback

    database = None
    with os.fdopen(fd, "wb") as out:
        try:
            job, pg = pickle.load(sys.stdin.buffer)
            if pg is not None:
                database = peewee.PostgresqlDatabase(pg[0], **pg[1])
                database.connect()
            outcome = _JobOutcome()
            for batch in _run_job(job, _Ids(database, job.id_starts), outcome):
                pickle.dump(("batch", batch), out, protocol=pickle.HIGHEST_PROTOCOL)
                out.flush()
            pickle.dump(("done", outcome), out, protocol=pickle.HIGHEST_PROTOCOL)
        except BrokenPipeError:
            pass  # the writer stopped; nothing to tell it
        except BaseException as exc:
            pickle.dump(("error", f"{type(exc).__name__}: {exc}", traceback.format_exc()), out)
        finally:
            if database is not None:
                database.close()


def _write_batch(batch: _Batch, report: SeedReport) -> None:
    report.customers += bulk_insert(Customer, _CUSTOMER_COLUMNS, batch.customers)
    bulk_insert(Contact, _CONTACT_COLUMNS, batch.contacts)
    bulk_insert(Action, _ACTION_COLUMNS, batch.actions)
    bulk_insert(Note, _NOTE_COLUMNS, batch.notes)
    bulk_insert(Quote, _QUOTE_COLUMNS, batch.quotes)
    bulk_insert(QuoteLine, _QUOTE_LINE_COLUMNS, batch.quote_lines)
    bulk_insert(Order, _ORDER_COLUMNS, batch.orders)
    bulk_insert(OrderLine, _ORDER_LINE_COLUMNS, batch.order_lines)
    bulk_insert(Invoice, _INVOICE_COLUMNS, batch.invoices)
    bulk_insert(Condition, _CONDITION_COLUMNS, batch.conditions)
    report.tag_links += bulk_insert(CustomerTag, _TAG_LINK_COLUMNS, batch.tag_links)
    report.marks += bulk_insert(Mark, _MARK_COLUMNS, batch.marks)
    report.audit_rows += bulk_insert(AuditRecord, _AUDIT_COLUMNS, batch.audit)


_CUSTOMER_COLUMNS = column_names(Customer, _CUSTOMER_FIELDS)
_CONTACT_COLUMNS = column_names(Contact, _CONTACT_FIELDS)
_ACTION_COLUMNS = column_names(Action, _ACTION_FIELDS)
_NOTE_COLUMNS = column_names(Note, _NOTE_FIELDS)
_QUOTE_COLUMNS = column_names(Quote, _QUOTE_FIELDS)
_QUOTE_LINE_COLUMNS = column_names(QuoteLine, _QUOTE_LINE_FIELDS)
_ORDER_COLUMNS = column_names(Order, _ORDER_FIELDS)
_ORDER_LINE_COLUMNS = column_names(OrderLine, _ORDER_LINE_FIELDS)
_INVOICE_COLUMNS = column_names(Invoice, _INVOICE_FIELDS)
_CONDITION_COLUMNS = column_names(Condition, _CONDITION_FIELDS)
_TAG_LINK_COLUMNS = column_names(CustomerTag, ("customer", "tag"))
_MARK_COLUMNS = column_names(Mark, ("user", "customer", "marked_at"))
_AUDIT_COLUMNS = column_names(AuditRecord, _AUDIT_FIELDS)


def _add_recent(users: dict[str, int], report: SeedReport) -> None:
    """Give each demo user a few recently opened customers, so the app opens on one."""
    if not report.first_number:
        return
    recent = list(
        Customer.select(Customer.id)
        .where(
            (Customer.number >= report.first_number) & (Customer.number <= report.last_number)
            & Customer.deleted_at.is_null()
        )
        .order_by(Customer.number)
        .limit(5)
        .tuples()
    )
    rows = []
    base = utcnow()
    for user_id in users.values():
        existing = {
            c for (c,) in RecentCustomer.select(RecentCustomer.customer)
            .where(RecentCustomer.user == user_id).tuples()
        }
        for offset, (customer_id,) in enumerate(recent):
            if customer_id not in existing:
                rows.append({"user": user_id, "customer": customer_id,
                             "opened_at": base - dt.timedelta(minutes=offset)})
    if rows:
        RecentCustomer.insert_many(rows).execute()
