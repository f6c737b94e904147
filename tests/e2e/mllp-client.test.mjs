// Proves tests/lib/mllp.mjs (the @medplum/hl7 client wrapper) against a bare MLLP
// server written here: framing, ACK decoding, several messages on one connection, exact
// bytes (segment ends, BOM, Latin-1), and clear failures (no ACK, peer closes).
// Needs no Kaiku binary.
import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, test } from 'node:test';
import { openMllp, parseAck, sendHl7 } from '../lib/mllp.mjs';

const VT = 0x0b;
const FS = 0x1c;
const CR = 0x0d;

// A bare MLLP server. For each framed message it calls onMessage({bytes, text, socket})
// and writes back what that returns (a string is framed and encoded with `encoding`;
// null writes nothing). Resolves {port, received, connections, close()}.
async function startMllpServer({ encoding = 'utf-8', onMessage }) {
  const received = [];
  const sockets = new Set();
  let connections = 0;
  const server = net.createServer((socket) => {
    connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    let buf = Buffer.alloc(0);
    socket.on('data', (chunk) => {
      buf = Buffer.concat([buf, chunk]);
      for (;;) {
        const start = buf.indexOf(VT);
        const end = buf.indexOf(Buffer.from([FS, CR]), start + 1);
        if (start < 0 || end < 0) break;
        const bytes = buf.subarray(start + 1, end);
        buf = buf.subarray(end + 2);
        const text = new TextDecoder(encoding === 'latin1' ? 'latin1' : 'utf-8', { ignoreBOM: true }).decode(bytes);
        const msg = { bytes: Buffer.from(bytes), text, socket };
        received.push(msg);
        const reply = onMessage(msg);
        if (typeof reply === 'string') {
          const body = Buffer.from(reply, encoding === 'latin1' ? 'latin1' : 'utf8');
          socket.write(Buffer.concat([Buffer.from([VT]), body, Buffer.from([FS, CR])]));
        }
      }
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: server.address().port,
    received,
    get connections() {
      return connections;
    },
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}

// Fields of the first segment named `name` (HL7 field n = result[n]; for MSH, MSH-n = result[n - 1]).
function segment(text, name) {
  const seg = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/).find((s) => s.startsWith(name + '|'));
  return seg ? seg.split('|') : null;
}

// An ACK (AA) for `text`; MSA-3 tells what the server saw.
function ackFor(text, note) {
  const msh = segment(text, 'MSH');
  const control = msh ? msh[9] : '';
  return `MSH|^~\\&|ECHO|KAIKU|${msh?.[2] ?? ''}|${msh?.[3] ?? ''}|20260101120000||ACK^A03^ACK|ACK${control}|P|2.5\r`
    + `MSA|AA|${control}|${note}\r`;
}

// What the server reports about a message: its segment ends, BOM, and PID-5.
function describeMessage({ bytes, text }) {
  const ends = bytes.includes(Buffer.from('\r\n')) ? 'CRLF' : bytes.includes(0x0a) ? 'LF' : 'CR';
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 'bom' : 'nobom';
  const pid = segment(text, 'PID');
  return `${ends} ${bom} ${pid?.[5] ?? '-'}`;
}

function adt(control, { ends = '\r', name = 'Virtanen^Matti', charset = 'UNICODE UTF-8' } = {}) {
  return [
    `MSH|^~\\&|LIFECARE|KSSHP|KAIKU|KAIKU|20260315101500||ADT^A03^ADT_A03|${control}|P|2.5|||||FIN|${charset}`,
    'EVN|A03|20260315101500',
    `PID|1||010180-123X^^^FI-HETU||${name}||19800101|M`,
    'PV1|1|O|KS-TK-JKL^^^KSSHP||||||||||||||||V123',
  ].join(ends) + ends;
}

describe('MLLP client wrapper (@medplum/hl7 4.1.6)', () => {
  let echo;
  before(async () => {
    echo = await startMllpServer({ onMessage: (m) => ackFor(m.text, describeMessage(m)) });
  });
  after(async () => {
    await echo?.close();
  });

  test('sendHl7 sends one framed message and returns the ACK text', async () => {
    const ack = await sendHl7('127.0.0.1', echo.port, adt('MSG0001'));
    const a = parseAck(ack);
    assert.equal(a.code, 'AA');
    assert.equal(a.controlId, 'MSG0001');
    assert.equal(a.type, 'ACK^A03^ACK');
    assert.equal(a.text, 'CR nobom Virtanen^Matti');
    const last = echo.received.at(-1);
    assert.equal(last.text, adt('MSG0001'), 'the server received the text byte for byte');
  });

  test('several messages on one connection, answered in order', async () => {
    const before = echo.connections;
    const conn = await openMllp('127.0.0.1', echo.port);
    try {
      // Queued at once: the wrapper sends each only after the previous ACK.
      const acks = await Promise.all(['A1', 'A2', 'A3', 'A4', 'A5'].map((id) => conn.send(adt(id))));
      assert.deepEqual(acks.map((t) => parseAck(t).controlId), ['A1', 'A2', 'A3', 'A4', 'A5']);
    } finally {
      conn.close();
    }
    assert.equal(echo.connections - before, 1, 'one TCP connection for all five');
    assert.equal(conn.closed, true);
  });

  test('segment ends and a byte-order mark are sent exactly as given', async () => {
    const conn = await openMllp('127.0.0.1', echo.port);
    try {
      assert.equal(parseAck(await conn.send(adt('L1', { ends: '\n' }))).text, 'LF nobom Virtanen^Matti');
      assert.equal(parseAck(await conn.send(adt('L2', { ends: '\r\n' }))).text, 'CRLF nobom Virtanen^Matti');
      assert.equal(parseAck(await conn.send('\uFEFF' + adt('L3'))).text, 'CR bom Virtanen^Matti');
      // UTF-8 on the wire for non-ASCII names.
      await conn.send(adt('L4', { name: 'Äijälä^Åsa' }));
      assert.ok(echo.received.at(-1).bytes.includes(Buffer.from('Äijälä^Åsa', 'utf8')));
    } finally {
      conn.close();
    }
  });

  test('ISO-8859-1 encoding: sent and answered in Latin-1', async () => {
    const latin = await startMllpServer({ encoding: 'latin1', onMessage: (m) => ackFor(m.text, `got ${segment(m.text, 'PID')[5]}`) });
    try {
      const ack = await sendHl7('127.0.0.1', latin.port, adt('LAT1', { name: 'Äijälä^Åsa', charset: '8859/1' }), { encoding: 'latin1' });
      const bytes = latin.received[0].bytes;
      assert.ok(bytes.includes(Buffer.from('Äijälä^Åsa', 'latin1')), 'Latin-1 bytes on the wire');
      assert.ok(!bytes.includes(Buffer.from('Ä', 'utf8')), 'no UTF-8 on the wire');
      assert.equal(parseAck(ack).text, 'got Äijälä^Åsa', 'the Latin-1 ACK is decoded');
    } finally {
      await latin.close();
    }
  });

  test('an AE/AR answer is returned, not thrown', async () => {
    const rejecting = await startMllpServer({
      onMessage: (m) => ackFor(m.text, 'x').replace('MSA|AA|', 'MSA|AR|').replace(/\|x\r$/, '|unknown unit\rERR|||207|E\r'),
    });
    try {
      const a = parseAck(await sendHl7('127.0.0.1', rejecting.port, adt('R1')));
      assert.equal(a.code, 'AR');
      assert.equal(a.text, 'unknown unit');
      assert.equal(a.errors.length, 1);
    } finally {
      await rejecting.close();
    }
  });

  test('no ACK: rejects after timeoutMs and the connection refuses further sends', async () => {
    const silent = await startMllpServer({ onMessage: () => null });
    try {
      const conn = await openMllp('127.0.0.1', silent.port, { timeoutMs: 300 });
      await assert.rejects(conn.send(adt('S1')), /no ACK within 300 ms/);
      await assert.rejects(conn.send(adt('S2')), /no longer usable/);
      conn.close();
    } finally {
      await silent.close();
    }
  });

  test('the peer closing the connection rejects the pending send', async () => {
    const closing = await startMllpServer({ onMessage: (m) => { m.socket.destroy(); return null; } });
    try {
      const conn = await openMllp('127.0.0.1', closing.port, { timeoutMs: 5000 });
      await assert.rejects(conn.send(adt('C1')), /closed by the peer/);
    } finally {
      await closing.close();
    }
  });

  test('connection refused is an error', async () => {
    const gone = await startMllpServer({ onMessage: () => null });
    const { port } = gone;
    await gone.close();
    await assert.rejects(sendHl7('127.0.0.1', port, adt('X1')), /ECONNREFUSED/);
  });
});
