// Seeded generator for the airline example data.
//
//   node examples/airline/generate-data.mjs
//
// Plain Node (>= 20), no dependencies, deterministic: each dataset draws from its own mulberry32
// stream, so two runs write identical files. Like real exports, the files mix a UTF-8 BOM
// (members, bag-reports), CRLF line endings (complaints, bag-reports), quoted fields with commas
// and doubled quotes, empty cells for nullable columns, undeclared extra columns, and timestamps
// in UTC (`Z`) or with the Europe/Amsterdam offset of the moment.
//
// Kestrel Air flies eight city pairs out of Amsterdam. The story of 2025 (printed after a run):
// - A summer of ATC strikes and staff shortages: on-time performance drops from ~85% to ~65% in
//   July and August and cancellations triple, so `otp_below_target` fires in August.
// - The Schiphol baggage system fails in July: mishandled bags per 1000 passengers roughly double
//   in July and August, `baggage_rate_high` fires in August.
// - Business passengers rate the value of their fare below its price; economy above it.
// - Automatic rebooking in the app is the fastest way back on track; the call centre the slowest.
// - Gold and platinum members keep flying; blue members churn.

import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const OUT = join(dirname(fileURLToPath(import.meta.url)), "data");
const SEED = 747;

// ---------- deterministic randomness ----------

function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function stream(offset) {
  const rnd = mulberry32(SEED + offset * 7919);
  const r = {
    next: rnd,
    int: (lo, hi) => lo + Math.floor(rnd() * (hi - lo + 1)),
    chance: (p) => rnd() < p,
    pick: (xs) => xs[Math.floor(rnd() * xs.length)],
    weighted: (entries) => {
      const total = entries.reduce((s, [, w]) => s + w, 0);
      let x = rnd() * total;
      for (const [v, w] of entries) if ((x -= w) < 0) return v;
      return entries[entries.length - 1][0];
    },
    normal: () => {
      const u = 1 - rnd();
      const v = rnd();
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    },
    exp: (mean) => -Math.log(1 - rnd()) * mean,
    lognormal: (median, sigma) => median * Math.exp(sigma * r.normal()),
    poisson: (lambda) => {
      let k = 0;
      for (let p = Math.exp(-lambda), s = p, u = rnd(); u > s; k++) {
        p *= lambda / (k + 1);
        s += p;
      }
      return k;
    },
    shuffle: (xs) => {
      for (let i = xs.length - 1; i > 0; i--) {
        const j = Math.floor(rnd() * (i + 1));
        [xs[i], xs[j]] = [xs[j], xs[i]];
      }
      return xs;
    },
  };
  return r;
}

// ---------- time ----------

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const YEAR_START = Date.UTC(2025, 0, 1);
const YEAR_END = Date.UTC(2026, 0, 1);

/** 01:00 UTC on the last Sunday of a month: when EU summer time starts (March) or ends (October). */
function lastSundayAt1Utc(year, month) {
  const last = new Date(Date.UTC(year, month, 0));
  return Date.UTC(year, month - 1, last.getUTCDate() - last.getUTCDay(), 1);
}

/** Offset of Europe/Amsterdam from UTC at an instant, in minutes. */
function amsOffset(ms) {
  const y = new Date(ms).getUTCFullYear();
  return ms >= lastSundayAt1Utc(y, 3) && ms < lastSundayAt1Utc(y, 10) ? 120 : 60;
}

/** The instant of an Amsterdam wall-clock time (never called inside the 02:00-03:00 gap). */
function ams(y, m, d, h = 0, mi = 0) {
  const guess = Date.UTC(y, m - 1, d, h, mi);
  return guess - amsOffset(guess - HOUR) * MIN;
}

const isoZ = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
function isoAms(ms) {
  const off = amsOffset(ms);
  return `${new Date(ms + off * MIN).toISOString().slice(0, 19)}+0${off / 60}:00`;
}
const amsParts = (ms) => new Date(ms + amsOffset(ms) * MIN);
const monthIndex = (ms) => amsParts(ms).getUTCMonth();
const MONTHS = Array.from({ length: 12 }, (_, i) => `2025-${String(i + 1).padStart(2, "0")}`);
const isSummer = (mi) => mi === 6 || mi === 7; // July, August

// ---------- CSV ----------

function field(v) {
  if (v === null || v === undefined) return "";
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

function writeCsv(file, columns, rows, { bom = false, crlf = false } = {}) {
  const eol = crlf ? "\r\n" : "\n";
  const lines = [columns.join(","), ...rows.map((row) => columns.map((c) => field(row[c])).join(","))];
  writeFileSync(join(OUT, file), (bom ? "\uFEFF" : "") + lines.join(eol) + eol, "utf8");
  return rows.length;
}

const money = (x) => (Math.round(x * 100) / 100).toFixed(2);

// ---------- flights ----------

// city pair, block minutes, weekdays served (0 = Sunday), aircraft seats, delay proneness
const ROUTES = [
  ["AMS-LHR", 70, [1, 2, 4, 5], 100, 1.1],
  ["AMS-CDG", 75, [1, 3, 5], 100, 1.0],
  ["AMS-BCN", 130, [2, 4, 6], 180, 1.3],
  ["AMS-FCO", 140, [3, 6], 180, 1.2],
  ["AMS-CPH", 80, [1, 4], 100, 0.8],
  ["AMS-DUB", 95, [2, 5], 100, 0.9],
  ["AMS-MAD", 150, [0, 4], 180, 1.2],
  ["AMS-VIE", 115, [1, 5], 100, 0.9],
];
const REASONS = ["ATC restrictions, Maastricht UAC", "Late inbound aircraft", "Crew shortage", "Weather, thunderstorms", "Technical, bird strike inspection", 'Ground handling, "slot lost"', "Strike, French ATC"];

function makeFlights() {
  const r = stream(1);
  const rows = [];
  for (let day = YEAR_START; day < YEAR_END; day += DAY) {
    const d = new Date(day);
    const mi = d.getUTCMonth();
    for (const [route, block, weekdays, seats, prone] of ROUTES) {
      if (!weekdays.includes(d.getUTCDay())) continue;
      const [, dest] = route.split("-");
      // Alternate the direction by day of year; both directions report under the city pair.
      const outbound = Math.floor((day - YEAR_START) / DAY) % 2 === 0;
      const depHour = outbound ? r.pick([7, 9, 12, 16]) : r.pick([10, 13, 15, 19]);
      const dep = ams(2025, mi + 1, d.getUTCDate(), depHour, r.pick([0, 10, 25, 40, 55]));
      const schedArr = dep + block * MIN;
      const cancelP = isSummer(mi) ? 0.04 : 0.012;
      const cancelled = r.chance(cancelP);
      const lateP = Math.min(0.9, (isSummer(mi) ? 0.36 : 0.14) * prone);
      let delay = null;
      if (!cancelled) delay = r.chance(lateP) ? 16 + Math.round(r.exp(isSummer(mi) ? 55 : 35)) : Math.round(r.normal() * 7 - 2);
      const load = Math.min(0.99, (isSummer(mi) ? 0.9 : 0.78) + r.normal() * 0.07);
      rows.push({
        flight_id: `KS${outbound ? 1000 + ROUTES.findIndex((x) => x[0] === route) * 10 : 1001 + ROUTES.findIndex((x) => x[0] === route) * 10}-${d.toISOString().slice(0, 10)}`,
        route,
        origin: outbound ? "AMS" : dest,
        destination: outbound ? dest : "AMS",
        scheduled_departure: isoZ(dep),
        scheduled_arrival: isoZ(schedArr),
        actual_arrival: cancelled ? null : isoZ(schedArr + delay * MIN),
        cancelled: cancelled ? "true" : "false",
        passengers: cancelled ? 0 : Math.max(20, Math.round(seats * load)),
        delay_reason: cancelled || delay > 15 ? r.pick(REASONS) : null,
        _dep: dep,
        _arr: cancelled ? null : schedArr + delay * MIN,
        _delay: delay,
        _cancelled: cancelled,
        _month: mi,
        _seats: seats,
      });
    }
  }
  return rows;
}

// ---------- baggage ----------

function makeBagReports(flights) {
  const r = stream(2);
  const texts = ["Red suitcase, hard shell, 23 kg", "Stroller, not at gate", "Handle broken, wheels missing", "Golf bag, delivered to wrong belt", 'Blue duffel, tag "KS 0482"', "Box with medication, urgent", null, null];
  const rows = [];
  for (const f of flights) {
    if (f._cancelled) continue;
    const perThousand = isSummer(f._month) ? 9.5 : 4.2;
    const k = r.poisson((f.passengers * perThousand) / 1000);
    for (let i = 0; i < k; i++) {
      rows.push({
        flight_id: f.flight_id,
        reported_at: isoAms(f._arr + r.int(20, 180) * MIN),
        kind: r.weighted([["delayed", 80], ["damaged", 14], ["pilfered", 4], ["lost", 2]]),
        bag_tag: `KS${String(r.int(100000, 999999))}`,
        description: r.pick(texts),
        _at: f._arr,
      });
    }
  }
  rows.sort((a, b) => a._at - b._at);
  return rows.map((b, i) => ({ report_id: `AMSKS${String(i + 1).padStart(5, "0")}`, ...b }));
}

// ---------- members and activity ----------

const TIERS = [["blue", 55], ["silver", 25], ["gold", 14], ["platinum", 6]];

function makeMembers() {
  const r = stream(3);
  const surnames = ["de Vries", "Jansen", "van Dijk", "Bakker", "Visser", "Smit", "Meijer", "Müller", "García", "Rossi", "O'Brien", "Nielsen", "Dubois", "Novak"];
  const given = ["Anne", "Sem", "Lotte", "Daan", "Emma", "Luca", "Sofía", "Marco", "Aoife", "Freja", "Louis", "Jana"];
  const rows = [];
  for (let i = 0; i < 400; i++) {
    const joined = Date.UTC(2016, 0, 1) + Math.floor(r.next() * ((Date.UTC(2025, 8, 30) - Date.UTC(2016, 0, 1)) / MIN)) * MIN;
    rows.push({
      member_id: `M${String(100001 + i)}`,
      display_name: `${r.pick(surnames)}, ${r.pick(given)}`,
      tier: r.weighted(TIERS),
      home_country: r.weighted([["NL", 60], ["GB", 8], ["FR", 6], ["ES", 8], ["IT", 6], ["DK", 4], ["IE", 4], ["AT", 4]]),
      joined_at: isoZ(joined),
      _joined: joined,
    });
  }
  return rows;
}

function makeActivity(members) {
  const r = stream(4);
  const stay = { blue: 0.72, silver: 0.85, gold: 0.93, platinum: 0.97 };
  const rate = { blue: 1.2, silver: 1.8, gold: 3, platinum: 4.5 };
  const rows = [];
  for (const m of members) {
    let active = r.chance(m.tier === "blue" ? 0.6 : 0.85);
    for (let q = 0; q < 4; q++) {
      const qStart = Date.UTC(2025, q * 3, 1);
      const qEnd = Date.UTC(2025, q * 3 + 3, 1);
      if (m._joined >= qEnd) continue;
      if (q > 0 || m._joined >= qStart) active = active ? r.chance(stay[m.tier]) : r.chance(0.3);
      if (!active) continue;
      const n = 1 + r.poisson(rate[m.tier] - 1);
      for (let i = 0; i < n; i++) {
        const from = Math.max(qStart, m._joined);
        const at = from + Math.floor(r.next() * ((qEnd - from) / MIN)) * MIN;
        rows.push({
          member_id: m.member_id,
          activity_at: isoZ(at),
          kind: r.weighted([["flight", 70], ["partner", 20], ["redemption", 10]]),
          points: r.int(1, 40) * 50,
          _at: at,
        });
      }
    }
  }
  rows.sort((a, b) => a._at - b._at || a.member_id.localeCompare(b.member_id));
  return rows;
}

// ---------- surveys ----------

const CABINS = [["economy", 70], ["premium", 15], ["business", 15]];
const CABIN_NPS = { economy: 14, premium: 26, business: 46 };
const FARE = { economy: [59, 240], premium: [170, 430], business: [420, 1150] };
const WORTH = { economy: 1.12, premium: 1.0, business: 0.86 }; // what passengers would pay / fare

function makeSurveys(flights, members) {
  const r = stream(5);
  const rows = [];
  for (const f of flights) {
    if (f._cancelled) continue;
    const k = r.poisson(0.85);
    for (let i = 0; i < k; i++) {
      const cabin = r.weighted(CABINS);
      const late = f._delay > 60 ? -35 : f._delay > 15 ? -12 : 0;
      const nps = CABIN_NPS[cabin] + late + (isSummer(f._month) ? -8 : 0);
      const p = Math.max(0.02, Math.min(0.95, 0.5 + nps / 200 - 0.15));
      const d = Math.max(0.02, Math.min(0.95, p - nps / 100));
      const u = r.next();
      const recommend = r.chance(0.04) ? null
        : u < p ? r.weighted([[9, 45], [10, 55]])
        : u < p + d ? r.weighted([[0, 4], [2, 5], [3, 8], [4, 10], [5, 25], [6, 48]])
        : r.weighted([[7, 50], [8, 50]]);
      const fare = FARE[cabin][0] + r.next() * (FARE[cabin][1] - FARE[cabin][0]);
      const worth = WORTH[cabin] * (f._delay > 60 ? 0.75 : 1) * (0.75 + 0.5 * r.next());
      const answered = f._arr + r.int(60, 48 * 60) * MIN;
      rows.push({
        flight_id: f.flight_id,
        member_id: r.chance(0.4) ? r.pick(members).member_id : null,
        answered_at: isoZ(answered),
        cabin,
        recommend,
        would_pay: r.chance(0.15) ? null : money(Math.round(fare * worth)),
        fare_paid: money(fare),
        comment: r.chance(0.25) ? r.pick(["Crew was lovely, seat was not", "Delay of 2 hours, no info at gate", "Good value, would fly again", 'Lounge "closed for renovation", again', "Wi-Fi paid, and slow", "Smooth boarding, early arrival"]) : null,
        _at: answered,
      });
    }
  }
  const inYear = rows.filter((s) => s._at < YEAR_END); // answers to late-December flights come in 2026
  inYear.sort((a, b) => a._at - b._at);
  return inYear.map((s, i) => ({ survey_id: `S${String(i + 1).padStart(5, "0")}`, ...s }));
}

// ---------- complaints ----------

function makeComplaints(flights, members, bagReports) {
  const r = stream(6);
  const median = { delay: 40, baggage: 80, refund: 110, service: 26, booking: 18 };
  const texts = {
    delay: ["Missed connection in AMS, no hotel offered", "3 h delay, EU261 claim"],
    baggage: ["Bag arrived 2 days late, damaged", 'Suitcase "lost", still no update'],
    refund: ["Refund for cancelled flight, 6 weeks, nothing", "Voucher instead of cash, not accepted"],
    service: ["Rude staff at gate, D7", "Meal not served, paid for it"],
    booking: ["Seat paid twice, app error", "Name misspelled, change fee charged"],
  };
  const rows = [];
  const add = (category, at, flight) => {
    const mi = monthIndex(at);
    const hours = r.lognormal(median[category], 0.7) * (isSummer(mi) || mi === 8 ? 1.5 : 1);
    let closed = at + Math.round(hours * 60) * MIN;
    if (closed >= Date.UTC(2025, 11, 31, 17) || r.chance(0.03)) closed = null;
    rows.push({
      flight_id: flight ? flight.flight_id : null,
      member_id: r.chance(0.35) ? r.pick(members).member_id : null,
      opened_at: isoAms(at),
      closed_at: closed === null ? null : isoAms(closed),
      category,
      channel: r.weighted([["web", 35], ["app", 25], ["email", 20], ["phone", 12], ["social", 8]]),
      summary: r.pick(texts[category]),
      _at: at,
    });
  };
  for (const f of flights) {
    if (f._cancelled && r.chance(0.9)) for (let i = r.int(2, 6); i > 0; i--) add(r.chance(0.5) ? "refund" : "delay", f._dep + r.int(2, 96) * HOUR, f);
    else if (f._delay > 60 && r.chance(0.6)) for (let i = r.int(1, 3); i > 0; i--) add("delay", f._arr + r.int(2, 72) * HOUR, f);
  }
  const byId = new Map(flights.map((f) => [f.flight_id, f]));
  for (const b of bagReports) if (r.chance(0.2)) add("baggage", b._at + r.int(24, 120) * HOUR, byId.get(b.flight_id));
  for (let i = 0; i < 120; i++) {
    const f = r.pick(flights);
    add(r.chance(0.5) ? "service" : "booking", (f._arr ?? f._dep) + r.int(1, 96) * HOUR, r.chance(0.7) ? f : null);
  }
  const inYear = rows.filter((c) => c._at < YEAR_END);
  inYear.sort((a, b) => a._at - b._at);
  return inYear.map((c, i) => ({ complaint_id: `CMP-${String(i + 1).padStart(5, "0")}`, ...c }));
}

// ---------- rebookings ----------

function makeRebookings(flights) {
  const r = stream(7);
  const median = { app_auto: 7, app_self: 24, desk: 65, call_centre: 105 };
  const rows = [];
  for (const f of flights) {
    let k = 0;
    if (f._cancelled) k = r.int(10, 18);
    else if (f._delay > 90) k = r.int(1, 4); // missed connections
    for (let i = 0; i < k; i++) {
      const notified = f._cancelled ? f._dep - r.int(30, 240) * MIN : f._arr;
      const channel = r.weighted([["app_auto", 40], ["app_self", 25], ["desk", 20], ["call_centre", 15]]);
      const minutes = Math.max(1, Math.round(r.lognormal(median[channel], 0.6) * (isSummer(f._month) ? 1.6 : 1)));
      const gaveUp = r.chance(0.07);
      rows.push({
        flight_id: f.flight_id,
        disrupted_at: isoZ(notified),
        rebooked_at: gaveUp ? null : isoZ(notified + minutes * MIN),
        channel,
        outcome: gaveUp ? "refund requested" : r.pick(["next flight, same day", "next day, hotel provided", "partner airline, via CPH"]),
        _at: notified,
      });
    }
  }
  rows.sort((a, b) => a._at - b._at);
  return rows.map((x, i) => ({ rebooking_id: `RB${String(i + 1).padStart(5, "0")}`, ...x }));
}

// ---------- checks and summary ----------

function check(name, rows, { key, notNull = [], ranges = {}, sets = {}, refs = [] }) {
  const fail = (msg) => {
    throw new Error(`${name}: ${msg}`);
  };
  if (key) {
    const seen = new Set();
    for (const row of rows) {
      if (seen.has(row[key])) fail(`duplicate key ${row[key]}`);
      seen.add(row[key]);
    }
  }
  for (const row of rows) {
    for (const c of notNull) if (row[c] === null || row[c] === undefined || row[c] === "") fail(`empty ${c}`);
    for (const [c, [lo, hi]] of Object.entries(ranges)) {
      const v = row[c];
      if (v !== null && (Number(v) < lo || Number(v) > hi)) fail(`${c} = ${v} out of ${lo}..${hi}`);
    }
    for (const [c, set] of Object.entries(sets)) if (!set.includes(row[c])) fail(`${c} = ${row[c]} not in set`);
    for (const [c, ids] of refs) if (row[c] !== null && !ids.has(row[c])) fail(`${c} = ${row[c]} has no target row`);
  }
}

function summary(flights, bags, surveys, rebookings) {
  const fmt = (xs, d = 2) => xs.map((v) => (v === null || Number.isNaN(v) ? "  null" : v.toFixed(d).padStart(6))).join("");
  const byMonth = (f) => MONTHS.map((_, mi) => f(mi));
  const flown = flights.filter((f) => !f._cancelled);
  const bagsPerFlight = new Map();
  for (const b of bags) bagsPerFlight.set(b.flight_id, (bagsPerFlight.get(b.flight_id) ?? 0) + 1);
  const lines = [
    `month               ${MONTHS.map((m) => m.slice(5).padStart(6)).join("")}`,
    `on-time (A15)       ${fmt(byMonth((mi) => { const fs = flown.filter((f) => f._month === mi); return fs.filter((f) => f._delay <= 15).length / fs.length; }))}`,
    `completion factor   ${fmt(byMonth((mi) => { const fs = flights.filter((f) => f._month === mi); return fs.filter((f) => !f._cancelled).length / fs.length; }), 3)}`,
    `bags per 1000 pax   ${fmt(byMonth((mi) => { const fs = flown.filter((f) => f._month === mi); return (1000 * fs.reduce((s, f) => s + (bagsPerFlight.get(f.flight_id) ?? 0), 0)) / fs.reduce((s, f) => s + f.passengers, 0); }), 1)}`,
  ];
  for (const [cabin] of CABINS) {
    const ss = surveys.filter((s) => s.cabin === cabin);
    const rec = ss.filter((s) => s.recommend !== null);
    const nps = (100 * (rec.filter((s) => s.recommend >= 9).length - rec.filter((s) => s.recommend <= 6).length)) / rec.length;
    const wp = ss.filter((s) => s.would_pay !== null);
    const ratio = wp.reduce((s, x) => s + Number(x.would_pay), 0) / wp.reduce((s, x) => s + Number(x.fare_paid), 0);
    lines.push(`${cabin.padEnd(9)} NPS ${nps.toFixed(1).padStart(5)} (n ${rec.length}), value over fare ${ratio.toFixed(2)}`);
  }
  const med = (xs) => {
    const v = [...xs].sort((a, b) => a - b);
    const m = (v.length - 1) / 2;
    return (v[Math.floor(m)] + v[Math.ceil(m)]) / 2;
  };
  const byChannel = {};
  for (const x of rebookings) if (x.rebooked_at !== null) (byChannel[x.channel] ??= []).push((Date.parse(x.rebooked_at) - Date.parse(x.disrupted_at)) / MIN);
  lines.push(`rebooking minutes (median): ${Object.entries(byChannel).map(([c, xs]) => `${c} ${med(xs)}`).join(", ")}`);
  return lines.join("\n");
}

// ---------- main ----------

mkdirSync(OUT, { recursive: true });
const flights = makeFlights();
const bags = makeBagReports(flights);
const members = makeMembers();
const activity = makeActivity(members);
const surveys = makeSurveys(flights, members);
const complaints = makeComplaints(flights, members, bags);
const rebookings = makeRebookings(flights);

const flightIds = new Set(flights.map((f) => f.flight_id));
const memberIds = new Set(members.map((m) => m.member_id));
check("flights", flights, { key: "flight_id", notNull: ["flight_id", "route", "scheduled_departure", "scheduled_arrival", "cancelled", "passengers"], ranges: { passengers: [0, 200] }, sets: { route: ROUTES.map(([x]) => x), cancelled: ["true", "false"] } });
check("bag-reports", bags, { key: "report_id", notNull: ["report_id", "flight_id", "reported_at", "kind"], sets: { kind: ["delayed", "damaged", "pilfered", "lost"] }, refs: [["flight_id", flightIds]] });
check("members", members, { key: "member_id", notNull: ["member_id", "tier", "joined_at"], sets: { tier: TIERS.map(([t]) => t) } });
check("member-activity", activity, { notNull: ["member_id", "activity_at", "kind"], refs: [["member_id", memberIds]] });
check("surveys", surveys, { key: "survey_id", notNull: ["survey_id", "flight_id", "answered_at", "cabin", "fare_paid"], ranges: { recommend: [0, 10] }, sets: { cabin: CABINS.map(([c]) => c) }, refs: [["flight_id", flightIds], ["member_id", memberIds]] });
check("complaints", complaints, { key: "complaint_id", notNull: ["complaint_id", "opened_at", "category", "channel"], refs: [["flight_id", flightIds], ["member_id", memberIds]] });
check("rebookings", rebookings, { key: "rebooking_id", notNull: ["rebooking_id", "flight_id", "disrupted_at", "channel"], refs: [["flight_id", flightIds]] });

const counts = {
  "flights.csv": writeCsv("flights.csv", ["flight_id", "route", "origin", "destination", "scheduled_departure", "scheduled_arrival", "actual_arrival", "cancelled", "passengers", "delay_reason"], flights),
  "bag-reports.csv": writeCsv("bag-reports.csv", ["report_id", "flight_id", "reported_at", "kind", "bag_tag", "description"], bags, { bom: true, crlf: true }),
  "members.csv": writeCsv("members.csv", ["member_id", "display_name", "tier", "home_country", "joined_at"], members, { bom: true }),
  "member-activity.csv": writeCsv("member-activity.csv", ["member_id", "activity_at", "kind", "points"], activity),
  "surveys.csv": writeCsv("surveys.csv", ["survey_id", "flight_id", "member_id", "answered_at", "cabin", "recommend", "would_pay", "fare_paid", "comment"], surveys),
  "complaints.csv": writeCsv("complaints.csv", ["complaint_id", "flight_id", "member_id", "opened_at", "closed_at", "category", "channel", "summary"], complaints, { crlf: true }),
  "rebookings.csv": writeCsv("rebookings.csv", ["rebooking_id", "flight_id", "disrupted_at", "rebooked_at", "channel", "outcome"], rebookings),
};
const total = Object.values(counts).reduce((s, n) => s + n, 0);
console.log(Object.entries(counts).map(([f, n]) => `${f.padEnd(20)} ${String(n).padStart(5)} rows`).join("\n"));
console.log(`${"total".padEnd(20)} ${String(total).padStart(5)} rows\n`);
console.log(summary(flights, bags, surveys, rebookings));
