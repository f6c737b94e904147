// `kaiku text analyze --json`: one comment per line in, one JSON object per line out,
// personal data replaced by typed placeholders; a bad line is reported and skipped.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { runKaiku } from '../lib/server.mjs';

describe('kaiku text analyze', () => {
  test('redacts identity codes, phones, e-mail, IBAN and addresses, and names the language', async () => {
    const lines = [
      'Hoitaja soitti numerosta 040-1234567, hetuni on 131052-308T.',
      'Tack för bra service! Skicka svar till anna.svensson@example.se, Storgatan 3 B.',
      'The refund should go to FI21 1234 5600 0007 85 please.',
      'Kiitos hyvästä hoidosta!',
    ];
    const { code, stdout, stderr } = await runKaiku(['text', 'analyze', '--json'], { input: lines.join('\n') + '\n' });
    assert.equal(code, 0, stderr);
    const out = stdout.trim().split('\n').map((l) => JSON.parse(l));
    assert.equal(out.length, lines.length);
    assert.equal(out[0].redacted, 'Hoitaja soitti numerosta [puhelin], hetuni on [hetu].');
    assert.deepEqual(out[0].placeholders.sort(), ['hetu', 'puhelin']);
    assert.equal(out[0].language, 'fi');
    assert.ok(!out[1].redacted.includes('example.se'), out[1].redacted);
    assert.ok(!out[1].redacted.includes('Storgatan 3'), out[1].redacted);
    assert.deepEqual(out[1].placeholders.sort(), ['email', 'osoite']);
    assert.equal(out[1].language, 'sv');
    assert.ok(out[2].redacted.includes('[iban]'), out[2].redacted);
    assert.equal(out[2].language, 'en');
    assert.equal(out[3].redacted, lines[3]);
    assert.deepEqual(out[3].placeholders, []);
    for (const o of out) assert.ok(!JSON.stringify(o).match(/\d{6}[-+A-FU-Y]\d{3}[0-9A-Y]/), 'no identity code in output');
  });

  test('an invalid UTF-8 line is an error object and the next lines still come', async () => {
    const input = Buffer.concat([Buffer.from('ok rivi\n'), Buffer.from([0xff, 0xfe, 0x0a]), Buffer.from('Tack!\n')]);
    const { code, stdout } = await runKaiku(['text', 'analyze', '--json'], { input });
    assert.equal(code, 0);
    const out = stdout.trim().split('\n').map((l) => JSON.parse(l));
    assert.equal(out.length, 3);
    assert.equal(out[1].line, 2);
    assert.match(out[1].error, /UTF-8/);
    assert.equal(out[2].language, 'sv');
  });
});

describe('kaiku text train-sentiment', () => {
  test('trains a model that kaiku text eval then uses, and never trains on the held-out half', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kaiku-train-'));
    const train = path.join(dir, 'train.tsv');
    const rows = ['id\tlang\tsentiment\ttext'];
    for (let i = 0; i < 12; i += 1) {
      rows.push(`p${i}\tfi\tpositive\tIhana hoitaja, kiitos paljon ${i}!`);
      rows.push(`n${i}\tfi\tnegative\tKukaan ei soittanut takaisin vaikka lupasivat ${i}.`);
      rows.push(`u${i}\tfi\tneutral\tKävin verikokeissa aamulla ${i}.`);
      rows.push(`m${i}\tfi\tmixed\tLääkäri oli hyvä mutta jonotin kolme tuntia ${i}.`);
    }
    fs.writeFileSync(train, rows.join('\n') + '\n');
    // An evaluation file whose held-out row (even id) must not count: 12 + 1 comments.
    const evalFile = path.join(dir, 'eval.tsv');
    fs.writeFileSync(evalFile, [
      'id\tlang\tsentiment\tthemes\tsuggestion\ttext\tredacted',
      'x001\tfi\tpositive\t-\t0\tKiitos!\tKiitos!',
      'x002\tfi\tnegative\t-\t0\tHuonoa.\tHuonoa.',
    ].join('\n') + '\n');
    const model = path.join(dir, 'model.tsv');
    const r = await runKaiku(['text', 'train-sentiment', '--cv', '3', '--out', model, train, evalFile]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /eval\.tsv: 1 comments/);
    assert.match(r.stdout, /model: \d+ features from 49 comments/);
    assert.match(r.stdout, /cross-validation \(3 folds, 49 comments\)/);
    const text = fs.readFileSync(model, 'utf8');
    assert.match(text, /^@outputs\tpositive\tneutral\tnegative\tmixed$/m);
    const check = await runKaiku(['text', 'train-sentiment', '--check', model, train, evalFile]);
    assert.equal(check.code, 0, check.stderr);
    const other = await runKaiku(['text', 'train-sentiment', '--check', model, train]);
    assert.equal(other.code, 3);
    assert.match(other.stderr, /is not what these files train/);
    // The trained model decides the label in eval.
    const scored = await runKaiku(['text', 'eval', '--sentiment-model', model, evalFile]);
    assert.equal(scored.code, 0, scored.stderr);
    assert.match(scored.stdout, /SCORES comments=2 /);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('a malformed training or model file is an error naming the file and line', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kaiku-train-'));
    const bad = path.join(dir, 'bad.tsv');
    fs.writeFileSync(bad, 'id\tlang\tsentiment\ttext\na1\tfi\tangry\tHuono.\n');
    const r = await runKaiku(['text', 'train-sentiment', bad]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /bad\.tsv:2: sentiment/);
    const badModel = path.join(dir, 'model.tsv');
    fs.writeFileSync(badModel, '@outputs\tpositive\tneutral\tnegative\tmixed\nbias\t1\t2\tx\t4\n');
    const e = await runKaiku(['text', 'eval', '--sentiment-model', badModel, 'tests/data/text/eval_fi.tsv']);
    assert.equal(e.code, 2);
    assert.match(e.stderr, /model\.tsv:2: weight 3/);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
