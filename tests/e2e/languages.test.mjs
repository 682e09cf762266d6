// The page in the engine's language (issue 14, docs/languages.md "The page's
// strings"): a browser in Spanish gets the page's own words in Spanish
// (web/strings/es.json) beside the engine's Spanish sentences, with
// `<html lang="es">`, no English word of the page's on screen, and no
// serious or critical axe-core finding; amounts are written and read the
// Spanish way. The keys themselves are held to English's by strings.test.mjs.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'node:test';
import {
  axeViolations,
  getJson,
  nodeEngine,
  openEditor,
  pagePerTest,
  repo,
  row,
} from './helpers.mjs';

const e2e = pagePerTest({ locale: 'es-ES' });
const skip = e2e.skip;

const en = (await import(pathToFileURL(path.join(repo, 'web/strings/en.mjs')))).default;
const es = JSON.parse(readFileSync(path.join(repo, 'web/strings/es.json'), 'utf8'));

// Keys whose English index.html only carries until the engine's label takes
// its place (`+ ${can.add.label}`, `${can.end.label}…`, the request's
// buttons): what is on screen there is the engine's word, not the page's.
const ENGINE_LABELED = new Set([
  'list.add',
  'save.end',
  'request.accept',
  'request.decline',
  'request.withdraw',
]);

// The English of every page string that Spanish writes otherwise, as a
// pattern of a whole line or attribute (a `{param}` stands for any text).
const english = Object.entries(en)
  .filter(([key, text]) => es[key] !== text && !ENGINE_LABELED.has(key))
  .map(([key, text]) => {
    const parts = text.trim().split(/\{\w+\}/);
    const escaped = parts.map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    return { key, pattern: new RegExp(`^${escaped.join('.+')}$`) };
  });

// Every line of text on screen and every accessible name or title the page
// set, for the English check.
async function pageTexts(page) {
  return page.evaluate(() => {
    const lines = document.body.innerText.split('\n').map((line) => line.trim());
    for (const el of document.querySelectorAll('[aria-label], [title], [aria-roledescription]')) {
      for (const name of ['aria-label', 'title', 'aria-roledescription'])
        if (el.hasAttribute(name)) lines.push(el.getAttribute(name).trim());
    }
    lines.push(document.title);
    return lines.filter(Boolean);
  });
}

function englishIn(lines) {
  const found = [];
  for (const line of lines) {
    for (const { key, pattern } of english) if (pattern.test(line)) found.push(`${key}: ${line}`);
  }
  return found;
}

test('a browser in Spanish gets the page’s own words in Spanish', { skip }, async () => {
  const page = await openEditor(e2e.context, e2e.server.url);
  await page.locator('#history li').first().waitFor();
  assert.equal(await page.getAttribute('html', 'lang'), 'es');
  assert.equal(await page.title(), es['page.title']);
  for (const text of [
    es['toolbar.undo'],
    es['toolbar.redo'],
    es['toolbar.showChanges'],
    es['figures.amount'],
    es['figures.escrow'],
    es['side.notifications'],
    es['side.history'],
    es['net.online'],
    es['top.client'],
  ])
    await page.getByText(text, { exact: true }).first().waitFor();
  assert.equal(await page.locator('#as-marketplace').textContent(), es['top.marketplace']);
  assert.equal(await page.getAttribute('nav.roles', 'aria-label'), es['top.roles']);
  assert.equal(
    await row(page, 'm-3').locator('label', { hasText: es['field.title'] }).count(),
    1,
    'a row’s field labels',
  );
  assert.match(
    await row(page, 'm-3').locator('.handle').getAttribute('aria-label'),
    /^Reordenar «.+», posición 3 de 4$/,
  );
  assert.equal(
    await page.locator('#keyboard-help').textContent(),
    es['list.keyboardHelp'],
    'screen-reader text too',
  );
  // None of the page's English, in text, accessible names or titles.
  assert.deepEqual(englishIn(await pageTexts(page)), [], 'English on a Spanish page');

  // Show Changes and its marks.
  await row(page, 'm-3').locator('input[data-field="title"]').fill('Pruebas');
  await page.locator('#toggle-changes').click();
  await page.locator('#changes:not([hidden])').waitFor();
  await row(page, 'm-3').locator('.was').first().waitFor();
  const was = row(page, 'm-3').locator('.was').first();
  assert.equal(await was.locator('.sr-only').textContent(), es['row.changedWas']);
  assert.equal(await was.locator('del').textContent(), 'Testing');
  assert.deepEqual(englishIn(await pageTexts(page)), [], 'English with Show Changes on');
  assert.deepEqual(e2e.problems, [], 'no CSP violations or console errors');
});

test('axe-core: no serious or critical violation on the Spanish page', { skip }, async () => {
  const page = await openEditor(e2e.context, e2e.server.url);
  await page.locator('#history li').first().waitFor();
  assert.deepEqual(await axeViolations(page), [], 'client, Spanish');
  await row(page, 'm-3').locator('input[data-field="title"]').fill('QA');
  await page.locator('#toggle-changes').click();
  assert.deepEqual(await axeViolations(page), [], 'client, Spanish, Show Changes');
  await page.locator('#toggle-changes').click();
  await page.locator('#discard').click();
  // A dialog: the active milestone's money action (its label is the engine's).
  await row(page, 'm-2').locator('.row-actions button').first().click();
  await page.locator('#money[open]').waitFor();
  assert.equal(await page.locator('#money-cancel').textContent(), es['dialog.cancel']);
  assert.deepEqual(englishIn(await pageTexts(page)), [], 'English in a dialog');
  assert.deepEqual(await axeViolations(page), [], 'client, Spanish, dialog');
  await page.keyboard.press('Escape');
  const freelancer = await openEditor(e2e.context, e2e.server.url, 'freelancer');
  await freelancer.locator('#history li').first().waitFor();
  assert.deepEqual(await axeViolations(freelancer), [], 'freelancer, Spanish');
  assert.deepEqual(englishIn(await pageTexts(freelancer)), [], 'English for the freelancer');
  assert.deepEqual(e2e.problems, [], 'no CSP violations or console errors');
});

test('offline, the Spanish page comes from the service worker’s cache', { skip }, async () => {
  const page = await openEditor(e2e.context, e2e.server.url);
  await page.waitForSelector('html[data-offline-ready="true"]');
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
  await e2e.context.setOffline(true);
  await page.reload();
  await page.waitForSelector('html[data-ready="true"]');
  assert.equal(await page.getAttribute('html', 'lang'), 'es');
  assert.equal(await page.locator('#net-text').textContent(), es['net.offline']);
  assert.equal(await page.locator('#undo').textContent(), es['toolbar.undo']);
  assert.deepEqual(englishIn(await pageTexts(page)), [], 'English on the offline Spanish page');
  await e2e.context.setOffline(false);
  assert.deepEqual(e2e.problems, [], 'no CSP violations or console errors');
});

// The engine's figures and parseMoney follow its language (docs/languages.md):
// the page puts the engine's Spanish amounts into its fields and reads back
// what is typed there the Spanish way.
test('amounts are shown and read the Spanish way', { skip }, async () => {
  const page = await openEditor(e2e.context, e2e.server.url);
  const engine = await nodeEngine({ locale: 'es' });
  const contract = await getJson(e2e.server.url, 'demo-client', '/api/contracts/ctr-demo');
  const view = engine.describe(contract, { actor: 'client' });
  // The figures above the list are the engine's Spanish ones.
  const figures = await page.locator('#figures').innerText();
  assert.ok(figures.includes(view.contract.totals.text.amount), figures);
  assert.match(view.contract.totals.text.amount, /^\d{1,3}(\.\d{3})*,\d{2}\u00a0US\$$/);
  const shown = `${figures}\n${await page.locator('#list').innerText()}`;
  assert.doesNotMatch(shown, /\$\d/, 'no amount written the English way');
  const values = await page
    .locator('#list input[data-field="amount"]')
    .evaluateAll((inputs) => inputs.map((input) => input.value));
  assert.ok(values.length > 0);
  for (const value of values) assert.match(value, /^\d{1,3}(\.\d{3})*,\d{2}\u00a0US\$$/);
  // Typed the Spanish way, saved as cents.
  const amount = row(page, 'm-3').locator('input[data-field="amount"]');
  await amount.fill('1.234,56');
  await amount.blur();
  assert.equal(await amount.getAttribute('aria-invalid'), 'false');
  await page.locator('#save').click();
  await page.locator('#save-status', { hasText: es['save.saved'].split('{')[0] }).waitFor();
  const saved = await getJson(e2e.server.url, 'demo-client', '/api/contracts/ctr-demo');
  assert.equal(saved.milestones.find((m) => m.id === 'm-3').amount, 123456);
  assert.equal(await amount.inputValue(), engine.formatMoney(123456, 'USD'));
  assert.deepEqual(e2e.problems, [], 'no CSP violations or console errors');
});
