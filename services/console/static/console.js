// The operations console: reads /api/v1 of this console with the bearer token kept for this tab
// only (sessionStorage), builds every cell with textContent (no markup from data), refreshes itself.
"use strict";

const API = "/api/v1";
const VERVERS_MS = 10000;
const $ = (id) => document.getElementById(id);

function token() { return sessionStorage.getItem("schakel-token"); }

async function vraag(pad, opties = {}) {
  const antwoord = await fetch(API + pad, { ...opties, headers: { ...opties.headers, Authorization: "Bearer " + token() } });
  if (antwoord.status === 401) { afmelden("Het token is ongeldig of verlopen."); throw new Error("401"); }
  const body = await antwoord.json();
  if (!antwoord.ok) throw Object.assign(new Error(body.detail || body.title || antwoord.status), { code: body.code });
  return body;
}

function cel(tekst, klasse) {
  const td = document.createElement("td");
  if (tekst instanceof Node) td.append(tekst); else td.textContent = tekst ?? "–";
  if (klasse) td.className = klasse;
  return td;
}

function rij(tbody, cellen, data = {}) {
  const tr = document.createElement("tr");
  Object.assign(tr.dataset, data);
  tr.append(...cellen);
  tbody.append(tr);
  return tr;
}

function traceLink(e) {
  if (!e || !e.traceUrl) return "–";
  const a = document.createElement("a");
  a.href = e.traceUrl; a.target = "_blank"; a.rel = "noopener noreferrer";
  a.textContent = e.traceId.slice(0, 12) + "…";
  return a;
}

function tijd(iso) { return iso ? new Date(iso).toLocaleString("nl-NL") : "–"; }
function seconden(s) {
  if (s == null) return "";
  if (s < 120) return `${Math.round(s)} s`;
  if (s < 7200) return `${Math.round(s / 60)} min`;
  return s < 172800 ? `${Math.round(s / 3600)} uur` : `${Math.round(s / 86400)} dagen`;
}

function toonStromen(stromen) {
  const tbody = $("stromen"); tbody.replaceChildren();
  for (const s of stromen) {
    const consumers = document.createElement("div");
    for (const c of s.consumenten) {
      const regel = document.createElement("div");
      regel.className = c.status; regel.dataset.groep = c.groep; regel.dataset.status = c.status;
      regel.textContent = `${c.dienst}: ${c.achterstand} ${c.status}` +
        (c.oudsteWachtendSeconden != null ? ` (oudste ${seconden(c.oudsteWachtendSeconden)})` : "") +
        (c.reden ? ` – ${c.reden}` : "");
      consumers.append(regel);
    }
    const laatste = document.createElement("div");
    if (s.laatsteEvent) {
      laatste.append(`${s.laatsteEvent.type} · ${tijd(s.laatsteEvent.tijd)} `, traceLink(s.laatsteEvent));
    } else laatste.textContent = "–";
    rij(tbody, [
      cel(s.topic), cel(s.producenten.join(", ")), cel(consumers),
      cel(String(s.dlq.aantal), s.dlq.aantal ? "fout" : "bij"), cel(laatste),
    ], { topic: s.topic, dlq: s.dlq.aantal });
  }
}

function toonDiensten(diensten, webhooks) {
  const tbody = $("diensten"); tbody.replaceChildren();
  for (const d of diensten) {
    rij(tbody, [
      cel(d.instanties > 1 ? `${d.naam} (${d.instanties} instanties)` : d.naam),
      cel(d.gereed ? "ja" : `nee: ${d.reden}`, d.gereed ? "ja" : "nee"),
      cel(d.outboxAchterstand == null ? "–" : `${d.outboxAchterstand}` +
        (d.outboxOudsteSeconden ? ` (oudste ${seconden(d.outboxOudsteSeconden)})` : "")),
      cel(d.takenNeer.join(", ") || "–", d.takenNeer.length ? "fout" : ""),
    ], { dienst: d.naam });
  }
  const a = webhooks.afleveringen;
  $("webhooks").textContent = `Webhookafleveringen: ${a.delivered || 0} afgeleverd, ${a.failed || 0} mislukt ` +
    `(later opnieuw), ${a.given_up || 0} opgegeven, ${a.refused || 0} geweigerd, ` +
    `${a.lapsed || 0} vervallen (abonnement gestopt)` +
    (webhooks.oudsteWachtendSeconden ? `; de oudste wacht al ${seconden(webhooks.oudsteWachtendSeconden)}` : "") +
    // it lapses after DECISIONS_AFLEVERINGEN_BEWAREN_DAGEN: a pause forgotten loses it
    (webhooks.oudsteGepauzeerdSeconden
      ? `; achter een pauze wacht de oudste al ${seconden(webhooks.oudsteGepauzeerdSeconden)}.` : ".");
}

function toonDodeBrieven(brieven) {
  const tbody = $("dodebrieven"); tbody.replaceChildren();
  const knoppen = $("herhaalknoppen"); knoppen.replaceChildren();
  const perTopic = {};  // topic: [listed, on the topic]; the list holds the newest per partition only
  for (const b of brieven) {
    perTopic[b.topic] = [(perTopic[b.topic]?.[0] || 0) + 1, b.aantalOpTopic];
    // a dead letter that must never be applied (an old grant that would open a case) is left out by its own
    // position on the dead-letter topic, not its origin's
    const niet = document.createElement("input");
    niet.type = "checkbox"; niet.dataset.overslaan = `${b.partitie}@${b.offset}`; niet.dataset.dlqTopic = b.topic;
    niet.title = `${b.topic}[${b.partitie}]@${b.offset} niet opnieuw aanbieden`;
    rij(tbody, [
      cel(tijd(b.tijd)), cel(`${b.bronTopic}[${b.bronPartitie}]@${b.bronOffset}`), cel(b.consumer),
      cel(b.type), cel(b.reden, "fout"), cel(traceLink(b)), cel(niet),
    ], { dlqTopic: b.topic });
  }
  for (const [topic, [getoond, aantal]] of Object.entries(perTopic)) {
    const knop = document.createElement("button");
    knop.type = "button"; knop.dataset.herhaal = topic;
    knop.textContent = `${topic}: ${aantal} opnieuw aanbieden`;  // the replay sends them all, listed or not
    knop.addEventListener("click", () => herhaal(topic, knop));
    knoppen.append(knop);
    if (getoond < aantal) knoppen.append(` (getoond: de nieuwste ${getoond} van ${aantal}) `);
  }
  if (!brieven.length) knoppen.textContent = "Geen dead letters.";
}

const PAUZE = { gemeente: "de gemeente", beheerder: "de beheerder" };
function wiens(door) { return door.map((d) => PAUZE[d] || d).join(" en "); }
// each pause since its own first time (decisions before 0.23 gives only the first of the two)
function sinds(a, door) {
  return (door === "gemeente" ? a.gepauzeerdDoorGemeenteOp : a.gepauzeerdDoorBeheerderOp) || a.gepauzeerdOp;
}

function toonAbonnementen(abonnementen, beheerder) {
  const tbody = $("abonnementen"); tbody.replaceChildren();
  for (const a of abonnementen) {
    const door = a.gepauzeerdDoor || [];
    // the operator lifts only the operator's own pause: the municipality's stands until it lifts it
    const actie = door.includes("beheerder") ? "_hervat" : "_pauzeer";
    const knop = document.createElement("button");
    knop.type = "button"; knop.dataset.onderbreek = actie;
    knop.textContent = actie === "_hervat" ? "pauze opheffen" : "pauzeren";
    knop.addEventListener("click", () => onderbreek(a, actie, knop));
    rij(tbody, [
      cel(a.gemeentecode), cel(a.url), cel(a.status, a.status), cel(String(a.opeenvolgendeFouten)),
      cel(tijd(a.onderbrokenTot)),
      cel(door.map((d) => `${PAUZE[d] || d} sinds ${tijd(sinds(a, d))}`).join(" en ") || "–"),
      ...(beheerder ? [cel(knop)] : []),
    ], { abonnement: a.abonnementId, status: a.status });
  }
}

async function onderbreek(a, actie, knop) {
  knop.disabled = true;
  // its own line: the refresh after it (and every 10 s) writes the page's line when a service does not answer,
  // which would take decisions' answer (a stopped subscription, a refusal) from the operator's view
  const uitkomst = $("pauze-uitkomst");
  try {
    const na = await vraag(`/abonnementen/${encodeURIComponent(a.abonnementId)}/${actie}`, { method: "POST" });
    // lifting the operator's pause while the municipality's stands sends nothing yet: say so
    uitkomst.textContent = `Abonnement van ${a.gemeentecode} (${a.url}): ` + (na.status === "actief"
      ? "actief; wat wachtte, gaat weer."
      : na.status === "onderbroken"  // its circuit is open (a resume that found no pause of the operator's)
        ? `onderbroken tot ${tijd(na.onderbrokenTot)}: wat wacht, gaat daarna.`
        : actie === "_hervat"
        ? `pauze van de beheerder opgeheven; nog gepauzeerd door ${wiens(na.gepauzeerdDoor)}: wat wacht, gaat pas als die pauze is opgeheven.`
        : `gepauzeerd door ${wiens(na.gepauzeerdDoor)}.`);
  } catch (fout) {
    // not "failed" where the answer did not come to a request that went out: it may have been made
    const misschien = fout.code === "wijziging-onbevestigd";
    uitkomst.textContent = `Pauzeren of opheffen ${misschien ? "niet bevestigd" : "mislukt"}: ${fout.message}`;
  }
  await ververs();
}

function toonCijfers(cijfers) {
  const tbody = $("cijfers"); tbody.replaceChildren();
  for (const c of cijfers) rij(tbody, [cel(c.gemeentecode || "–"), cel(c.dienst), cel(c.soort), cel(String(c.aantal))]);
}

// the programme's figures: a label and how to read the value (a share or days)
const PROGRAMMA = {
  uitgestroomdNaarWerk: ["uitgestroomd naar werk", "personen"],
  terugInBijstandBinnen12Maanden: ["terug in de bijstand binnen 12 maanden", "aandeel"],
  terugInBijstandBinnen36Maanden: ["terug in de bijstand binnen 36 maanden", "aandeel"],
  maandenTijdigVerrekend: ["maanden binnen het eigen doel verrekend", "aandeel"],
  heraanvraagBeslisduurMediaan: ["beslisduur heraanvraag, mediaan", "dagen"],
  heraanvraagBeslisduurP90: ["beslisduur heraanvraag, 90e percentiel", "dagen"],
  overdrachtenAfgerondVoorEindeWw: ["overdrachten afgerond vóór einde WW", "aandeel"],
  beschutGeplaatstePersonen: ["beschut werk: personen met een plek", "personen"],
  beschutPlekequivalenten: ["beschut werk: plekken van 31 uur", "plekken"],
  beschutRealisatieTaakstelling: ["beschut werk: realisatie van de taakstelling", "aandeel"],
  positieveAdviezen: ["beschutwerkadviezen: aandeel positief", "aandeel"],
};
const ONDERDRUKT = {
  "minder-dan-drempel": "onderdrukt: minder dan 10 (personen, maanden of waarden aan één kant)",
  "kleine-groep": "onderdrukt: deel of rest onder 10",
  "aanvullend-onderdrukt": "aanvullend onderdrukt: anders volgt een kleine groep uit het verschil",
  "geen-taakstelling": "geen taakstelling voor dit jaar",
  "nog-niet-meetbaar": "nog niet meetbaar: de termijn na uitstroom loopt nog",
};

function waarde(c, soort) {
  if (c.waarde == null) return ONDERDRUKT[c.reden] || "–";
  return soort === "aandeel" ? `${(c.waarde * 100).toFixed(1)}%` : `${c.waarde} ${soort || ""}`.trim();
}

function toonProgrammacijfers(p) {
  const tbody = $("programmacijfers"); tbody.replaceChildren();
  for (const e of p.eenheden) {
    for (const c of e.cijfers) {
      const [label, soort] = PROGRAMMA[c.naam] || [c.naam, ""];
      rij(tbody, [
        cel(e.gemeentecode || "landelijk"), cel(c.dienst), cel(label), cel(waarde(c, soort), c.reden ? "nee" : ""),
        cel(c.aantal == null ? "–" : String(c.aantal)),
      ], { gemeente: e.gemeentecode || "landelijk", cijfer: c.naam, reden: c.reden || "" });
    }
  }
  $("programma-vastgesteld").textContent = Object.entries(p.vastgesteldOp || {})
    .map(([dienst, dag]) => `${dienst} op ${dag}`).join(", ");
  const ontbreekt = [
    ...p.onbereikbaar.map((dienst) => `${dienst} (antwoordt niet)`),
    ...Object.entries(p.geweigerd || {}).map(([dienst, reden]) => `${dienst} (${reden})`),
  ];
  if (ontbreekt.length) $("melding").textContent = `Geen programmacijfers van: ${ontbreekt.join(", ")}.`;
}

function programmaperiode() {
  if (!$("programma-tot").value) {
    // the last quarter whose figures came (the first of the second month after it), on the services'
    // (Dutch) calendar: in November the third, in October still the second
    const [jaar, maand] = new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Amsterdam" })
      .format(new Date()).split("-").map(Number);
    const begin = Math.floor((maand - 2) / 3) * 3 - 3;
    $("programma-van").value = new Date(Date.UTC(jaar, begin, 1)).toISOString().slice(0, 10);
    $("programma-tot").value = new Date(Date.UTC(jaar, begin + 3, 0)).toISOString().slice(0, 10);
  }
  return `van=${$("programma-van").value}&tot=${$("programma-tot").value}`;
}

async function herhaal(topic, knop) {
  knop.disabled = true;
  try {
    const overslaan = [...document.querySelectorAll("#dodebrieven input[data-overslaan]:checked")]
      .filter((vink) => vink.dataset.dlqTopic === topic).map((vink) => vink.dataset.overslaan);
    const uitkomst = await vraag(`/dode-brieven/${encodeURIComponent(topic)}/_herhaal`, {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ overslaan }),
    });
    const over = uitkomst.aantalOvergeslagen;  // left where they are: their reason says where to look
    $("melding").textContent = `${uitkomst.aantal} record(s) van ${topic} opnieuw aangeboden` +
      (over ? `; ${over} overgeslagen: ${uitkomst.overgeslagen.join("; ")}${over > uitkomst.overgeslagen.length ? "; …" : ""}.` : ".") +
      (uitkomst.nietGevonden?.length ? ` Niet gevonden (mogelijk toch aangeboden): ${uitkomst.nietGevonden.join("; ")}.` : "");
  } catch (fout) {
    $("melding").textContent = `Opnieuw aanbieden mislukt: ${fout.message}`;
  }
  await ververs();
}

// what the token says of its bearer (role, municipality): only which parts the page shows while the
// overview does not answer; what each may do, the console's API decides
function bewering() {
  try { return JSON.parse(atob(token().split(".")[1].replace(/-/g, "+").replace(/_/g, "/"))) || {}; } catch { return {}; }
}

async function ververs() {
  let o;
  try {
    o = await vraag("/overzicht");
  } catch (fout) {
    if (fout.message === "401") return;
    // the overview and the dead letters ask the broker; decisions' subscriptions (and their pause) and the
    // programme's figures do not: a broker that does not answer keeps only the first from view
    const { role, gemeente } = bewering();
    o = { fout, rol: role, gemeente };
  }
  try {
    const beheerder = o.rol === "operator";
    $("wie").textContent = beheerder ? "beheerder" : `gemeente ${o.gemeente} (alleen lezen)`;
    for (const s of document.querySelectorAll("[data-beheer]")) s.hidden = !beheerder;
    if (!o.fout) toonCijfers(o.cijfers);
    const [brieven, abonnementen, programma] = await Promise.all([
      beheerder && !o.fout ? vraag("/dode-brieven").catch((fout) => fout) : [],
      vraag("/abonnementen").catch((fout) => { $("melding").textContent = fout.message; return []; }),
      vraag("/programmacijfers?" + programmaperiode()).catch((fout) => {
        $("melding").textContent = `Programmacijfers: ${fout.message}`; return { eenheden: [], onbereikbaar: [], geweigerd: {} };
      }),
    ]);
    if (!token()) return;  // signed out by a 401 meanwhile
    if (beheerder && !o.fout) {
      toonStromen(o.stromen);
      toonDiensten(o.diensten, o.webhooks);
      if (!(brieven instanceof Error)) toonDodeBrieven(brieven);
    }
    toonAbonnementen(abonnementen, beheerder);
    toonProgrammacijfers(programma);
    const fout = o.fout || (brieven instanceof Error ? brieven : null);
    if (fout) $("melding").textContent = `Stromen, diensten en dead letters niet ververst: ${fout.message}`;
    document.body.dataset.ververst = new Date().toISOString();
  } catch (fout) {
    if (fout.message !== "401") $("melding").textContent = `Verversen mislukt: ${fout.message}`;
  }
}

function afmelden(reden) {
  sessionStorage.removeItem("schakel-token");
  $("inhoud").hidden = true; $("vernieuw").hidden = true; $("afmelden").hidden = true;
  $("aanmelden").hidden = false; $("wie").textContent = "";
  $("melding").textContent = reden || "";
}

function start() {
  $("aanmelden").hidden = true;
  $("inhoud").hidden = false; $("vernieuw").hidden = false; $("afmelden").hidden = false;
  ververs();
}

$("tokenformulier").addEventListener("submit", (e) => {
  e.preventDefault();
  sessionStorage.setItem("schakel-token", $("token").value.trim());
  $("token").value = "";
  $("melding").textContent = "";
  start();
});
$("programmaformulier").addEventListener("submit", (e) => { e.preventDefault(); ververs(); });
$("vernieuw").addEventListener("click", ververs);
$("afmelden").addEventListener("click", () => afmelden());
let bezig = null;  // the timer's refresh under way: a slow one is not joined by the next
setInterval(() => { if (token() && !bezig) bezig = ververs().finally(() => { bezig = null; }); }, VERVERS_MS);
if (token()) start(); else afmelden();
