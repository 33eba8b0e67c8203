"""The operations console in a real headless Chromium over its own broker and services: an operator
sees a poison record as a dead letter with its reason and trace (never its content), replays it
after the fix and the dead-letter topic is empty; a consumer whose service is down shows as
stalled, UWV's own topic counted in its channel's flow; a municipality reads only its own figures and subscriptions;
the programme's figures show per municipality and nationally, small groups withheld; what the console read of
the broker is answered even when the broker is slow to close the reader. The screenshots are test
artefacts (tests/support/browser.py: ARTIFACTS), not part of the repository."""

import asyncio
import json
import signal
import threading
from dataclasses import replace
from datetime import datetime, timedelta
from itertools import count
from zoneinfo import ZoneInfo

import httpx
import pytest
from aiokafka import AIOKafkaConsumer

from deploy.kafka_broker import free_port
from deploy.services import ServiceProcess
from schakel.api import Rol
from schakel.events import encode, load_contract
from schakel.messaging import inspection
from schakel.messaging.acls import CONSOLE
from schakel.primitives import Maand
from schakel.primitives.cijfers import Periode, vrijgegeven
from tests.support import builders, kafka
from tests.support.browser import Browser
from tests.support.stack import DOELGROEPREGISTER, eventually, start_stack, token

pytestmark = pytest.mark.integration
TRACE = "4bf92f3577b34da6a3ce929d0e0e4736"


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    # its own broker: the test empties a dead-letter topic, which other tests fill
    stack = start_stack(tmp_path_factory.mktemp("console"), ["decisions", "registration", "reapplication"])
    try:
        stack.start_console()
        yield stack
    finally:
        stack.close()
        stack.collector.close()


@pytest.fixture
def browser():
    browser = Browser()
    yield browser
    browser.close()


def log_in(browser: Browser, stack, role: Rol, gemeente: str = "GM0363") -> None:
    browser.open(stack.services["console"].url.removesuffix("/api/v1") + "/")
    browser.js(f"document.getElementById('token').value = {json.dumps(token(role, gemeente))}")
    browser.js("document.getElementById('tokenformulier').requestSubmit()")
    browser.wait("document.body.dataset.ververst")


def refreshed(browser: Browser) -> None:
    before = browser.js("document.body.dataset.ververst")
    browser.js("document.getElementById('vernieuw').click()")
    browser.wait(f"document.body.dataset.ververst !== {json.dumps(before)}")


def status(stack, bsn: str) -> dict | None:
    with stack.client("registration", Rol.uwv) as client:
        response = client.post("/deelnamestatussen/_zoek", json={"bsn": bsn})
    return response.json() if response.status_code == 200 else None


def test_an_operator_sees_a_dead_letter_with_its_reason_and_replays_it_after_the_fix(stack, browser):
    bsn = builders.bsn()
    # UWV sent the end of a registration before its start: impossible now, so a dead letter
    key, value, headers = encode(builders.registratie(bsn, "beeindigd", einddatum="2026-08-31"))
    kafka.produce(
        stack.kafka,
        DOELGROEPREGISTER,
        [(key, value, [*headers, ("traceparent", f"00-{TRACE}-00f067aa0ba902b7-01".encode())])],
    )
    with stack.client("console", Rol.operator) as client:
        eventually(lambda: client.get("/dode-brieven").json())

    log_in(browser, stack, Rol.operator)
    assert browser.js("document.getElementById('wie').textContent") == "beheerder"
    assert browser.wait("document.querySelector('tr[data-topic=\"doelgroepregister\"]')?.dataset.dlq") == "1"
    # what lapsed when a subscription stopped, beside what was given up
    assert "vervallen (abonnement gestopt)" in browser.js("document.getElementById('webhooks').textContent")
    [reden, trace] = browser.js(
        "[...document.querySelectorAll('#dodebrieven tr')].map(r => [r.cells[4].textContent, r.cells[5].querySelector('a')?.href])"
    )[0]
    assert "onverwerkbaar" in reden or "OvergangFout" in reden, reden
    assert trace == f"http://127.0.0.1:9411/zipkin/traces/{TRACE}", "the dead letter links to its trace"
    assert bsn not in browser.js("document.body.innerText"), "never the record's content"
    browser.screenshot("console/dead-letter.png")

    # the fix: the start arrives; then the operator presses replay
    kafka.produce_events(
        stack.kafka,
        DOELGROEPREGISTER,
        [builders.registratie(bsn, "gestart", grond="wajong", startdatum="2026-02-01")],
    )
    eventually(lambda: status(stack, bsn))
    # and a dead letter someone pointed at another organisation's topic: left where it is, and named
    elders = [("dlq-bron-topic", b"uitkeringen"), ("dlq-bron-partitie", b"0"), ("dlq-bron-offset", b"0")]
    kafka.produce(stack.kafka, "doelgroepregister.dlq", [(key, value, [*headers, *elders])])
    browser.js("document.querySelector('button[data-herhaal=\"doelgroepregister.dlq\"]').click()")
    melding = browser.wait("document.getElementById('melding').textContent")
    assert "1 record(s)" in melding and "1 overgeslagen: doelgroepregister.dlq[" in melding, melding
    browser.wait("document.querySelector('tr[data-topic=\"doelgroepregister\"]').dataset.dlq === '0'")
    assert browser.js("document.querySelectorAll('#dodebrieven tr').length") == 0
    browser.screenshot("console/replayed.png")
    eventually(lambda: status(stack, bsn)["doelgroepregistraties"][0]["einddatum"] == "2026-08-31")


def test_a_consumer_whose_service_is_down_shows_as_stalled_until_it_is_back(stack, browser):
    stack.services["registration"].stop()
    try:
        kafka.produce_events(
            stack.kafka,
            DOELGROEPREGISTER,
            [builders.registratie(builders.bsn(), "gestart", grond="wajong", startdatum="2026-02-01")],
        )
        with stack.client("console", Rol.operator) as client:  # UWV's own topic is the channel's flow
            [flow] = [s for s in client.get("/overzicht").json()["stromen"] if s["topic"] == "doelgroepregister"]
        assert flow["producenten"] == ["uwv"]
        assert flow["laatsteEvent"]["type"] == "nl.banenafspraak.doelgroepregistratie.gestart"
        log_in(browser, stack, Rol.operator)
        consumer = 'document.querySelector(\'tr[data-topic="doelgroepregister"] [data-groep="schakel-registration"]\')'
        assert browser.wait(f"{consumer}?.dataset.status") == "stilstaand"
        assert "1 stilstaand" in browser.js(f"{consumer}.textContent")
        assert "nee" in browser.js("document.querySelector('tr[data-dienst=\"registration\"]').cells[1].textContent")
        browser.screenshot("console/stalled-consumer.png")
    finally:
        stack.start("registration")
    eventually(lambda: (refreshed(browser), browser.js(f"{consumer}.dataset.status") == "bij")[1])


def test_the_console_reads_every_instance_of_a_service_and_counts_over_them(stack):
    """A second decisions on the same database: the console, told both, counts a case opened at
    each and shows the service not ready once one of them is gone."""
    first = stack.services["decisions"]
    second = ServiceProcess("decisions", free_port(), first.env, stack.tmp / "decisions-2.log").start()
    both = [p.url.removesuffix("/api/v1") for p in (first, second)]
    env = {**stack.services["console"].env, "CONSOLE_INSTANTIES": json.dumps({"decisions": both})}
    console = ServiceProcess("console", free_port(), env, stack.tmp / "console-2.log").start()
    operator = {"Authorization": f"Bearer {token(Rol.operator)}"}

    def decisions() -> dict:
        view = httpx.get(f"{console.url}/overzicht", headers=operator, timeout=30).json()
        [dienst] = [d for d in view["diensten"] if d["naam"] == "decisions"]
        return dienst | {"geopend": [c["aantal"] for c in view["cijfers"] if c["gemeentecode"] == "GM0014"]}

    try:
        second.wait_ready()
        console.wait_ready()
        for instance in (first, second):
            gemeente = {"Authorization": f"Bearer {token(Rol.municipality, 'GM0014')}"}
            opened = httpx.post(
                f"{instance.url}/uitkeringen", json=builders.uitkering(builders.bsn("GM0014")), headers=gemeente
            )
            assert opened.status_code == 201, opened.text
        dienst = decisions()
        assert (dienst["instanties"], dienst["gereed"], dienst["geopend"]) == (2, True, [2])

        second.stop()
        dienst = decisions()
        assert dienst["gereed"] is False and dienst["geopend"] == [1]
        assert dienst["reden"].startswith(f"1 van 2 instanties niet gereed (127.0.0.1:{second.port}: antwoordt niet")
    finally:
        console.stop()
        second.stop()


def test_a_municipality_reads_only_its_own_figures_and_subscriptions(stack, browser):
    for gemeente in ("GM0363", "GM0599"):
        with stack.client("decisions", Rol.municipality, gemeente) as client:
            answer = client.post(
                "/abonnementen",
                json={"url": f"http://127.0.0.1:9/{gemeente}", "eventTypes": ["nl.participatiewet.uitkering.geopend"]},
                headers={"Idempotency-Key": f"console-{gemeente}"},
            )
            assert answer.status_code == 201, answer.text
    with stack.client("console") as client:
        assert client.get("/overzicht").status_code == 401, "no token, no figures"
    with stack.client("console", Rol.municipality) as client:
        assert client.get("/dode-brieven").status_code == 403
        assert client.post("/dode-brieven/doelgroepregister.dlq/_herhaal").status_code == 403
        assert {a["gemeentecode"] for a in client.get("/abonnementen").json()} == {"GM0363"}
        assert set(client.get("/overzicht").json()) == {"rol", "gemeente", "cijfers"}
    with stack.client("console", Rol.operator) as client:
        assert {a["gemeentecode"] for a in client.get("/abonnementen").json()} >= {"GM0363", "GM0599"}
        assert client.post("/dode-brieven/doelgroepregister/_herhaal").status_code == 400, "not a dead-letter topic"

    log_in(browser, stack, Rol.municipality)
    assert browser.js("document.getElementById('wie').textContent") == "gemeente GM0363 (alleen lezen)"
    assert browser.js(
        "document.getElementById('dlq-sectie').hidden && document.getElementById('stromen-sectie').hidden"
    )
    assert browser.js("[...document.querySelectorAll('#abonnementen tr')].map(r => r.cells[0].textContent)") == [
        "GM0363"
    ]
    browser.screenshot("console/municipality.png")


def subscribed(stack, naam: str) -> str:
    """A new subscription of Groningen's (GM0014) to an address that takes nothing; its id."""
    with stack.client("decisions", Rol.municipality, "GM0014") as gemeente:
        nieuw = gemeente.post(
            "/abonnementen",
            json={"url": f"http://127.0.0.1:9/{naam}", "eventTypes": ["nl.participatiewet.uitkering.geopend"]},
            headers={"Idempotency-Key": f"console-{naam}"},
        )
    assert nieuw.status_code == 201, nieuw.text
    return nieuw.json()["abonnementId"]


def test_an_operator_pauses_a_subscription_from_the_page_and_lifts_only_the_operator_s_pause(stack, browser):
    """At night, with the municipality unreachable, the operator pauses a subscription from the page. The
    municipality pauses it too (maintenance): the operator's resume leaves that pause standing."""
    abonnement = subscribed(stack, "groningen")
    rij = f"document.querySelector('#abonnementen tr[data-abonnement=\"{abonnement}\"]')"

    log_in(browser, stack, Rol.operator)
    assert browser.js(f"{rij}.querySelector('button[data-onderbreek]').textContent") == "pauzeren"
    browser.js(f"{rij}.querySelector('button[data-onderbreek]').click()")
    browser.wait(f"{rij}?.dataset.status === 'gepauzeerd'")
    assert browser.js(f"{rij}.cells[5].textContent").startswith("de beheerder sinds ")
    assert "gepauzeerd door de beheerder" in browser.js("document.getElementById('pauze-uitkomst').textContent")
    browser.screenshot("console/paused.png")

    with stack.client("decisions", Rol.municipality, "GM0014") as gemeente:
        gepauzeerd = gemeente.post(f"/abonnementen/{abonnement}/_pauzeer")
        assert gepauzeerd.json()["gepauzeerdDoor"] == ["gemeente", "beheerder"], gepauzeerd.text
    refreshed(browser)
    gemeente_sinds, beheerder_sinds = browser.js(f"{rij}.cells[5].textContent").split(" en ")
    assert gemeente_sinds.startswith("de gemeente sinds ") and beheerder_sinds.startswith("de beheerder sinds ")
    antwoord = gepauzeerd.json()
    assert antwoord["gepauzeerdDoorBeheerderOp"] < antwoord["gepauzeerdDoorGemeenteOp"], "each since its own time"
    assert browser.js(f"{rij}.querySelector('button[data-onderbreek]').textContent") == "pauze opheffen"
    browser.js(f"{rij}.querySelector('button[data-onderbreek]').click()")
    browser.wait(f"{rij}?.querySelector('button[data-onderbreek]')?.textContent === 'pauzeren'")
    assert browser.js(f"{rij}.dataset.status") == "gepauzeerd", "the municipality's pause stands"
    assert browser.js("document.getElementById('pauze-uitkomst').textContent").endswith(
        "pauze van de beheerder opgeheven; nog gepauzeerd door de gemeente: wat wacht, gaat pas als die pauze is opgeheven."
    )
    assert browser.js(f"{rij}.cells[5].textContent").startswith("de gemeente sinds ")
    with stack.client("decisions", Rol.municipality, "GM0014") as gemeente:
        [eigen] = [a for a in gemeente.get("/abonnementen").json() if a["abonnementId"] == abonnement]
    assert eigen["gepauzeerdDoor"] == ["gemeente"]


# the console's answer while the broker does not answer in time (what `_broker` makes of BrokerUnavailable)
BROKER_WEG = """(() => {
  const echt = window.fetch;
  window.fetch = (pad, opties) => /\\/api\\/v1\\/(overzicht|dode-brieven)$/.test(pad)
    ? Promise.resolve(new Response(JSON.stringify({
        status: 503, code: "broker-onbereikbaar", detail: "De broker antwoordt nu niet op tijd; probeer het later opnieuw.",
      }), { status: 503, headers: { "Content-Type": "application/problem+json", "Retry-After": "5" } }))
    : echt(pad, opties);
})()"""


def test_while_the_broker_does_not_answer_the_operator_still_sees_and_pauses_the_subscriptions(stack, browser):
    """The overview and the dead letters ask the broker, decisions' subscriptions do not: at night, with the
    broker away, the operator who signs in still reads them and pauses one, and reads why the rest is missing."""
    rij = f"document.querySelector('#abonnementen tr[data-abonnement=\"{subscribed(stack, 'groningen-nacht')}\"]')"

    browser.open(stack.services["console"].url.removesuffix("/api/v1") + "/")
    browser.js(BROKER_WEG)
    browser.js(f"document.getElementById('token').value = {json.dumps(token(Rol.operator, 'GM0363'))}")
    browser.js("document.getElementById('tokenformulier').requestSubmit()")
    melding = browser.wait("document.getElementById('melding').textContent")
    assert "De broker antwoordt nu niet op tijd" in melding, melding
    assert browser.js(f"{rij}?.querySelector('button[data-onderbreek]')?.textContent") == "pauzeren"
    browser.js(f"{rij}.querySelector('button[data-onderbreek]').click()")
    browser.wait(f"{rij}?.dataset.status === 'gepauzeerd'")
    assert browser.js(f"{rij}.cells[5].textContent").startswith("de beheerder sinds ")


def kwartaal(maanden_terug: int) -> Periode:
    """The quarter of the month that many months before the services' today."""
    return Periode.kwartaal(Maand.van(VANDAAG).verschoven(-maanden_terug).eerste_dag)


# the services' (Dutch) calendar, so that the figures asked for are there whatever the day the test runs
VANDAAG = datetime.now(ZoneInfo("Europe/Amsterdam")).date()
DIT = kwartaal(0)  # its figures have not come
# the last quarter whose figures came, which the console's page shows (and so fixes) in the other tests
GETOOND = next(q for n in count(1) if vrijgegeven(q := kwartaal(3 * n)) <= VANDAAG)
# the handovers' quarter: the one before it, asked only here
WW = Periode.kwartaal(Maand.van(GETOOND.van).verschoven(-3).eerste_dag)
# the fall-back's quarter: 12 months after it have passed, 36 not
UITSTROOM = kwartaal(15)


def params(periode: Periode) -> dict[str, str]:
    return {"van": periode.van.isoformat(), "tot": periode.tot.isoformat()}


def overdracht(stack, gemeente: str, n: int, geslaagd: bool = True) -> None:
    """A handover whose WW ended at the end of `WW`, settled before that by work found, or not at all."""
    melding = {
        "bsn": builders.bsn(gemeente),
        "wwEinddatum": WW.tot.isoformat(),
        "gemeentecode": gemeente,
        "grondslag": {"soort": "toestemming", "referentie": f"UWV-TST-{n}", "reikwijdte": ["ww-einddatum"]},
    }
    with stack.client("reapplication", Rol.uwv) as uwv:
        answer = uwv.post("/overdrachten", json=melding, headers={"Idempotency-Key": f"fig-{gemeente}-{n}"})
    assert answer.is_success, answer.text
    if not geslaagd:
        return
    with stack.client("reapplication", Rol.municipality, gemeente) as client:
        uitkomst = client.post(
            f"/overdrachten/{answer.json()['overdrachtId']}/uitkomst",
            json={"uitkomst": "werk-gevonden", "datum": (WW.tot - timedelta(days=15)).isoformat()},
            headers={"Idempotency-Key": f"fig-uitkomst-{gemeente}-{n}"},
        )
    assert uitkomst.is_success, uitkomst.text


def uitgestroomd(stack, gemeente: str, terug: bool) -> None:
    """Left bijstand for work at the end of `UITSTROOM`, and back 9 months later or not."""
    bsn, einde = builders.bsn(gemeente), Maand.van(UITSTROOM.tot)
    with stack.client("decisions", Rol.municipality, gemeente) as client:
        start = einde.verschoven(-6).eerste_dag.isoformat()
        geopend = client.post("/uitkeringen", json=builders.uitkering(bsn, startdatum=start))
        assert geopend.is_success, geopend.text
        beeindig = {"einddatum": UITSTROOM.tot.isoformat(), "reden": "werk"}
        assert client.post(f"/uitkeringen/{geopend.json()['uitkeringId']}/_beeindig", json=beeindig).is_success
        if terug:
            weer = client.post(
                "/uitkeringen", json=builders.uitkering(bsn, startdatum=einde.verschoven(9).eerste_dag.isoformat())
            )
            assert weer.is_success, weer.text


def test_the_programme_figures_per_municipality_and_nationally_with_small_groups_withheld(stack, browser):
    for n in range(10):
        overdracht(stack, "GM0518", n)
        overdracht(stack, "GM0518", 100 + n, geslaagd=False)
        uitgestroomd(stack, "GM0518", terug=True)
        uitgestroomd(stack, "GM0518", terug=False)
    for n in range(3):
        overdracht(stack, "GM0599", n)
    periode = params(WW)  # fixed when first asked: one the other tests never ask
    naam = "overdrachtenAfgerondVoorEindeWw"

    def cijfer(view: dict, gemeente: str | None, dienst: str = "reapplication", figuur: str = naam) -> dict:
        [eenheid] = [e for e in view["eenheden"] if e["gemeentecode"] == gemeente]
        return next(c for c in eenheid["cijfers"] if c["naam"] == figuur and c["dienst"] == dienst)

    with stack.client("console", Rol.operator) as client:
        view = client.get("/programmacijfers", params=periode).json()
        assert view["onbereikbaar"] == []
        # 13 of 23, rounded: 15 of 25
        assert (cijfer(view, None)["waarde"], cijfer(view, None)["aantal"]) == (0.6, 25)
        assert cijfer(view, "GM0599") == {
            "dienst": "reapplication",
            "naam": naam,
            "waarde": None,
            "aantal": None,
            "reden": "minder-dan-drempel",
        }
        # withheld beside the only other one withheld: the country less it would give Rotterdam's 3
        assert cijfer(view, "GM0518")["reden"] == "aanvullend-onderdrukt"
        omgekeerd = client.get("/programmacijfers", params={"van": "2026-11-30", "tot": "2026-01-01"})
        assert omgekeerd.status_code == 422 and omgekeerd.json()["invalidParams"][0]["name"] == "tot"
        lopend = client.get("/programmacijfers", params=params(DIT))
        assert lopend.status_code == 422 and lopend.json()["code"] == "periode-lopend", "the services' today"
        for dienst in ("decisions", "reapplication", "registration"):
            with stack.client(dienst, Rol.operator) as direct:
                eerste = Maand.van(WW.van)
                maand = direct.get(
                    "/programmacijfers", params={"van": WW.van.isoformat(), "tot": eerste.laatste_dag.isoformat()}
                )
                assert maand.status_code == 422 and maand.json()["invalidParams"][0]["name"] == "tot", dienst
        # seven more handovers of Rotterdam's, recorded after the quarter was first asked: not in it,
        # or the difference would show them (10 of 10 then, and the country 20 of 30)
        for n in range(3, 10):
            overdracht(stack, "GM0599", n)
        opnieuw = client.get("/programmacijfers", params=periode).json()
        assert (opnieuw["eenheden"], opnieuw["vastgesteldOp"]) == (view["eenheden"], view["vastgesteldOp"])
    with stack.client("console", Rol.municipality, "GM0518") as client:
        view = client.get("/programmacijfers", params=periode).json()
        assert [e["gemeentecode"] for e in view["eenheden"]] == ["GM0518"], "a municipality sees only its own"
        # as the operator's answer shows it: shown here, its 10 of 20 beside the country would give Rotterdam's 3
        assert cijfer(view, "GM0518")["reden"] == "aanvullend-onderdrukt"
        # decisions: who left for work in that quarter and fell back within 12 months
        tweede = client.get("/programmacijfers", params=params(UITSTROOM)).json()
        assert "decisions" not in tweede["onbereikbaar"]
        assert cijfer(tweede, "GM0518", "decisions", "uitgestroomdNaarWerk")["aantal"] == 20
        assert cijfer(tweede, "GM0518", "decisions", "terugInBijstandBinnen12Maanden")["waarde"] == 0.5
        terug36 = cijfer(tweede, "GM0518", "decisions", "terugInBijstandBinnen36Maanden")
        assert terug36["reden"] == "nog-niet-meetbaar", "36 months after they left are still to come"

    log_in(browser, stack, Rol.operator)
    browser.js(f"document.getElementById('programma-van').value = '{WW.van.isoformat()}'")
    browser.js(f"document.getElementById('programma-tot').value = '{WW.tot.isoformat()}'")
    browser.js("document.getElementById('programmaformulier').requestSubmit()")
    rij = f'document.querySelector(\'#programmacijfers tr[data-gemeente="landelijk"][data-cijfer="{naam}"]\')'
    browser.wait(f"{rij}?.cells[3].textContent === '60.0%'")
    klein = f'document.querySelector(\'#programmacijfers tr[data-gemeente="GM0599"][data-cijfer="{naam}"]\')'
    onder = "onderdrukt: minder dan 10 (personen, maanden of waarden aan één kant)"
    assert browser.js(f"{klein}.cells[3].textContent") == onder
    naast = f'document.querySelector(\'#programmacijfers tr[data-gemeente="GM0518"][data-cijfer="{naam}"]\')'
    assert (
        browser.js(f"{naast}.cells[3].textContent")
        == "aanvullend onderdrukt: anders volgt een kleine groep uit het verschil"
    )
    uit = '#programmacijfers tr[data-gemeente="landelijk"][data-cijfer="uitgestroomdNaarWerk"]'
    assert browser.js("document.getElementById('programma-vastgesteld').textContent").startswith("decisions op ")
    assert browser.js(f"document.querySelector('{uit}').cells[2].textContent") == "uitgestroomd naar werk"
    browser.screenshot("console/programmacijfers.png")


def test_what_was_read_is_answered_when_the_broker_is_slow_to_close_the_reader(stack, monkeypatch):
    """A reader's stop closes its TLS connections and waits for the broker's side of the close; a
    broker that stalls just then (here: paused for longer than the client's timeout) neither fails
    nor holds up the headers already read (it made the console answer 500)."""
    kafka.produce_events(
        stack.kafka,
        DOELGROEPREGISTER,
        [builders.registratie(builders.bsn(), "gestart", grond="wajong", startdatum="2026-02-01")],
    )
    broker = stack.broker.process
    stop = AIOKafkaConsumer.stop

    async def stop_while_the_broker_stalls(client: AIOKafkaConsumer) -> None:
        broker.send_signal(signal.SIGSTOP)
        threading.Timer(8.0, broker.send_signal, [signal.SIGCONT]).start()
        await stop(client)

    async def read() -> dict:
        # the client's timeout is shorter than the stall: a close awaited in full would fail the read
        console = replace(stack.kafka_as(CONSOLE), timeout=5.0)  # the read's own deadline too: room on a loaded machine
        topics = {DOELGROEPREGISTER: load_contract().topic(DOELGROEPREGISTER).partitions}
        try:
            return await inspection.latest(console, topics)
        finally:  # the close, finishing in the background, is let finish once the broker is back
            await asyncio.gather(*asyncio.all_tasks() - {asyncio.current_task()})

    monkeypatch.setattr(AIOKafkaConsumer, "stop", stop_while_the_broker_stalls)
    try:
        newest = asyncio.run(read())
    finally:
        broker.send_signal(signal.SIGCONT)
    assert newest[DOELGROEPREGISTER].headers["ce_type"] == "nl.banenafspraak.doelgroepregistratie.gestart"


# the page's lines that say what happened; the page's timer stopped (every id up to the newest), so that
# only a click refreshes it
GEMELD = "[...document.querySelectorAll('[role=status]')].map((e) => e.textContent).join(' | ')"
TIMER_UIT = (
    "(() => { const nieuwste = setTimeout(() => {}, 0); for (let i = 0; i <= nieuwste; i++) clearInterval(i); })()"
)


def test_the_operator_reads_decisions_answer_to_a_pause_while_another_service_does_not_answer(stack, browser):
    """The refresh after a pause writes the page's line when a service does not answer (the programme's figures
    here): decisions' answer to the pause stays in view, its refusal of a stopped subscription too."""
    with stack.client("decisions", Rol.municipality, "GM0014") as gemeente:
        nieuw = gemeente.post(
            "/abonnementen",
            json={
                "url": "http://127.0.0.1:9/groningen-uitkomst",
                "eventTypes": ["nl.participatiewet.uitkering.geopend"],
            },
            headers={"Idempotency-Key": "console-pauze-uitkomst"},
        )
        assert nieuw.status_code == 201, nieuw.text
        abonnement = nieuw.json()["abonnementId"]
        knop = f"document.querySelector('#abonnementen tr[data-abonnement=\"{abonnement}\"] button[data-onderbreek]')"

        log_in(browser, stack, Rol.operator)
        browser.js(TIMER_UIT)
        browser.wait("bezig === null")  # nor one of the timer's still under way
        browser.js(
            """(() => { const echt = window.fetch; window.fetch = (pad, opties) => pad.includes("/programmacijfers?")
              ? Promise.resolve(new Response('{"status": 503, "detail": "reapplication antwoordt niet."}', { status: 503 }))
              : echt(pad, opties); })()"""
        )
        before = browser.js("document.body.dataset.ververst")
        browser.js(f"{knop}.click()")
        browser.wait(f"document.body.dataset.ververst !== {json.dumps(before)}")
        assert browser.js(f"{knop}.textContent") == "pauze opheffen"
        assert "gepauzeerd door de beheerder" in browser.js(GEMELD), browser.js(GEMELD)

        # a resume that went out and got no answer: not "failed", which invites a second press that undoes it
        browser.js(
            """(() => { window.echt = window.fetch; window.fetch = (pad, opties) => pad.endsWith("/_hervat")
              ? Promise.resolve(new Response(JSON.stringify({ status: 503, code: "wijziging-onbevestigd",
                  detail: "decisions gaf geen (bruikbaar) antwoord (ReadTimeout): de wijziging kan wel zijn doorgevoerd." }),
                  { status: 503, headers: { "Content-Type": "application/problem+json" } }))
              : window.echt(pad, opties); })()"""
        )
        before = browser.js("document.body.dataset.ververst")
        browser.js(f"{knop}.click()")
        browser.wait(f"document.body.dataset.ververst !== {json.dumps(before)}")
        assert "Pauzeren of opheffen niet bevestigd: decisions gaf geen" in browser.js(GEMELD), browser.js(GEMELD)
        # a resume that found the circuit open: what waits goes once it closes, not now
        browser.js(
            """window.fetch = (pad, opties) => pad.endsWith("/_hervat")
              ? Promise.resolve(new Response(JSON.stringify({ status: "onderbroken", gepauzeerdDoor: [],
                  onderbrokenTot: "2026-12-07T16:00:00Z" }), { status: 200, headers: { "Content-Type": "application/json" } }))
              : window.echt(pad, opties)"""
        )
        before = browser.js("document.body.dataset.ververst")
        browser.js(f"{knop}.click()")
        browser.wait(f"document.body.dataset.ververst !== {json.dumps(before)}")
        assert "): onderbroken tot " in browser.js(GEMELD) and "wat wacht, gaat daarna." in browser.js(GEMELD)
        browser.js("window.fetch = window.echt")

        assert gemeente.delete(f"/abonnementen/{abonnement}").status_code == 204  # stopped since the page read it
        before = browser.js("document.body.dataset.ververst")
        browser.js(f"{knop}.click()")
        browser.wait(f"document.body.dataset.ververst !== {json.dumps(before)}")
        assert "Pauzeren of opheffen mislukt: Dit abonnement is gestopt" in browser.js(GEMELD), browser.js(GEMELD)
