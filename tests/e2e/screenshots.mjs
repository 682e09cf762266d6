// Remakes docs/screenshots/*.png from the real server and page:
//   node tests/e2e/screenshots.mjs      (MILESTONE_SERVER overrides the server path)
import path from 'node:path';
import { mkdirSync } from 'node:fs';
import {
  launchBrowser,
  getJson,
  newContext,
  openEditor,
  post,
  preconditions,
  repo,
  row,
  startServer,
} from './helpers.mjs';

const missing = preconditions();
if (missing.length) {
  console.error(`screenshots: missing ${missing.join(', ')}`);
  process.exit(2);
}

const out = path.join(repo, 'docs/screenshots');
mkdirSync(out, { recursive: true });
const shot = (page, name, options = {}) =>
  page.screenshot({ path: path.join(out, `${name}.png`), ...options });

const server = await startServer();
const browser = await launchBrowser();
try {
  const { context } = await newContext(browser, { viewport: { width: 1280, height: 860 } });
  const page = await openEditor(context, server.url);
  await page.waitForSelector('html[data-offline-ready="true"]');
  await shot(page, 'normal');

  const amount = row(page, 'm-3').locator('input[data-field="amount"]');
  await amount.fill('4.99');
  await shot(page, 'error');
  await amount.fill('450');

  const handle = await row(page, 'm-3').locator('.handle').boundingBox();
  const active = await row(page, 'm-2').boundingBox();
  await page.mouse.move(handle.x + handle.width / 2, handle.y + handle.height / 2);
  await page.mouse.down();
  await page.mouse.move(handle.x + handle.width / 2, active.y + 8, { steps: 8 });
  await shot(page, 'drag-preview');
  await page.mouse.up();

  await row(page, 'm-4').locator('.handle').focus();
  await page.keyboard.press('ArrowUp');
  await row(page, 'm-4').locator('input[data-field="title"]').fill('Launch & handover');
  await page.locator('#toggle-changes').click();
  await page.setViewportSize({ width: 1280, height: 1200 });
  await shot(page, 'show-changes');
  await page.setViewportSize({ width: 1280, height: 860 });

  await row(page, 'm-2')
    .getByRole('button', { name: /^Release/ })
    .click();
  await page.locator('#money[open]').waitFor();
  await shot(page, 'release-dialog');
  await page.keyboard.press('Escape');

  await context.setOffline(true);
  await page.locator('#save').click();
  await page.locator('#net[data-queued="1"]').waitFor();
  await page.evaluate(() => window.scrollTo(0, 0));
  await shot(page, 'offline');
  await context.close();

  // Phone size (360 px), client and freelancer.
  const phone = await newContext(browser, {
    viewport: { width: 360, height: 780 },
    hasTouch: true,
    isMobile: true,
  });
  const client = await openEditor(phone.context, server.url);
  await shot(client, 'phone-client', { fullPage: true });
  const freelancer = await openEditor(phone.context, server.url, 'freelancer');
  await shot(freelancer, 'phone-freelancer', { fullPage: true });

  // A browser in Spanish: the page's words and the engine's, money and dates
  // the Spanish way (docs/languages.md), at desktop and phone size.
  const spanish = await newContext(browser, {
    viewport: { width: 1280, height: 860 },
    locale: 'es-ES',
  });
  const es = await openEditor(spanish.context, server.url);
  await es.waitForTimeout(500);
  await shot(es, 'spanish');
  await es.setViewportSize({ width: 360, height: 780 });
  await es.waitForTimeout(300);
  await shot(es, 'phone-spanish');
  await spanish.context.close();

  // The freelancer's view at desktop size, before the dispute below.
  const freelancerDesk = await newContext(browser, { viewport: { width: 1280, height: 860 } });
  const freelancerPage = await openEditor(freelancerDesk.context, server.url, 'freelancer');
  await freelancerPage.waitForTimeout(500);
  await shot(freelancerPage, 'freelancer');
  await freelancerDesk.context.close();

  // A dispute over "Build": the client asked for a refund, the freelancer
  // declined it; the mediator (demo-mediator) reads both and splits the escrow.
  let contract = await getJson(server.url, 'demo-client', '/api/contracts/ctr-demo');
  contract = (
    await post(server.url, 'demo-client', contract.version, [
      { type: 'requestRefund', id: 'm-2', message: 'Nothing usable was delivered.' },
    ])
  ).body.contract;
  await post(server.url, 'demo-freelancer', contract.version, [
    { type: 'declineRefund', id: 'm-2', reason: 'The build has been on staging since Monday.' },
  ]);
  const phoneMediator = await openEditor(phone.context, server.url, 'marketplace');
  await phoneMediator.locator('#disputes .said li').first().waitFor();
  await shot(phoneMediator, 'phone-mediator', { fullPage: true });
  await phone.context.close();

  const desk = await newContext(browser, { viewport: { width: 1280, height: 860 } });
  const mediator = await openEditor(desk.context, server.url, 'marketplace');
  await mediator.locator('#disputes .said li').first().waitFor();
  // Let rows coming on screen lay out (content-visibility) before the picture.
  await mediator.waitForTimeout(500);
  await shot(mediator, 'mediator');
  await mediator
    .locator('#disputes')
    .getByRole('button', { name: /^Resolve/ })
    .click();
  await mediator.locator('#dialog-release').fill('840');
  await mediator.locator('#money-confirm:not([disabled])').waitFor();
  await shot(mediator, 'resolve-dialog');
  await desk.context.close();
  console.log(`screenshots written to ${out}`);
} finally {
  await browser.close();
  await server.stop();
}
