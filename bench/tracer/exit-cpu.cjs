// Preloaded by the startup bench (`--require`): at exit, appends this process's CPU time (user + system, µs, the
// whole process up to now) to the file named by BENCH_CPU_OUT. Preloaded the same way in every variant measured.
const { appendFileSync } = require('node:fs');
const out = process.env.BENCH_CPU_OUT;
if (out) {
  process.on('exit', () => {
    const { user, system } = process.cpuUsage();
    appendFileSync(out, `${user + system}\n`);
  });
}
