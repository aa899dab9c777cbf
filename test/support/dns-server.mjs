// A minimal loopback DNS responder for tests (node:dgram): answers TXT queries for one name; NXDOMAIN otherwise.
// Usage: node dns-server.mjs NAME TXT [TXT…]   Prints its UDP port, then serves until SIGTERM.
import { createSocket } from 'node:dgram';

const [name, ...texts] = process.argv.slice(2);
const wanted = name.toLowerCase().replace(/\.$/, '');

function readName(buf, offset) {
  const labels = [];
  let pos = offset;
  while (buf[pos] !== 0) {
    const len = buf[pos];
    labels.push(buf.subarray(pos + 1, pos + 1 + len).toString('latin1'));
    pos += 1 + len;
  }
  return { name: labels.join('.').toLowerCase(), end: pos + 1 };
}

const socket = createSocket('udp4');
socket.on('message', (msg, rinfo) => {
  const { name: qname, end } = readName(msg, 12);
  const qtype = msg.readUInt16BE(end);
  const question = msg.subarray(12, end + 4);
  const found = qname === wanted;
  const answers = found && qtype === 16 ? texts : [];
  const header = Buffer.alloc(12);
  msg.copy(header, 0, 0, 2); // id
  header.writeUInt16BE(0x8180 | (found ? 0 : 3), 2); // response, RD+RA, NOERROR or NXDOMAIN
  header.writeUInt16BE(1, 4);
  header.writeUInt16BE(answers.length, 6);
  const rrs = answers.map((t) => {
    const data = Buffer.from(t, 'latin1');
    const rr = Buffer.alloc(12);
    rr.writeUInt16BE(0xc00c, 0); // pointer to the question name
    rr.writeUInt16BE(16, 2); // TXT
    rr.writeUInt16BE(1, 4); // IN
    rr.writeUInt32BE(60, 6);
    rr.writeUInt16BE(data.length + 1, 10);
    return Buffer.concat([rr, Buffer.from([data.length]), data]);
  });
  socket.send(Buffer.concat([header, question, ...rrs]), rinfo.port, rinfo.address);
});
socket.bind(0, '127.0.0.1', () => process.stdout.write(`${socket.address().port}\n`));
process.on('SIGTERM', () => socket.close(() => process.exit(0)));
