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
  $('tab-audit').hidden = !allows('ADMIN');
  document.querySelectorAll('.admin-only').forEach((e) => { e.hidden = !allows('ADMIN'); });
  show('alerts');
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
  $('alerts').replaceChildren();
  showLogin();
}

function show(page) {
  document.querySelectorAll('.page').forEach((p) => { p.hidden = p.id !== 'page-' + page; });
  document.querySelectorAll('nav .tab').forEach((t) => t.classList.toggle('active', t.dataset.page === page));
  ({ alerts: loadAlerts, watchlist: loadWatchlist, cameras: loadCameras, audit: loadAudit })[page]();
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

function renderAlerts() {
  const list = [...alerts.values()].sort((x, y) => y.firstSeen.localeCompare(x.firstSeen));
  $('alerts').replaceChildren(...list.map(renderAlert));
}

function renderAlert(a) {
  const id = a.alertId;
  const facts = el('div', { class: 'facts' },
    el('h3', {}, a.externalId, ' ', el('span', { class: 'status ' + a.status, 'data-testid': 'status' }, a.status)),
    el('div', {}, `Camera: ${a.cameraName} (${a.cameraId})`),
    el('div', {}, `Seen: ${new Date(a.firstSeen).toLocaleString()} – ${new Date(a.lastSeen).toLocaleTimeString()}${a.closed ? ' (ended)' : ' (in view)'}`),
    el('div', {}, `Similarity ${a.similarity.toFixed(3)} (best ${a.bestSimilarity.toFixed(3)}, threshold ${a.threshold.toFixed(2)}) over ${a.supportingFrames} frames`),
    el('div', {}, `Legal basis: ${a.legalBasis}`),
    el('div', { class: 'muted' }, `Reviews (${a.decisions.filter((d) => d.decision === 'CONFIRM').length}/${a.confirmationsRequired} confirmations): `
      + (a.decisions.map((d) => `${d.decision.toLowerCase()} by ${d.reviewer}`).join(', ') || 'none')));
  const card = el('div', { class: 'alert', id: 'alert-' + id, 'data-alert-id': id },
    a.hasCrop ? el('img', { src: `/api/alerts/${encodeURIComponent(id)}/crop.jpg`, alt: 'face crop' }) : el('div', {}), facts);
  const mine = a.decisions.find((d) => d.reviewer === me.user);
  if (mine) card.append(el('div', { class: 'muted' }, `You ${mine.decision === 'CONFIRM' ? 'confirmed' : 'rejected'} this alert.`));
  if (allows('REVIEWER') && a.status === 'PENDING' && !mine) {
    const reason = el('input', { placeholder: 'reason (required)', class: 'reason' });
    const msg = el('div', { class: 'error' });
    const decide = (decision) => async () => {
      try {
        const updated = await api('POST', `alerts/${encodeURIComponent(id)}/review`, { decision, reason: reason.value });
        alerts.set(id, updated);
        renderAlerts();
      } catch (e) { msg.textContent = e.message; }
    };
    card.append(el('div', { class: 'review' }, reason,
      el('button', { class: 'confirm', onclick: decide('CONFIRM') }, 'Confirm'),
      el('button', { class: 'reject', onclick: decide('REJECT') }, 'Reject'), msg));
  }
  return card;
}

async function loadWatchlist() {
  const rows = await api('GET', 'watchlist');
  $('watchlist').replaceChildren(...rows.map((e) => el('tr', {},
    el('td', {}, e.externalId), el('td', {}, e.legalBasis), el('td', {}, (e.purposes ?? []).join(', ')),
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
  document.querySelectorAll('nav .tab').forEach((t) => t.addEventListener('click', () => show(t.dataset.page)));
  start();
});
