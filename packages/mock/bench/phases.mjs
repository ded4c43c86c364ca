// One start of the mock in this fresh process, printing (as JSON) when each phase ended, in
// milliseconds since the process started (performance.now() counts from there). Imports are
// dynamic so that each is timed where it happens.
const phases = { "node started": performance.now() };
await import("@loops-contract/spec");
phases["contract module loaded"] = performance.now();
const { startMock } = await import("../dist/index.js");
phases["mock module loaded"] = performance.now();
const mock = await startMock({ dynamic: process.argv.includes("--dynamic") });
phases["listening (contract read into Prism)"] = performance.now();
const { firstSuccess } = await import("./support.mjs");
phases["first 2xx answered"] = await firstSuccess(mock.url);
await mock.stop();
console.log(JSON.stringify(phases));
