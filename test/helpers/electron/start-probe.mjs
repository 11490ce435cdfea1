// `node --import` before the app's entry: when the entry hands over its start promise
// (`globalThis.headroomStarted`, what the Electron smoke test awaits through app.evaluate), prints
// what it settles to, `headroomStarted:true`, on standard output.
Object.defineProperty(globalThis, 'headroomStarted', {
  configurable: true,
  set(started) {
    Object.defineProperty(globalThis, 'headroomStarted', {
      value: started,
      writable: true,
      configurable: true,
    });
    started.then(
      (ok) => process.stdout.write(`headroomStarted:${ok}\n`),
      (error) => process.stdout.write(`headroomStarted:failed ${error}\n`),
    );
  },
});
