// A minimal HTML form reader for end-to-end tests: regexes, no DOM. Good enough for
// the server-rendered pages of Kaiku, whose forms are simple and well-formed.

const ENTITIES = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

export function decodeEntities(s) {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, e) => {
    if (e[0] === '#') {
      const n = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return String.fromCodePoint(n);
    }
    return ENTITIES[e.toLowerCase()] ?? m;
  });
}

// Attributes of one start tag: {name: value} (valueless attributes map to '').
export function attrs(tag) {
  const out = {};
  const re = /([^\s"'<>\/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;
  const inner = tag.replace(/^<\s*[a-z0-9]+/i, '').replace(/\/?>$/, '');
  let m;
  while ((m = re.exec(inner))) {
    out[m[1].toLowerCase()] = decodeEntities(m[2] ?? m[3] ?? m[4] ?? '');
  }
  return out;
}

// Every <form> of the page: {attrs, html, inputs:[{type,name,value,checked,id}],
// textareas:[{name,value,id}], selects:[{name}], buttons:[{name,value,type}]}.
export function forms(html) {
  const out = [];
  const re = /<form\b[^>]*>([\s\S]*?)<\/form>/gi;
  let m;
  while ((m = re.exec(html))) {
    const startTag = m[0].match(/^<form\b[^>]*>/i)[0];
    const body = m[1];
    const f = { attrs: attrs(startTag), html: m[0], inputs: [], textareas: [], selects: [], buttons: [] };
    for (const t of body.match(/<input\b[^>]*>/gi) ?? []) {
      const a = attrs(t);
      f.inputs.push({ type: (a.type ?? 'text').toLowerCase(), name: a.name, value: a.value ?? '', checked: 'checked' in a, id: a.id, attrs: a });
    }
    for (const t of body.match(/<textarea\b[^>]*>[\s\S]*?<\/textarea>/gi) ?? []) {
      const a = attrs(t.match(/^<textarea\b[^>]*>/i)[0]);
      const value = decodeEntities(t.replace(/^<textarea\b[^>]*>/i, '').replace(/<\/textarea>$/i, ''));
      f.textareas.push({ name: a.name, value, id: a.id, attrs: a });
    }
    for (const t of body.match(/<select\b[^>]*>/gi) ?? []) f.selects.push({ name: attrs(t).name });
    for (const t of body.match(/<button\b[^>]*>/gi) ?? []) {
      const a = attrs(t);
      f.buttons.push({ name: a.name, value: a.value ?? '', type: (a.type ?? 'submit').toLowerCase(), attrs: a });
    }
    out.push(f);
  }
  return out;
}

// The POST form carrying the hidden one-time key `k`; throws if none.
export function postForm(html) {
  const all = forms(html);
  const f = all.find((x) => (x.attrs.method ?? '').toLowerCase() === 'post' && x.inputs.some((i) => i.name === 'k'))
    ?? all.find((x) => (x.attrs.method ?? '').toLowerCase() === 'post');
  if (!f) throw new Error(`page has no POST form:\n${html.slice(0, 1500)}`);
  f.hidden = {};
  for (const i of f.inputs) if (i.type === 'hidden' && i.name) f.hidden[i.name] = i.value;
  f.names = new Set([...f.inputs, ...f.textareas, ...f.selects, ...f.buttons].map((x) => x.name).filter(Boolean));
  return f;
}

// Values offered for a radio/checkbox group `name`.
export function optionValues(form, name) {
  return form.inputs.filter((i) => i.name === name && (i.type === 'radio' || i.type === 'checkbox')).map((i) => i.value);
}

// The <html lang> attribute.
export function htmlLang(html) {
  const m = html.match(/<html\b[^>]*>/i);
  return m ? attrs(m[0]).lang : undefined;
}

// Visible-ish text: tags dropped, entities decoded, whitespace collapsed.
export function textContent(html) {
  return decodeEntities(html.replace(/<script[\s\S]*?<\/script>/gi, ' ').replace(/<style[\s\S]*?<\/style>/gi, ' ')
    .replace(/<[^>]+>/g, ' ')).replace(/\s+/g, ' ').trim();
}

// application/x-www-form-urlencoded body from [[name, value], ...] or an object.
export function formBody(fields) {
  const p = new URLSearchParams();
  const list = Array.isArray(fields) ? fields : Object.entries(fields);
  for (const [k, v] of list) p.append(k, v);
  return p.toString();
}

// POSTs a form body to `url` without following redirects.
export async function postFormTo(url, fields, { headers = {} } = {}) {
  return fetch(url, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: typeof fields === 'string' ? fields : formBody(fields),
  });
}
