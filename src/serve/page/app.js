// wfsim serve: the what-if page. It holds the scenario's text; each change is sent with the text
// to the server on this computer, which makes it, checks it as `wfsim check` does, runs it as
// `wfsim run` does and answers with the boxes, tables and charts to show.
'use strict';

const state = {
  start: '',       // the text the page started from
  text: '',        // the text as the server last answered it
  pending: [],     // changes sent but not yet answered (a newer request carries them again)
  seq: 0,
  controller: null,
  running: false,  // a change is waiting for its answer
  downloading: 0,  // downloads being made
  polling: false,  // the progress is being asked for
  downloads: [],
  baselinePaths: [],
};

const $ = (id) => document.getElementById(id);

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'text') e.textContent = v;
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) {
    if (c !== null && c !== undefined) e.append(c);
  }
  return e;
}

let ids = 0;
const fresh = (stem) => `${stem}-${++ids}`;

function say(text) {
  $('status').textContent = text;
}

async function start() {
  const r = await fetch('/api/start');
  const s = await r.json();
  state.start = s.text;
  state.text = s.text;
  state.downloads = s.downloads;
  renderDownloads();
  // Changes in the address: ?intake.asye.size=20 sets that input on opening.
  const edits = [];
  for (const [path, value] of new URLSearchParams(location.search)) {
    edits.push({ op: 'set', path, value });
  }
  await run(edits);
}

// Busy while a change waits for its answer or a download is made: Stop is shown for either, and
// the progress is asked for (from 0.3 s on, so that a quick answer shows none) until neither is.
function busy() {
  const on = state.running || state.downloading > 0;
  document.body.classList.toggle('busy', on);
  $('stop').hidden = !on;
  if (!on) $('progress').hidden = true;
  if (on && !state.polling) {
    state.polling = true;
    setTimeout(pollProgress, 300);
  }
}

async function pollProgress() {
  if (!document.body.classList.contains('busy')) {
    state.polling = false;
    return;
  }
  try {
    const p = await (await fetch('/api/progress')).json();
    if (p.running && p.total > 0 && document.body.classList.contains('busy')) {
      $('progress').hidden = false;
      $('progress').value = p.done / p.total;
      say(`Running: ${p.done.toLocaleString('en-GB')} of ${p.total.toLocaleString('en-GB')} replications…`);
    }
  } catch (e) { /* the run's own answer reports a lost server */ }
  setTimeout(pollProgress, 250);
}

// Sends the text with every change not yet answered; a later change supersedes this request.
async function run(edits) {
  state.pending.push(...edits);
  const sent = state.pending.slice();
  if (state.controller) state.controller.abort();
  const controller = new AbortController();
  state.controller = controller;
  const seq = ++state.seq;
  state.running = true;
  busy();
  say('Running…');
  let r, reply;
  try {
    r = await fetch('/api/run', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ text: state.text, edits: sent }),
      signal: controller.signal,
    });
    reply = await r.json();
  } catch (e) {
    if (e.name !== 'AbortError' && seq === state.seq) {
      state.running = false;
      busy();
      say('The page cannot reach wfsim: is `wfsim serve` still running?');
    }
    return;
  }
  if (seq !== state.seq) return;
  state.running = false;
  busy();
  if (r.status === 409) {
    // Stopped (here, or by a change from another tab): the boxes keep what was typed, the changes
    // wait to be sent with the next, and the results say they are from before them.
    stale('These results are from before your last change, which was stopped before it ran.', true);
    say('Stopped: the results are from before your last change.');
    return;
  }
  state.pending = state.pending.slice(sent.length);
  if (!r.ok) { say(reply.error || `The change could not be made (${r.status}).`); return; }
  state.text = reply.text;
  renderPanel(reply.panel);
  if (reply.problems) {
    // A problem between several boxes is shown above them all, not beside one.
    const above = $('other-problems').childElementCount > 0;
    stale(`These results are from before the last change: it has a problem to fix (${above ? 'shown at the top of the inputs' : 'shown beside its box'}), so nothing has run.`, false);
    say(`Not run: the scenario has a problem to fix, shown ${above ? 'at the top of the inputs' : 'beside its box'}.`);
    if (above) $('other-problems').scrollIntoView({ block: 'center' });
    return;
  }
  $('stale').hidden = true;
  $('run-again').hidden = true;
  $('results').classList.remove('stale');
  renderResults(reply.results);
  say(`Ran ${reply.results.replications.toLocaleString('en-GB')} replications in ${reply.seconds.all.toFixed(2)} s.`);
}

// Marks the results as from before the last change, saying why; `again` offers to run it.
function stale(why, again) {
  $('stale-why').textContent = why;
  $('run-again').hidden = !again;
  $('stale').hidden = false;
  $('results').classList.add('stale');
}

// ---- the boxes ----

function problemsOf(c) {
  return c.problems.map((p) => el('p', { class: 'problem', text: p }));
}

// A control's box: a text box, a choice of one (`select`) or a list of checkboxes (`checks`).
function box(c, inputId) {
  const errId = c.problems.length ? `${inputId}-problem` : null;
  const common = {
    id: inputId,
    'data-path': c.path,
    'aria-invalid': c.problems.length ? 'true' : null,
    'aria-describedby': errId,
  };
  let input;
  if (c.widget === 'select') {
    input = el('select', common, c.choices.map((ch) => el('option', { value: ch.value, text: ch.label, selected: ch.chosen })));
    input.addEventListener('change', () => {
      run([{ op: 'set', path: c.path, value: input.value, text: true, create: !!c.create }]);
    });
  } else if (c.widget === 'checks') {
    input = el('div', { ...common, class: 'checks', role: 'group' },
      c.choices.map((ch) => {
        const id = fresh('chk');
        const tick = el('input', { id, type: 'checkbox', value: ch.value, checked: ch.chosen, 'data-path': `${c.path}#${ch.value}` });
        tick.addEventListener('change', () => {
          const values = [...input.querySelectorAll('input:checked')].map((t) => t.value);
          run([{ op: 'set_list', path: c.path, values }]);
        });
        return el('span', { class: 'check' }, tick, el('label', { for: id, text: ch.label }));
      }));
  } else {
    input = el('input', {
      ...common,
      type: 'text',
      inputmode: c.text ? null : 'decimal',
      'data-text': c.text ? '1' : null,
      placeholder: c.placeholder || null,
      autocomplete: 'off',
      spellcheck: 'false',
      class: c.text ? 'text' : 'number',
    });
    input.value = c.value;
    input.defaultValue = c.value;
    input.addEventListener('change', () => {
      run([{ op: 'set', path: c.path, value: input.value, text: c.text, create: !!c.create }]);
    });
  }
  const problems = el('div', { id: errId }, problemsOf(c));
  return { input, problems };
}

function renderInput(inp, extra) {
  if (inp.controls.length === 1 && inp.controls[0].widget === 'checks') {
    const { input, problems } = box(inp.controls[0], fresh('in'));
    return el('fieldset', { class: 'input' }, el('legend', { text: inp.label }), input, problems, extra);
  }
  if (inp.controls.length === 1) {
    const c = inp.controls[0];
    const id = fresh('in');
    const { input, problems } = box(c, id);
    return el('div', { class: 'input' },
      el('label', { for: id }, inp.label, inp.form ? el('span', { class: 'form', text: ` (${inp.form})` }) : null),
      el('div', { class: 'row' }, input, extra),
      problems);
  }
  const fs = el('fieldset', { class: 'input' },
    el('legend', {}, inp.label, inp.form ? el('span', { class: 'form', text: ` (${inp.form})` }) : null));
  const grid = el('div', { class: 'parts' });
  for (const c of inp.controls) {
    const id = fresh('in');
    const { input, problems } = box(c, id);
    grid.append(el('div', { class: 'part' }, el('label', { for: id, text: c.label }), input, problems));
  }
  fs.append(grid);
  if (extra) fs.append(extra);
  return fs;
}

// A premium an option pays: its boxes, and a button to stop paying it.
function renderPremium(o, p) {
  const headingId = fresh('prem');
  return el('section', { class: 'premium', 'aria-labelledby': headingId },
    el('h4', { id: headingId, text: p.title }),
    p.inputs.map((i) => renderInput(i)),
    el('button', {
      type: 'button', class: 'small',
      'aria-label': `Remove premium ${p.index + 1} from ${o.name}`,
      text: 'Remove this premium',
      onclick: () => run([{ op: 'remove_premium', option: o.name, index: p.index }]),
    }));
}

// Which of the form's boxes each kind of premium takes (as `wfsim check` reads them).
const KIND_TAKES = {
  market_supplement: [],
  golden_hello: ['clawback_months', 'clawback'],
  retention_payment: ['at_months', 'clawback_months', 'clawback', 'lead_months'],
};

// The form that adds a premium to option `o`: its kind, the grades it reaches, its amount, the
// keys its kind takes and its effects. The values are checked as `wfsim check` checks them once
// written: a problem is then shown beside the new premium's box.
function premiumForm(o, panel) {
  const id = (k) => `${formId}-${k}`;
  const formId = fresh('add-prem');
  const field = (key, label, hint) => el('div', { class: 'input', 'data-key': key },
    el('label', { for: id(key), text: label }),
    el('input', { id: id(key), type: 'text', inputmode: 'decimal', class: 'number', placeholder: hint || null, autocomplete: 'off' }));
  const effect = (key, label) => el('fieldset', { class: 'input' },
    el('legend', { text: label }),
    el('p', { class: 'help', text: 'One value in "most likely", or a range with the lowest and highest too. Empty: no effect.' }),
    el('div', { class: 'parts' }, ['low', 'mode', 'high'].map((part) => el('div', { class: 'part' },
      el('label', { for: id(`${key}-${part}`), text: { low: 'lowest', mode: 'most likely', high: 'highest' }[part] }),
      el('input', { id: id(`${key}-${part}`), type: 'text', inputmode: 'decimal', class: 'number', autocomplete: 'off' })))));
  const kind = el('select', { id: id('kind') }, panel.premium_kinds.map((k) => el('option', { value: k.value, text: k.label })));
  const gradesProblem = el('div', { id: id('grades-problem') });
  const grades = el('fieldset', { class: 'input', 'aria-describedby': id('grades-problem') },
    el('legend', { text: 'Grades it reaches' }),
    el('div', { class: 'checks' }, panel.grades.map((g, i) => el('span', { class: 'check' },
      el('input', { id: id(`grade-${i}`), type: 'checkbox', value: g }),
      el('label', { for: id(`grade-${i}`), text: g })))),
    gradesProblem);
  const amountLabel = el('label', { for: id('amount'), text: 'Amount (£ a year; its effects are the boxes below, not moved by it)' });
  const amount = el('div', { class: 'input' }, amountLabel,
    el('input', { id: id('amount'), type: 'text', inputmode: 'decimal', class: 'number', autocomplete: 'off' }));
  const rule = el('div', { class: 'input', 'data-key': 'clawback' },
    el('label', { for: id('clawback'), text: 'Clawed back' }),
    el('select', { id: id('clawback') },
      el('option', { value: 'full', text: 'in full' }),
      el('option', { value: 'pro_rata', text: 'in proportion to the months left' })));
  const optional = [
    field('at_months', 'Paid at (months of service)'),
    field('clawback_months', 'Clawed back if they leave within (months)', '0: never'),
    rule,
    field('lead_months', 'Its promise holds staff from (months before it is paid)', '12'),
  ];
  const shown = () => {
    const takes = KIND_TAKES[kind.value] || [];
    for (const f of optional) f.hidden = !takes.includes(f.dataset.key);
    amountLabel.textContent = kind.value === 'market_supplement' ? 'Amount (£ a year; its effects are the boxes below, not moved by it)' : 'Amount (£, paid once; its effects are the boxes below, not moved by it)';
  };
  kind.addEventListener('change', shown);
  const value = (k) => { const e = form.querySelector(`#${CSS.escape(id(k))}`); return e ? e.value : ''; };
  const add = el('button', {
    type: 'button', class: 'small', text: 'Add the premium',
    onclick: () => {
      const chosen = [...grades.querySelectorAll('input:checked')].map((t) => t.value);
      if (!chosen.length) {
        gradesProblem.replaceChildren(el('p', { class: 'problem', text: 'Choose the grades the premium reaches.' }));
        grades.querySelector('input').focus();
        return;
      }
      const takes = KIND_TAKES[kind.value] || [];
      const premium = { kind: kind.value, grades: chosen, amount: value('amount') };
      for (const k of takes) premium[k] = value(k);
      for (const e of ['leaving_effect', 'hiring_effect']) {
        premium[e] = { low: value(`${e}-low`), mode: value(`${e}-mode`), high: value(`${e}-high`) };
      }
      run([{ op: 'add_premium', option: o.name, premium }]);
    },
  });
  const form = el('details', { class: 'add-premium' },
    el('summary', { text: 'Add a premium to this option' }),
    el('div', { class: 'input' }, el('label', { for: id('kind'), text: 'Kind' }), kind),
    grades, amount, optional,
    effect('leaving_effect', 'Effect on leaving (−0.1 cuts leaving by 10%)'),
    effect('hiring_effect', 'Effect on hiring (0.2 fills 20% more vacancies)'),
    add);
  shown();
  return form;
}

function renderOption(o, panel) {
  const headingId = fresh('opt');
  const card = el('section', { class: 'card option', 'aria-labelledby': headingId },
    el('h3', { id: headingId, text: `Option: ${o.name}` }));
  for (const c of [o.name_control, o.description]) {
    const id = fresh('in');
    const { input, problems } = box(c, id);
    card.append(el('div', { class: 'input' }, el('label', { for: id, text: c.label }), input, problems));
  }
  for (const ch of o.changes) {
    const remove = el('button', {
      type: 'button', class: 'small',
      'aria-label': `Stop changing ${ch.label} in ${o.name}`,
      text: 'Remove this change',
      onclick: () => run([{ op: 'remove_change', option: o.name, path: ch.path }]),
    });
    card.append(renderInput({ ...ch, label: `${ch.label}, in this option` }, remove));
  }
  for (const p of o.premiums) card.append(renderPremium(o, p));
  card.append(premiumForm(o, panel));
  const pickId = fresh('pick');
  const pick = el('select', { id: pickId },
    state.baselinePaths
      .filter((b) => !o.changes.some((c) => c.path === b.path))
      .map((b) => el('option', { value: b.path, text: b.label })));
  card.append(el('div', { class: 'input add-change' },
    el('label', { for: pickId, text: 'Change another input in this option' }),
    el('div', { class: 'row' }, pick,
      el('button', {
        type: 'button', class: 'small', text: 'Add the change',
        onclick: () => pick.value && run([{ op: 'add_change', option: o.name, path: pick.value }]),
      }))));
  card.append(el('p', { class: 'actions' },
    el('button', { type: 'button', text: 'Copy this option', 'aria-label': `Copy option ${o.name}`,
      onclick: () => run([{ op: 'copy_option', option: o.name }]) }),
    el('button', { type: 'button', text: 'Remove this option', 'aria-label': `Remove option ${o.name}`,
      onclick: () => run([{ op: 'remove_option', option: o.name }]) })));
  return card;
}

function renderPanel(p) {
  // Keep the focus, and what is being typed, across the redraw.
  const active = document.activeElement;
  // An open form to add a premium stays open.
  const open = [...document.querySelectorAll('details.add-premium[open]')].map((d) => d.closest('.option').querySelector('h3').textContent);
  const activePath = active && active.dataset ? active.dataset.path : null;
  const typed = active && active.tagName === 'INPUT' && active.value !== active.defaultValue ? active.value : null;
  const activeId = active && active.id && active.tagName !== 'INPUT' ? active.getAttribute('aria-label') || active.textContent : null;

  state.baselinePaths = p.baseline.map((i) => ({ path: i.path, label: i.label }));
  $('run-inputs').replaceChildren(el('section', { class: 'card run', 'aria-label': 'The run' },
    el('h3', { text: 'The run' }), p.run.map((i) => renderInput(i))));
  $('baseline').replaceChildren(...p.baseline.map((i) => renderInput(i)));
  $('options').replaceChildren(...p.options.map((o) => renderOption(o, p)));
  for (const d of document.querySelectorAll('details.add-premium')) {
    if (open.includes(d.closest('.option').querySelector('h3').textContent)) d.open = true;
  }
  $('other-problems').replaceChildren(...p.other_problems.map((t) => el('p', { class: 'problem', text: t })));

  if (activePath) {
    const again = document.querySelector(`[data-path="${CSS.escape(activePath)}"]`);
    if (again) {
      if (typed !== null) again.value = typed;
      again.focus();
    }
  } else if (activeId) {
    const again = [...document.querySelectorAll('#inputs button')].find(
      (b) => (b.getAttribute('aria-label') || b.textContent) === activeId);
    if (again) again.focus();
  }
}

// ---- the results ----

function table(rows, caption, firstIsHeader = true) {
  const t = el('table', {}, caption ? el('caption', { text: caption }) : null);
  const [head, ...body] = firstIsHeader ? rows : [null, ...rows];
  if (head) t.append(el('thead', {}, el('tr', {}, head.map((h) => el('th', { scope: 'col', text: h })))));
  t.append(el('tbody', {}, body.map((r) => el('tr', {},
    r.map((c, i) => (i === 0 ? el('th', { scope: 'row', text: c }) : el('td', { text: c })))))));
  return t;
}

function renderResults(r) {
  $('scenario-name').textContent = r.scenario;
  $('description').textContent = r.description;
  $('run-line').textContent = `${r.replications.toLocaleString('en-GB')} replications, seed ${r.seed}, ${r.start} to ${r.end}.`;
  const parts = [];
  if (r.targets.length) {
    const head = ['target', ...r.options.map((o) => o.name)];
    // A target's window is 12 months unless its deadline comes sooner (or its measure has no
    // value at first): then its row says how many.
    const window = (t) => (t.months === 12 ? '' : ` (in brackets: the ${t.months} months to it)`);
    const rows = r.targets.map((t) => [`${t.name}: ${t.condition} by ${t.by}${window(t)}`, ...t.chances.map((c) => c.text)]);
    parts.push(table([head, ...rows], 'Chance of meeting each target at its deadline (in brackets, over the 12 months to it)'));
  }
  if (r.finance) parts.push(table(r.finance.rows, r.finance.title.replace(/:$/, '')));
  $('tables').replaceChildren(...parts);
  $('more-tables').replaceChildren(
    table(r.outcomes, 'Agency share and permanent FTE at each deadline (median and 90% range)'),
    table(r.costs, 'Total cost over the horizon against the baseline, and when each option pays back'));
  const figs = r.charts.map((c) => {
    const holder = el('div', { class: 'chart', role: 'img', 'aria-label': c.title });
    holder.innerHTML = c.svg; // drawn by wfsim's own chart code; text in it is escaped there
    return el('figure', { 'data-stem': c.stem }, holder, el('figcaption', { text: c.caption }));
  });
  $('charts').replaceChildren(...figs);
  $('notes').replaceChildren(...r.notes.map((n) => el('li', { text: n })));
  $('findings').replaceChildren(...r.findings.map((f) => el('li', { text: f })));
}

// ---- downloads ----

const DOWNLOAD_WORDS = {
  'scenario.toml': 'Scenario with your changes (TOML)',
  'report.html': 'Report (HTML)',
  'results.xlsx': 'Workbook (Excel)',
  'trajectories.csv': 'Trajectories (CSV)',
  'costs.csv': 'Costs (CSV)',
  'comparison.csv': 'Comparison (CSV)',
  'summary.json': 'Summary (JSON)',
};

function renderDownloads() {
  $('downloads').replaceChildren(...state.downloads.map((f) => el('button', {
    type: 'button', class: 'download', text: DOWNLOAD_WORDS[f] || f,
    onclick: () => download(f),
  })));
}

async function download(file) {
  say(`Making ${file}…`);
  // A download may run the scenario (the report's comparison without the 2024 rules): its
  // progress is shown, and Stop stops it.
  state.downloading += 1;
  busy();
  let r, blob;
  try {
    r = await fetch('/api/download', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ text: state.text, file }),
    });
    if (r.ok) blob = await r.blob();
  } catch (e) {
    say(`${file} could not be made: is \`wfsim serve\` still running?`);
    return;
  } finally {
    state.downloading -= 1;
    busy();
  }
  if (!r.ok) {
    const e = await r.json().catch(() => ({}));
    say(e.error || `The download failed (${r.status}).`);
    return;
  }
  const named = /filename="([^"]+)"/.exec(r.headers.get('Content-Disposition') || '');
  const a = el('a', { href: URL.createObjectURL(blob), download: named ? named[1] : file });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10000);
  say(`Downloaded ${named ? named[1] : file}.`);
}

$('add-option').addEventListener('click', () => run([{ op: 'add_option' }]));
$('run-again').addEventListener('click', () => run([]));
$('start-again').addEventListener('click', () => {
  state.text = state.start;
  state.pending = [];
  run([]);
});
$('stop').addEventListener('click', () => {
  fetch('/api/stop', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
});
start().catch((e) => say(`The page could not start: ${e.message}`));
