'use strict';
// The fleet page: reads /api/fleet every second and draws the topology (masters on top, replicas under their
// master, chains going down) and a table of every node. Edge labels show the stream's throughput, from the
// replica's offset a second apart. No library, no network but this node.
(function () {
  const SVG = 'http://www.w3.org/2000/svg';
  const W = 190, H = 70, GAP_X = 24, GAP_Y = 56;
  const graph = document.getElementById('graph');
  const tbody = document.querySelector('#nodes tbody');
  const status = document.getElementById('stream-status');
  const summary = document.getElementById('fleet-summary');
  const previous = {}; // addr -> {offset, t}
  const rates = {};

  function addr(n) { return n.host + ':' + n.port; }
  function el(name, attrs, text) {
    const e = document.createElementNS(SVG, name);
    for (const k in attrs) e.setAttribute(k, attrs[k]);
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function fmt(v) { return v === null || v === undefined ? '–' : String(v); }
  function bytes(v) {
    if (v === null || v === undefined) return '–';
    if (v < 1024) return v + ' B';
    if (v < 1048576) return (v / 1024).toFixed(1) + ' KB';
    return (v / 1048576).toFixed(1) + ' MB';
  }

  function layout(view) {
    const byAddr = {};
    view.nodes.forEach(n => { byAddr[addr(n)] = n; n.children = []; });
    const roots = [];
    view.nodes.forEach(n => {
      const m = n.master && byAddr[n.master];
      if (m) m.children.push(n); else roots.push(n);
    });
    // depth-first: each subtree gets the width of its leaves
    let col = 0;
    const placed = [];
    function place(n, depth) {
      if (n.children.length === 0) { n.x = col++; }
      else {
        n.children.forEach(c => place(c, depth + 1));
        n.x = (n.children[0].x + n.children[n.children.length - 1].x) / 2;
      }
      n.depth = depth;
      placed.push(n);
    }
    roots.sort((a, b) => (a.role === 'master' ? 0 : 1) - (b.role === 'master' ? 0 : 1));
    roots.forEach(r => place(r, 0));
    return { nodes: placed, columns: Math.max(col, 1), depth: Math.max(0, ...placed.map(n => n.depth)) + 1, byAddr };
  }

  function draw(view) {
    const now = Date.now();
    view.nodes.forEach(n => {
      const a = addr(n), p = previous[a];
      if (p && n.offset !== null && now > p.t) rates[a] = Math.max(0, (n.offset - p.offset) * 1000 / (now - p.t));
      if (n.offset !== null) previous[a] = { offset: n.offset, t: now };
    });
    const g = layout(view);
    const width = g.columns * (W + GAP_X), height = g.depth * (H + GAP_Y);
    graph.setAttribute('viewBox', '0 0 ' + width + ' ' + height);
    graph.style.height = Math.max(128, Math.min(height, 900)) + 'px';
    graph.textContent = '';
    const pos = n => ({ x: n.x * (W + GAP_X) + GAP_X / 2, y: n.depth * (H + GAP_Y) + 8 });
    view.edges.forEach(e => {
      const from = g.byAddr[e.from], to = g.byAddr[e.to];
      if (!from || !to) return;
      const a = pos(from), b = pos(to);
      const x1 = a.x + W / 2, y1 = a.y + H, x2 = b.x + W / 2, y2 = b.y;
      graph.appendChild(el('path', { class: 'edge ' + (e.link || ''), 'data-from': e.from, 'data-to': e.to,
        d: 'M' + x1 + ' ' + y1 + ' C' + x1 + ' ' + (y1 + GAP_Y / 2) + ' ' + x2 + ' ' + (y2 - GAP_Y / 2) + ' ' + x2 + ' ' + y2 }));
      const r = rates[e.to];
      graph.appendChild(el('text', { class: 'edge-label', x: (x1 + x2) / 2 + 4, y: (y1 + y2) / 2 },
        r === undefined ? e.link : bytes(Math.round(r)) + '/s'));
    });
    g.nodes.forEach(n => {
      const p = pos(n);
      const down = n.member && n.up === false;
      const cls = ['node', n.role, n.member ? 'member' : 'outsider', down ? 'down' : ''].join(' ');
      const grp = el('g', { class: cls, 'data-addr': addr(n), transform: 'translate(' + p.x + ',' + p.y + ')' });
      grp.appendChild(el('rect', { width: W, height: H }));
      grp.appendChild(el('text', { class: 'title', x: 8, y: 16 }, addr(n) + (down ? '  down' : '')));
      let line2 = n.role + (n.member ? '' : ' (not in the fleet)');
      if (n.link && n.link !== 'up') line2 += ' · link ' + n.link + (n.step ? ' (' + n.step.replace('REPL_STATE_', '').toLowerCase() + ')' : '');
      if (n.sync) line2 += ' · ' + bytes(n.sync.bytes) + (n.sync.total > 0 ? ' of ' + bytes(n.sync.total) : '');
      grp.appendChild(el('text', { class: 'sub', x: 8, y: 32 }, line2));
      grp.appendChild(el('text', { class: 'offset', x: 8, y: 48 }, 'offset ' + fmt(n.offset)));
      if (n.master) {
        grp.appendChild(el('text', { class: 'lag', x: 8, y: 60 },
          'lag ' + bytes(n.lag_bytes) + ' · ' + (n.lag_ms === null ? '–' : n.lag_ms + ' ms')));
      }
      if (n.member && n.http_port) {
        grp.addEventListener('click', () => { window.location.href = 'http://' + n.host + ':' + n.http_port + '/'; });
      }
      graph.appendChild(grp);
    });
    tbody.textContent = '';
    view.nodes.forEach(n => {
      const tr = document.createElement('tr');
      tr.dataset.addr = addr(n);
      if (n.member && n.up === false) tr.className = 'down';
      const r = rates[addr(n)];
      [addr(n), n.role, fmt(n.master), fmt(n.link), fmt(n.offset), fmt(n.lag_bytes), fmt(n.lag_ms),
        n.master && r !== undefined ? bytes(Math.round(r)) + '/s' : '–',
        n.member ? (n.up ? 'up' : 'down') : 'from INFO'].forEach((v, i) => {
        const td = document.createElement('td');
        if (i === 0 && n.member && n.http_port) {
          const a = document.createElement('a');
          a.href = 'http://' + n.host + ':' + n.http_port + '/';
          a.textContent = v;
          td.appendChild(a);
        } else {
          td.textContent = v;
        }
        tr.appendChild(td);
      });
      tbody.appendChild(tr);
    });
    const members = view.nodes.filter(n => n.member);
    summary.textContent = members.length + ' in the fleet, ' + members.filter(n => n.up).length + ' up, '
      + (view.nodes.length - members.length) + ' known from INFO';
  }

  async function tick() {
    try {
      const r = await fetch('/api/fleet', { cache: 'no-store' });
      if (!r.ok) throw new Error(r.status);
      draw(await r.json());
      status.textContent = 'live';
      status.className = 'stream on';
    } catch (e) {
      status.textContent = 'disconnected';
      status.className = 'stream off';
    }
  }
  tick();
  setInterval(tick, 1000);
})();
