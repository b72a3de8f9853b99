// Preloaded (`node -r`) into every process `npm run bench` synthesizes in: at exit, writes the process's CPU time
// (user + system, all threads, in ms) to the file BENCH_CPU_FILE names. CPU time, unlike wall time, hardly depends on
// what else the machine is running.
process.on('exit', () => {
  const { user, system } = process.cpuUsage();
  require('fs').writeFileSync(process.env.BENCH_CPU_FILE, String((user + system) / 1000));
});
