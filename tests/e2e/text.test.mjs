// `kaiku text analyze --json`: one comment per line in, one JSON object per line out,
// personal data replaced by typed placeholders; a bad line is reported and skipped.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';

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
