// HL7 v2 over MLLP for end-to-end tests: a thin wrapper over the real npm client
// `@medplum/hl7` 4.1.6 (Hl7Client / Hl7Connection), as a county's patient-record system
// would send.
//
//   const ack = await sendHl7('127.0.0.1', port, adtText);          // one message, own connection
//   parseAck(ack).code === 'AA'
//
//   const conn = await openMllp('127.0.0.1', port, { encoding: 'latin1' });
//   const a1 = await conn.send(msg1);                                // several messages,
//   const a2 = await conn.send(msg2);                                // one connection
//   conn.close();
//
// The text is sent exactly as given — segment ends (CR, LF or CRLF), a leading byte-order
// mark, escape sequences — encoded with `encoding` (iconv-lite names: 'utf-8' (default),
// 'latin1' / 'iso-8859-1'), framed 0x0B … 0x1C 0x0D by Medplum's Hl7Connection. (Medplum's
// Hl7Message.parse would normalise segment ends and reject a BOM, so the text is handed to
// the connection as an object whose toString() is the text itself.) The ACK is decoded
// with the same encoding and returned as text with CR segment ends.
//
// Quirks of @medplum/hl7 4.1.6 this wrapper covers:
// - A reply frame is recognised only when a TCP chunk ends in 0x1C 0x0D, so two ACKs in
//   one chunk would be read as one message: send() therefore waits for each ACK before
//   the next message goes out (no pipelining on one connection; open several for that).
// - Its promises never settle when the peer closes the connection, when the ACK cannot
//   be parsed, or when no ACK comes: here each send() rejects on 'close'/'error' and
//   after timeoutMs (default 10 s); a connection that failed is closed and refuses
//   further sends (open a new one).
import { Hl7Message } from '@medplum/core';
import { Hl7Client } from '@medplum/hl7';

// Wraps raw text so Hl7Connection sends it byte for byte (it only calls toString()).
function rawMessage(text) {
  return { toString: () => text };
}

// Opens one MLLP connection. Options: encoding ('utf-8'), timeoutMs (per message,
// 10000), connectTimeoutMs (5000). Resolves {send(text) -> ack text, close(), closed}.
export async function openMllp(host, port, { encoding = 'utf-8', timeoutMs = 10000, connectTimeoutMs = 5000 } = {}) {
  const client = new Hl7Client({ host, port, encoding, connectTimeout: connectTimeoutMs });
  const connection = await client.connect();
  let failure = null;      // Error once the connection is unusable
  let inflight = null;     // {reject} of the message waiting for its ACK
  let chain = Promise.resolve();

  const fail = (err) => {
    if (!failure) failure = err;
    if (inflight) inflight.reject(err);
    inflight = null;
  };
  connection.addEventListener('error', (ev) => {
    fail(new Error(`MLLP ${host}:${port}: ${ev.error?.message ?? ev.error}`));
    client.close();
  });
  connection.addEventListener('close', () => fail(new Error(`MLLP ${host}:${port}: connection closed by the peer`)));

  const sendOne = (text) => {
    if (failure) return Promise.reject(new Error(`MLLP ${host}:${port}: connection no longer usable (${failure.message})`));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        fail(new Error(`MLLP ${host}:${port}: no ACK within ${timeoutMs} ms`));
        client.close();
      }, timeoutMs);
      inflight = {
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      };
      connection.sendAndWait(rawMessage(text)).then((ack) => {
        clearTimeout(timer);
        inflight = null;
        resolve(ack.toString());
      }, (e) => inflight?.reject(e));
    });
  };

  return {
    // Sends one message and resolves with its ACK text; calls queue one after another.
    send(text) {
      const p = chain.then(() => sendOne(text));
      chain = p.catch(() => {});
      return p;
    },
    // Closes the connection (idempotent).
    close() {
      if (!failure) failure = new Error('closed by the caller');
      client.close();
    },
    get closed() {
      return failure !== null;
    },
  };
}

// Sends one message on a fresh connection, closes it, and resolves with the ACK text.
// Options as for openMllp.
export async function sendHl7(host, port, text, opts = {}) {
  const conn = await openMllp(host, port, opts);
  try {
    return await conn.send(text);
  } finally {
    conn.close();
  }
}

// The interesting parts of an ACK: {code (MSA-1: AA/AE/AR/CA/CE/CR), controlId (MSA-2),
// text (MSA-3), errors (ERR segments as text), type (MSH-9), message (Hl7Message)}.
export function parseAck(ackText) {
  const message = Hl7Message.parse(ackText);
  const msa = message.getSegment('MSA');
  const msh = message.getSegment('MSH');
  return {
    code: msa?.getField(1)?.toString() ?? null,
    controlId: msa?.getField(2)?.toString() ?? null,
    text: msa?.getField(3)?.toString() ?? '',
    errors: message.getAllSegments('ERR').map((s) => s.toString()),
    type: msh?.getField(9)?.toString() ?? null,
    message,
  };
}
