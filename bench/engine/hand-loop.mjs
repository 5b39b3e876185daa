// The physical limit: the six benchmark KPIs computed by one hand-written, fused loop over the
// typed columns Yardstick's loader produced (no planner, no generated code, no general null
// handling: it knows which columns have nulls and reads their masks). Everything the answer
// needs is timed, including the zone table for month buckets and the medians.

const HOUR = 3_600_000;
const DAY = 86_400_000;

/** Month index (year * 12 + month - 1) of an epoch day (Hinnant's civil_from_days). */
function monthIndexOfDays(days) {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const m = mp < 10 ? mp + 3 : mp - 9;
  return (yoe + era * 400 + (m <= 2 ? 1 : 0)) * 12 + m - 1;
}

/** UTC offset (ms) of `zone` at instant `ms`, from Intl. */
function offsetAt(fmt, ms) {
  const p = Object.fromEntries(fmt.formatToParts(ms).map((x) => [x.type, x.value]));
  return Date.UTC(+p.year, +p.month - 1, +p.day, +p.hour, +p.minute, +p.second) - Math.floor(ms / 1000) * 1000;
}

/**
 * Local month of every UTC hour in [lo, hi]: zone offsets change on whole hours in the zones this
 * benchmark uses, so an hour never straddles a month boundary. Offsets are probed once per UTC
 * day, and bisected to the hour on the (two a year) days they change.
 */
export function monthByHour(lo, hi, zone) {
  const fmt = new Intl.DateTimeFormat("en-US", { timeZone: zone, hourCycle: "h23", year: "numeric", month: "numeric", day: "numeric", hour: "numeric", minute: "numeric", second: "numeric" });
  const base = Math.floor(lo / DAY) * DAY;
  const hours = Math.ceil((hi - base + 1) / HOUR) + 24;
  const table = new Int32Array(hours);
  let off = offsetAt(fmt, base);
  for (let h = 0; h < hours; h += 24) {
    const dayStart = base + h * HOUR;
    const next = offsetAt(fmt, dayStart + DAY);
    let change = 24; // hour (within the day) from which `next` applies
    if (next !== off) {
      change = 0;
      while (change < 24 && offsetAt(fmt, dayStart + change * HOUR) === off) change++;
    }
    for (let k = 0; k < 24 && h + k < hours; k++) {
      const t = dayStart + k * HOUR;
      table[h + k] = monthIndexOfDays(Math.floor((t + (k < change ? off : next)) / DAY));
    }
    off = next;
  }
  return { base, table };
}

/** Hoare quickselect of the k-th smallest of v[0..n). */
function select(v, n, k) {
  let left = 0, right = n - 1;
  while (right > left) {
    const pivot = v[(left + right) >> 1];
    let i = left, j = right;
    while (i <= j) {
      while (v[i] < pivot) i++;
      while (v[j] > pivot) j--;
      if (i <= j) { const t = v[i]; v[i] = v[j]; v[j] = t; i++; j--; }
    }
    if (k <= j) right = j;
    else if (k >= i) left = i;
    else return v[k];
  }
  return v[k];
}

function median(v, n) {
  if (n === 0) return null;
  const pos = 0.5 * (n - 1), lo = Math.floor(pos);
  const x = select(v, n, lo);
  if (pos === lo) return x;
  let y = Infinity;
  for (let k = lo + 1; k < n; k++) if (v[k] < y) y = v[k];
  return x + (y - x) * (pos - lo);
}

const label = (m) => `${Math.floor(m / 12)}-${String((m % 12) + 1).padStart(2, "0")}`;

/** The six KPIs from a loaded Yardstick table, as { kpi: { groupKey: value } } (see compare.mjs). */
export function handLoop(table, zone) {
  const col = (name) => table.columns.get(name);
  const n = table.rowCount;
  const customer = col("customer_id"), segment = col("segment"), channel = col("channel");
  const opened = col("opened_at").values, resolvedCol = col("resolved_at");
  const resolved = resolvedCol.values, resolvedNull = resolvedCol.nulls ?? new Uint8Array(n);
  const fc = col("first_contact").values;
  const npsCol = col("nps"), nps = npsCol.values, npsNull = npsCol.nulls ?? new Uint8Array(n);
  const spend = col("spend").values, pv = col("perceived_value").values;
  const cust = customer.codes, seg = segment.codes, chan = channel.codes;
  const S = segment.dict.length, C = channel.dict.length, K = customer.dict.length;

  let lo = Infinity, hi = -Infinity;
  for (let i = 0; i < n; i++) { const t = opened[i]; if (t < lo) lo = t; if (t > hi) hi = t; }
  const { base, table: months } = monthByHour(lo, hi, zone);
  const m0 = months[0], M = months[months.length - 1] - m0 + 1;

  const prom = new Float64Array(S * M), det = new Float64Array(S * M), npsCnt = new Float64Array(S * M);
  const fcTrue = new Float64Array(C), fcN = new Float64Array(C);
  const hoursBySeg = Array.from({ length: S }, () => new Float64Array(n));
  const hoursN = new Int32Array(S);
  const seen = new Uint8Array(M * K), distinct = new Float64Array(M), rowsInMonth = new Float64Array(M);
  const pvSum = new Float64Array(S), spendSum = new Float64Array(S);
  let p = 0, d = 0, c = 0;
  for (let i = 0; i < n; i++) {
    const s = seg[i];
    const m = months[((opened[i] - base) / HOUR) | 0] - m0;
    if (npsNull[i] === 0) {
      const v = nps[i];
      const g = s * M + m;
      c++; npsCnt[g]++;
      if (v >= 9) { p++; prom[g]++; } else if (v <= 6) { d++; det[g]++; }
    }
    if (resolvedNull[i] === 0) {
      const ch = chan[i];
      fcN[ch]++;
      fcTrue[ch] += fc[i];
      hoursBySeg[s][hoursN[s]++] = (resolved[i] - opened[i]) / HOUR;
    }
    const key = m * K + cust[i];
    if (seen[key] === 0) { seen[key] = 1; distinct[m]++; }
    rowsInMonth[m]++;
    pvSum[s] += pv[i];
    spendSum[s] += spend[i];
  }

  const out = {
    overall_nps: { "": 100 * (p / c - d / c) },
    nps_by_segment_month: {},
    fcr_by_channel: {},
    resolution_hours_by_segment: {},
    active_customers_by_month: {},
    value_for_money_by_segment: {},
  };
  for (let s = 0; s < S; s++) {
    for (let m = 0; m < M; m++) {
      const g = s * M + m;
      if (npsCnt[g] > 0) out.nps_by_segment_month[`${segment.dict[s]}|${label(m + m0)}`] = 100 * (prom[g] / npsCnt[g] - det[g] / npsCnt[g]);
    }
    out.resolution_hours_by_segment[segment.dict[s]] = median(hoursBySeg[s], hoursN[s]);
    out.value_for_money_by_segment[segment.dict[s]] = pvSum[s] / spendSum[s];
  }
  for (let ch = 0; ch < C; ch++) if (fcN[ch] > 0) out.fcr_by_channel[channel.dict[ch]] = fcTrue[ch] / fcN[ch];
  for (let m = 0; m < M; m++) if (rowsInMonth[m] > 0) out.active_customers_by_month[label(m + m0)] = distinct[m];
  return out;
}
