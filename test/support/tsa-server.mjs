// A loopback RFC 3161 TSA for tests: HTTP POST body -> `openssl ts -reply` -> reply body. Prints its port, then serves.
// Usage: node tsa-server.mjs CONFIG_FILE WORK_DIR   (CONFIG_FILE is an openssl ts config naming the TSA key and cert)
import { execFile } from 'node:child_process';
import { writeFileSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';

const [config, work] = process.argv.slice(2);
let n = 0;
// One `openssl ts -reply` at a time: concurrent runs race on the TSA's serial-number file.
let queue = Promise.resolve();
const server = createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const id = n++;
    const query = join(work, `q${id}.tsq`);
    const reply = join(work, `r${id}.tsr`);
    writeFileSync(query, Buffer.concat(chunks));
    queue = queue.then(() => new Promise((done) => {
      execFile('openssl', ['ts', '-reply', '-config', config, '-queryfile', query, '-out', reply], (err, _out, stderr) => {
        if (err) {
          res.writeHead(500, { 'content-type': 'text/plain' });
          res.end(String(stderr));
        } else {
          res.writeHead(200, { 'content-type': 'application/timestamp-reply' });
          res.end(readFileSync(reply));
        }
        done();
      });
    }));
  });
});
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${server.address().port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
