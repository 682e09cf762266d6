// Where a keystroke's frame goes: types into one future milestone's title at
// N milestones, as bench.mjs does, under a Chromium trace (CDP Tracing,
// devtools.timeline), and prints the page's main thread per keystroke:
//
//   the frame          ProxyMain::BeginMainFrame, wall and thread time, and the
//                      biggest self times inside it (intersection observers,
//                      paint, layerizing, hit testing)
//   tasks by origin    every task the scheduler ran, by the function that
//                      posted it (FormControlDidChange is Chromium's autofill
//                      reading the form a changed field belongs to)
//
// bench.mjs's "input → next frame" ends in a task posted from the next
// requestAnimationFrame, so it also counts the tasks that were queued before
// that one (autofill's among them), not only the frame.
//
//   node tools/bench/page/trace.mjs [--n 1000] [--keys 30] [--out trace.json]
//   (MILESTONE_SERVER, MILESTONE_DIST, MILESTONE_WEB as for bench.mjs)
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import {
  growDemo,
  launchBrowser,
  newContext,
  preconditions,
  startServer,
} from '../../../tests/e2e/helpers.mjs';
import { focusMiddleTitle, median, optionReader } from './typing.mjs';

const option = optionReader();
const n = Math.max(4, Math.min(1000, Number(option('n', 1000)) || 1000));
const keys = Math.max(5, Math.min(200, Number(option('keys', 30)) || 30));
const out = option('out', null);

const missing = preconditions();
if (missing.length) {
  console.error(`trace-page: missing ${missing.join(', ')}`);
  process.exit(2);
}

async function record() {
  const server = await startServer();
  const browser = await launchBrowser();
  try {
    const contract = await growDemo(server.url, n);
    const { context } = await newContext(browser);
    const page = await context.newPage();
    await page.goto(`${server.url}/?as=client`);
    await page.waitForSelector('html[data-ready="true"]', { timeout: 60000 });
    await focusMiddleTitle(page, contract);
    // The rows near the screen are built a few per task: let them settle.
    await page.waitForTimeout(1000);
    const dom = await page.evaluate(() => ({
      rows: document.querySelectorAll('#list > li').length,
      placeholders: document.querySelectorAll('#list > li.pending').length,
      elements: document.getElementsByTagName('*').length,
    }));
    await page.evaluate(() => {
      window.traceSamples = [];
      window.addEventListener('input', (event) => {
        const stamp = event.timeStamp;
        requestAnimationFrame(() => {
          const channel = new MessageChannel();
          channel.port1.onmessage = () => window.traceSamples.push(performance.now() - stamp);
          channel.port2.postMessage(0);
        });
      });
    });
    const cdp = await context.newCDPSession(page);
    const events = [];
    cdp.on('Tracing.dataCollected', (e) => events.push(...e.value));
    const complete = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve));
    await cdp.send('Tracing.start', {
      traceConfig: {
        includedCategories: [
          'devtools.timeline',
          'disabled-by-default-devtools.timeline',
          'blink',
          'cc',
          'toplevel',
        ],
      },
      transferMode: 'ReportEvents',
    });
    for (let i = 0; i < keys; i++) {
      await page.keyboard.press(i % 4 === 3 ? 'Backspace' : 'x');
      await page.waitForFunction((count) => window.traceSamples.length >= count, i + 1);
    }
    await cdp.send('Tracing.end');
    await complete;
    const samples = await page.evaluate(() => window.traceSamples);
    await context.close();
    return { events, samples, dom };
  } finally {
    await browser.close();
    await server.stop();
  }
}

// The renderer's main thread: the CrRendererMain with the most events.
function mainThread(events) {
  const names = new Map();
  for (const e of events)
    if (e.ph === 'M' && e.name === 'thread_name') names.set(`${e.pid}:${e.tid}`, e.args.name);
  const counts = new Map();
  for (const e of events) {
    const key = `${e.pid}:${e.tid}`;
    if (names.get(key) === 'CrRendererMain') counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const key = [...counts].sort((a, b) => b[1] - a[1])[0][0];
  const slices = events
    .filter((e) => `${e.pid}:${e.tid}` === key && e.ph === 'X' && e.dur != null)
    .sort((a, b) => a.ts - b.ts || b.dur - a.dur);
  // Nesting, for self times.
  const stack = [];
  for (const e of slices) {
    while (stack.length && stack.at(-1).ts + stack.at(-1).dur <= e.ts) stack.pop();
    e.parent = stack.at(-1) ?? null;
    e.childThread = 0;
    if (e.parent) e.parent.childThread += e.tdur ?? 0;
    stack.push(e);
  }
  return slices;
}

const { events, samples, dom } = await record();
if (out) writeFileSync(out, JSON.stringify(events));
const slices = mainThread(events);
const frames = slices.filter((e) => e.name === 'ProxyMain::BeginMainFrame');
const inFrame = (e) => {
  let p = e;
  while (p && p.name !== 'ProxyMain::BeginMainFrame') p = p.parent;
  return p !== null;
};
const self = new Map();
for (const e of slices) {
  if (!inFrame(e)) continue;
  self.set(e.name, (self.get(e.name) ?? 0) + ((e.tdur ?? 0) - e.childThread) / 1000);
}
const tasks = new Map();
for (const e of slices) {
  if (e.name !== 'ThreadControllerImpl::RunTask') continue;
  const origin = e.args?.src_func ?? '?';
  const list = tasks.get(origin) ?? [];
  list.push(e);
  tasks.set(origin, list);
}
const skip = Math.min(5, Math.floor(keys / 5));
const f = (x) => x.toFixed(2).padStart(6);
console.log(
  `Keystroke trace at N = ${n}: ${dom.rows} rows (${dom.placeholders} not built yet), ${dom.elements} elements; ${keys} keystrokes; load ${loadavg()[0].toFixed(1)}`,
);
console.log(
  `input → next frame (as bench.mjs): median ${median(samples.slice(skip)).toFixed(1)} ms`,
);
console.log(
  `frames: ${frames.length}, median wall ${f(median(frames.map((e) => e.dur / 1000)))} ms, thread ${f(median(frames.map((e) => (e.tdur ?? 0) / 1000)))} ms`,
);
console.log('inside the frame, thread time per frame (ms):');
for (const [name, t] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 10))
  console.log(`  ${f(t / frames.length)}  ${name}`);
console.log('tasks by origin, per keystroke (ms of wall time; median of one task):');
for (const [origin, list] of [...tasks]
  .map(([k, v]) => [k, v, v.reduce((s, e) => s + e.dur, 0)])
  .sort((a, b) => b[2] - a[2])
  .slice(0, 8)
  .map(([k, v]) => [k, v]))
  console.log(
    `  ${f(list.reduce((s, e) => s + e.dur, 0) / 1000 / keys)}  ${origin} (${list.length} tasks, median ${(median(list.map((e) => e.dur)) / 1000).toFixed(2)})`,
  );
