// Languages (docs/languages.md): params on every issue and event, catalogs
// loaded beside the wasm by createEngine({ locale }), English by default and
// for a language the package does not ship.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { distDir, fixturesDir, loadPackage, sampleContract } from './helpers.mjs';

const { createEngine, catalogLanguage } = await loadPackage();
const NOW = '2026-11-27';

function catalog(language) {
  return JSON.parse(readFileSync(path.join(distDir, 'catalogs', `${language}.json`), 'utf8'));
}

function paramNames(text) {
  return [...(text ?? '').matchAll(/\{([A-Za-z][A-Za-z0-9]*)(?::[A-Za-z0-9]+)?\}/g)].map(
    (m) => m[1],
  );
}

function withLowAmount() {
  const c = sampleContract();
  c.milestones[c.milestones.length - 1].amount = 499;
  return c;
}

test('issues carry params and are written in the locale asked for', async () => {
  const es = await createEngine({ locale: 'es' });
  assert.equal(es.locale, 'es');
  const issue = es.validate(withLowAmount(), { now: NOW }).issues[0];
  assert.equal(issue.code, 'AMOUNT_BELOW_MINIMUM');
  assert.deepEqual(issue.params, { amount: 499, minimum: 500, currency: 'USD' });
  assert.equal(
    issue.message,
    'El importe 4,99\u00a0US$ está por debajo del mínimo de 5,00\u00a0US$ por hito.',
  );
  assert.equal(issue.hint, 'Pon un importe de al menos 5,00\u00a0US$.');
  const en = await createEngine();
  const english = en.validate(withLowAmount(), { now: NOW }).issues[0];
  assert.equal(english.message, 'The amount $4.99 is below the $5.00 minimum per milestone.');
  assert.deepEqual(english.params, issue.params);
});

test('events carry params and sentences in the locale', async () => {
  const es = await createEngine({ locale: 'es-MX' });
  const c = sampleContract();
  const next = c.milestones.find((m) => m.state === 'not_funded');
  c.milestones = c.milestones.map((m) =>
    m.state === 'active' ? { ...m, state: 'released', released: m.funded } : m,
  );
  const r = es.apply(c, { type: 'fund', id: next.id }, { actor: 'client', now: NOW });
  assert.equal(r.ok, true, JSON.stringify(r.issues));
  const charged = r.events.find((e) => e.type === 'charged');
  assert.equal(charged.params.title, next.title);
  assert.equal(charged.params.currency, 'USD');
  assert.match(charged.message, /^Se financió «/);
});

test('a language the package does not ship falls back to English', async () => {
  assert.equal(catalogLanguage('fr-FR'), 'en');
  assert.equal(catalogLanguage('es_ES.UTF-8'), 'es');
  assert.equal(catalogLanguage('ES'), 'es');
  const fr = await createEngine({ locale: 'fr' });
  assert.equal(fr.locale, 'en');
  assert.match(fr.validate(withLowAmount(), { now: NOW }).issues[0].message, /^The amount \$4\.99/);
});

test('the en catalog says exactly what the engine writes without one', async () => {
  const plain = await createEngine();
  const en = await createEngine({ locale: 'en' });
  let compared = 0;
  for (const folder of ['validate', 'actions']) {
    const dir = path.join(fixturesDir, folder);
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
      const data = JSON.parse(readFileSync(path.join(dir, file), 'utf8'));
      if (!('input' in data) || data.policy) continue;
      const options = data.options ?? { now: NOW };
      const run =
        folder === 'validate'
          ? (engine) => engine.validate(data.input, options)
          : (engine) => engine.apply(data.input, data.action, options);
      const a = run(plain);
      assert.deepEqual(run(en), a, file);
      compared += a.issues.length + (a.events?.length ?? 0);
    }
  }
  assert.ok(compared > 100, `only ${compared} issues and events compared`);
});

test('a refused policy and a refused change list are written in the locale', async () => {
  await assert.rejects(createEngine({ locale: 'es', policy: { minimumAmmount: 500 } }), (error) => {
    assert.equal(error.issues[0].code, 'POLICY');
    assert.equal(
      error.issues[0].message,
      'La clave "minimumAmmount" de la política es desconocida.',
    );
    assert.deepEqual(error.issues[0].params, { key: 'minimumAmmount' });
    return true;
  });
  const es = await createEngine({ locale: 'es' });
  const undo = es.invertChanges([{ op: 'delete', id: 'm-3', index: 2 }]);
  assert.equal(undo.ok, false);
  assert.equal(undo.issues[0].message, 'Un borrado solo se puede deshacer con el hito que quitó.');
  const unreadable = es.validate('{"id":', { now: NOW });
  assert.equal(unreadable.issues[0].code, 'INVALID_JSON');
  assert.match(unreadable.issues[0].message, /^El texto no es un documento JSON utilizable: /);
  assert.equal(unreadable.issues[0].params.reason, 'unexpectedEnd');
});

test('both catalogs have the same sentences, and es names no param en lacks', () => {
  const en = catalog('en');
  const es = catalog('es');
  assert.deepEqual(Object.keys(es.messages).sort(), Object.keys(en.messages).sort());
  for (const [id, entry] of Object.entries(en.messages)) {
    for (const part of ['message', 'hint']) {
      const known = new Set(paramNames(entry[part]));
      for (const name of paramNames(es.messages[id][part])) {
        assert.ok(known.has(name), `es ${id} ${part} names {${name}}`);
      }
      assert.equal(Boolean(entry[part]), Boolean(es.messages[id][part]), `${id} ${part}`);
    }
  }
});

test('an unusable catalog object is refused', async () => {
  await assert.rejects(createEngine({ catalog: { locale: 'xx', messages: 3 } }), (error) => {
    assert.ok(error.issues.some((i) => i.path.startsWith('/catalog')));
    return true;
  });
});

// SPEC 5 and docs/languages.md: the view model's figures, dates and labels and
// formatMoney / parseMoney are the engine's language, and one reads back what
// the other wrote, in every currency of the example policy.
test('the view, formatMoney and parseMoney follow the locale', async () => {
  const es = await createEngine({ locale: 'es' });
  const contract = sampleContract();
  contract.milestones[contract.milestones.length - 1].dueDate = '2026-12-15';
  const view = es.describe(contract, { actor: 'client', now: NOW });
  assert.equal(view.ok, true);
  const last = view.milestones[view.milestones.length - 1];
  assert.equal(last.text.dueDate, '15 dic 2026');
  assert.match(last.text.amount, /^[\d.]+,\d\d\u00a0US\$$/);
  assert.equal(view.contract.statusLabel, 'Abierto');
  const labels = Object.values(last.can).map((can) => can.label);
  assert.ok(labels.includes('Financiar') && !labels.includes('Fund'), labels.join(', '));
  assert.ok(
    view.milestones.every((m) => !/[A-Z][a-z]+ funded|Active|Released/.test(m.stateLabel)),
    view.milestones.map((m) => m.stateLabel).join(', '),
  );

  assert.equal(es.formatMoney(123456, 'USD'), '1.234,56\u00a0US$');
  assert.deepEqual(es.parseMoney('1.234,56', 'USD'), { ok: true, amount: 123456 });
  assert.deepEqual(es.parseMoney('1.234,56 US$', 'USD'), { ok: true, amount: 123456 });
  const refused = es.parseMoney('12.50', 'USD');
  assert.equal(refused.issues[0].code, 'INVALID_AMOUNT');
  assert.match(refused.issues[0].hint, /123\.456,00\u00a0US\$/);

  const plain = await createEngine();
  assert.equal(plain.formatMoney(123456, 'USD'), '$1,234.56');
  assert.equal(
    plain.describe(contract, { actor: 'client', now: NOW }).contract.statusLabel,
    'Open',
  );

  const policy = JSON.parse(readFileSync(path.join(distDir, 'policies', 'parallel.json'), 'utf8'));
  for (const locale of [undefined, 'en', 'es']) {
    const engine = await createEngine({ policy, ...(locale ? { locale } : {}) });
    for (const code of Object.keys(policy.currencies)) {
      for (const amount of [0, 1, 999, 1000, 123456, 100000000, Number.MAX_SAFE_INTEGER]) {
        const text = engine.formatMoney(amount, code);
        assert.deepEqual(engine.parseMoney(text, code), { ok: true, amount }, `${locale} ${text}`);
      }
    }
  }
});
