"""The example of each operation in the contract: a test person (a BSN that passes the elfproef,
never a real one), amounts in eurocents. "Try it out" starts from these, and tests/test_examples.py
sends each request to the running service, so they stay valid."""

from decisions.entrypoints.models import NIET_MEEGENOMEN

BSN = "999990019"
ZOEK_BSN = {"bsn": BSN}
PARTNER_BSN = "999993653"
UITKERING_ID = "3f2c9a4e-7b1d-4e8a-9c56-1d2e3f4a5b6c"
ABONNEMENT_ID = "8a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"

UITKERING_OPENEN = {
    "bsn": BSN,
    "geboortedatum": "1988-06-14",
    "startdatum": "2026-09-01",
    "huishouden": "alleenstaand",
    "kostendelers": 0,
}
PARTNER = {
    "bsn": PARTNER_BSN,
    "geboortedatum": "1990-03-02",
    "medischUrenbeperkt": False,
    "loonkostensubsidie": False,
    "meerUrenNietMogelijk": False,
}
WIJZIGING = {"ingangsdatum": "2026-11-01", "huishouden": "gehuwd", "partner": PARTNER}
INKOMSTENSOORT = {
    "loonheffingennummer": "803123450L01",
    "inkomstenverhouding": 2,
    "soort": "overig",
    "reden": "aanvullende uitkering bij ziekte van de vroegere werkgever, geen loon voor werk",
}
BEEINDIGING = {"einddatum": "2026-10-31", "reden": "werk"}
EINDDATUM = {"einddatum": "2026-09-30"}
GEBOORTEDATUM = {"geboortedatum": "1988-06-04"}
BETALING = {"maand": "2026-10", "bedrag": 140150}
ABONNEMENT = {
    "url": "https://zaken.gemeente.example.nl/schakel/events",
    "eventTypes": ["nl.participatiewet.verrekening.vastgesteld", "nl.participatiewet.verrekening.herzien"],
}
PROEFVRAAG = {
    "geboortedatum": "1988-06-14",
    "huishouden": "alleenstaand",
    "baan": {"nettoLoon": 95000, "startmaand": "2027-01", "vierWekelijks": False},
}
SITUATIE = {
    "huishouden": "alleenstaand",
    "partnerGeboortedatum": None,
    "jongsteKindGeboortedatum": None,
    "kostendelers": 0,
    "medischUrenbeperkt": False,
    "loonkostensubsidie": False,
    "meerUrenNietMogelijk": False,
    "vrijlatingsregime": "per-datum",
    "betaalmodel": "voorschot",
    "ingangsdatum": "2026-09-01",
}
UITKERING = {
    "uitkeringId": UITKERING_ID,
    "bsn": BSN,
    "gemeentecode": "GM0363",
    "geboortedatum": "1988-06-14",
    "startdatum": "2026-09-01",
    "status": "lopend",
    "einddatum": None,
    "beeindigingsreden": None,
    "doelgroepregistratie": None,
    "situaties": [SITUATIE],
    "beeindigingsvoorstel": None,
    "teBeoordelen": [],
    "inkomstensoorten": [],
}
GEWIJZIGD = UITKERING | {
    "situaties": [SITUATIE, SITUATIE | WIJZIGING | {"partnerGeboortedatum": PARTNER["geboortedatum"]}]
}
BEEINDIGD = UITKERING | {"status": "beeindigd", "einddatum": "2026-10-31", "beeindigingsreden": "werk"}
VOORSTEL_AFWIJZING = {
    "vanMaand": "2026-09",
    "reden": "tijdelijk meer uren tijdens de kerstdrukte; het contract eindigt in januari",
}
VOORSTEL_AFGEWEZEN = UITKERING | {
    "beeindigingsvoorstel": {
        "vanMaand": "2026-09",
        "totMaand": "2026-11",
        "voorgesteldOp": "2026-12-18T06:12:09Z",
        "afgewezenOp": "2026-12-21T10:03:44Z",
        "reden": VOORSTEL_AFWIJZING["reden"],
    }
}
VERREKENING = {
    "maand": "2026-10",
    "versie": 2,
    "norm": {
        "bedrag": 140150,
        "omschrijving": "alleenstaande van 21 jaar tot de AOW-leeftijd",
        "kostendelers": 1,
        "dagen": 31,
        "dagenMaand": 31,
        "bedragNaarRato": 140150,
    },
    "inkomen": {
        "nettoInkomen": 92000,
        "vakantiebijslag": 0,
        "bijdragen": [
            {
                "loonheffingennummer": "123456782L01",
                "inkomstenverhouding": 1,
                "tijdvakBegin": "2026-10-01",
                "tijdvakEinde": "2026-10-31",
                "nettoInkomen": 92000,
                "inkomstensoort": "arbeid",
            }
        ],
        "arbeidsinkomen": 92000,
        "overigInkomen": 0,
        "bron": "polis",
    },
    "vrijlating": {"grond": "n", "percentage": "25", "plafond": 28500, "bedrag": 23000, "maandNummer": 1, "maanden": 6},
    "getoetstInkomen": 69000,
    "bijstand": 71150,
    "vakantietoeslag": 3558,
    "teBetalen": 67592,
    "betaald": 140150,
    "verschil": -72558,
    "verrekendMetVorderingen": 0,
    "uitleg": "Over oktober 2026 is uw bijstandsnorm € 1.401,50 (alleenstaande van 21 jaar tot de AOW-leeftijd). "
    "U verdiende netto € 920,00: € 920,00 bij de werkgever met loonheffingennummer 123456782L01 (tijdvak 01-10-2026 "
    "tot en met 31-10-2026). Van uw inkomen uit werk mag u € 230,00 houden: 25%, maximaal € 285,00, maand 1 van 6. "
    "Dit is de vrijlating voor wie aan het werk gaat (artikel 31 lid 2 onder n). We tellen € 690,00 als inkomen. "
    "Uw bijstand is € 711,50; daarvan reserveren we € 35,58 vakantietoeslag, die u in juni krijgt, of binnen "
    "drie maanden nadat uw bijstand stopt. Over deze maand krijgt u € 675,92. U kreeg al € 1.401,50; dat is € 725,58 te veel, dat vorderen wij terug.",
    "vastgesteldOp": "2026-11-06T09:12:41Z",
}
BETALING_VASTGELEGD = BETALING | {"verrekening": VERREKENING}
VERREKENINGEN = [VERREKENING]
GESCHIEDENIS = {
    "vrijlatingsklok": [{"grond": "n", "maandenGebruikt": 1}],
    "partnerVrijlatingsklok": [],
    "gebeurtenissen": [
        {
            "type": "nl.participatiewet.uitkering.geopend",
            "tijdstip": "2026-09-03T10:02:17Z",
            "maand": None,
            "eventId": "0bd74c9e-e541-46ab-9d7e-cb0aa0f20695",
        },
        {
            "type": "nl.participatiewet.verrekening.vastgesteld",
            "tijdstip": "2026-11-05T06:30:02Z",
            "maand": "2026-10",
            "eventId": "2b7c708e-d79a-42b9-8cd3-34618d9c4300",
        },
        {
            "type": "nl.participatiewet.verrekening.herzien",
            "tijdstip": "2026-11-06T09:12:41Z",
            "maand": "2026-10",
            "eventId": "6f27e2b1-2d23-4a81-935d-63eb51f64d25",
        },
    ],
}
TUSSENREKENING = {
    "saldo": 26450,
    "maanden": [
        {
            "maand": "2026-10",
            "loonOntvangen": 92000,
            "bijstand": 67592,
            "uitbetaald": 133142,
            "teruggevorderd": 0,
            "saldo": 26450,
        }
    ],
    "teBeoordelen": [],
}
GEBEURTENISMELDING = {
    "uitkeringId": UITKERING_ID,
    "type": "nl.participatiewet.verrekening.vastgesteld",
    "tijdstip": "2026-11-05T06:30:02Z",
    "maand": "2026-10",
    "eventId": "2b7c708e-d79a-42b9-8cd3-34618d9c4300",
}
WACHTENDE_MAAND = {
    "uitkeringId": UITKERING_ID,
    "maand": "2026-10",
    "wie": "aanvrager",
    "soort": "inkomstensoort",
    "reden": "de soort inkomen is onbekend bij 123456789L01/2 (soort 18): leg vast of het arbeid of overig inkomen is",
    "inkomstenverhoudingen": [{"loonheffingennummer": "123456789L01", "inkomstenverhouding": 2}],
    "gesignaleerdOp": "2026-11-16T07:42:10Z",
}
ABONNEMENT_WEERGAVE = {
    "abonnementId": ABONNEMENT_ID,
    "gemeentecode": "GM0363",
    "url": ABONNEMENT["url"],
    "eventTypes": sorted(ABONNEMENT["eventTypes"]),
    "aangemaaktOp": "2026-11-02T14:20:05Z",
    "status": "actief",
    "onderbrokenTot": None,
    "opeenvolgendeFouten": 0,
}
NIEUW_ABONNEMENT = ABONNEMENT_WEERGAVE | {"geheim": "whsec_ZEP71JYSK831UEhHdZS37Z17vhibwlfc"}
ABONNEMENTEN = [ABONNEMENT_WEERGAVE]
OPNIEUW = {"aantal": 2}
GEPAUZEERD = ABONNEMENT_WEERGAVE | {
    "status": "gepauzeerd",
    "gepauzeerdOp": "2026-11-06T02:14:40Z",
    "gepauzeerdDoor": ["beheerder"],
    "gepauzeerdDoorBeheerderOp": "2026-11-06T02:14:40Z",
}
AFLEVERINGEN = [
    {
        "eventId": "2b7c708e-d79a-42b9-8cd3-34618d9c4300",
        "eventType": "nl.participatiewet.verrekening.vastgesteld",
        "status": "afgeleverd",
        "aangemaaktOp": "2026-11-05T06:30:02Z",
        "volgendePogingOp": None,
        "pogingen": [
            {"nummer": 1, "tijdstip": "2026-11-05T06:30:03Z", "statuscode": 503, "fout": None, "duurMs": 212},
            {"nummer": 2, "tijdstip": "2026-11-05T06:31:03Z", "statuscode": 204, "fout": None, "duurMs": 87},
        ],
    }
]
PROEFBEREKENING = {
    "maanden": [
        {
            "maand": f"2027-{m:02d}",
            "inkomen": 95000,
            "vrijlating": {
                "grond": "werk",
                "percentage": "15",
                "plafond": None,
                "bedrag": 14250,
                "maandNummer": m,
                "maanden": 12,
            },
            "bijstand": 59400,
            "totaalNetto": 154400,
            "zonderWerk": 140150,
            "erbij": 14250,
        }
        for m in range(1, 13)
    ],
    "vrijlatingTot": "2027-12",
    "nietMeegenomen": NIET_MEEGENOMEN,
}

BETAALKALENDER = [
    {
        "maand": "2026-10",
        "verwacht": 133_142,
        "voorschotBetaald": 140_150,
        "voorschotVoorgesteld": 133_142,
        "polisVerwachtOp": "2026-12-15",
        "verrekeningVerwachtOp": "2026-12-22",
        "verrekendOp": "2026-12-18",
        "verrekening": VERREKENING,
        "teOverbruggen": 0,
        "stabielInkomen": False,
    },
    {
        "maand": "2026-11",
        "verwacht": 67_592,
        "voorschotBetaald": None,
        "voorschotVoorgesteld": 67_592,
        "polisVerwachtOp": "2027-01-15",
        "verrekeningVerwachtOp": "2027-01-22",
        "verrekendOp": None,
        "verrekening": None,
        "teOverbruggen": 0,
        "stabielInkomen": False,
    },
]
VAKANTIETOESLAG = [
    {
        "vanMaand": "2026-10",
        "totMaand": "2026-12",
        "bedrag": 10_674,
        "uitbetalenUiterlijk": "2027-06-30",
        "einddatum": None,
        "voorlopig": True,
        "maanden": [
            {"maand": "2026-10", "gereserveerd": 3_558, "verrekend": True, "voorlopig": False},
            {"maand": "2026-11", "gereserveerd": 3_558, "verrekend": False, "voorlopig": True},
            {"maand": "2026-12", "gereserveerd": 3_558, "verrekend": False, "voorlopig": True},
        ],
        "uitleg": "Over oktober 2026 tot en met december 2026 reserveren we 5% van uw bijstand als vakantietoeslag: "
        "€ 106,74. Over november 2026 en december 2026 is de bijstand nog niet verrekend: daar rekenen we met de "
        "bijstand die we verwachten, zoals bij het voorschot. Dit bedrag kan dus nog veranderen. U krijgt deze "
        "vakantietoeslag in juni 2027.",
    }
]
VOORSCHOTBELEID = {"geldigVanaf": "2026-10-01", "percentage": 95, "maanden": 3, "doelWerkdagen": 5, "leverdag": 15}
TIJDIGHEID = {"verrekend": 40, "binnenDoel": 34, "aandeelProcent": 85, "doelWerkdagen": 5}
VORDERING = {
    "uitkeringId": UITKERING_ID,
    "maand": "2026-03",
    "bedrag": 20_000,
    "afgelost": 7_007,
    "kwijtgescholden": 0,
    "open": 12_993,
    "status": "open",
    "boekingen": [
        {"soort": "ontstaan", "bedrag": 20_000, "maand": "2026-03"},
        {"soort": "inhouding", "bedrag": 7_007, "maand": "2026-06"},
    ],
    "uitleg": "Dit gaat over de bijstand van maart 2026. Wat u te veel kreeg, vordert de gemeente terug ...",
}
TERUGBETALING = {"vordering": "2026-03", "bedrag": 5_000, "ontvangenIn": "2026-11", "kenmerk": "NL-BANK-2026-118822"}
VORDERING_TERUGBETAALD = VORDERING | {
    "afgelost": 12_007,
    "open": 7_993,
    "boekingen": [
        *VORDERING["boekingen"],
        {"soort": "terugbetaling", "bedrag": 5_000, "maand": "2026-11", "kenmerk": TERUGBETALING["kenmerk"]},
    ],
}
STORNERING = {"kenmerk": TERUGBETALING["kenmerk"], "gestorneerdIn": "2026-11"}
VORDERING_GESTORNEERD = VORDERING_TERUGBETAALD | {
    "afgelost": 7_007,
    "open": 12_993,
    "boekingen": [
        *VORDERING_TERUGBETAALD["boekingen"],
        {"soort": "terugbetaling", "bedrag": -5_000, "maand": "2026-11", "kenmerk": TERUGBETALING["kenmerk"]},
    ],
}
VERHOGING = {
    "geldigVanaf": "2026-12-01",
    "grond": "woonkosten",
    "bedrag": 4_596,
    "reden": "huur boven de normhuur zonder recht op huurtoeslag (huurcontract in dossier)",
}
VORDERINGSBELEID = {"geldigVanaf": "2026-10-01", "maximaleTermijn": 5_000, "kwijtscheldingsdrempel": 2_500}
