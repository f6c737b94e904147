// An independent computation of report indicators from the data-lake export
// (`kaiku export --format jsonl`), written from the definitions in the issue and
// docs/api.md -- it shares no code with the engine -- and the checks that compare
// an API table (GET /api/v1/reports/indicators) with it.
import assert from 'node:assert/strict';

// Export rows (one per question answered) -> responses:
// {id, date, unit, journey, touchpoint, channel, language, respondent, age_group, answers: {key: [values]}}.
export function responsesFromExport(jsonl) {
  const byId = new Map();
  for (const line of jsonl.split('\n')) {
    if (!line) continue;
    const r = JSON.parse(line);
    let resp = byId.get(r.response_id);
    if (!resp) {
      resp = {
        id: r.response_id,
        date: r.answered_at.slice(0, 10), // local date: answered_at carries the Helsinki offset
        unit: r.unit_id,
        journey: r.journey_id,
        touchpoint: r.touchpoint_id,
        channel: r.channel,
        language: r.language,
        respondent: r.respondent,
        age_group: r.age_group,
        answers: {},
        types: {},
      };
      byId.set(r.response_id, resp);
    }
    (resp.answers[r.question_key] ??= []).push(r.value);
    resp.types[r.question_key] = r.question_type;
  }
  return [...byId.values()];
}

// ISO 8601 week key of a YYYY-MM-DD date: "2026-W11".
export function isoWeek(date) {
  const d = new Date(`${date}T00:00:00Z`);
  const day = (d.getUTCDay() + 6) % 7; // Monday 0
  d.setUTCDate(d.getUTCDate() - day + 3); // the Thursday of this week
  const year = d.getUTCFullYear();
  const jan4 = new Date(Date.UTC(year, 0, 4));
  const week = 1 + Math.round(((d - jan4) / 86400000 - 3 + ((jan4.getUTCDay() + 6) % 7)) / 7);
  return `${year}-W${String(week).padStart(2, '0')}`;
}

// The org tree: parent of each unit.
export function parentMap(model) {
  return new Map(model.units.map((u) => [u.id, u.parent || null]));
}

// The label of `unit` in a table grouped by unit under `root`: root itself for
// its own answers, else the child of root on the way up; null outside the subtree.
function unitLabel(parents, root, unit) {
  let cur = unit;
  let below = null;
  while (cur) {
    if (cur === root) return below ?? root;
    below = cur;
    cur = parents.get(cur);
  }
  return null;
}

function label(dim, r, ctx) {
  switch (dim) {
    case 'unit': return unitLabel(ctx.parents, ctx.unit, r.unit);
    case 'journey': return r.journey;
    case 'touchpoint': return r.touchpoint;
    case 'channel': return r.channel;
    case 'language': return r.language;
    case 'age_group': return r.age_group;
    case 'respondent': return r.respondent;
    case 'day': return r.date;
    case 'week': return isoWeek(r.date);
    case 'month': return r.date.slice(0, 7);
    case 'quarter': return `${r.date.slice(0, 4)}-Q${Math.floor((Number(r.date.slice(5, 7)) - 1) / 3) + 1}`;
    case 'year': return r.date.slice(0, 4);
    default: throw new Error(`oracle: unknown dimension ${dim}`);
  }
}

const FILTERS = { journey: 'journey', touchpoint: 'touchpoint', channel: 'channel', language: 'language', age_group: 'age_group', respondent: 'respondent' };

// Computes the groups of a query from the responses: Map(groupKey -> figures).
// q: {indicator, unit, from, to, group_by: [...], filters: {journey: [...], ...}}.
// kind: 'nps' | 'top_two_box' | 'positive_share'; positive: [lo, hi] for the shares.
export function oracle(responses, parents, q, { kind, positive = [4, 5] }) {
  const groups = new Map();
  const key = q.indicator === 'nps' ? 'nps' : q.indicator;
  for (const r of responses) {
    if (r.date < q.from || r.date > q.to) continue;
    if (unitLabel(parents, q.unit, r.unit) === null) continue;
    let ok = true;
    for (const [name, field] of Object.entries(FILTERS)) {
      const allowed = q.filters?.[name];
      if (allowed && allowed.length && !allowed.includes(r[field])) ok = false;
    }
    if (!ok) continue;
    const values = r.answers[key];
    if (!values) continue;
    const g = (q.group_by ?? []).map((d) => label(d, r, { parents, unit: q.unit })).join('|');
    let f = groups.get(g);
    if (!f) {
      f = { n: 0, promoters: 0, passives: 0, detractors: 0, positive: 0, cant_say: 0, sum: 0 };
      groups.set(g, f);
    }
    for (const v of values) {
      if (v === 'cant_say') {
        f.cant_say += 1;
        continue;
      }
      f.n += 1;
      f.sum += v;
      if (kind === 'nps') {
        if (v >= 9) f.promoters += 1;
        else if (v >= 7) f.passives += 1;
        else f.detractors += 1;
      } else if (v >= positive[0] && v <= positive[1]) {
        f.positive += 1;
      }
    }
  }
  for (const [g, f] of groups) {
    if (f.n === 0) {
      groups.delete(g); // only "can't say": no cell
      continue;
    }
    f.value = kind === 'nps' ? ((f.promoters - f.detractors) / f.n) * 100 : (f.positive / f.n) * 100;
    f.mean = f.sum / f.n;
  }
  return groups;
}

// The query string of q.
export function queryString(q, extra = {}) {
  const p = new URLSearchParams();
  p.set('indicator', q.indicator);
  p.set('unit', q.unit);
  p.set('from', q.from);
  p.set('to', q.to);
  if (q.group_by?.length) p.set('group_by', q.group_by.join(','));
  for (const [k, v] of Object.entries(q.filters ?? {})) if (v?.length) p.set(k, v.join(','));
  for (const [k, v] of Object.entries(extra)) p.set(k, String(v));
  return p.toString();
}

function rowKey(row, groupBy) {
  return groupBy.map((d) => row.group[d]).join('|');
}

// Fields that may be numeric in a row (and must be null or absent when suppressed).
function numericFields(obj, path = '') {
  const out = [];
  for (const [k, v] of Object.entries(obj)) {
    if (typeof v === 'number') out.push(path + k);
    else if (v && typeof v === 'object') out.push(...numericFields(v, `${path}${k}.`));
  }
  return out;
}

// Compares an API table with the oracle's groups. Returns stats for the caller.
export function checkTable(api, groups, q, { kind, what }) {
  const threshold = api.threshold;
  assert.equal(typeof threshold, 'number', `${what}: no threshold`);
  assert.deepEqual(api.group_by, q.group_by ?? [], `${what}: group_by echoed`);
  const seen = new Set();
  let shown = 0;
  let hidden = 0;
  for (const row of api.rows) {
    const k = rowKey(row, q.group_by ?? []);
    assert.ok(!seen.has(k), `${what}: group ${k} twice`);
    seen.add(k);
    const o = groups.get(k);
    assert.ok(o, `${what}: the API has a row ${k} with no answers in the export (${JSON.stringify(row)})`);
    if (row.suppressed) {
      hidden += 1;
      for (const f of ['n', 'value', 'ci_low', 'ci_high']) assert.equal(row[f], null, `${what}: suppressed ${k} has ${f}`);
      assert.deepEqual(numericFields(row), [], `${what}: suppressed row ${k} reveals numbers: ${JSON.stringify(row)}`);
      assert.match(row.note, /fewer than|hidden/, `${what}: note of ${k}`);
      if (o.n < threshold) {
        assert.equal(row.reason, 'below_threshold', `${what}: ${k} has n=${o.n}`);
        assert.equal(row.note, `fewer than ${threshold} answers`);
      } else {
        assert.equal(row.reason, 'complementary', `${what}: ${k} has n=${o.n} >= threshold but is hidden`);
      }
    } else {
      shown += 1;
      assert.ok(o.n >= threshold, `${what}: ${k} shown with n=${o.n} < ${threshold}`);
      assert.equal(row.n, o.n, `${what}: n of ${k}`);
      assert.ok(Math.abs(row.value - o.value) <= 1e-9, `${what}: value of ${k}: API ${row.value}, oracle ${o.value}`);
      assert.ok(row.ci_low <= row.value + 1e-9 && row.value <= row.ci_high + 1e-9, `${what}: interval of ${k}`);
      if (kind === 'nps') {
        assert.equal(row.promoters, o.promoters, `${what}: promoters of ${k}`);
        assert.equal(row.passives, o.passives, `${what}: passives of ${k}`);
        assert.equal(row.detractors, o.detractors, `${what}: detractors of ${k}`);
      } else {
        assert.equal(row.positive, o.positive, `${what}: positive of ${k}`);
        assert.ok(Math.abs(row.mean - o.mean) <= 1e-9, `${what}: mean of ${k}: API ${row.mean}, oracle ${o.mean}`);
        if (kind === 'top_two_box') assert.equal(row.cant_say, o.cant_say, `${what}: cant_say of ${k}`);
      }
    }
  }
  for (const [k, o] of groups) {
    assert.ok(seen.has(k), `${what}: group ${k} (n=${o.n}) is missing from the API`);
  }
  // Complementary suppression: no line (the whole table when grouped by one
  // dimension; each row and column of a two-dimensional one) with two or more
  // cells may have exactly one hidden cell.
  const dims = q.group_by ?? [];
  const lines = new Map();
  for (const row of api.rows) {
    if (dims.length <= 1) {
      const l = lines.get('all') ?? [];
      l.push(row);
      lines.set('all', l);
    } else {
      for (const [i, d] of dims.entries()) {
        const other = dims[1 - i];
        const id = `${d}=*,${other}=${row.group[other]}`;
        const l = lines.get(id) ?? [];
        l.push(row);
        lines.set(id, l);
      }
    }
  }
  for (const [id, rows] of lines) {
    if (rows.length < 2) continue;
    const h = rows.filter((r) => r.suppressed).length;
    assert.notEqual(h, 1, `${what}: line ${id} has ${rows.length} cells and exactly one hidden: `
      + JSON.stringify(rows.map((r) => [rowKey(r, dims), r.suppressed ? 'hidden' : r.n])));
  }
  return { shown, hidden, rows: api.rows.length };
}
