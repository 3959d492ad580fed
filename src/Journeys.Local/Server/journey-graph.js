// A journey drawn as its graph (DESIGN §10), shared by the dashboard and the report of `journeys simulate --report`.
// Nodes and edges follow Journeys.Core's JourneyGraph (the entry, one node per step, the end where a path completes
// the journey, one edge per successor with its path name); dagre (bundled into the page, tools/dagre) lays them out; the counts come from a stats object
// shaped as GET /v1/journeys/{id}/stats answers. Every drawn node and edge carries data- attributes (step, count)
// so what a person sees can be checked against the API.
'use strict';
const JourneyGraph = (() => {
  const ENTRY = '(entry)';
  const END = '(end)'; // where a path without a next leads: the journey completes
  const SVG = 'http://www.w3.org/2000/svg';

  function entryLabel(entry) {
    if (entry.event) return 'event ' + entry.event + (entry.key ? ` (per ${entry.key})` : '');
    if (entry.schedule) return 'schedule' + (entry.segment ? ' of ' + entry.segment : '');
    return 'segment ' + entry.segment;
  }

  function describe(step) {
    switch (step.type) {
      case 'send': return 'send ' + step.channel;
      case 'delay':
        if (step.for) return 'delay ' + step.for;
        if (step.until) return 'delay until ' + step.until;
        if (step.untilDate) return 'delay until ' + step.untilDate;
        return 'delay until ' + (step.untilTrait ? 'trait ' + step.untilTrait : 'property ' + step.untilProperty);
      case 'waitFor': return 'wait for ' + (step.events ? step.events.map(e => e.event).join(' | ') : step.event) + ` (${step.timeout})`;
      case 'split': return step.experiment ? `experiment (${step.experiment.metric || 'goal'} within ${step.experiment.window}${step.experiment.winner ? ', winner' : ''})` : 'split';
      case 'update': return 'update profile';
      case 'jump': return 'jump to ' + step.journey;
      default: return step.type;
    }
  }

  function successors(step) {
    const out = [];
    if (step.type === 'exit' || step.type === 'jump') return out; // they end the enrollment themselves
    const add = (to, label) => out.push({ to: to || END, label });
    switch (step.type) {
      case 'split': for (const p of step.paths) add(p.next, `${p.name} ${p.percent}%${p.control ? ' (control)' : ''}`); break;
      case 'branch': for (const p of step.paths) add(p.next, p.name); add(step.otherwise, 'otherwise'); break;
      case 'waitFor':
        if (step.events) for (const e of step.events) add(e.next, e.name || e.event);
        else add(step.onEvent, step.event);
        add(step.onTimeout, 'timeout');
        break;
      default: add(step.next, null);
    }
    return out;
  }

  /** {nodes: [{id, type, label}], edges: [{from, to, label}]} of a journey definition (its JSON). */
  function of(definition) {
    const nodes = [{ id: ENTRY, type: 'entry', label: 'entry: ' + entryLabel(definition.entry) }];
    const edges = [{ from: ENTRY, to: definition.start, label: null }];
    for (const [id, step] of Object.entries(definition.steps)) {
      nodes.push({ id, type: step.type, label: describe(step) });
      for (const s of successors(step)) edges.push({ from: id, to: s.to, label: s.label });
    }
    if (edges.some(e => e.to === END)) nodes.push({ id: END, type: 'end', label: 'completed' });
    return { nodes, edges };
  }

  const el = (name, attrs, parent) => {
    const e = document.createElementNS(SVG, name);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
    if (parent) parent.appendChild(e);
    return e;
  };
  const text = (parent, x, y, content, cls) => { const t = el('text', { x, y, 'text-anchor': 'middle', class: cls || '' }, parent); t.textContent = content; return t; };
  const width = s => Math.max(60, Math.ceil(s.length * 7.2) + 20);
  const n = v => (v || 0).toLocaleString('en-US');

  /**
   * Draws the journey into the <svg> element: counts on the nodes (steps reached; the entry: entered) and edges
   * (taken; the entry's edge: entered), and the steps of `highlight` (a Set of step ids, with the entry) marked.
   */
  function draw(svg, definition, stats, highlight) {
    const graph = of(definition);
    const reached = id => id === ENTRY ? stats.entered : id === END ? stats.completed : (stats.steps || {})[id] || 0;
    const taken = {};
    for (const e of stats.edges || []) taken[e.from + '>' + e.to] = e.taken;
    const edgeCount = e => e.from === ENTRY ? stats.entered : taken[e.from + '>' + e.to] || 0;
    const g = new dagre.graphlib.Graph({ multigraph: true });
    g.setGraph({ rankdir: 'TB', nodesep: 28, ranksep: 46, edgesep: 12, marginx: 12, marginy: 12 });
    for (const node of graph.nodes) {
      const title = node.id === ENTRY ? 'entry' : node.id === END ? 'end' : node.id;
      g.setNode(node.id, { width: Math.max(width(title), width(node.label)), height: 58, node });
    }
    graph.edges.forEach((edge, i) => {
      const label = (edge.label ? edge.label + ': ' : '') + n(edgeCount(edge));
      g.setEdge(edge.from, edge.to, { width: width(label) - 14, height: 16, labelpos: 'c', edge, label }, 'e' + i);
    });
    dagre.layout(g);
    const size = g.graph();
    svg.replaceChildren();
    svg.setAttribute('viewBox', `0 0 ${Math.ceil(size.width)} ${Math.ceil(size.height)}`);
    svg.setAttribute('width', Math.ceil(size.width));
    svg.style.maxWidth = '100%';
    const defs = el('defs', {}, svg);
    const marker = el('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' }, defs);
    el('path', { d: 'M 0 0 L 10 5 L 0 10 z', class: 'arrow' }, marker);
    const lit = highlight || new Set();
    for (const id of g.edges()) {
      const { points, edge, label, x, y } = g.edge(id);
      const on = lit.has(edge.from) && lit.has(edge.to);
      const group = el('g', { class: 'edge' + (on ? ' lit' : ''), 'data-from': edge.from, 'data-to': edge.to, 'data-count': edgeCount(edge) }, svg);
      el('path', { d: 'M' + points.map(p => `${p.x},${p.y}`).join(' L'), 'marker-end': 'url(#arrow)' }, group);
      text(group, x, y + 4, label, 'edge-label');
    }
    for (const id of g.nodes()) {
      const { x, y, width: w, height: h, node } = g.node(id);
      const on = lit.has(id);
      const group = el('g', { class: `node type-${node.type}` + (on ? ' lit' : ''), 'data-step': id, 'data-count': reached(id) }, svg);
      el('rect', { x: x - w / 2, y: y - h / 2, width: w, height: h, rx: ['delay', 'waitFor', 'entry', 'end'].includes(node.type) ? 14 : 4 }, group);
      text(group, x, y - 10, id === ENTRY ? 'entry' : id === END ? 'end' : id, 'node-id');
      text(group, x, y + 5, node.label, 'node-label');
      text(group, x, y + 20, n(reached(id)), 'node-count');
    }
    return graph;
  }

  /** The steps a user's trace records name (and the entry once they entered, the end once they completed), for draw's highlight. */
  function pathOf(records) {
    const steps = new Set();
    for (const r of records) {
      if (r.kind === 'entered') steps.add(ENTRY);
      if (r.kind === 'completed') steps.add(END);
      if (r.step) steps.add(r.step);
    }
    return steps;
  }

  const pct = v => v == null ? '–' : (v * 100).toFixed(1) + '%';
  const p = v => v == null ? '–' : v < 0.0001 ? '< 0.0001' : v.toFixed(4);

  /** One table per experiment of the stats' readout, into `container`. */
  function readouts(container, stats) {
    container.replaceChildren();
    const experiments = Object.entries(stats.experiments || {});
    if (experiments.length === 0 && !stats.globalControl) {
      const none = document.createElement('p');
      none.textContent = 'No experiment in this journey.';
      container.appendChild(none);
      return;
    }
    for (const [step, x] of experiments) {
      caption(container, `${step}: ${x.metric} within ${x.window}` + (x.winnerAfter ? `, winner after ${x.winnerAfter} with ${x.minPerPath} per path` : '')
        + (x.winner ? ` — winner: ${x.winner}` : ''));
      container.appendChild(readoutTable(step, x.paths, 'p (Holm)'));
    }
    if (stats.globalControl) {
      // the settings' global control group: this journey's conversions of users held out of every message vs the rest
      caption(container, 'Global control group: held out of every message vs messaged (the goal, any time in the enrollment)');
      container.appendChild(readoutTable('global-control', stats.globalControl.paths, 'p'));
    }
  }

  function caption(container, text) {
    const h = container.appendChild(document.createElement('h4'));
    h.textContent = text;
  }

  function readoutTable(step, paths, pHeading) {
    const table = document.createElement('table');
    table.className = 'readout';
    table.dataset.step = step;
    table.innerHTML = `<thead><tr><th>Path</th><th>Entered</th><th>Converted</th><th>Rate</th><th>95% interval</th><th>Lift</th><th>${pHeading}</th><th>Significant</th></tr></thead>`;
    const body = table.appendChild(document.createElement('tbody'));
    for (const path of paths) {
      const tr = body.appendChild(document.createElement('tr'));
      tr.dataset.path = path.name;
      if (path.winner) tr.className = 'winner';
      const cells = [
        ['path', path.name + (path.control ? ' (control)' : '') + (path.winner ? ' ★ winner' : '')],
        ['entered', n(path.entered)], ['converted', n(path.converted)], ['rate', pct(path.rate)],
        ['interval', `${pct(path.interval.low)} – ${pct(path.interval.high)}`],
        ['lift', path.lift == null ? '–' : (path.lift >= 0 ? '+' : '') + pct(path.lift)],
        ['p', path.control ? '–' : p(path.adjustedPValue)],
        ['significant', path.control ? '–' : path.significant ? 'yes' : 'no'],
      ];
      for (const [column, value] of cells) {
        const td = tr.appendChild(document.createElement('td'));
        td.dataset.column = column;
        td.textContent = value;
      }
    }
    return table;
  }

  return { ENTRY, END, of, draw, pathOf, readouts };
})();
