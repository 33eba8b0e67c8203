"""What the status means, for the citizen (plain Dutch, B1): every automated outcome explained
(DOMAIN.md §6), such as the waiting list a positive advice puts a person on, or the register
registration that establishing beschut werk ends (mutual exclusivity, Besluit SUWI art. 3.2 lid 3).
The fallbacks carry their own (domain.terugval)."""

from __future__ import annotations

from datetime import date

from registration.domain.deelname import Registratieperiode, Soort, Toestand
from schakel.primitives import dagnaam

UITSLUITING = "U kunt niet tegelijk in het doelgroepregister staan en beschut werk hebben."


def status_uitleg(t: Toestand) -> str:
    """Today's status in a few sentences."""
    match t.status:
        case "beschut-werk":
            assert t.plek
            bij = f" bij {t.plek['werkgever']}" if t.plek["werkgever"] else ""  # not for UWV (melding.gelezen_door)
            return f"U werkt sinds {dagnaam(t.plek['sinds'])} op een beschutte werkplek{bij}."
        case "banenafspraakbaan":
            assert t.baan
            zinnen = [
                f"U werkt sinds {dagnaam(t.baan['sinds'])} bij {t.baan['werkgever']} in een baan van de banenafspraak."
            ]
            if t.wachtlijst_sinds:
                zinnen.append(_wachtlijst(t))
            elif not t.baan_telt_mee:
                zinnen.append(
                    "U staat niet in het doelgroepregister. UWV onderzoekt of dat kan. Tot dan telt uw baan nog niet "
                    "mee voor de banenafspraak."
                )
            return " ".join(zinnen)
        case "doelgroepregister":
            assert t.registratie
            return (
                f"U staat sinds {dagnaam(t.registratie['sinds'])} in het doelgroepregister. Daarmee kunt u werken "
                "in een baan van de banenafspraak."
            )
        case "beschut-werk-wachtlijst":
            return _wachtlijst(t)
        case "dagbesteding":
            assert t.dagbesteding
            tot = t.dagbesteding["geldigTot"]
            return (
                f"U gaat sinds {dagnaam(t.dagbesteding['sinds'])} naar dagbesteding met een "
                f"{t.dagbesteding['indicatie'].capitalize()}-indicatie"
                + (f". De indicatie geldt tot en met {dagnaam(tot)}." if tot else ".")
            )
        case "advies-aangevraagd":
            zin = "Er is bij UWV een advies over beschut werk aangevraagd. UWV geeft binnen 8 weken advies."
            if t.herhaalverzoek:
                zin += (
                    " U vroeg het binnen 12 maanden na uw vorige advies opnieuw aan, zonder nieuwe feiten. Dan mag "
                    "het verzoek worden afgewezen zonder nieuw onderzoek."
                )
            return zin
        case "advies-negatief":
            assert t.advies_datum
            return (
                f"UWV gaf op {dagnaam(t.advies_datum)} een negatief advies over beschut werk. De gemeente hoeft u "
                "daarom geen beschutte werkplek aan te bieden."
            )
        case "advies-slapend":
            return (
                "Uw positieve advies voor beschut werk slaapt, omdat u in het doelgroepregister kwam of in een baan "
                "van de banenafspraak ging werken. Het kan weer gaan gelden: zie waarop u kunt terugvallen."
            )
    return "Er is nu geen beschut werk, baan van de banenafspraak of dagbesteding voor u vastgelegd."


def _wachtlijst(t: Toestand) -> str:
    assert t.wachtlijst_sinds
    if t.herleefd_op:
        zinnen = [
            f"Uw advies voor beschut werk geldt weer sinds {dagnaam(t.herleefd_op)}, omdat u, uw werkgever en de "
            "gemeente verklaarden dat de baan niet lukt. UWV hoefde u niet opnieuw te onderzoeken."
        ]
    else:
        zinnen = ["UWV gaf u een positief advies voor beschut werk."]
    zinnen.append(
        f"Daarom moet de gemeente u een beschutte werkplek aanbieden. U staat sinds {dagnaam(t.wachtlijst_sinds)} "
        "op de wachtlijst."
    )
    if t.beschut_vastgesteld and not t.herleefd_op:
        zinnen.append(f"De gemeente stelde op {dagnaam(t.beschut_vastgesteld)} vast dat u beschut werk nodig hebt.")
    if t.ander_aanbod:
        zinnen.append(
            f"De gemeente heeft al de plekken gegeven die zij volgens de wet moet bieden. Zij deed u op "
            f"{dagnaam(t.ander_aanbod['datum'])} een ander aanbod."
        )
    return " ".join(zinnen)


def registratie_uitleg(r: Registratieperiode, vandaag: date) -> str:
    """A registration in the doelgroepregister, and why it ended (or ends: it ends the day after beschut
    werk was established, a day that may still come)."""
    # UWV may register from a day still to come
    staat = f"U staat {'vanaf' if r.start > vandaag else 'sinds'} {dagnaam(r.start)} in het doelgroepregister."
    if r.einde is None:
        return staat
    if r.einde > vandaag:
        zin = f"{staat} De registratie eindigt op {dagnaam(r.einde)}"
    else:
        zin = (
            f"U stond vanaf {dagnaam(r.start)} in het doelgroepregister. De registratie eindigde op {dagnaam(r.einde)}"
        )
    match r.door:
        case Soort.beschut_werk_vastgesteld:
            return f"{zin}, omdat de gemeente vaststelde dat u beschut werk nodig hebt. {UITSLUITING}"
        case Soort.beschutte_plek_gestart:
            return f"{zin}, omdat u begon op een beschutte werkplek. {UITSLUITING}"
        case Soort.driehoeksverklaring:
            return f"{zin}, omdat uw advies voor beschut werk weer ging gelden. {UITSLUITING}"
    return f"{zin}. UWV heeft de registratie beëindigd. Wilt u weten waarom? Vraag het aan UWV."
