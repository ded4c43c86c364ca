// What the inspector's page weighs over the wire: its three files, each as it is and gzipped at
// the highest level, read as the built mock serves them. The budget is 50 kB gzipped in all.
import { gzipSync } from "node:zlib";
import { startMock } from "../dist/index.js";

const mock = await startMock();
try {
  let total = 0;
  for (const path of ["", "/files/inspector.js", "/files/inspector.css"]) {
    const text = await (await fetch(`${mock.url}/_sandbox/inspector${path}`)).text();
    const gzipped = gzipSync(text, { level: 9 }).length;
    total += gzipped;
    console.log(`inspector${path || " page"}: ${text.length} B, ${gzipped} B gzipped`);
  }
  console.log(`inspector, all three: ${(total / 1000).toFixed(1)} kB gzipped (budget 50 kB)`);
} finally {
  await mock.stop();
}
