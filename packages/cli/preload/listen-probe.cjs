'use strict';
// Preloaded (`--require`, through NODE_OPTIONS) into every Node process of a program run by `overlap audit --load`
// or `overlap verify --load`, traced or not. It tells the CLI which TCP ports the program listens on, and how busy
// its event loop is, by appending JSON lines to the file named in OVERLAP_LOAD_PROBE:
//   {"pid":1,"port":3000,"address":"127.0.0.1","family":"IPv4"}   when a server starts listening;
//   {"pid":1,"t":<epoch ms>,"active":<ms>,"idle":<ms>,"cpu":<ms>,"inflight":<n>}
//       then, as responses finish, at most every 100 ms and whenever the last request in flight is answered (the
//       event loop's cumulative active and idle time, the process's CPU time, the requests being served).
// It only subscribes to diagnostics channels: no timer of its own (one would change when Node drains microtasks
// between timer lists), no listener on the program's objects; its behaviour, output and exit are its own.
const file = process.env.OVERLAP_LOAD_PROBE;
if (file) {
  const { appendFileSync } = require('node:fs');
  const diagnostics = require('node:diagnostics_channel');
  const { performance } = require('node:perf_hooks');
  const write = (record) => {
    try {
      appendFileSync(file, `${JSON.stringify(record)}\n`);
    } catch {
      // The CLI may have gone (and its folder with it): never throw into the program.
    }
  };
  let sampling = false;
  let last = 0;
  // Requests being served: the CLI waits for none before it sends SIGTERM, so no request is cut off by the stop.
  let inflight = 0;
  const sample = (force) => {
    const now = Date.now();
    if (force !== true && now - last < 100) return;
    last = now;
    const elu = performance.eventLoopUtilization();
    const cpu = process.cpuUsage();
    write({ pid: process.pid, t: now, active: elu.active, idle: elu.idle, cpu: (cpu.user + cpu.system) / 1000, inflight });
  };
  const started = () => {
    inflight++;
  };
  const finished = () => {
    inflight = Math.max(0, inflight - 1);
    sample(inflight === 0);
  };
  diagnostics.subscribe('tracing:net.server.listen:asyncEnd', (message) => {
    const address = message && message.server && typeof message.server.address === 'function' ? message.server.address() : null;
    if (!address || typeof address !== 'object') return;
    write({ pid: process.pid, port: address.port, address: address.address, family: address.family });
    if (sampling) return;
    sampling = true;
    sample(true);
    diagnostics.subscribe('http.server.request.start', started);
    diagnostics.subscribe('http.server.response.finish', finished);
  });
}
