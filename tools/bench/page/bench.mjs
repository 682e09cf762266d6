// The editor page's own cost, in headless Chromium against the real server
// (issue 12, item 3). For N = 20, 200 and 1,000 milestones of ctr-demo (grown
// through the API on a fresh server with a temporary database) it types into
// one future milestone's title and prints the medians of:
//
//   handler + layout   the page's input handlers plus the style and layout
//                      they cause (from the first input listener to a forced
//                      layout after the last one)
//   input → frame      from the key event's timestamp to the frame after it
//                      (a task queued from the next requestAnimationFrame),
//                      with keys at random points of the frame interval, as
//                      a person's land; beside it the worst phase: each key
//                      sent one DevTools round trip after the frame that
//                      answered the last one (waitForFunction polls on
//                      requestAnimationFrame), so it waits most of an
//                      interval for the next frame whatever the page does —
//                      ~15-16 ms at every N, N = 20 included: that figure is
//                      the frame clock's, and what the page adds shows as
//                      frames missed
//   frames missed      the keystrokes (after the warm-up) whose frame came more
//                      than 25 ms after the key: one and a half 60 Hz frame
//                      intervals, so the frame that was due went by without
//                      the change and a later one drew it (the issue's "no
//                      dropped frame"; target 0 at 1,000)
//   interactive        navigation start to the moment the page is usable and
//                      stays responsive: the later of its 'milestone-ready'
//                      mark (contract, engine, session, the rows on screen
//                      built and wired, toolbar and figures drawn) and the end
//                      of the last long task (≥ 50 ms, PerformanceObserver
//                      'longtask') before 1 s without one — like Lighthouse's
//                      TTI, with a 1 s quiet window. A keystroke in that state
//                      is handled within a frame.
//
// Interactive is printed twice: the first visit (no service worker yet, no
// view kept on the device: the engine describes the contract cold) and the
// median of the return visits (the page from the worker's cache; the saved
// contract's View kept from the first visit, docs/page.md "Opening").
//
// beside the targets at N = 1,000 (4 ms, 16 ms, 1 s). A benchmark, not a test:
// slow figures are reported, never failed.
//
// --cpu-slowdown N runs the page's main thread N times slower (DevTools'
// CPU throttling, as Lighthouse emulates a phone with 4): the server is not
// slowed, as a phone's server is not.
//
//   node tools/bench/page/bench.mjs [--sizes 20,200,1000] [--keys 60] [--loads 5]
//                                   [--cpu-slowdown 4]
//   (MILESTONE_SERVER picks the server binary, as the e2e tests do)
import { cpus, loadavg } from 'node:os';
import {
  growDemo,
  launchBrowser,
  newContext,
  preconditions,
  startServer,
} from '../../../tests/e2e/helpers.mjs';
import { focusMiddleTitle, median, optionReader } from './typing.mjs';

const option = optionReader();
const sizes = option('sizes', '20,200,1000')
  .split(',')
  .map(Number)
  .filter((n) => n >= 4 && n <= 1000);
const keys = Math.max(5, Math.min(500, Number(option('keys', 60)) || 60));
const loads = Math.max(1, Math.min(10, Number(option('loads', 5)) || 5));
const slowdown = Math.max(1, Math.min(20, Number(option('cpu-slowdown', 1)) || 1));
const TARGETS = { handler: 4, frame: 16, interactive: 1000 };
// A keystroke's frame later than this missed the frame that was due (60 Hz).
const MISSED_MS = 25;

const missing = preconditions();
if (missing.length) {
  console.error(`bench-page: missing ${missing.join(', ')}`);
  process.exit(2);
}

// In the page: the later of the ready mark and the end of the last long task,
// once 1 s has passed with none (at most 15 s).
async function interactiveAt() {
  const readyAt = performance.getEntriesByName('milestone-ready')[0]?.startTime ?? NaN;
  const lastEnd = () => Math.max(readyAt, ...window.benchLongTasks);
  const started = performance.now();
  while (performance.now() - lastEnd() < 1000 && performance.now() - started < 15000)
    await new Promise((resolve) => setTimeout(resolve, 100));
  return { ready: readyAt, quiet: lastEnd() };
}

async function measure(browser, n) {
  const server = await startServer();
  try {
    const contract = await growDemo(server.url, n);
    const { context, problems } = await newContext(browser);
    await context.addInitScript(() => {
      window.benchLongTasks = [];
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) window.benchLongTasks.push(e.startTime + e.duration);
      }).observe({ type: 'longtask', buffered: true });
    });
    // Time to interactive: one first visit (it installs the service worker),
    // then `loads` return visits served from its cache.
    const ready = [];
    let page = null;
    for (let i = 0; i <= loads; i++) {
      await page?.close();
      page = await context.newPage();
      if (slowdown > 1) {
        const cdp = await context.newCDPSession(page);
        await cdp.send('Emulation.setCPUThrottlingRate', { rate: slowdown });
      }
      await page.goto(`${server.url}/?as=client`);
      await page.waitForSelector('html[data-ready="true"]', { timeout: 60000 });
      ready.push(await page.evaluate(interactiveAt));
    }
    await focusMiddleTitle(page, contract);
    await page.evaluate(() => {
      const samples = { handler: [], frame: [] };
      window.benchSamples = samples;
      let start = 0;
      // Capture at window: before any of the page's listeners.
      window.addEventListener(
        'input',
        () => {
          start = performance.now();
        },
        true,
      );
      // Bubble at window: after all of them.
      window.addEventListener('input', (event) => {
        void document.body.offsetHeight; // the style and layout the handlers caused
        samples.handler.push(performance.now() - start);
        const stamp = event.timeStamp;
        requestAnimationFrame(() => {
          const channel = new MessageChannel();
          channel.port1.onmessage = () => samples.frame.push(performance.now() - stamp);
          channel.port2.postMessage(0);
        });
      });
    });
    // Each key twice over: sent one DevTools round trip after the frame that
    // answered the last one (the worst phase: it waits most of an interval
    // for the next frame whatever the page does), then at a random point of
    // the interval, as a person's keys land.
    const typed = {};
    for (const phase of ['worst', 'random']) {
      await page.evaluate(() => {
        window.benchSamples.handler.length = 0;
        window.benchSamples.frame.length = 0;
      });
      for (let i = 0; i < keys; i++) {
        if (phase === 'random')
          await new Promise((resolve) => setTimeout(resolve, Math.random() * 17));
        await page.keyboard.press(i % 4 === 3 ? 'Backspace' : 'x');
        await page.waitForFunction((count) => window.benchSamples.frame.length >= count, i + 1, {
          timeout: 10000,
        });
      }
      typed[phase] = await page.evaluate(() => structuredClone(window.benchSamples));
    }
    // Warm-up: the first few keystrokes compile the page's paths.
    const skip = Math.min(5, Math.floor(keys / 5));
    const worst = typed.worst.frame.slice(skip);
    const random = typed.random.frame.slice(skip);
    const result = {
      n,
      handler: median([...typed.worst.handler.slice(skip), ...typed.random.handler.slice(skip)]),
      frame: median(random),
      worstFrame: median(worst),
      missed: [...worst, ...random].filter((x) => x > MISSED_MS).length,
      typed: worst.length + random.length,
      first: ready[0].quiet,
      ready: median(ready.slice(1).map((r) => r.ready)),
      interactive: median(ready.slice(1).map((r) => r.quiet)),
      problems: problems.length,
    };
    await context.close();
    return result;
  } finally {
    await server.stop();
  }
}

// The machine's load: on a shared 2-core box, start-up figures follow it.
const loadBefore = loadavg()[0];
const browser = await launchBrowser();
const rows = [];
try {
  for (const n of sizes) {
    const r = await measure(browser, n);
    rows.push(r);
    console.error(`bench-page: N=${n} done`);
  }
} finally {
  await browser.close();
}

// A tenth of a millisecond under 100 ms: the frame's target (16 ms) is met or
// missed by less than a millisecond.
const ms = (x) => (Number.isFinite(x) ? `${x.toFixed(x < 10 ? 2 : x < 100 ? 1 : 0)} ms` : 'n/a');
const mark = (value, target) => (value <= target ? 'ok' : 'OVER');
console.log(
  `Page benchmark (headless Chromium, real server; ${keys} keystrokes, 1 + ${loads} loads, medians${slowdown > 1 ? `; page CPU ${slowdown}× slower` : ''})`,
);
console.log('');
console.log(
  '| milestones | handler + layout | input → next frame | (worst phase) | frames missed | ready mark (return visit) | interactive (return visit) | interactive (first visit) |',
);
console.log('|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const r of rows)
  console.log(
    `| ${r.n} | ${ms(r.handler)} | ${ms(r.frame)} | ${ms(r.worstFrame)} | ${r.missed} of ${r.typed} | ${ms(r.ready)} | ${ms(r.interactive)} | ${ms(r.first)} |`,
  );
const big = rows.find((r) => r.n === 1000);
if (big) {
  console.log(
    `| target at 1,000 | ≤ ${TARGETS.handler} ms (${mark(big.handler, TARGETS.handler)}) | ≤ ${TARGETS.frame} ms (${mark(big.frame, TARGETS.frame)}) | | 0 (${big.missed === 0 ? 'ok' : 'OVER'}) | | ≤ ${TARGETS.interactive} ms (${mark(big.interactive, TARGETS.interactive)}) | ≤ ${TARGETS.interactive} ms (${mark(big.first, TARGETS.interactive)}) |`,
  );
}
console.log('');
console.log(
  `load average (1 min) ${loadBefore.toFixed(1)} at the start, ${loadavg()[0].toFixed(1)} at the end, ${cpus().length} cores`,
);
const troubled = rows.filter((r) => r.problems > 0);
if (troubled.length)
  console.log(`console errors or CSP violations at N = ${troubled.map((r) => r.n).join(', ')}`);
