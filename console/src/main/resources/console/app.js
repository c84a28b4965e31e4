'use strict';
// The console page: plain DOM, no framework, nothing loaded from elsewhere (CSP 'self').
let me = null;
let feed = null;
const alerts = new Map();

const $ = (id) => document.getElementById(id);
const el = (tag, attrs = {}, ...children) => {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') e.className = v; else if (k.startsWith('on')) e.addEventListener(k.slice(2), v); else e.setAttribute(k, v);
  }
  for (const c of children) e.append(c instanceof Node ? c : document.createTextNode(c ?? ''));
  return e;
};

async function api(method, path, body) {
  const r = await fetch('/api/' + path, {
    method,
    headers: { 'Content-Type': 'application/json', 'X-Vigil-Request': '1' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const data = r.headers.get('Content-Type')?.includes('json') ? await r.json() : null;
  if (!r.ok) throw new Error(data?.error || r.statusText);
  return data;
}

function allows(role) {
  const order = ['ANALYST', 'REVIEWER', 'ADMIN'];
  return me && order.indexOf(me.role) >= order.indexOf(role);
}

async function start() {
  try { me = await api('GET', 'me'); } catch { me = null; }
  if (!me) { showLogin(); return; }
  $('login').hidden = true;
  $('nav').hidden = false;
  $('who').replaceChildren(el('span', { id: 'whoami' }, `${me.user} (${me.role.toLowerCase()})`),
    el('button', { id: 'logout', onclick: logout }, 'Log out'));
  const investigator = me.role === 'INVESTIGATOR';
  $('tab-audit').hidden = !allows('ADMIN');
  document.querySelectorAll('.admin-only').forEach((e) => { e.hidden = !allows('ADMIN'); });
  document.querySelectorAll('.investigator-only').forEach((e) => { e.hidden = !investigator; });
  document.querySelectorAll('.not-investigator').forEach((e) => { e.hidden = investigator; });
  show(investigator ? 'search' : 'alerts');
}

function showLogin() {
  $('nav').hidden = true;
  $('who').replaceChildren();
  document.querySelectorAll('.page').forEach((p) => { p.hidden = true; });
  $('login').hidden = false;
  if (feed) { feed.close(); feed = null; }
}

async function logout() {
  await api('POST', 'logout');
  me = null;
  alerts.clear();
  drafts.clear();
  forgetReferences();
  $('alerts').replaceChildren();
  showLogin();
}

function show(page) {
  document.querySelectorAll('.page').forEach((p) => { p.hidden = p.id !== 'page-' + page; });
  document.querySelectorAll('nav .tab').forEach((t) => t.classList.toggle('active', t.dataset.page === page));
  ({ alerts: loadAlerts, watchlist: loadWatchlist, cameras: loadCameras, stats: loadStats, audit: loadAudit, search: () => {} })[page]();
}

async function loadAlerts() {
  for (const a of await api('GET', 'alerts')) alerts.set(a.alertId, a);
  renderAlerts();
  if (!feed) {
    feed = new EventSource('/api/alerts/stream');
    feed.addEventListener('open', () => { $('feed-state').textContent = 'live'; });
    feed.addEventListener('error', () => { $('feed-state').textContent = 'reconnecting'; });
    feed.addEventListener('alert', (ev) => {
      const a = JSON.parse(ev.data);
      alerts.set(a.alertId, a);
      renderAlerts();
    });
  }
}

// The review queue: filters, the selected card, and what each decision button sends.
const DECISIONS = [
  { key: 'c', cls: 'confirm', label: 'Same person', decision: 'CONFIRM', category: 'SAME_PERSON' },
  { key: 'r', cls: 'reject', label: 'Different person', decision: 'REJECT', category: 'DIFFERENT_PERSON' },
  { key: 'p', cls: 'too-poor', label: 'Too poor to decide', decision: 'ABSTAIN', category: 'IMAGE_TOO_POOR' },
  { key: null, cls: 'other-confirm', label: 'Other: confirm', decision: 'CONFIRM', category: 'OTHER' },
  { key: null, cls: 'other-reject', label: 'Other: reject', decision: 'REJECT', category: 'OTHER' },
];
const OPEN = ['PENDING', 'ADJUDICATION'];
let selected = null;

function filtered() {
  const camera = $('filter-camera').value;
  const person = $('filter-person').value.trim().toLowerCase();
  const status = $('filter-status').value;
  const age = Number($('filter-age').value || 0);
  return [...alerts.values()]
    .filter((a) => !camera || a.cameraId === camera)
    .filter((a) => !person || a.externalId.toLowerCase().includes(person))
    .filter((a) => status === 'ALL' || (status === 'OPEN' ? OPEN.includes(a.status) : a.status === status))
    .filter((a) => !age || (OPEN.includes(a.status) && a.waitingMinutes >= age))
    .sort((x, y) => y.firstSeen.localeCompare(x.firstSeen));
}

function renderAlerts() {
  const cams = [...new Set([...alerts.values()].map((a) => a.cameraId))].sort();
  const current = $('filter-camera').value;
  $('filter-camera').replaceChildren(el('option', { value: '' }, 'All cameras'),
    ...cams.map((c) => el('option', { value: c }, c)));
  $('filter-camera').value = cams.includes(current) ? current : '';
  const list = filtered();
  const open = [...alerts.values()].filter((a) => OPEN.includes(a.status));
  const sla = [...alerts.values()][0]?.slaMinutes;
  $('queue-summary').textContent = `${open.length} waiting for review` + (sla ? `, ${open.filter((a) => a.overSla).length} over the ${sla} min service level` : '');
  // A live update re-renders the cards: keep the reason being typed, and the cursor in it.
  const typing = document.activeElement?.classList.contains('reason')
    ? document.activeElement.closest('.alert')?.dataset.alertId : null;
  $('alerts').replaceChildren(...list.map(renderAlert));
  if (!list.some((a) => a.alertId === selected)) selected = list[0]?.alertId ?? null;
  markSelected();
  if (typing) document.querySelector(`.alert[data-alert-id="${CSS.escape(typing)}"] input.reason`)?.focus();
}

// Reasons being typed, by alert, so a live update does not wipe them.
const drafts = new Map();

function markSelected() {
  document.querySelectorAll('.alert').forEach((c) => c.classList.toggle('selected', c.dataset.alertId === selected));
}

function decisionText(d) {
  const what = { CONFIRM: 'confirmed', REJECT: 'rejected', ABSTAIN: 'could not decide' }[d.decision];
  return `${d.reviewer} ${what} (${d.category.toLowerCase().replaceAll('_', ' ')}): ${d.reason}`;
}

function statusText(a) {
  if (a.status === 'ADJUDICATION') return 'the reviewers disagree: a further reviewer or an admin settles it';
  if (a.status === 'PENDING') return `waiting ${a.waitingMinutes} min${a.overSla ? ' — over the service level' : ''}`;
  return `settled by ${a.settledBy}${a.adjudicated ? ' (adjudication)' : ''}`;
}

function renderAlert(a) {
  const id = a.alertId;
  const counted = a.decisions.filter((d) => d.decision !== 'ABSTAIN').length;
  const facts = el('div', { class: 'facts' },
    el('h3', {}, a.externalId, ' ', el('span', { class: 'status ' + a.status, 'data-testid': 'status' }, a.status),
      ' ', el('span', { class: 'muted', 'data-testid': 'status-text' }, statusText(a))),
    el('div', {}, `Camera: ${a.cameraName} (${a.cameraId})${a.cameraLocation ? ', ' + a.cameraLocation : ''}`),
    el('div', {}, `Seen: ${new Date(a.firstSeen).toLocaleString()} – ${new Date(a.lastSeen).toLocaleTimeString()}${a.closed ? ' (ended)' : ' (in view)'}`),
    el('div', {}, `Similarity ${a.similarity.toFixed(3)} (best ${a.bestSimilarity.toFixed(3)}, threshold ${a.threshold.toFixed(2)}) over ${a.supportingFrames} frames`),
    el('div', {}, `Legal basis: ${a.legalBasis} · entry expires ${a.entryExpiresAt.slice(0, 10)}`),
    el('div', { class: 'muted' }, `Reviews (${Math.min(counted, a.confirmationsRequired)}/${a.confirmationsRequired} reviewers)`),
    el('ul', { class: 'decisions' }, ...a.decisions.map((d) => el('li', {}, decisionText(d)))));
  const mine = a.decisions.find((d) => d.reviewer === me.user);
  const canAct = allows('REVIEWER') && OPEN.includes(a.status) && !mine;
  const card = el('div', { class: 'alert' + (a.overSla ? ' over-sla' : ''), id: 'alert-' + id, 'data-alert-id': id, tabindex: '0',
    onclick: () => { selected = id; markSelected(); } },
    pairs(a, canAct), facts);
  if (mine) card.append(el('div', { class: 'muted' }, `You ${decisionText(mine).slice(me.user.length + 1)}`));
  if (canAct) {
    const reason = el('input', { placeholder: 'reason (required), then a decision', class: 'reason',
      oninput: () => drafts.set(id, reason.value) });
    reason.value = drafts.get(id) ?? '';
    const msg = el('div', { class: 'error' });
    const decide = (d) => async () => {
      try {
        const updated = await api('POST', `alerts/${encodeURIComponent(id)}/review`,
          { decision: d.decision, category: d.category, reason: reason.value });
        drafts.delete(id);
        alerts.set(id, updated);
        renderAlerts();
      } catch (e) { msg.textContent = e.message; reason.focus(); }
    };
    card.append(el('div', { class: 'review' }, reason,
      ...DECISIONS.map((d) => el('button', { class: d.cls, onclick: decide(d), title: d.key ? `key ${d.key}` : '' },
        d.key ? `${d.label} (${d.key})` : d.label)), msg));
  }
  return card;
}

// Enrolled reference faces, fetched once per page (each fetch is audited) and kept as blob URLs.
const references = new Map();

function referenceUrl(alertId, faceId, kind) {
  const key = `${alertId}/${faceId}/${kind}`;
  if (!references.has(key)) {
    references.set(key, fetch(`/api/alerts/${encodeURIComponent(alertId)}/reference/${encodeURIComponent(faceId)}.jpg?kind=${kind}`)
      .then((r) => (r.ok ? r.blob() : Promise.reject(new Error(r.statusText))))
      .then((b) => URL.createObjectURL(b)));
  }
  return references.get(key);
}

function forgetReferences() {
  for (const p of references.values()) p.then((u) => URL.revokeObjectURL(u), () => {});
  references.clear();
}

// The best frame and the sharpest other frames, each beside the enrolled face it matched, at the
// same size. Only a reviewer who can decide on the alert sees the enrolled faces.
function pairs(a, canAct) {
  const id = encodeURIComponent(a.alertId);
  const frames = [];
  if (a.hasCrop) frames.push({ crop: `/api/alerts/${id}/crop.jpg`, faceId: a.matchedFaceId, similarity: a.bestSimilarity, label: 'best frame' });
  (a.supporting ?? []).forEach((f, i) => frames.push({ crop: `/api/alerts/${id}/supporting/${i}.jpg`, faceId: f.matchedFaceId, similarity: f.similarity, label: `frame ${i + 2}` }));
  return el('div', { class: 'pairs' }, ...frames.map((f) => {
    const camera = el('img', { class: 'crop', src: f.crop, alt: `camera: ${f.label}` });
    let reference;
    if (canAct && f.faceId) {
      reference = el('img', { class: 'reference', alt: 'enrolled reference face' });
      referenceUrl(a.alertId, f.faceId, 'wide').then((u) => { reference.src = u; }, () => { reference.alt = 'reference not available'; });
    } else {
      reference = el('div', { class: 'reference hidden-reference' }, 'enrolled face: for a reviewer deciding this alert');
    }
    const pair = el('figure', { class: 'pair', onclick: (ev) => { ev.stopPropagation(); enlarge(camera, reference, f); } },
      camera, reference, el('figcaption', {}, `${f.label} · similarity ${f.similarity.toFixed(3)}`));
    return pair;
  }));
}

function enlarge(camera, reference, f) {
  const box = $('lightbox');
  const big = (img) => (img instanceof HTMLImageElement && img.src ? el('img', { src: img.src, alt: img.alt }) : el('div', { class: 'hidden-reference' }, 'enrolled face not shown'));
  box.replaceChildren(el('div', { class: 'lightbox-pair' }, big(camera), big(reference)),
    el('p', {}, `${f.label} · similarity ${f.similarity.toFixed(3)} · camera left, enrolled right · click or Esc to close`));
  box.hidden = false;
}

// Keys on the queue: j / k next and previous, c / r / p decide the selected alert (its reason
// first: an empty reason takes the cursor there), Enter in a reason box is not a decision.
function onQueueKey(ev) {
  if ($('page-alerts').hidden || ev.ctrlKey || ev.metaKey || ev.altKey) return;
  const typing = ev.target instanceof HTMLInputElement || ev.target instanceof HTMLSelectElement;
  if (typing && ev.key !== 'Escape') return;
  const cards = [...document.querySelectorAll('.alert')];
  const i = cards.findIndex((c) => c.dataset.alertId === selected);
  if (ev.key === 'Escape') { $('lightbox').hidden = true; ev.target.blur?.(); return; }
  if (ev.key === 'j' || ev.key === 'k') {
    const next = cards[Math.max(0, Math.min(cards.length - 1, i + (ev.key === 'j' ? 1 : -1)))];
    if (next) { selected = next.dataset.alertId; markSelected(); next.scrollIntoView({ block: 'nearest' }); }
    ev.preventDefault();
    return;
  }
  const d = DECISIONS.find((x) => x.key === ev.key);
  const card = cards[i];
  if (!d || !card) return;
  const reason = card.querySelector('input.reason');
  if (!reason) return;
  ev.preventDefault();
  if (!reason.value.trim()) { reason.focus(); return; }
  card.querySelector('button.' + d.cls).click();
}

async function loadWatchlist() {
  const rows = await api('GET', 'watchlist');
  $('watchlist').replaceChildren(...rows.map((e) => el('tr', {},
    el('td', {}, e.externalId), el('td', {}, e.legalBasis), el('td', {}, (e.purposes ?? []).join(', ')),
    el('td', { class: 'entry-cameras' }, (e.cameras ?? []).length ? e.cameras.join(', ') : 'any authorized'),
    el('td', {}, e.enrolledBy),
    el('td', {}, e.expiresAt.slice(0, 10)), el('td', {}, String(e.faceIds.length)),
    el('td', {}, allows('ADMIN') ? el('button', { onclick: async () => {
      const reason = prompt(`Reason for removing ${e.externalId}`);
      if (reason) { await api('DELETE', `watchlist/${encodeURIComponent(e.externalId)}?reason=${encodeURIComponent(reason)}`); loadWatchlist(); }
    } }, 'Remove') : ''))));
}

async function enroll(ev) {
  ev.preventDefault();
  const photos = await Promise.all([...$('enroll-photos').files].map((f) => new Promise((ok) => {
    const r = new FileReader();
    r.onload = () => ok({ name: f.name, base64: r.result.split(',')[1] });
    r.readAsDataURL(f);
  })));
  try {
    const rep = await api('POST', 'watchlist', {
      externalId: $('enroll-id').value, legalBasis: $('enroll-basis').value,
      purposes: $('enroll-purposes').value.split(',').map((p) => p.trim()).filter((p) => p),
      cameras: $('enroll-cameras').value.split(',').map((c) => c.trim()).filter((c) => c),
      expiresAt: new Date($('enroll-expires').value).toISOString(), photos,
    });
    $('enroll-result').textContent = `Enrolled ${rep.externalId}`;
    loadWatchlist();
  } catch (e) { $('enroll-result').textContent = e.message; }
}

async function loadCameras() {
  const rows = await api('GET', 'cameras');
  $('cameras').replaceChildren(...rows.map((c) => el('tr', { 'data-camera-id': c.cameraId },
    el('td', {}, `${c.name ?? ''} (${c.cameraId})`), el('td', {}, c.location ?? ''),
    el('td', { class: `auth-${(c.authorization ?? 'none').toLowerCase()}` },
      c.registered ? `${c.authorizationRef} · until ${c.authorizedUntil.slice(0, 10)} · ${authorizationText(c.authorization)}` : 'not registered'),
    el('td', {}, c.registration ?? '–'),
    el('td', {}, c.state ?? 'no report'), el('td', {}, c.framesPerSecond?.toFixed(1) ?? ''),
    el('td', {}, String(c.framesPublished ?? '')), el('td', {}, String(c.framesDropped ?? '')),
    el('td', {}, allows('ADMIN') && c.registered ? el('button', { onclick: async () => {
      const action = c.registration === 'ACTIVE' ? 'suspend' : 'resume';
      const reason = prompt(`Reason to ${action} ${c.cameraId}`);
      if (reason) { await api('POST', `cameras/${encodeURIComponent(c.cameraId)}/${action}`, { reason }); loadCameras(); }
    } }, c.registration === 'ACTIVE' ? 'Suspend' : 'Resume') : ''))));
}

// Frames of a camera outside its authorization window are not processed, whatever its registration.
function authorizationText(a) {
  return ({ NOT_YET: 'not yet authorized', AUTHORIZED: 'authorized', ENDING_SOON: 'ENDS SOON: renew or retire', ENDED: 'ENDED: frames refused' })[a] ?? a;
}

// A job start carries the false alerts per camera-hour it expects for the watchlist it started with.
function expectedFalseAlerts(e) {
  const d = e.details || {};
  if (d.expectedFalseAlertsPerCameraHour === undefined) return null;
  if (d.expectedFalseAlertsPerCameraHour === 'unknown') return 'expected false alerts per camera-hour: unknown (no impostor sample)';
  return `expected false alerts per camera-hour ${d.expectedFalseAlertsPerCameraHour} (95% bound ${d.expectedFalseAlertsPerCameraHourUpper95}) for ${d.watchlistFaces} enrolled faces`;
}

const pct = (x) => (x === null || x === undefined ? '–' : `${(100 * x).toFixed(0)} %`);

function duration(seconds) {
  if (seconds < 90) return `${seconds.toFixed(0)} s`;
  if (seconds < 5400) return `${(seconds / 60).toFixed(0)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}

function outcomeRows(rows) {
  return rows.map((o) => el('tr', {}, el('td', {}, o.key), el('td', {}, String(o.raised)),
    el('td', {}, String(o.confirmed)), el('td', {}, String(o.rejected)), el('td', {}, String(o.waiting)),
    el('td', {}, pct(o.observedFalseAlertRate))));
}

async function loadStats() {
  const s = await api('GET', 'stats');
  $('stats-reviewers').replaceChildren(...s.reviewers.map((r) => el('tr', { 'data-reviewer': r.reviewer },
    el('td', {}, r.reviewer), el('td', {}, String(r.decisions)),
    el('td', {}, `${r.confirms} / ${r.rejects} / ${r.couldNotDecide}`),
    el('td', {}, `${pct(r.agreement)} (${r.agreedWithOutcome} of ${r.onSettledAlerts})`),
    el('td', {}, duration(r.medianSecondsToDecide)))));
  $('stats-cameras').replaceChildren(...outcomeRows(s.cameras));
  $('stats-entries').replaceChildren(...outcomeRows(s.entries));
  const num = (x) => (x == null ? '–' : x.toPrecision(3));
  const watch = s.falseAlertsPerCameraHour ?? [];
  $('stats-false-alerts').replaceChildren(...watch.map((w) => el('tr', { 'data-camera-id': w.cameraId, class: w.diverges ? 'diverges' : '' },
    el('td', {}, w.cameraId), el('td', {}, w.cameraHours.toFixed(1)), el('td', {}, String(w.rejected)),
    el('td', {}, num(w.observedPerCameraHour)),
    el('td', {}, w.expectedPerCameraHour == null ? 'not estimated' : `${num(w.expectedPerCameraHour)} (${num(w.expectedUpper95)})`),
    el('td', {}, w.diverges ? 'above the expected bound' : ''))));
  const diverging = watch.filter((w) => w.diverges).map((w) => w.cameraId);
  $('stats-false-alert-warning').hidden = diverging.length === 0;
  $('stats-false-alert-warning').textContent = diverging.length
    ? `Observed false alerts exceed the expected rate's upper bound on ${diverging.join(', ')}.` : '';
  const r = await api('GET', 'search-report');
  const n = (x) => String(x ?? 0);
  $('stats-search-users').replaceChildren(...r.byUser.map((u) => el('tr', { 'data-user': u.user },
    el('td', {}, u.user), el('td', {}, n(u.searches)), el('td', {}, n(u.refused)), el('td', {}, n(u.CORROBORATED)),
    el('td', {}, n(u.EXCLUDED)), el('td', {}, n(u.NO_ACTION)), el('td', {}, n(u.NOT_RECORDED)))));
  $('stats-search-cases').replaceChildren(...r.byCase.map((c) => el('tr', {},
    el('td', {}, c.case), el('td', {}, n(c.searches)), el('td', {}, n(c.CORROBORATED)),
    el('td', {}, n(c.EXCLUDED)), el('td', {}, n(c.NO_ACTION)), el('td', {}, n(c.NOT_RECORDED)))));
}

// Investigation search: the probe is read in the browser and sent once; it is not stored.
let probe = null;

async function search(ev, faceIndex) {
  ev?.preventDefault();
  $('search-error').textContent = '';
  const file = $('search-photo').files[0];
  if (!file) return;
  if (faceIndex === undefined) {
    probe = await new Promise((ok) => { const r = new FileReader(); r.onload = () => ok(r.result.split(',')[1]); r.readAsDataURL(file); });
  }
  const body = { case: $('search-case').value, reason: $('search-reason').value, k: Number($('search-k').value), photo: probe };
  if (faceIndex !== undefined) body.faceIndex = faceIndex;
  const r = await fetch('/api/search', { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Vigil-Request': '1' }, body: JSON.stringify(body) });
  const data = await r.json();
  $('search-faces').replaceChildren();
  if (r.status === 409 && data.faces) {
    $('search-faces').replaceChildren(el('p', {}, data.error),
      ...data.faces.map((f, i) => el('button', { class: 'choose-face', onclick: () => search(null, i) }, `Face ${i + 1} (${f.width}×${f.height} px)`)));
    return;
  }
  if (!r.ok) { $('search-error').textContent = data.error; return; }
  renderSearch(data);
}

function renderSearch(d) {
  const id = encodeURIComponent(d.searchId);
  const outcome = el('select', { id: 'search-outcome' }, ...['CORROBORATED', 'EXCLUDED', 'NO_ACTION'].map((o) => el('option', { value: o }, o.toLowerCase().replace('_', ' '))));
  const note = el('input', { id: 'search-note', placeholder: 'note (optional)' });
  const done = el('span', { id: 'search-outcome-done', class: 'muted' });
  $('search-result').replaceChildren(
    el('p', { class: 'banner' }, d.banner),
    el('p', { class: 'muted' }, `Case ${d.case} · ${d.facesInProbe} face(s) in the probe · floor ${d.floor.toFixed(3)} · search ${d.searchId}`),
    d.candidates.length ? el('ol', { class: 'candidates' }, ...d.candidates.map((c) => el('li', { class: 'candidate', 'data-booking-id': c.bookingId },
      el('img', { src: `/api/search/${id}/face/${encodeURIComponent(c.entryId)}/${encodeURIComponent(c.faceId)}.jpg`, alt: 'gallery face' }),
      el('div', {}, el('strong', {}, `#${c.rank} · similarity ${c.similarity.toFixed(3)}`),
        el('div', {}, `Booking ${c.bookingId}, ${c.bookingDate}`), el('div', { class: 'muted' }, `${c.agency} · ${c.sourceSystem}`)))))
      : el('p', { id: 'no-candidate' }, 'No candidate at or above the floor.'),
    el('div', { class: 'outcome' }, el('label', {}, 'Outcome ', outcome), note,
      el('button', { id: 'record-outcome', onclick: async () => {
        await api('POST', `search/${id}/outcome`, { outcome: outcome.value, note: note.value });
        done.textContent = 'recorded';
      } }, 'Record outcome'), done));
}

async function loadAudit() {
  const rows = await api('GET', 'audit');
  rows.reverse();
  $('audit').replaceChildren(...rows.map((e) => el('tr', { class: 'audit-row' },
    el('td', {}, new Date(e.timestamp).toLocaleString()), el('td', {}, e.type), el('td', {}, e.actor),
    el('td', {}, [e.externalId, e.cameraId, e.alertId].filter(Boolean).join(' · ')),
    el('td', {}, [e.reason, e.details?.decision, e.details?.statusAfter, expectedFalseAlerts(e)].filter(Boolean).join(' · ')))));
}

document.addEventListener('DOMContentLoaded', () => {
  $('login-form').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    try {
      me = await api('POST', 'login', { user: $('user').value, password: $('password').value });
      $('password').value = '';
      $('login-error').textContent = '';
      start();
    } catch (e) { $('login-error').textContent = e.message; }
  });
  $('enroll-form').addEventListener('submit', enroll);
  $('search-form').addEventListener('submit', (ev) => search(ev));
  ['filter-camera', 'filter-status', 'filter-age'].forEach((f) => $(f).addEventListener('change', renderAlerts));
  $('filter-person').addEventListener('input', renderAlerts);
  document.addEventListener('keydown', onQueueKey);
  $('lightbox').addEventListener('click', () => { $('lightbox').hidden = true; });
  document.querySelectorAll('nav .tab').forEach((t) => t.addEventListener('click', () => show(t.dataset.page)));
  start();
});
