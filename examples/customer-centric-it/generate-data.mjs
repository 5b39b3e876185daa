// Seeded generator for the customer-centric-it example data.
//
//   node examples/customer-centric-it/generate-data.mjs
//
// Plain Node (>= 20), no dependencies. Every dataset draws from its own mulberry32 stream, so the
// output is byte-for-byte identical on every run and a change to one dataset leaves the others
// alone. The files imitate real exports on purpose: a UTF-8 BOM (customers, brand-study), CRLF
// line endings (tickets, brand-study), quoted fields with commas and doubled quotes, empty cells
// for nullable columns, extra columns the datasets do not declare, and timestamps with `Z` or
// with the Europe/Berlin offset of the moment.
//
// The story the numbers tell (printed at the end of a run):
// - NPS: enterprise around 50, mid-market around 33, smb around 16. A bad release hits mid-market
//   in June and July 2025 (-13 points each month), so `nps_falling` fires for mid-market.
// - FCR: phone is best (~0.8), portal worst (~0.5); email slips below its 0.6 target in June and
//   July, the same incident.
// - Time to value: the "Fast Start" onboarding programme (from July 2025) cuts it by ~40%.
// - Perception over image: customers rate our quality below our own image in 2025-Q3, after the
//   7.2 release; the company's self-image (brand study) does not move.
// - Campaigns: workshops and webinars return more value than the effort they ask; newsletters
//   do not.

import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const OUT = join(dirname(fileURLToPath(import.meta.url)), "data");
const SEED = 20250101;

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
    lognormal: (median, sigma) => median * Math.exp(sigma * r.normal()),
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

/** Offset of Europe/Berlin from UTC at an instant, in minutes. */
function berlinOffset(ms) {
  const y = new Date(ms).getUTCFullYear();
  return ms >= lastSundayAt1Utc(y, 3) && ms < lastSundayAt1Utc(y, 10) ? 120 : 60;
}

/** The instant of a Berlin wall-clock time (never called inside the 02:00-03:00 gap). */
function berlin(y, m, d, h = 0, mi = 0) {
  const guess = Date.UTC(y, m - 1, d, h, mi);
  return guess - berlinOffset(guess - HOUR) * MIN;
}

const isoZ = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
const isoDate = (ms) => new Date(ms).toISOString().slice(0, 10);
function isoBerlin(ms) {
  const off = berlinOffset(ms);
  const local = new Date(ms + off * MIN).toISOString().slice(0, 19);
  return `${local}+0${off / 60}:00`;
}
const monthOf = (ms) => new Date(ms + berlinOffset(ms) * MIN).toISOString().slice(0, 7);
const MONTHS = Array.from({ length: 12 }, (_, i) => `2025-${String(i + 1).padStart(2, "0")}`);

/** A random working-hours instant (Berlin time) on a day of the given 2025 month, days 1-28. */
function workTime(r, month, { weekend = false, from = 8, to = 18 } = {}) {
  for (;;) {
    const d = r.int(1, 28);
    const dow = new Date(Date.UTC(2025, month - 1, d)).getUTCDay();
    if (!weekend && (dow === 0 || dow === 6)) continue;
    return berlin(2025, month, d, r.int(from, to - 1), r.int(0, 59));
  }
}

// ---------- CSV ----------

function field(v) {
  if (v === null || v === undefined) return "";
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

function writeCsv(file, columns, rows, { bom = false, crlf = false } = {}) {
  const eol = crlf ? "\r\n" : "\n";
  const lines = [columns.join(","), ...rows.map((row) => columns.map((c) => field(row[c])).join(","))];
  const text = (bom ? "\uFEFF" : "") + lines.join(eol) + eol;
  writeFileSync(join(OUT, file), text, "utf8");
  return rows.length;
}

const money = (x) => (Math.round(x * 100) / 100).toFixed(2);

// ---------- customers ----------

const SEGMENTS = ["smb", "mid-market", "enterprise"];

function makeCustomers() {
  const r = stream(1);
  const counts = { smb: 165, "mid-market": 90, enterprise: 45 };
  const segs = r.shuffle(SEGMENTS.flatMap((s) => Array(counts[s]).fill(s)));
  const first = ["Becker", "Hahn", "Wolff", "Krüger", "Schulz", "Neumann", "Vogel", "Brandt", "Jansen", "Weiß", "Maier", "Lorenz", "Dekker", "Huber", "Graf", "Peters", "Roth", "Sommer", "Fuchs", "Keller"];
  const trades = ["Logistik", "Steuerberatung", "Maschinenbau", "Praxis", "Architekten", "Immobilien", "Druckerei", "Bau", "Versicherungsmakler", "Labor", "Reisen", "Handel", "Consulting", "Medien"];
  const forms = ["GmbH", "GmbH & Co. KG", "AG", "KG", "e.K.", "B.V.", "SE"];
  const countries = [["DE", 70], ["AT", 12], ["CH", 8], ["NL", 10]];
  const managers = ["Jana Wendt", "Tobias Arnold", "Mira Okafor", "Lars de Vries"];
  const names = new Set();
  const rows = [];
  for (let i = 0; i < 300; i++) {
    const segment = segs[i];
    // 45% signed up in 2024, the rest in 2025 up to the end of November.
    const in2024 = i < 135;
    const start = in2024 ? Date.UTC(2024, 0, 2) : YEAR_START + DAY;
    const end = in2024 ? Date.UTC(2024, 11, 20) : Date.UTC(2025, 10, 28);
    let day;
    do day = start + Math.floor(r.next() * ((end - start) / DAY)) * DAY;
    while ([0, 6].includes(new Date(day).getUTCDay()));
    const dd = new Date(day);
    const signedUp = berlin(dd.getUTCFullYear(), dd.getUTCMonth() + 1, dd.getUTCDate(), r.int(8, 17), r.int(0, 59));

    let name;
    do {
      const style = r.int(0, 9);
      const a = r.pick(first);
      const b = r.pick(first);
      if (style < 4 && a !== b) name = `${a}, ${b} & Partner ${r.pick(["mbB", "GmbH", "PartG"])}`;
      else if (style < 8) name = `${a} ${r.pick(trades)} ${r.pick(forms)}`;
      else name = `"${r.pick(["Blaue Welle", "Nordlicht", "Zur Linde", "Alte Mühle", "Sonnenhof"])}" ${r.pick(trades)} ${r.pick(forms)}`;
    } while (names.has(name));
    names.add(name);

    // Time to value: lognormal by segment; the Fast Start programme (July 2025) cuts it by 40%.
    const median = { smb: 7, "mid-market": 11, enterprise: 20 }[segment];
    const never = { smb: 0.12, "mid-market": 0.1, enterprise: 0.08 }[segment];
    const fastStart = signedUp >= berlin(2025, 7, 1) ? 0.6 : 1;
    let firstValue = null;
    if (!r.chance(never)) {
      const days = Math.max(0.3, r.lognormal(median * fastStart, 0.55));
      const at = signedUp + Math.round(days * DAY / MIN) * MIN;
      if (at < YEAR_END) firstValue = at;
    }
    // Churn during 2025 (internal: only shapes activity, not exported).
    const churnP = { smb: 0.18, "mid-market": 0.1, enterprise: 0.05 }[segment];
    const churnedAt = r.chance(churnP) ? Math.max(signedUp + 30 * DAY, YEAR_START + r.next() * (YEAR_END - YEAR_START)) : null;

    rows.push({
      customer_id: `C${String(i + 1).padStart(4, "0")}`,
      company_name: name,
      segment,
      country: r.weighted(countries),
      signed_up_at: isoBerlin(signedUp),
      first_value_at: firstValue === null ? null : isoBerlin(firstValue),
      account_manager: segment === "smb" ? null : r.pick(managers),
      // internal
      _signedUp: signedUp,
      _firstValue: firstValue,
      _churnedAt: churnedAt !== null && churnedAt < YEAR_END ? churnedAt : null,
    });
  }
  return rows;
}

const activeAt = (c, ms) => c._signedUp <= ms && (c._churnedAt === null || ms < c._churnedAt);

// ---------- surveys ----------

// Target NPS per segment and month; mid-market dips in June and July.
const NPS_PLAN = {
  enterprise: [46, 48, 47, 50, 49, 51, 48, 50, 52, 51, 53, 52],
  "mid-market": [31, 33, 32, 35, 36, 24, 10, 20, 27, 30, 32, 34],
  smb: [14, 16, 12, 15, 13, 17, 14, 18, 16, 19, 21, 20],
};
const SURVEYS_PER_MONTH = { smb: 50, "mid-market": 40, enterprise: 36 };

function makeSurveys(customers) {
  const r = stream(2);
  const comments = [
    "Fast help, friendly staff",
    "Portal is slow, please fix",
    "Technician was great, but the ticket took 3 days",
    'Called it "the best helpdesk we ever had"',
    "Too many handovers, had to explain everything twice",
    "Backup restore worked, thanks!",
    "Invoices are confusing, VAT lines missing",
    "Release 7.2 broke our SSO, took a week to fix",
    "Good value for the price",
    "Onboarding was smooth, reports are useful",
  ];
  const rows = [];
  MONTHS.forEach((_, mi) => {
    for (const segment of SEGMENTS) {
      const total = SURVEYS_PER_MONTH[segment];
      const unanswered = 2;
      const n = total - unanswered;
      const x = Math.round((n * NPS_PLAN[segment][mi]) / 100); // promoters - detractors
      let passives = Math.round(n * 0.3);
      if ((n - passives + x) % 2 !== 0) passives += 1;
      const promoters = (n - passives + x) / 2;
      const detractors = n - passives - promoters;
      const kinds = r.shuffle([
        ...Array(promoters).fill("P"),
        ...Array(passives).fill("N"),
        ...Array(detractors).fill("D"),
        ...Array(unanswered).fill("-"),
      ]);
      // Release 7.2 (June): mid-market suffers in June and July, everyone a little in July-August.
      const incident = segment === "mid-market" && (mi === 5 || mi === 6);
      const aftermath = mi === 6 || mi === 7;
      for (const kind of kinds) {
        const at = workTime(r, mi + 1, { weekend: true, from: 7, to: 21 });
        const pool = customers.filter((c) => c.segment === segment && activeAt(c, at));
        const c = r.pick(pool);
        const recommend =
          kind === "P" ? r.weighted([[9, 45], [10, 55]])
          : kind === "N" ? r.weighted([[7, 50], [8, 50]])
          : kind === "D" ? r.weighted([[0, 3], [1, 2], [2, 4], [3, 7], [4, 10], [5, 24], [6, 50]])
          : null;
        const mood = kind === "P" ? 2 : kind === "N" ? 1 : kind === "D" ? 0 : r.int(0, 2);
        const satisfaction = r.chance(0.05) ? null : clampInt(r.pick([[1, 2, 2, 3, 3], [3, 4, 4, 4, 5], [4, 5, 5, 5, 4]][mood]) + (r.chance(0.1) ? r.pick([-1, 1]) : 0), 1, 5);
        const ease = r.chance(0.1) ? null : clampInt([3.6, 5.2, 6.1][mood] + r.normal() * 1.0, 1, 7);
        const qualityShift = incident ? -0.9 : aftermath ? -0.35 : 0;
        const quality = r.chance(0.08) ? null : clampInt([2.7, 3.8, 4.5][mood] + qualityShift + r.normal() * 0.6, 1, 5);
        rows.push({
          customer_id: c.customer_id,
          answered_at: isoZ(at),
          recommend,
          satisfaction,
          ease,
          quality,
          comment: r.chance(0.3) ? r.pick(comments) : null,
          _at: at,
          _segment: segment,
        });
      }
    }
  });
  rows.sort((a, b) => a._at - b._at);
  return rows;
}

function clampInt(x, lo, hi) {
  return Math.min(hi, Math.max(lo, Math.round(x)));
}

// ---------- tickets ----------

const CHANNELS = [["phone", 28], ["email", 36], ["chat", 26], ["portal", 10]];
const FCR_P = { phone: 0.8, email: 0.65, chat: 0.72, portal: 0.52 };
const RESOLUTION_MEDIAN_H = { phone: 3, email: 14, chat: 5, portal: 26 };

function makeTickets(customers) {
  const r = stream(3);
  const subjects = [
    "VPN drops every 10 minutes, home office",
    "Printer on 2nd floor offline",
    "Outlook keeps asking for password, since Monday",
    "New employee: laptop, mail, SSO",
    "Invoice 2025-03, wrong VAT rate",
    'Share "Projekte" not reachable',
    "Backup job failed, error 0x80070005",
    "Teams calls choppy, Wi-Fi or ISP?",
    "Reset MFA for user, lost phone",
    "Firewall rule for new supplier portal",
    "SSO login loop after release 7.2",
    "Reports export shows empty columns",
  ];
  const weight = { smb: 1, "mid-market": 2.2, enterprise: 4 };
  const rows = [];
  MONTHS.forEach((_, mi) => {
    const count = 150 + r.int(0, 30) + (mi === 5 || mi === 6 ? 25 : 0);
    for (let k = 0; k < count; k++) {
      const channel = r.weighted(CHANNELS);
      const at = workTime(r, mi + 1, { weekend: channel === "portal", from: 7, to: 19 });
      const pool = customers.filter((c) => activeAt(c, at));
      const c = r.weighted(pool.map((p) => [p, weight[p.segment]]));
      let fcrP = FCR_P[channel];
      if (channel === "email" && (mi === 5 || mi === 6)) fcrP = 0.45;
      const contacts = r.chance(fcrP) ? 1 : 2 + Math.min(4, Math.floor(-Math.log(1 - r.next()) / 0.9));
      const slow = channel === "email" && (mi === 5 || mi === 6) ? 1.8 : 1;
      const hours = slow * r.lognormal(RESOLUTION_MEDIAN_H[channel], 0.8) * (1 + 0.6 * (contacts - 1));
      let resolved = at + Math.round((hours * HOUR) / MIN) * MIN;
      if (resolved >= Date.UTC(2025, 11, 31, 16) || r.chance(0.015)) resolved = null;
      rows.push({
        opened_at: isoBerlin(at),
        customer_id: c.customer_id,
        channel,
        resolved_at: resolved === null ? null : isoBerlin(resolved),
        contacts,
        priority: r.chance(0.12) ? null : r.weighted([["P1", 3], ["P2", 17], ["P3", 60], ["P4", 20]]),
        subject: r.pick(subjects),
        _at: at,
        _resolved: resolved,
        _segment: c.segment,
      });
    }
  });
  rows.sort((a, b) => a._at - b._at);
  rows.forEach((t, i) => (t.ticket_id = `T-25-${String(i + 1).padStart(5, "0")}`));
  return rows;
}

// ---------- usage ----------

const FEATURES = ["dashboards", "reports", "alerts", "api", "exports", "admin"];

function makeUsage(customers) {
  const r = stream(4);
  const rows = [];
  for (const c of customers) {
    const adopter = c._firstValue !== null ? r.chance(0.95) : r.chance(0.35);
    if (!adopter) continue;
    const reportsP = { smb: 0.3, "mid-market": 0.5, enterprise: 0.75 }[c.segment];
    const likes = ["dashboards", ...(r.chance(reportsP) ? ["reports"] : []), ...FEATURES.slice(2).filter(() => r.chance(0.3))];
    const start = Math.max(YEAR_START, c._firstValue ?? c._signedUp + 7 * DAY);
    let active = true;
    for (let mi = 0; mi < 12; mi++) {
      const monthStart = berlin(2025, mi + 1, 1);
      const monthEnd = mi === 11 ? YEAR_END - HOUR : berlin(2025, mi + 2, 1);
      if (monthEnd <= start) continue;
      if (c._churnedAt !== null && c._churnedAt <= monthStart) break;
      if (monthStart > start) active = active ? r.chance(0.91) : r.chance(0.45);
      if (!active) continue;
      const events = 1 + Math.floor(-Math.log(1 - r.next()) * { smb: 0.7, "mid-market": 1.2, enterprise: 1.8 }[c.segment]);
      for (let e = 0; e < events; e++) {
        let at = workTime(r, mi + 1, { weekend: r.chance(0.05), from: 7, to: 22 });
        if (at < start) at = start + r.int(1, 48) * HOUR;
        if (at >= monthEnd || (c._churnedAt !== null && at >= c._churnedAt)) continue;
        rows.push({
          customer_id: c.customer_id,
          used_at: isoZ(at + r.int(0, 59) * 1000),
          feature: r.pick(likes),
          user: `u${r.int(1, { smb: 5, "mid-market": 25, enterprise: 120 }[c.segment])}@${c.customer_id.toLowerCase()}`,
          _at: at,
        });
      }
    }
  }
  rows.sort((a, b) => a._at - b._at || a.customer_id.localeCompare(b.customer_id));
  return rows;
}

// ---------- orders ----------

function makeOrders(customers) {
  const r = stream(5);
  const size = { smb: [600, 2800], "mid-market": [3500, 14000], enterprise: [18000, 75000] };
  const amount = (seg, f = 1) => money(f * (size[seg][0] + r.next() * (size[seg][1] - size[seg][0])));
  const notes = ["Annual licence, 10 seats", "Add-on: backup, 500 GB", "Onboarding package, remote", "Renewal, price as agreed", 'Upgrade to "Premium" support'];
  const rows = [];
  for (const c of customers) {
    rows.push({ c, at: c._signedUp + r.int(1, 72) * HOUR, amount: amount(c.segment), kind: "initial" });
    const anniversary = c._signedUp + 365 * DAY;
    if (anniversary < YEAR_END && (c._churnedAt === null || anniversary < c._churnedAt)) {
      rows.push({ c, at: anniversary + r.int(-240, 240) * HOUR, amount: amount(c.segment, 1.05), kind: "renewal" });
    }
  }
  const addOnWeight = { smb: 1, "mid-market": 1.6, enterprise: 2.5 };
  while (rows.length < 800) {
    const mi = r.int(1, 12);
    const at = workTime(r, mi);
    const pool = customers.filter((c) => activeAt(c, at));
    const c = r.weighted(pool.map((p) => [p, addOnWeight[p.segment]]));
    rows.push({ c, at, amount: amount(c.segment, 0.25), kind: "add-on" });
  }
  rows.sort((a, b) => a.at - b.at);
  return rows.map((o, i) => ({
    order_id: `SO-${String(i + 1).padStart(5, "0")}`,
    customer_id: o.c.customer_id,
    ordered_at: isoZ(o.at),
    amount: o.amount,
    currency: "USD",
    kind: o.kind,
    note: r.chance(0.4) ? r.pick(notes) : null,
  }));
}

// ---------- campaigns ----------

const CAMPAIGNS = [
  ["2025-01-21", "newsletter", "Newsletter: January, what's new in 7.1"],
  ["2025-02-13", "webinar", "Webinar: Backups, restores & you"],
  ["2025-03-18", "workshop", "Workshop: Zero trust, step by step"],
  ["2025-04-15", "newsletter", "Newsletter: April, price update"],
  ["2025-05-20", "webinar", 'Webinar: "Reports" deep dive'],
  ["2025-06-17", "newsletter", "Newsletter: June, release 7.2"],
  ["2025-07-10", "survey_invite", "Survey: help us fix 7.2, please"],
  ["2025-08-26", "newsletter", "Newsletter: August, summer tips"],
  ["2025-09-16", "workshop", "Workshop: M365 security, hands-on"],
  ["2025-10-14", "webinar", "Webinar: Alerts, dashboards, KPIs"],
  ["2025-11-11", "newsletter", "Newsletter: November, year in review"],
  ["2025-12-02", "survey_invite", "Survey: plans for 2026, your input"],
];

function makeCampaigns(customers) {
  const r = stream(6);
  // per kind: recipients, spend per recipient, effort and value points (mean)
  const spec = {
    newsletter: { n: 58, spend: [1.5, 4], effort: 1.2, value: 0.8 },
    webinar: { n: 48, spend: [18, 45], effort: 5, value: 6.5 },
    workshop: { n: 32, spend: [140, 380], effort: 12, value: 16 },
    survey_invite: { n: 52, spend: [2, 6], effort: 3, value: 2.4 },
  };
  const rows = [];
  for (const [date, kind, name] of CAMPAIGNS) {
    const s = spec[kind];
    const [y, m, d] = date.split("-").map(Number);
    const at = berlin(y, m, d, 10);
    const pool = r.shuffle(customers.filter((c) => activeAt(c, at)));
    for (const c of pool.slice(0, s.n)) {
      const engaged = kind === "workshop" || r.chance(0.8);
      const effort = engaged ? Math.max(0.5, s.effort * (0.5 + r.next())) : 0;
      const value = engaged ? Math.max(0, s.value * (0.3 + 1.4 * r.next())) : 0;
      rows.push({
        customer_id: c.customer_id,
        sent_at: date,
        kind,
        campaign: name,
        spend: money(s.spend[0] + r.next() * (s.spend[1] - s.spend[0])),
        effort_points: effort.toFixed(1),
        value_points: value.toFixed(1),
      });
    }
  }
  return rows;
}

// ---------- brand study ----------

function makeBrandStudy() {
  // The company's own view of its image (management and staff panel), on the same 1-5 scale as
  // the customers' `quality` answers. It stays high through 2025-Q3, when customers saw less.
  const agency = "Nordlicht Research, Hamburg";
  return [
    ["2024-02-14", 3.62, 41, "Baseline study, staff and management panel"],
    ["2024-05-15", 3.66, 39, null],
    ["2024-08-14", 3.71, 40, "New logo, website relaunch"],
    ["2024-11-13", 3.74, 42, null],
    ["2025-02-12", 3.72, 44, null],
    ["2025-05-14", 3.74, 43, "After trade fair, Hannover"],
    ["2025-08-13", 3.81, 45, "Asked before the 7.2 post-mortem, same panel"],
    ["2025-11-12", 3.79, 44, null],
  ].map(([measured_at, image_score, respondents, note]) => ({ measured_at, image_score: image_score.toFixed(2), respondents, agency, note }));
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
    for (const [c, ids] of refs) if (!ids.has(row[c])) fail(`${c} = ${row[c]} has no target row`);
  }
}

function summary(customers, surveys, tickets, campaigns) {
  const nps = (xs) => {
    const v = xs.filter((x) => x !== null);
    return (100 * (v.filter((x) => x >= 9).length - v.filter((x) => x <= 6).length)) / v.length;
  };
  const lines = ["NPS by segment and month (Berlin time):"];
  for (const seg of SEGMENTS) {
    const vals = MONTHS.map((m) => nps(surveys.filter((s) => s._segment === seg && monthOf(s._at) === m).map((s) => s.recommend)));
    lines.push(`  ${seg.padEnd(11)} ${vals.map((v) => v.toFixed(1).padStart(6)).join("")}`);
    const falls = vals.map((v, i) => (i > 0 && v - vals[i - 1] <= -10 ? MONTHS[i] : null)).filter(Boolean);
    if (falls.length) lines.push(`  ${"".padEnd(11)} change <= -10 in ${falls.join(", ")}`);
  }
  lines.push("FCR by channel and month (resolved tickets):");
  for (const [ch] of CHANNELS) {
    const vals = MONTHS.map((m) => {
      const ts = tickets.filter((t) => t.channel === ch && t._resolved !== null && monthOf(t._at) === m);
      return ts.filter((t) => t.contacts === 1).length / ts.length;
    });
    lines.push(`  ${ch.padEnd(11)} ${vals.map((v) => v.toFixed(2).padStart(6)).join("")}`);
  }
  const ttv = (pred) => {
    const d = customers.filter((c) => c._firstValue !== null && pred(c)).map((c) => (c._firstValue - c._signedUp) / DAY).sort((a, b) => a - b);
    const m = (d.length - 1) / 2;
    return ((d[Math.floor(m)] + d[Math.ceil(m)]) / 2).toFixed(1);
  };
  lines.push(`Time to value (median days): signed up before 2025-07 ${ttv((c) => c._signedUp < berlin(2025, 7, 1))}, from 2025-07 ${ttv((c) => c._signedUp >= berlin(2025, 7, 1))}`);
  const vfe = {};
  for (const c of campaigns) {
    (vfe[c.kind] ??= [0, 0])[0] += Number(c.value_points);
    vfe[c.kind][1] += Number(c.effort_points);
  }
  lines.push(`Value for effort: ${Object.entries(vfe).map(([k, [v, e]]) => `${k} ${(v / e).toFixed(2)}`).join(", ")}`);
  return lines.join("\n");
}

// ---------- main ----------

mkdirSync(OUT, { recursive: true });
const customers = makeCustomers();
const surveys = makeSurveys(customers);
const tickets = makeTickets(customers);
const usage = makeUsage(customers);
const orders = makeOrders(customers);
const campaigns = makeCampaigns(customers);
const brand = makeBrandStudy();

const ids = new Set(customers.map((c) => c.customer_id));
check("customers", customers, { key: "customer_id", notNull: ["customer_id", "company_name", "segment", "signed_up_at"], sets: { segment: SEGMENTS } });
check("tickets", tickets, { key: "ticket_id", notNull: ["ticket_id", "customer_id", "channel", "opened_at", "contacts"], ranges: { contacts: [1, Infinity] }, sets: { channel: CHANNELS.map(([c]) => c) }, refs: [["customer_id", ids]] });
check("surveys", surveys, { notNull: ["customer_id", "answered_at"], ranges: { recommend: [0, 10], satisfaction: [1, 5], ease: [1, 7], quality: [1, 5] }, refs: [["customer_id", ids]] });
check("usage", usage, { notNull: ["customer_id", "used_at", "feature"], refs: [["customer_id", ids]] });
check("orders", orders, { key: "order_id", notNull: ["order_id", "customer_id", "ordered_at", "amount"], refs: [["customer_id", ids]] });
check("campaigns", campaigns, { notNull: ["customer_id", "sent_at", "kind", "spend", "effort_points", "value_points"], sets: { kind: ["newsletter", "webinar", "workshop", "survey_invite"] }, refs: [["customer_id", ids]] });
check("brand-study", brand, { notNull: ["measured_at", "image_score"], ranges: { image_score: [1, 5] } });
for (const t of tickets) if (t._resolved !== null && t._resolved < t._at) throw new Error(`${t.ticket_id} resolved before opened`);

const counts = {
  "customers.csv": writeCsv("customers.csv", ["customer_id", "company_name", "segment", "country", "signed_up_at", "first_value_at", "account_manager"], customers, { bom: true }),
  "tickets.csv": writeCsv("tickets.csv", ["ticket_id", "customer_id", "channel", "priority", "subject", "opened_at", "resolved_at", "contacts"], tickets, { crlf: true }),
  "surveys.csv": writeCsv("surveys.csv", ["customer_id", "answered_at", "recommend", "satisfaction", "ease", "quality", "comment"], surveys),
  "usage.csv": writeCsv("usage.csv", ["customer_id", "used_at", "feature", "user"], usage),
  "orders.csv": writeCsv("orders.csv", ["order_id", "customer_id", "ordered_at", "amount", "currency", "kind", "note"], orders),
  "campaigns.csv": writeCsv("campaigns.csv", ["customer_id", "sent_at", "kind", "campaign", "spend", "effort_points", "value_points"], campaigns),
  "brand-study.csv": writeCsv("brand-study.csv", ["measured_at", "image_score", "respondents", "agency", "note"], brand, { bom: true, crlf: true }),
};
const total = Object.values(counts).reduce((s, n) => s + n, 0);
console.log(Object.entries(counts).map(([f, n]) => `${f.padEnd(16)} ${String(n).padStart(5)} rows`).join("\n"));
console.log(`${"total".padEnd(16)} ${String(total).padStart(5)} rows\n`);
console.log(summary(customers, surveys, tickets, campaigns));
