// The live status page: one EventSource on /events (same origin), nothing polled, nothing fetched elsewhere.
// Messages: "snapshot" (everything, on connect), "status" (once a second), "link" (a replica-link state
// change, with the steps of the current attempt), "replica" (a master's event about one replica), "failover"
// (a phase of a FAILOVER, with the whole timeline), "role" (the node became a master or a replica of another).
(function () {
  'use strict';

  var HISTORY_MS = 5 * 60 * 1000;
  var FEED_MAX = 100;
  var history = [];
  var lastStatus = null;
  var role = { role: null, master: null, since: null, cause: null };
  var serverSkew = 0; // the node's clock minus this browser's, from the last status
  var lastFailover = '';

  // what each failover phase means, as Addresses.REPLICATION_FAILOVER documents it
  var PHASES = {
    'started': 'writes paused',
    'synced': 'the target reached this master\'s offset',
    'forced': 'timeout passed, going on (FORCE)',
    'psync-failover': 'PSYNC … FAILOVER sent to the target',
    'role-switched': 'now a replica of the target',
    'resynced': 'partial resynchronization accepted',
    'done': 'failover complete',
    'aborted': 'failover aborted',
    'promoted': 'became a master (PSYNC … FAILOVER answered)'
  };

  function $(id) { return document.getElementById(id); }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text); // text only: no markup from data
    return e;
  }

  function set(id, value) {
    var e = $(id);
    if (e) e.textContent = value === null || value === undefined ? '–' : String(value);
  }

  function num(n) {
    return n === null || n === undefined ? '–' : Number(n).toLocaleString('en-US');
  }

  function ms(n) {
    if (n === null || n === undefined) return '';
    return n < 1000 ? n + ' ms' : (n / 1000).toFixed(n < 10000 ? 2 : 1) + ' s';
  }

  function clock(t) {
    var d = new Date(t);
    function p(x, w) { x = String(x); while (x.length < w) x = '0' + x; return x; }
    return p(d.getHours(), 2) + ':' + p(d.getMinutes(), 2) + ':' + p(d.getSeconds(), 2) + '.' + p(d.getMilliseconds(), 3);
  }

  // ---------------------------------------------------------------- master link

  function renderLink(link, role) {
    var steps = $('link-steps');
    var summary = $('link-summary');
    var lastError = $('last-error');
    if (!link || role !== 'replica' && (!link.host || link.state === 'NONE')) {
      summary.textContent = 'Not a replica. Send REPLICAOF host port to follow a master.';
      steps.replaceChildren();
      lastError.hidden = true;
      return;
    }
    var s = link.host + ':' + link.port + ' · ' + link.state;
    if (link.link_status) s += ' · link ' + link.link_status;
    if (link.attempt) s += ' · attempt ' + link.attempt;
    if (link.total_ms !== null && link.total_ms !== undefined) s += ' · online after ' + ms(link.total_ms);
    summary.textContent = s;

    var items = [];
    (link.steps || []).forEach(function (st) {
      var li = el('li', 'step ' + st.status);
      li.setAttribute('data-step', st.step);
      li.setAttribute('data-status', st.status);
      li.appendChild(el('span', 'dot'));
      li.appendChild(el('span', 'step-label', st.label));
      var d = '';
      if (st.status === 'done' && st.step === 'online') d = 'at ' + ms(st.started_ms);
      else if (st.duration_ms !== null && st.duration_ms !== undefined) d = ms(st.duration_ms);
      else if (st.status === 'active') d = '…';
      else if (st.status === 'skipped') d = 'not needed';
      li.appendChild(el('span', 'step-duration', d));
      if (st.error) li.appendChild(el('span', 'step-error', st.error));
      items.push(li);
    });
    steps.replaceChildren.apply(steps, items);

    var failure = link.last_failure;
    if (failure && failure.error) {
      lastError.hidden = false;
      lastError.textContent = 'Last failure' + (failure.step ? ' (' + failure.step + ', attempt ' + failure.attempt + ')' : '')
        + ': ' + failure.error;
    } else {
      lastError.hidden = true;
      lastError.textContent = '';
    }
  }

  // ---------------------------------------------------------------- role

  function renderRole() {
    var badge = $('role');
    if (!role.role) return;
    badge.textContent = role.role === 'replica' && role.master ? 'replica of ' + role.master : role.role;
    badge.className = 'badge ' + role.role;
    badge.setAttribute('data-role', role.role);
    badge.setAttribute('data-master', role.master || '');
    var since = $('role-since');
    if (role.since === null || role.since === undefined) {
      since.textContent = '';
      since.removeAttribute('data-since');
      return;
    }
    var ago = Math.max(0, Math.round((Date.now() + serverSkew - role.since) / 1000));
    since.textContent = 'since ' + clock(role.since) + ' (' + ago + ' s ago' + (role.cause ? ', ' + role.cause : '') + ')';
    since.setAttribute('data-since', role.since);
  }

  function setRole(r, master, since, cause) {
    role = { role: r, master: master || null, since: since, cause: cause || null };
    renderRole();
  }

  // ---------------------------------------------------------------- failover

  function phaseItem(p, i, fo) {
    var last = i === fo.phases.length - 1;
    var status = p.phase === 'aborted' || p.error ? 'failed' : last && fo.in_progress ? 'active' : 'done';
    var li = el('li', 'step phase ' + status);
    li.setAttribute('data-phase', p.phase);
    li.setAttribute('data-index', i);
    li.setAttribute('data-status', status);
    li.appendChild(el('span', 'dot'));
    var label = el('span', 'step-label');
    label.appendChild(el('span', 'phase-name', p.phase));
    label.appendChild(el('span', 'phase-what', PHASES[p.phase] || ''));
    li.appendChild(label);
    li.appendChild(el('span', 'step-duration', '+' + ms(p.elapsed_ms || 0)));
    var info = [];
    if (p.target) info.push('target ' + p.target);
    if (p.offset !== null && p.offset !== undefined) info.push('offset ' + num(p.offset));
    if (p.target_offset !== null && p.target_offset !== undefined) info.push('target offset ' + num(p.target_offset));
    if (p.state) info.push(p.state);
    if (p.detail) info.push(p.detail);
    if (info.length) li.appendChild(el('span', 'phase-info', info.join(' · ')));
    if (p.error) li.appendChild(el('span', 'step-error', p.error));
    return li;
  }

  function renderFailover(fo) {
    var key = JSON.stringify(fo || null);
    if (key === lastFailover) return;
    lastFailover = key;
    var list = $('failover-phases');
    var summary = $('failover-summary');
    var error = $('failover-error');
    var card = $('failover-card');
    if (!fo) {
      card.removeAttribute('data-outcome');
      list.replaceChildren();
      error.hidden = true;
      return;
    }
    card.setAttribute('data-outcome', fo.outcome || 'in-progress');
    var s = fo.side === 'target' ? 'Taken over as the target' : 'To ' + (fo.target || 'a replica');
    s += ' · started ' + clock(fo.started_at);
    if (fo.in_progress) s += ' · in progress, ' + ms(fo.elapsed_ms);
    else if (fo.outcome === 'aborted') s += ' · aborted after ' + ms(fo.elapsed_ms);
    else s += ' · ' + fo.outcome + ' in ' + ms(fo.elapsed_ms);
    summary.textContent = s;
    summary.className = fo.outcome === 'aborted' ? 'error' : '';
    list.replaceChildren.apply(list, fo.phases.map(function (p, i) { return phaseItem(p, i, fo); }));
    if (fo.outcome === 'aborted') {
      error.hidden = false;
      error.textContent = 'Aborted: ' + (fo.error || 'no reason given');
    } else {
      error.hidden = true;
      error.textContent = '';
    }
  }

  // ---------------------------------------------------------------- status

  function renderStatus(st) {
    lastStatus = st;
    serverSkew = st.time - Date.now();
    $('stream-status').setAttribute('data-time', st.time);
    setRole(st.role, st.role_master, st.role_since, st.role_cause);
    set('failover-info-state', st.master_failover_state ? 'master_failover_state ' + st.master_failover_state : '');
    renderFailover(st.failover);
    set('node-id', 'port ' + st.port + (st.version ? ' · v' + st.version : ''));
    set('replid', st.replid);
    set('replid2', st.replid2);
    set('master-repl-offset', num(st.master_repl_offset));
    set('second-repl-offset', num(st.second_repl_offset));
    var m = st.master_link;
    set('replica-offsets', m ? 'applied ' + num(m.repl_offset) + ' · read ' + num(m.read_repl_offset) : '–');
    renderLink(m, st.role);

    set('ops', num(st.ops_per_sec));
    set('clients', num(st.connected_clients));
    set('memory', st.used_memory_human + ' (' + num(st.used_memory) + ' bytes)');
    set('uptime', st.uptime_in_seconds + ' s');
    var rows = (st.keyspace || []).map(function (db) {
      var tr = el('tr');
      tr.appendChild(el('td', null, 'db' + db.db));
      tr.appendChild(el('td', null, num(db.keys)));
      tr.appendChild(el('td', null, num(db.expires)));
      return tr;
    });
    if (rows.length === 0) {
      var tr = el('tr');
      var td = el('td', 'muted', 'no keys');
      td.colSpan = 3;
      tr.appendChild(td);
      rows.push(tr);
    }
    var kb = $('keyspace').tBodies[0];
    kb.replaceChildren.apply(kb, rows);

    var reps = (st.replicas || []).map(function (r) {
      var tr = el('tr');
      tr.setAttribute('data-replica', r.ip + ':' + r.port);
      tr.appendChild(el('td', null, r.ip + ':' + r.port));
      tr.appendChild(el('td', null, r.state));
      tr.appendChild(el('td', null, num(r.offset)));
      tr.appendChild(el('td', null, num(r.lag_bytes)));
      tr.appendChild(el('td', null, num(r.lag_ms)));
      tr.appendChild(el('td', null, r.lag_seconds));
      return tr;
    });
    var rb = $('replicas').tBodies[0];
    rb.replaceChildren.apply(rb, reps);
    $('no-replicas').hidden = reps.length > 0;
    set('replica-count', st.connected_replicas);

    set('lag-bytes', st.lag && st.lag.bytes !== null ? num(st.lag.bytes) + ' B' : 'n/a');
    set('lag-ms', st.lag && st.lag.ms !== null ? num(st.lag.ms) + ' ms' : 'n/a');
  }

  // ---------------------------------------------------------------- chart

  function addPoint(p) {
    history.push(p);
    var cutoff = p.t - HISTORY_MS;
    while (history.length && history[0].t < cutoff) history.shift();
  }

  function drawChart(id, key, unit) {
    var box = $(id);
    var line = box.querySelector('.line');
    var now = history.length ? history[history.length - 1].t : Date.now();
    var max = 0;
    history.forEach(function (p) { if (p[key] !== null && p[key] > max) max = p[key]; });
    var top = max > 0 ? max * 1.1 : 1;
    var d = '';
    var pen = 'M';
    history.forEach(function (p) {
      if (p[key] === null || p[key] === undefined) { pen = 'M'; return; }
      var x = 300 - (now - p.t) * 300 / HISTORY_MS;
      var y = 79 - p[key] * 78 / top;
      d += pen + x.toFixed(1) + ' ' + y.toFixed(1);
      pen = 'L';
    });
    line.setAttribute('d', d);
    box.querySelector('.chart-max').textContent = 'max ' + num(max) + ' ' + unit;
  }

  function drawCharts() {
    drawChart('chart-bytes', 'bytes', 'B');
    drawChart('chart-ms', 'ms', 'ms');
  }

  // ---------------------------------------------------------------- feed

  function feedItem(ev) {
    var li = el('li');
    li.setAttribute('data-kind', ev.kind);
    li.appendChild(el('time', null, clock(ev.ts)));
    if (ev.kind === 'state') {
      li.setAttribute('data-state', ev.state);
      li.appendChild(el('span', 'what', ev.previous + ' → ' + ev.state));
      li.appendChild(el('span', null, '+' + ev.elapsed_ms + ' ms '));
    } else if (ev.kind === 'failover') {
      li.setAttribute('data-phase', ev.phase);
      li.appendChild(el('span', 'what', 'failover ' + ev.phase));
      li.appendChild(el('span', null, '+' + ev.elapsed_ms + ' ms '));
      if (ev.target) li.appendChild(el('span', null, 'target ' + ev.target + ' '));
      if (ev.offset !== undefined && ev.offset !== null) li.appendChild(el('span', null, 'offset ' + ev.offset + ' '));
    } else if (ev.kind === 'role') {
      li.setAttribute('data-role', ev.role);
      li.appendChild(el('span', 'what', 'role → ' + (ev.master ? 'replica of ' + ev.master : ev.role)));
      if (ev.cause) li.appendChild(el('span', 'muted', ev.cause + ' '));
    } else {
      li.appendChild(el('span', 'what', 'replica ' + ev.replica + ' ' + ev.event));
      if (ev.state) li.appendChild(el('span', null, ev.state + ' '));
      if (ev.offset !== undefined) li.appendChild(el('span', null, 'offset ' + ev.offset + ' '));
    }
    if (ev.detail) li.appendChild(el('span', 'muted', ev.detail + ' '));
    if (ev.error) li.appendChild(el('span', 'err', ev.error));
    return li;
  }

  function addFeed(ev) {
    var feed = $('feed');
    feed.insertBefore(feedItem(ev), feed.firstChild);
    while (feed.children.length > FEED_MAX) feed.removeChild(feed.lastChild);
  }

  // ---------------------------------------------------------------- stream

  function connect() {
    var indicator = $('stream-status');
    var es = new EventSource('events');
    es.onopen = function () { indicator.textContent = 'live'; indicator.className = 'stream on'; };
    es.onerror = function () { indicator.textContent = 'reconnecting'; indicator.className = 'stream off'; };
    es.addEventListener('snapshot', function (e) {
      var st = JSON.parse(e.data);
      history = (st.lag_history || []).slice();
      var feed = $('feed');
      feed.replaceChildren();
      (st.events || []).forEach(addFeed);
      renderStatus(st);
      drawCharts();
      indicator.textContent = 'live';
      indicator.className = 'stream on';
    });
    es.addEventListener('status', function (e) {
      var st = JSON.parse(e.data);
      addPoint({ t: st.time, bytes: st.lag.bytes, ms: st.lag.ms });
      renderStatus(st);
      drawCharts();
    });
    es.addEventListener('link', function (e) {
      var msg = JSON.parse(e.data);
      addFeed(msg.event);
      var link = msg.link;
      if (lastStatus && lastStatus.master_link && lastStatus.master_link.host === link.host) {
        link.link_status = link.state === 'CONNECTED' ? 'up' : 'down';
      }
      renderLink(link, link.state === 'NONE' ? 'master' : 'replica');
    });
    es.addEventListener('role', function (e) {
      var ev = JSON.parse(e.data);
      addFeed(ev);
      setRole(ev.role, ev.master, ev.since, ev.cause);
    });
    es.addEventListener('failover', function (e) {
      var msg = JSON.parse(e.data);
      addFeed(msg.event);
      renderFailover(msg.failover);
    });
    es.addEventListener('replica', function (e) {
      addFeed(JSON.parse(e.data));
    });
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', connect);
  else connect();
}());
